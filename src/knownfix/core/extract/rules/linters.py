"""Linters and formatters: their findings are paths and codes, rarely failure words.

pre-commit, black, isort, prettier, tslint, jshint, flow, markdownlint, checkstyle, cppcheck,
luacheck, vint, shellcheck; security scanners (bandit, gitleaks, trivy) and the advisories they
cite.
"""

from __future__ import annotations

from knownfix.core.extract.rules.base import LineRule

RULES: tuple[LineRule, ...] = (
    # Security scanners: a finding's header, a secret scanner's count, an image scan's total.
    LineRule("bandit_issue", r"^>> Issue: \[B\d{3}:", "error", 6, "none", "para"),
    LineRule("secret_leaks", r"\bleaks found: [1-9]", "error", 6, "none", "none"),
    LineRule("trivy_total", r"^Total: [1-9]\d* \((?:UNKNOWN|LOW|MEDIUM|HIGH|CRITICAL)", "error", 5,
             "none", "section"),
    # An advisory id: weak (below a failure word), so an install's audit note never outranks
    # the real failure, nor turns a passing run into a failed one.
    LineRule(
        "advisory_id",
        r"\b(?:CVE-\d{4}-\d{4,}|GHSA(?:-[0-9a-z]{4}){3}|RUSTSEC-\d{4}-\d{4}|PYSEC-\d{4}-\d+)\b",
        "error",
        2,
    ),
    # pre-commit: one dotted line per hook; a failed hook's id, exit code and output follow.
    LineRule("precommit_failed", r"^[^.]+\.{4,}\s*Failed\s*$", "summary", 3, "none",
             "section"),
    # black: one line per file it would change, then a summary and "Oh no!".
    LineRule("black_file", r"^would reformat \S", "error", 5, "none", "none"),
    LineRule(
        "black_summary",
        r"^\d+ files? would be reformatted|^Oh no! 💥",
        "closer",
        1,
        "none",
        "none",
    ),
    LineRule(
        "isort_file",
        r"^ERROR: \S+ Imports are incorrectly sorted",
        "error",
        5,
        "none",
        "none",
    ),
    # prettier --check names the files above this line.
    LineRule(
        "prettier_check",
        r"Code style issues (?:found in (?:the above file|\d+ files?)|were found)",
        "error",
        5,
        "chain",
        "none",
    ),
    LineRule("tslint_finding", r"^(?:ERROR|WARNING): \S+\[\d+, \d+\]: \S", "error", 6, "none"),
    LineRule("jshint_finding", r"^\S+: line \d+, col \d+, \S", "error", 5, "none", "none"),
    LineRule("flow_error", r"^Error -{5,} \S+:\d+:\d+$", "error", 6, "none", "para"),
    LineRule(
        "markdownlint_finding",
        r"^\S+(?::| ?: ?)\d+(?::\d+)? MD\d{3}/|^\S+: \d+: MD\d{3}/",
        "error",
        5,
        "none",
        "none",
    ),
    LineRule(
        "checkstyle_finding",
        r"^\[ant:checkstyle\] \[(?:ERROR|WARN)\] \S+:\d+",
        "error",
        6,
        "none",
        "none",
    ),
    LineRule(
        "checkstyle_found",
        r"^Checkstyle rule violations were found|^You have \d+ Checkstyle violations?",
        "closer",
        1,
        "none",
        "none",
    ),
    LineRule("cppcheck_finding", r"^\[\S+:\d+\]: \((?:error|warning)\) ", "error", 6, "none"),
    LineRule("luacheck_finding", r"^\s*\S+:\d+:\d+: \([EW]\d{3}\) ", "error", 5, "none", "none"),
    LineRule("vint_finding", r"^\S+\.vim:\d+:\d+: \S", "error", 5, "none", "none"),
    # shellcheck: "In file line 12:", the code, then "^-- SC2086: ..." under it.
    LineRule("shellcheck_in", r"^In \S+ line \d+:$", "header", 6, "none", "para"),
    LineRule("shellcheck_code", r"^\s*\^-*\s*SC\d{4}\b", "error", 5, "chain", "none"),
)

SCAN_TERMS: tuple[str, ...] = (
    r"\.{4}[ \t]*Failed",
    r">> Issue: \[B",
    r"leaks found",
    r"Total: \d+ \(",
    r"CVE-\d|GHSA-|RUSTSEC-|PYSEC-",
    r"would reformat|would be reformatted|Oh no! ",
    r"incorrectly sorted",
    r"Code style issues",
    r"\[\d+, \d+\]: |\d\]: \(",
    r"line \d+, col \d+",
    r"Error -----",
    r"MD\d\d\d/",
    r"checkstyle\]|checkstyle (?:rule )?violation",
    r"\([EW]\d\d\d\) ",
    r"\.vim:\d",
    r"(?-i:(?m:^)In \S+ line \d+:)",
    r"SC\d\d\d\d",
)
