"""xUnit-style runners of C++, .NET, Clojure, Lua and shell: GoogleTest, CTest, dotnet test,
NUnit, lein test, busted, bats."""

from __future__ import annotations

from knownfix.core.extract.rules.base import LineRule

RULES: tuple[LineRule, ...] = (
    # GoogleTest and CTest (C++)
    LineRule("gtest_failed", r"^\[  FAILED  \] \S+\.\S+", "error", 7, "none", "none"),
    LineRule("gtest_failure", r"^\S+:\d+: Failure$", "error", 7, "none", "cont"),
    LineRule("gtest_summary", r"^\[  FAILED  \] \d+ tests?, listed below:", "summary", 2),
    LineRule("ctest_failed_list", r"^The following tests FAILED:", "header", 6, "none", "para"),
    LineRule("ctest_result", r"^\d+% tests passed, \d+ tests? failed", "summary", 1.5),
    # doctest, CppUnit and Qt Test (C++)
    LineRule(
        "cpp_doctest", r"\(\d+\): ERROR: (?:CHECK|REQUIRE|WARN)\w*\(", "error", 7, "none", "cont"
    ),
    LineRule("cppunit_failures", r"^!!!FAILURES!!!$", "header", 6, "none", "section"),
    LineRule("qttest_fail", r"^FAIL!\s+: \S", "error", 7, "none", "cont"),
    LineRule("qttest_totals", r"^Totals: \d+ passed, [1-9]\d* failed", "summary", 1.5, "none"),
    # dotnet test, NUnit, MSBuild, Cake
    LineRule("dotnet_failed", r"^\s*Failed \S+ \[[\d.]+ ?m?s\]$", "error", 7, "none", "cont"),
    LineRule("dotnet_summary", r"^Failed!\s+- Failed:\s+\d+", "summary", 1.5, "none", "none"),
    LineRule(
        "nunit_header", r"^Errors and Failures:$|^Errors, Failures and Warnings$", "header", 6
    ),
    LineRule("nunit_item", r"^\s*\d+\) (?:Test )?(?:Failure|Failed|Error) : \S", "error", 7),
    LineRule(
        "cake_task_failed",
        r"^An error occurred when executing task '[^']+'",
        "error",
        6,
        "none",
        "para",
    ),
    LineRule("msbuild_failed", r"^Build FAILED\.$", "closer", 1, "none", "none"),
    LineRule("vstest_failed", r"^\s+X \S+ \[[\d.]+ ?m?s\]$", "error", 7, "none", "cont"),
    LineRule(
        "vstest_summary",
        r"^Test Run Failed\.$|^Total tests: \d+\.? Passed: \d+\.? Failed: [1-9]",
        "summary",
        1.5,
        "none",
        "none",
    ),
    LineRule("xunit_assert", r"\bAssert\.\w+\(\) Failure\b", "error", 6, "para", "cont"),
    LineRule("dotnet_unhandled", r"^Unhandled [Ee]xception\.?: ?\S", "error", 6, "none", "cont"),
    LineRule("dotnet_error_code", r"\berror (?:CS|MSB|NU|FS|BC|NETSDK)\d{4}: ", "error", 7, "none"),
    # lein test / clojure.test
    LineRule("clojure_test", r"^(?:FAIL|ERROR) in \(\S+\) \(\S+:\d+\)", "error", 7, "none", "para"),
    LineRule("clojure_syntax", r"^Syntax error (?:compiling|macroexpanding|reading)", "error", 7),
    # busted (Lua)
    LineRule("busted_failure", r"^(?:Failure|Error) → \S", "error", 7, "none", "para"),
    # bats (shell)
    LineRule("bats_location", r"^#?\s+\(in test file \S+, line \d+\)", "error", 5, "none", "cont"),
)

SCAN_TERMS: tuple[str, ...] = (
    r"\[  FAILED  \]",
    r": Failure",
    r"tests FAILED|tests? failed",
    r"Failed \S+ \[",
    r"Failed!",
    r"Errors and Failures|Errors, Failures",
    r"\) (?:Test )?(?:Failure|Failed|Error) : ",
    r"Build FAILED",
    r"(?:FAIL|ERROR) in \(",
    r"Syntax error",
    r"(?:Failure|Error) → ",
    r"in test file",
    r"X \S+ \[\d",
    r"Test Run Failed|Total tests: ",
    r"Unhandled",
    r"\): ERROR: |!!!FAILURES!!!|FAIL!  : |Totals: ",
    r"An error occurred when executing task",
)
