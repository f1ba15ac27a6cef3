"""Lines that use failure words without reporting a failure: skips, passes, zero counts.

They come right after the CI markers, before every family, so that "SKIPPED: could not import
pandas" or "0 errors" never anchors a block.
"""

from __future__ import annotations

import re

from knownfix.core.extract.rules.base import LineRule

_I = re.IGNORECASE

RULES: tuple[LineRule, ...] = (
    # "-Werror" turns the warnings above into the failure: the line closes their output.
    LineRule(
        "werror",
        r"Failing due to -Werror|warnings? (?:being |are )?treated as errors",
        "closer",
        1,
        "none",
        "none",
        _I,
    ),
    LineRule(
        "skipped",
        r"^\s*(?:SKIP(?:PED)?|XFAIL|XPASS|PENDING)\b|\bXFAIL\b|\bxfail(?:ed)?\b"
        r"|\bskipp(?:ed|ing)\b[:(]|\bskipped\b (?:because|due)",
        "benign",
        0,
        "none",
        "none",
    ),
    LineRule(
        "passed",
        r"^\s*(?:✓|✔|√|ok \d+\b|PASS\b|PASSED\b|\[\s*(?:PASS|OK)\s*\])|\bPASSED\s*$"
        r"|^\s*--- (?:PASS|SKIP):|^=== (?:RUN|PAUSE|CONT|NAME)\b|^ok\s+\S+\s+[\d.]+s",
        "benign",
        0,
        "none",
        "none",
    ),
    LineRule(
        "zero_counts",
        r"\b(?:0|no) (?:errors?|failures?|failed|failing)\b"
        r"|\berrors?:? 0\b|\bfail(?:ed|ures?|s)?:? 0\b"
        r"|\bfail-fast\b|--fail|\berror_reporting\b|\bErrorProne\b|\bonerror\b"
        r"|error[-_]?(?:page|handler|log|prone|_?codes?)\b",
        "benign",
        0,
        "none",
        "none",
        _I,
    ),
    # A compiler invocation echoed by make: "cc -c src/error.c" names a file, not a failure.
    LineRule(
        "compiler_command",
        r"^(?:\S*/)?(?:cc|c\+\+|gcc|g\+\+|clang|clang\+\+|javac|rustc|nvcc|ld|ar)(?:-[\d.]+)?"
        r"\s+-\S",
        "benign",
        0,
        "none",
        "none",
    ),
    # autoconf warns and goes on ("configure: WARNING: unrecognized options: --with-x").
    LineRule("configure_warning", r"configure: WARNING: ", "benign", 0, "none", "none"),
    LineRule(
        "deprecation",
        r"(?:Deprecation|PendingDeprecation|Future)Warning\b|\bdeprecated\b|\bDEPRECATION\b",
        "benign",
        0,
        "none",
        "none",
        _I,
    ),
)

SCAN_TERMS: tuple[str, ...] = (r"Werror|treated as errors",)
