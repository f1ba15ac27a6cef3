"""Words any tool uses when it fails; the last resort after the specific families."""

from __future__ import annotations

import re

from knownfix.core.extract.rules.base import LineRule

_I = re.IGNORECASE

RULES: tuple[LineRule, ...] = (
    LineRule("apt_error", r"^E: \S", "error", 6, "none", "para"),
    LineRule(
        "tool_error",
        r"^[\w.\-/]+: (?:fatal )?(?:error|ERROR|Error)\b",
        "error",
        6,
        "none",
        "cont",
    ),
    LineRule("command_not_found", r"(?:command not found|: not found$)", "error", 6),
    # A tool refusing its command line prints this first, then its whole usage text.
    LineRule(
        "usage_error",
        r"\b(?:[Ii]llegal|[Uu]nknown|[Ii]nvalid|[Uu]nrecognized|[Uu]nsupported) "
        r"(?:command[- ]line )?(?:switch|option|argument|flag|parameter)s?\b",
        "error",
        5,
        "none",
        "none",
    ),
    LineRule(
        "no_such_file", r"No such file or directory|cannot access|Permission denied", "error", 5
    ),
    LineRule(
        "signal",
        r"Segmentation fault|core dumped|\bKilled\b|Bus error|Aborted \(|Access violation"
        r"|Illegal instruction|Floating point exception|Stack overflow\b"
        # a browser or a runner's host process the job ran died (Cypress, Karma, dotnet test,
        # a test harness's "application crashed")
        r"|\b(?:process|application|program) (?:has |just )?crashed\b",
        "error",
        5,
    ),
    LineRule(
        "generic_assertion",
        r"\bAssertion(?:Error)?\b|\bassert(?:ion)? failed\b",
        "error",
        5,
        flags=_I,
    ),
    LineRule(
        "generic_expected",
        r"\bexpected\b.*\b(?:got|but (?:was|got|is)|actual|received|instead)\b",
        "error",
        5,
        flags=_I,
    ),
    LineRule(
        "lint_finding",
        r"^\S+:\d+:\d+: (?:[A-Z]{1,3}\d{2,4}\b|[CWEFR]: |\[?(?:error|warning)\]? )",
        "error",
        5,
        "none",
        "para",
    ),
    LineRule("lint_offenses", r"^Offenses:$", "header", 4, "none", "section"),
    LineRule("xunit_fail", r"\[FAIL\]$", "error", 7, "none", "section"),
    LineRule(
        "status_suffix",
        r"\s(?:FAIL|FAILED|ERROR|ERRORED)(?: \([\d.]+ ?m?s\))?\s*$",
        "error",
        4,
        "none",
        "cont",
    ),
    LineRule("failed_suffix", r"\S\s+(?:failed|errored|crashed)[.!]?$", "error", 4, "none", "para"),
    LineRule("generic_fatal", r"\bfatal\b", "error", 4, flags=_I),
    LineRule(
        "generic_error_prefix", r"^\s*(?:\[\w+\]\s*)?(?:ERROR|Error|error)\b\s*[:!\]]", "error", 4
    ),
    LineRule(
        "generic_fail_prefix", r"^(?:FAIL|FAILED|FAILURE|Failure|Failed)\b\s*[:!]?", "error", 6
    ),
    LineRule(
        "generic_fail_indented", r"^\s+(?:FAIL|FAILED|FAILURE|Failure|Failed)\b\s*[:!]?", "error", 4
    ),
    LineRule("generic_exception", r"\bexception\b", "error", 3, flags=_I),
    LineRule("generic_error", r"\berrors?\b", "error", 2.5, flags=_I),
    LineRule("generic_fail", r"\bfail(?:s|ed|ure|ures|ing)?\b", "error", 2.5, flags=_I),
    LineRule(
        "generic_cannot",
        r"\b(?:cannot|can't|could not|couldn't|unable to)\b",
        "error",
        2.5,
        flags=_I,
    ),
    LineRule("generic_not_found", r"\bnot found\b|\bdoes not exist\b", "error", 2.5, flags=_I),
    LineRule("generic_timeout", r"\btimed out\b|\btimeout\b", "error", 2.5, flags=_I),
    LineRule(
        "generic_denied", r"\bdenied\b|\brefused\b|\bunauthori[sz]ed\b", "error", 2.5, flags=_I
    ),
    LineRule("generic_cross", r"[✖✗✘✕]", "error", 5),
    LineRule("generic_error_word", r"error|fail|exception", "error", 1, flags=_I),
)

SCAN_TERMS: tuple[str, ...] = (
    r"(?-i:(?m:^)E: )",
    r"assert(?:ion)? failed",  # "Assertion" is a term of the test families
    r"expected[^\n]*(?:got|but |actual|received|instead)",
    r"fatal",
    r"error",
    r"fail",
    r"exception",
    r"cannot|can't|could not|couldn't|unable to",
    r"not found|does not exist",
    r"timed out|timeout\b",
    r"denied|refused|unauthori[sz]ed",
    r"✖|✗|✘|✕",
    r":\d+:\d+: ",
    r"Offenses:",
    r"crashed",
    r"(?:illegal|unknown|invalid|unrecognized|unsupported) (?:command[- ]line )?"
    r"(?:switch|option|argument|flag|parameter)",
)
