"""Test runners of other ecosystems: RSpec, Minitest, ExUnit, PHPUnit, Perl TAP, R, Erlang."""

from __future__ import annotations

from knownfix.core.extract.rules.base import LineRule

RULES: tuple[LineRule, ...] = (
    # Mozilla's test harnesses (mochitest, reftest, xpcshell, web-platform-tests via mozharness);
    # a crash of the browser under test is reported as PROCESS-CRASH, never as TEST-UNEXPECTED
    LineRule(
        "mozilla_unexpected",
        r"\bTEST-UNEXPECTED-(?:FAIL|TIMEOUT|ERROR|CRASH|PASS|NOTRUN)\b|\bPROCESS-CRASH \|",
        "error",
        7,
        "none",
        "cont",
    ),
    # RSpec
    LineRule("rspec_failures", r"^\s*Failures:\s*$", "header", 7, "none", "section"),
    LineRule("rspec_failure_error", r"^\s*Failure/Error:", "error", 7, "header", "para"),
    LineRule(
        "rspec_load_error",
        r"^An error occurred (?:while loading|in a `before\(:suite\)` hook)",
        "header",
        7,
        "none",
        "section",
    ),
    LineRule("rspec_failed_examples", r"^Failed examples:$", "summary", 2, "none", "none"),
    LineRule("rspec_rerun", r"^rspec \./\S+:\d+ #", "summary", 2, "none", "none"),
    LineRule(
        "runs_summary",
        r"^\d+ examples?, \d+ failures?|^\d+ (?:runs|tests), \d+ assertions, \d+ failures"
        r"|^Finished in .*\d+ failures?",
        "summary",
        1.5,
        "none",
        "none",
    ),
    # Ruby's own report of an uncaught exception: "app.rb:12:in `x': message (NoMethodError)"
    LineRule(
        "ruby_exception",
        r":\d+:in [`'][^']*': .*\(\w+(?:::\w+)*\)$",
        "error",
        6,
        "none",
        "cont",
    ),
    LineRule("rake_aborted", r"^rake aborted!$", "header", 4, "none", "section"),
    LineRule(
        "bundler_missing",
        r"^Could not find gem '|^Bundler could not find compatible versions"
        r"|^Could not find \S+ in any of the (?:gem )?sources",
        "error",
        6,
        "none",
        "para",
    ),
    LineRule("cucumber_failing", r"^Failing Scenarios:$", "header", 6, "none", "para"),
    LineRule("cucumber_rerun", r"^cucumber \S+:\d+ # ", "summary", 2, "none", "none"),
    LineRule("jekyll_liquid", r"Liquid (?:Exception|Error|syntax error)\b", "error", 6, "none"),
    LineRule("htmlproofer_found", r"^HTML-Proofer found \d+ failures?", "closer", 1, "none"),
    # Minitest
    LineRule(
        "minitest_header", r"^\s*(?:\d+\) )?(?:Error|Failure):$", "header", 7, "none", "section"
    ),
    LineRule(
        "minitest_named", r"^\s*\d+\) (?:Error|Failure):\s*\S", "header", 7, "none", "section"
    ),
    # ExUnit (Elixir)
    LineRule("elixir_compile", r"^== Compilation error in file \S+ ==$", "header", 6),
    LineRule("exunit_test", r"^\s+\d+\) test .+ \([\w.]+\)$", "header", 7, "none", "section"),
    LineRule("exunit_exception", r"^\s*\*\* \(\w+(?:\.\w+)*\) ", "error", 6, "header", "cont"),
    LineRule(
        "exunit_assert", r"^\s+Assertion with \S+ failed|^\s+Expected truthy", "error", 7, "header"
    ),
    LineRule(
        "exunit_summary", r"^\d+ (?:tests|doctests?|properties).*, \d+ failures?", "summary", 1.5
    ),
    # PHPUnit
    LineRule(
        "phpunit_there_were",
        r"^There (?:was|were) \d+ (?:failures?|errors?):$",
        "header",
        7,
        "none",
        "section",
    ),
    LineRule("phpunit_failures", r"^(?:FAILURES|ERRORS)!$", "closer", 1, "none", "none"),
    LineRule("phpunit_tests", r"^Tests: \d+, Assertions: \d+, (?:Failures|Errors)", "summary", 1.5),
    LineRule("phpunit_assert", r"^Failed asserting that", "error", 6, "header", "para"),
    LineRule(
        "php_fatal",
        r"^PHP (?:Fatal error|Parse error|Warning): |^(?:Fatal|Parse) error: ",
        "error",
        7,
    ),
    # tasty / HUnit (Haskell): "name:   FAIL (0.06s)", the diff or message indented below.
    LineRule("tasty_fail", r"^\s+\S.*:\s+FAIL(?: \([\d.]+s\))?$", "header", 7, "none", "cont"),
    # hspec: "expected: 1" / " but got: 2" under the failing example.
    LineRule("hspec_expected", r"^\s+(?:expected|but got): \S", "error", 5, "para", "none"),
    # Julia's Test stdlib
    LineRule(
        "julia_test_failed",
        r"^(?:Test Failed|Error During Test) at \S+:\d+",
        "error",
        7,
        "none",
        "cont",
    ),
    # PHP_CodeSniffer: "FOUND 2 ERRORS AFFECTING 1 LINE", then " 12 | ERROR | message".
    LineRule(
        "phpcs_found",
        r"^FOUND \d+ ERRORS?(?: AND \d+ WARNINGS?)? AFFECTING \d+ LINES?",
        "header",
        6,
        "none",
        "section",
    ),
    LineRule("phpcs_item", r"^\s*\d+ \| (?:ERROR|WARNING) \| ", "error", 5, "none", "cont"),
    # Pester (PowerShell)
    LineRule("pester_failed", r"^\s*\[-\] \S", "error", 7, "none", "para"),
    # Perl / TAP harness
    LineRule("perl_failed_test", r"^#\s+Failed test ", "error", 7, "none", "cont"),
    LineRule("perl_missing_module", r"^Can't locate \S+ in @INC", "error", 7, "none", "para"),
    LineRule("perl_dubious", r"Dubious, test returned \d+", "error", 5, "none", "cont"),
    LineRule(
        "perl_compilation",
        r"Compilation failed in require|BEGIN failed--compilation aborted",
        "error",
        6,
        "para",
        "none",
    ),
    # A test script that died: its message (a die has no failure word of its own) is the line
    # just above Test::More's note, so the block grows up over it.
    LineRule(
        "perl_died",
        r"^#? ?Looks like your test (?:exited with [1-9]\d* |died )just after \d+",
        "summary",
        2,
        "para",
        "none",
    ),
    LineRule(
        "perl_looks_like",
        r"^#? ?Looks like (?:you failed \d+|your test exited with [1-9])",
        "summary",
        2,
        "none",
        "none",
    ),
    LineRule("tap_failed_subtests", r"^Failed \d+/\d+ (?:subtests|test programs)", "summary", 3),
    LineRule("tap_result", r"^Result: FAIL$|^Files=\d+, Tests=\d+", "closer", 1, "none", "none"),
    # Vader (Vim plugins): a failed case is marked (X), the error's origin indented under it
    LineRule("vader_failed", r"^\s*\(\d+/\d+\) \[[A-Z ]+\] \(X\) ", "error", 6, "none", "cont"),
    # Vim's own errors, in any test runner's output (themis, vspec, a plain `vim -es` script):
    # "Error detected while processing function x:" / "line   12:" / "E117: Unknown function: y"
    LineRule("vim_error_source", r"^Error detected while processing ", "header", 4, "none", "para"),
    LineRule("vim_error", r"^\s*(?:Vim(?:\(\w+\))?:)?E\d{1,4}: \S", "error", 6, "para", "none"),
    # R
    LineRule("r_error_in", r"^Error(?: in .*)?: ", "error", 6, "para", "para"),
    LineRule("r_check", r"^\* checking .* \.\.\. (?:ERROR|WARNING)$", "error", 5, "none", "para"),
    # R CMD check quotes the end of the failing tests' output under this line.
    LineRule("r_last_lines", r"^\s*Last \d+ lines of output:$", "header", 6, "none", "cont"),
    LineRule("r_quitting", r"^Quitting from lines \d+-\d+ \(", "error", 5, "none", "para"),
    LineRule("r_halted", r"^Execution halted$", "closer", 0.5, "none", "none"),
    # installing a package from source: R's own verdicts ("ERROR: dependency ‘xml2’ is not
    # available for package ‘pkg’", "installation of package ‘xml2’ had non-zero exit status")
    LineRule(
        "r_install_failed",
        r"^ERROR: (?:dependenc(?:y|ies) .* (?:is|are) not available for package"
        r"|(?:configuration|compilation|lazy loading) failed for package)"
        r"|installation of package .* had non-zero exit status",
        "error",
        6,
        "none",
        "none",
    ),
    # testthat: "── 1. Failure: name (@test-a.R#6)", testthat 3's "── Failure (test-a.R:6): x ──";
    # without a UTF-8 locale the rule is drawn with "--"
    LineRule(
        "testthat_failure",
        r"^\s*(?:(?:──|--) )?\d+\. (?:Failure|Error)\b|^\s*(?:──|--) (?:Failure|Error) \("
        # the progress reporter's live report draws no rule: "Failure ('test-a.R:3:5'): x"
        r"|^(?:Failure|Error) \('[^'\s]+:\d+(?::\d+)?'\): ",
        "error",
        7,  # names the test, like the other frameworks' failed-test lines
        "none",
        "para",
    ),
    # Haskell doctest and friends: "### Failure in src/A.hs:12: expression `f 1'"
    LineRule("doctest_failure", r"^### (?:Failure|Error) in ", "error", 7, "none", "para"),
    # a Haskell program's runtime error names where it was raised: "spec: src/A.hs:(48,13)-(52,20):
    # Missing field in record construction x", "prog: A.hs:12:5-20: Non-exhaustive patterns"
    LineRule(
        "haskell_runtime_error",
        r"^[\w.-]+: \S+\.l?hs:(?:\(\d+,\d+\)-\(\d+,\d+\)|\d+:\d+(?:-\d+)?): \S",
        "error",
        6,
        "none",
        "para",
    ),
    # Erlang compiler, dialyzer and rebar3
    LineRule("erlang_warning", r"^\S+\.[eh]rl:\d+:(?:\d+:)? Warning: ", "error", 3, "none", "cont"),
    LineRule("erlang_location", r"^\S+\.[eh]rl:\d+:(?:\d+:)? \S", "error", 6, "none", "cont"),
    LineRule(
        "rebar3_error",
        r"^===> (?:Error|Failed|Uncaught error|Compiling .* failed|Errors? )",
        "error",
        5,
        "none",
        "para",
    ),
    # Erlang common test / eunit
    LineRule("ct_test_failed", r"==> \S+: FAILED$", "error", 6, "none", "cont"),
    LineRule("ct_run_failed", r"^Test run failed! Reason:$", "header", 6, "none", "para"),
    LineRule("erlang_failed_line", r"^\S+ failed on line \d+$", "error", 6, "none", "para"),
    # eunit names the failed test on its line: "gset: basic_props_test...*failed*"
    LineRule("eunit_test_failed", r"\S\.\.\.\*failed\*$", "error", 7, "none", "para"),
    LineRule("eunit_failed", r"^\s*\*failed\*$|::error:|\*\*error:", "error", 5, "header", "cont"),
    # a banner of failure words between stars, the detail under it: eunit's "*** context setup
    # failed ***", "*** error reading file ***"; R's "*** caught segfault ***" (not a make
    # recipe's "*** prove ***")
    LineRule(
        "starred_banner",
        r"^\*\*\* (?:caught [a-z]+(?: [a-z]+)?|[a-z ]*(?:error|failed|not found|aborted|timed out)"
        r"[a-z ]*) \*\*\*$",
        "error",
        6,
        "none",
        "para",
    ),
)

SCAN_TERMS: tuple[str, ...] = (
    r"TEST-UNEXPECTED-",
    r"PROCESS-CRASH",
    r"\] \(X\) ",
    r"Error detected while processing",
    r"(?-i:(?m:^)\s*(?:Vim(?:\(\w+\))?:)?E\d{1,4}: )",
    r"Failure",
    r"Failed",
    r"failures?",
    r"rspec \./",
    r"examples?, \d",
    r"rake aborted",
    r"Error",
    r"\*\* \(",
    r"\d\) test ",
    r"Assertion",
    r"Expected truthy",
    r"(?-i:There (?:was|were) \d)",
    r"FAILURES!|ERRORS!",
    r"Tests: \d",
    r"(?-i:Fatal error|Parse error|Warning: )",  # PHP and Erlang write them so
    r"Dubious",
    r"Result: FAIL|Files=\d",
    r"Execution halted",
    r"not available for package|failed for package|had non-zero exit status",
    r"\.\.\. (?:ERROR|WARNING)",
    r"failed on line",
    r"\*failed\*",
    r"(?-i:(?m:^)\*\*\* [a-z])",
    r"\.l?hs:[(\d]",
    r"\[-\] ",
    r":in [`'][^'\n]*': ",  # the error line, not every frame of the backtrace
    r"Compilation error",
    r"Can't locate",
    r"Could not find|could not find compatible",
    r"cucumber ",
    r"Liquid ",
    r"HTML-Proofer",
    r"### (?:Failure|Error) in ",
    r"\.[eh]rl:\d",
    r"===> (?:Error|Failed|Uncaught)",
    r"Looks like ",
    r"An error occurred",
    r"lines of output|Quitting from lines",
    r"==> \S+: FAILED|Test run failed",
    r"expected: |but got: ",
    r"Test Failed at|Error During Test",
    r"AFFECTING \d|\d \| (?:ERROR|WARNING) \| ",
)
