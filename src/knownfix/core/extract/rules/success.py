"""Lines that report success: a job that ended well, a test run or check with nothing failed.

They never explain a failure; they tell how a job ended (``core/extract/outcome.py``). Three
kinds, by the rule name's prefix:

job_passed  the CI system's own verdict that the job succeeded (GitLab, Travis, Jenkins,
            Taskcluster). CircleCI's "Success!" ends a *step*, not the job: it is no verdict.
job_ended   the CI system's last words, which it prints whether the job passed or failed: the
            job passed only if nothing in the log failed it (GitHub Actions, Azure Pipelines)
passed      a tool's summary with nothing failed: ``4 passed in 1.87s``, ``BUILD SUCCESS``,
            ``test result: ok.``, ``ok  pkg 0.01s``, an exit status of 0

Patterns only match summaries whose counts of failures and errors are absent or zero: a line
that reports one failure is never a success line (``Tests: 1 failed, 3 passed`` is not).
"""

from __future__ import annotations

import re

from knownfix.core.extract.rules.base import LineRule

_I = re.IGNORECASE


def _passed(name: str, pattern: str, flags: int = 0) -> LineRule:
    return LineRule(name, pattern, "pass", 0, "none", "none", flags)


# "4 passed, 1 rerun": a test that needed a rerun is flaky, and a job may fail on it
# (pytest-rerunfailures with --fail-on-flaky): not a clean pass.
_COUNT = r"\d+ (?:skipped|deselected|xfailed|xpassed|warnings?|todo|pending|passed)"

# A summary made only of counts, none of them a failure: "14 tests, 0 failures" (ExUnit),
# "Tests: succeeded 9, failed 0, canceled 0" (ScalaTest), "ok=3 changed=0 failed=0" (Ansible),
# "Tests  16 passed (16)" (Vitest), "11 passed (9.8s)" (Playwright). Runners word their
# summaries in many ways but always as counts; one rule reads them all. A line with a non-zero
# failure count ("1 failed | 15 passed") holds an item no alternative accepts, so it never
# matches. Some item must say that something passed, or a count of what ran must stand beside
# a zero count of failures: "0 errors" alone is no summary of a run (it stays benign).
_GOOD_WORD = r"(?:passed|passing|succeeded|successful|ok)"
_RAN_WORD = (
    r"(?:tests?|examples?|specs?|scenarios?|assertions?|checks?|files?|suites?|runs?|doctests?"
    r"|properties|total|executed|completed)"
)
_OTHER_WORD = (
    r"(?:skipped|skips|pending|ignored|cancell?ed|deselected|xfailed|xpassed|todo|warnings?"
    r"|changed|unchanged|rescued)"
)
_BAD_WORD = (
    r"(?:failed|failures?|failing|errors?|errored|broken|aborted|unreachable|crashed|timeouts?"
    r"|unexpected)"
)


def _count(word: str) -> str:
    return rf"(?:\d+ {word}|{word}[:=]? ?\d+)"


_GOOD = _count(_GOOD_WORD)
_RAN = _count(_RAN_WORD)
_NO_FAILURE = rf"(?:0 {_BAD_WORD}|{_BAD_WORD}[:=]? ?0)"
_ITEM = (
    rf"(?:{_GOOD}|{_RAN}|{_count(_OTHER_WORD)}|{_NO_FAILURE}"
    r"|\(\d+(?:\.\d+)?\s?(?:ms|s|m|h|sec|seconds)?\)|in \d+(?:\.\d+)?\s?(?:ms|s|sec|seconds))"
)
_SEP = r"(?:\s*[,;|]\s*|\s+)"
_ITEMS = rf"(?:{_SEP}{_ITEM})*"
_LABEL = r"(?:\[\w+\]\s+)?(?:[A-Za-z][\w.-]*(?: [A-Za-z][\w.-]*){0,2}\s*:?\s+)?"
_RUN = (
    rf"(?:{_ITEM}{_SEP})*(?:{_GOOD}|{_RAN}{_ITEMS}{_SEP}{_NO_FAILURE}|{_NO_FAILURE}{_ITEMS}{_SEP}{_RAN})"
)
COUNTS_ONLY = rf"^\s*{_LABEL}{_RUN}{_ITEMS}\s*\.?\s*$"

RULES: tuple[LineRule, ...] = (
    # The CI system's verdict.
    _passed("job_passed_gitlab", r"^Job succeeded\s*$"),
    _passed("job_passed_travis", r"^Done\. Your build exited with 0\.?\s*$"),
    _passed("job_passed_jenkins", r"^Finished: SUCCESS\s*$"),
    _passed("job_passed_taskcluster", r"^Successful task run with exit code: 0\b"),
    _passed("job_ended_github", r"^Cleaning up orphan processes\s*$"),
    _passed("job_ended_azure", r"^##\[section\]Finishing: \S"),
    # Exit statuses of 0 that wrappers print.
    _passed(
        "passed_exit_zero",
        r"^The command \".*\" exited with 0\.?$"
        r"|\b(?:exited|finished|completed|terminated|returned) with (?:exit )?(?:code|status)"
        r"[: ]+0\b"
        r"|\bexit (?:code|status)[: ]+0\.?\s*$|^Process exited with (?:exit )?code 0",
        _I,
    ),
    # Test runners: pytest, unittest, Jest, Mocha, RSpec, Minitest, PHPUnit, go test, cargo,
    # Surefire, Gradle, CTest, dotnet test, TAP, xcodebuild.
    _passed(
        "passed_pytest",
        rf"^=*\s*(?:{_COUNT}, )*\d+ passed(?:, {_COUNT})*(?: in [\d.]+s\b.*)?\s*=*\s*$",
    ),
    _passed(
        "passed_unittest",
        r"^OK(?: \((?:skipped|expected failures|unexpected successes)=\d+"
        r"(?:, \w+(?: \w+)?=\d+)*\))?\s*$",
    ),
    _passed(
        "passed_jest",
        r"^Test(?:s| Suites):\s+(?:\d+ (?:skipped|todo|passed), )*\d+ passed, \d+ total",
    ),
    _passed("passed_mocha", r"^\s*\d+ passing \(\d+(?:\.\d+)?\s*(?:ms|s|m|h)\)\s*$"),
    _passed("passed_rspec", r"^\d+ examples?, 0 failures(?:, \d+ pending)?\s*$"),
    _passed(
        "passed_minitest",
        r"^\d+ (?:runs|tests), \d+ assertions, 0 failures, 0 errors(?:, \d+ skips)?",
    ),
    _passed("passed_phpunit", r"^OK \(\d+ tests?, \d+ assertions?\)"),
    _passed(
        "passed_go", r"^ok\s+\S+\s+(?:\(cached\)|[\d.]+s)(?:\s+coverage: .*)?\s*$|^PASS\s*$"
    ),
    _passed("passed_cargo", r"^test result: ok\. \d+ passed; 0 failed"),
    _passed(
        "passed_surefire",
        r"^(?:\[\w+\] )?Tests run: \d+, Failures: 0, Errors: 0\b(?:, Skipped: \d+)?\s*$",
    ),
    _passed(
        "passed_build",
        r"^(?:\[INFO\] )?BUILD SUCCESS(?:FUL)?\b"
        r"|^\*\* (?:BUILD|TEST|ARCHIVE|ANALYZE) SUCCEEDED \*\*",
    ),
    _passed("passed_ctest", r"^100% tests passed, 0 tests failed out of \d+"),
    _passed(
        "passed_dotnet",
        r"^Passed!\s+- Failed:\s+0, |^Build succeeded\.\s*$|^Test Run Successful\.\s*$",
    ),
    _passed("passed_tap", r"^All tests successful\.|^Result: PASS\s*$|^# fail\s+0\s*$"),
    _passed(
        "passed_count",
        r"^\s*(?:All )?\d+ tests? (?:passed|succeeded|OK)\b[^,;(]*$|^\s*All tests passed\b",
        _I,
    ),
    # Checkers, builders and deployers that print a verdict.
    _passed("passed_mypy", r"^Success: no issues found in \d+ source files?"),
    _passed("passed_ruff", r"^All checks passed!\s*$"),
    _passed("passed_rubocop", r"^\d+ files? inspected, no offenses detected"),
    _passed(
        "passed_cargo_build",
        r"^\s*Finished (?:`\w+` profile|dev|release|test|bench) \[.*\] target\(s\) in ",
    ),
    _passed(
        "passed_terraform",
        r"^Apply complete! Resources: |^No changes\. Your infrastructure matches"
        r"|^Success! The configuration is valid",
    ),
    _passed(
        "passed_docker", r"^Successfully (?:built|tagged) \S|^#\d+ naming to \S+ (?:[\d.]+s )?done$"
    ),
    _passed("passed_kubernetes", r"\bsuccessfully rolled out\s*$"),
    _passed("passed_helm", r"^STATUS: deployed\s*$"),
    _passed(
        "passed_formatter",
        r"^All done! ✨|^\d+ files? (?:would be )?left unchanged\.?\s*$"
        r"|^Your code has been rated at 10\.00/10",
    ),
    _passed(
        "passed_build_tool",
        r"^\[success\] Total time: |^Build complete!|^INFO: Build completed successfully"
        r"|^Test Suite '.+' passed at ",
    ),
    _passed(
        "passed_hooks", r"^[^.]+\.{4,}\s*(?:\(no files to check\)\s*)?(?:Passed|Skipped)\s*$"
    ),
    _passed(
        "passed_all",
        r"(?:^|[:\]>✓✔]\s*)All (?:\d+ )?(?:tests|specs|checks|examples|suites)(?: have)? passed\b",
        _I,
    ),
    _passed(
        "passed_tests_executed",
        r"^\s*Executed \d+ tests?, with 0 failures\b"
        r"|^Executed \d+ out of \d+ tests?: \d+ tests? pass(?:es)?\.?\s*$",
    ),
    _passed("passed_counts", COUNTS_ONLY, _I),
)

SCAN_TERMS: tuple[str, ...] = (
    r"Job succeeded",
    r"Your build exited with 0",
    r"Finished: SUCCESS",
    r"Successful task run",
    r"Cleaning up orphan processes",
    r"##\[section\]Finishing",
    r"(?:code|status)[: ]+0",
    r"exited with 0",
    r"\d passed",
    r"(?-i:\bOK(?: \((?:skipped|expected|unexpected)|[ \t]*(?m:$)))",
    r"passing \(",
    r", 0 failures",
    r"OK \(\d",
    r"\bok[ \t]+\S+[ \t]+(?:\(cached\)|[\d.]+s)|(?-i:\bPASS[ \t]*(?m:$))",
    r"test result: ok",
    r"Failures: 0, Errors: 0",
    r"BUILD SUCCESS|SUCCEEDED \*\*",
    r"0 tests failed",
    r"Passed!|Build succeeded|Test Run Successful",
    r"All tests successful|Result: PASS|# fail",
    r"tests? (?:passed|succeeded|OK)|All tests passed",
    r"Success: no issues|All checks passed|no offenses detected",
    r"Finished (?:`|dev|release|test|bench)",
    r"Apply complete|No changes\.|configuration is valid",
    r"Successfully (?:built|tagged)|naming to",
    r"successfully rolled out",
    r"STATUS: deployed",
    r"All done!|left unchanged|rated at 10\.00",
    r"\[success\] Total time|Build complete|' passed at ",
    r"\.{4}[ \t]*(?:\(no files to check\)[ \t]*)?(?:Passed|Skipped)",
    r"(?:tests|specs|checks|examples|suites)(?: have)? passed",
    r"Executed \d+ (?:tests?, with 0|out of)",
    r"(?:0 (?:failed|failures?|failing|errors?|errored|broken|aborted|unreachable|crashed)"
    r"|(?:failed|failures?|failing|errors?|errored|broken|aborted|unreachable|crashed|timeouts?"
    r"|unexpected)[:=]? ?0)\b|\d (?:passing|succeeded|successful)\b"
    r"|(?:passed|passing|succeeded|successful)[:=]? ?\d",
)
"""Case-insensitive terms of the scan (see ``rules/__init__``); none crosses a line end."""
