"""Unambiguous failure markers: they win over the benign wording that may follow them.

A TAP line "not ok 6 no errors" reports a failing test whose name happens to say "no errors";
a Surefire line "Tests run: 5, Failures: 1, Errors: 0" reports a failure despite its zero.
"""

from __future__ import annotations

from knownfix.core.extract.rules.base import LineRule

RULES: tuple[LineRule, ...] = (
    LineRule("tap_not_ok", r"^\s*not ok \d+", "error", 6, "none", "cont"),
    # Surefire's per-class line: the failing tests' reports follow it.
    LineRule(
        "surefire_class_failure",
        r"Tests run: \d+.*<<< (?:FAILURE|ERROR)!(?: - in \S+)?$",
        "header",
        6,
        "none",
        "cont",
    ),
    LineRule(
        "surefire_counts_failed",
        r"^(?:\[\w+\] )?Tests run: \d+, Failures: (?:[1-9]|\d+, Errors: [1-9])",
        "summary",
        1.5,
        "none",
        "none",
    ),
    # testthat's and rcmdcheck's own last words say that tests or checks failed, never which or
    # why; they must not read as the error they look like (Node's "Error: …")
    LineRule(
        "testthat_summary",
        r"^\s*Error: (?:testthat unit tests failed|Test failures"
        r"|R CMD check found (?:ERRORs|WARNINGs|NOTEs))$|^\s*\[ FAIL [1-9]\d* \| ",
        "summary",
        1.5,
        "none",
        "none",
    ),
    # HTML-Proofer lists each broken link under its file ("failed: 404 No error").
    LineRule(
        "htmlproofer_item",
        r"^\s+\*  \S.*\b(?:failed|does not exist|does not have|not found|is empty|is invalid)\b",
        "error",
        5,
        "para",
        "none",
    ),
)

SCAN_TERMS: tuple[str, ...] = (r"not ok ", r"Tests run: ", r"\[ FAIL \d")
