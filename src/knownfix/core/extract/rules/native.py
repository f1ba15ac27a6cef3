"""Compiled languages: gcc/clang, make, CMake, linkers, Rust/cargo, Go, Swift/Xcode, Haskell."""

from __future__ import annotations

from knownfix.core.extract.rules.base import LineRule

RULES: tuple[LineRule, ...] = (
    # Cascades: they follow the real error and repeat that something failed.
    LineRule(
        "make_cascade",
        r"^(?:g?make|ninja|mingw32-make)(?:\[\d+\])?: \*\*\* \[.*\] (?:Error \d+|Interrupt)"
        r"|^(?:g?make)(?:\[\d+\])?: \*\*\* Waiting for unfinished|^ninja: build stopped"
        r"|^\*\*\* Failed \*\*\*$",
        "closer",
        0.8,
        "none",
        "none",
    ),
    LineRule(
        "rust_noise",
        r"^error: (?:aborting due to|could not compile|Could not compile|build failed"
        r"|test failed, to rerun|failed to run custom build command|process didn't exit"
        r"|\d+ targets? failed)|^warning: build failed, waiting|^To learn more, run the command",
        "closer",
        0.8,
        "none",
        "none",
    ),
    LineRule(
        "linker_noise",
        r"collect2: error: ld returned|clang: error: linker command failed"
        r"|ld: symbol\(s\) not found",
        "closer",
        1.5,
        "none",
        "none",
    ),
    LineRule(
        "xcode_noise",
        r"^\*\* (?:BUILD|TEST|ARCHIVE|TEST EXECUTE) (?:FAILED|INTERRUPTED) \*\*|^Testing failed:$"
        r"|^The following build commands failed:",
        "closer",
        1,
        "none",
        "none",
    ),
    LineRule("cmake_incomplete", r"^-- Configuring incomplete, errors occurred", "closer", 1.5),
    # Compiler diagnostics with a location.
    LineRule(
        "stack_exit",
        r"^\s*Process exited with code: ExitFailure \d+|^cabal: Failed to build ",
        "closer",
        1,
        "none",
        "none",
    ),
    LineRule("stack_while", r"^--\s+While building (?:package|custom Setup)", "header", 5, "none"),
    LineRule(
        "ocaml_location",
        r"^File \"[^\"]+\", line \d+, characters \d+-\d+:$",
        "header",
        6,
        "none",
        "para",
    ),
    LineRule("ghc_error", r"^\S+\.l?hs:\d+:\d+(?:-\d+)?: error", "error", 8, "none", "para"),
    LineRule(
        "cc_error",
        r"^\s*(?:❌\s*)?\S.*?:\d+(?::\d+)?:\s*(?:fatal )?error:",
        "error",
        8,
        "none",
        "cont",
    ),
    LineRule("cc_warning", r"^\S+:\d+:\d+:\s*[Ww]arning\b", "error", 3, "none", "cont"),
    LineRule(
        "sanitizer",
        r"==\d+==ERROR: \w*Sanitizer|:\d+:\d+: runtime error: ",
        "error",
        8,
        "none",
        "cont",
    ),
    LineRule("xcode_cross", r"❌\s", "error", 7, "none", "cont"),
    LineRule("msvc_error", r"\(\d+(?:,\d+)?\): (?:fatal )?error [A-Z]+\d+:", "error", 8),
    LineRule("make_no_rule", r"\*\*\* No rule to make target|\*\*\* missing separator", "error", 7),
    LineRule("cmake_error", r"^CMake Error\b", "error", 7, "none", "section"),
    LineRule("linker_undefined", r"undefined reference to|[Uu]ndefined symbols? for", "error", 7),
    LineRule(
        "linker_cannot_find",
        r"^/\S*ld: cannot find|^ld: (?:library|framework) not found",
        "error",
        7,
    ),
    # C++ test frameworks, valgrind and std::terminate.
    LineRule("catch2_failed", r"^\S+:\d+: FAILED:$", "error", 7, "none", "para"),
    LineRule("catch2_summary", r"^test cases: .*\d+ failed", "summary", 1.5, "none", "none"),
    LineRule("boost_test_error", r"\(\d+\): (?:fatal )?error:? in \"", "error", 7, "none", "cont"),
    LineRule(
        "boost_test_summary", r"\*\*\* \d+ failures? (?:is|are) detected", "summary", 2, "none"
    ),
    LineRule(
        "valgrind_error",
        r"^==\d+== (?:Invalid (?:read|write|free)|Conditional jump|Use of uninitialised"
        r"|Syscall param|Mismatched free|Source and destination overlap"
        r"|[\d,]+ bytes in [\d,]+ blocks are definitely lost)",
        "error",
        6,
        "none",
        "cont",
    ),
    LineRule("valgrind_summary", r"^==\d+== ERROR SUMMARY: [1-9]", "summary", 1.5, "none", "none"),
    LineRule(
        "cpp_terminate", r"terminate called after throwing an instance of", "error", 6, "none"
    ),
    # Rust
    LineRule("rust_error", r"^error(?:\[E\d+\])?: \S", "error", 8, "none", "cont"),
    LineRule("rust_panic", r"^thread '.*' panicked at", "error", 7, "none", "cont"),
    LineRule("rust_test_header", r"^---- \S+ stdout ----$", "header", 7, "none", "section"),
    LineRule("rust_failures", r"^failures:$", "header", 2, "none", "none"),
    LineRule("rust_test_failed", r"^test \S+ \.\.\. FAILED$", "summary", 3, "none", "none"),
    LineRule("rust_result", r"^test result: FAILED\.", "summary", 1.5, "none", "none"),
    # Go
    LineRule("go_fail", r"^\s*--- FAIL: ", "error", 7, "none", "cont"),
    LineRule("go_panic", r"^panic: ", "error", 7, "none", "cont"),
    LineRule("go_fatal", r"^fatal error: ", "error", 7, "none", "cont"),
    LineRule(
        "go_pkg_fail",
        r"^FAIL\s+\S+\s+\[?[\d.]+s\]?$|^FAIL$|^FAIL\s+\S+ \[build failed\]",
        "summary",
        1.5,
        "none",
        "none",
    ),
    LineRule("go_exit", r"^exit status \d+$", "closer", 0.5, "none", "none"),
    LineRule("go_compile", r"^\S+\.go:\d+:\d+: \S", "error", 7, "header", "cont"),
    LineRule("go_test_msg", r"^\s+\S+\.go:\d+: \S", "error", 5, "header", "cont"),
    # Lua runtime errors: "lua: src/a.lua:12: attempt to index a nil value"
    LineRule("lua_runtime", r"^(?:lua|luajit)\S*: \S+:\d+: \S", "error", 6, "none", "cont"),
    # Swift / Objective-C tests
    LineRule(
        "xctest_summary",
        r"^\s*Executed \d+ tests?, with [1-9]\d* failures?",
        "summary",
        2,
        "none",
        "none",
    ),
    LineRule("xctest_case_failed", r"^Test Case '-\[\S+ \S+\]' failed \(", "error", 6, "none"),
    LineRule(
        "xctest_failed", r"XCTAssert\w* failed|: error: -\[\S+ \S+\] : ", "error", 6, "header"
    ),
)

SCAN_TERMS: tuple[str, ...] = (
    r"\*\*\* ?(?:\[|waiting|failed|no rule|missing|\d|test failed)",  # not "*** banners"
    r"error",
    r"ld returned|linker command",
    r"symbol\(s\) not found",
    r"BUILD FAILED|TEST FAILED|Testing failed|build commands failed",
    r"Configuring incomplete",
    r"❌",
    r"CMake Error",
    r"undefined (?:reference|symbols?|control)",
    r"panicked",
    r"stdout ----",
    r"failures:",
    r"FAIL",
    r"panic: ",
    r"exit status",
    r"\.go:\d+:",
    r"XCTAssert",
    r"Sanitizer|runtime error",
    r"Invalid (?:read|write|free)|Conditional jump|uninitialised|Syscall param|Mismatched free",
    r"definitely lost|Source and destination overlap",
    r"terminate called",
    r"Test Case '|Executed \d+ tests?, with [1-9]",
    r"(?-i:(?m:^)lua)",
    r"(?-i:ExitFailure|cabal: Failed|While building)",
    r", characters \d",
    r"failures? (?:is|are) detected",
)
