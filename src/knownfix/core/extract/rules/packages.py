"""Package managers and document checkers whose failures carry few failure words: Composer,
CocoaPods, YAML parsers."""

from __future__ import annotations

from knownfix.core.extract.rules.base import LineRule

RULES: tuple[LineRule, ...] = (
    # Composer: the solver's report; its "Problem N" items say which package clashes.
    LineRule(
        "composer_unresolvable",
        r"^\s*Your requirements could not be resolved to an installable set of packages",
        "header",
        6,
        "none",
        "section",
    ),
    LineRule("composer_problem", r"^\s+Problem \d+$", "header", 5, "none", "para"),
    # CocoaPods: "pod lib lint" findings ("[!]" lines are notices as often as errors).
    LineRule("cocoapods_error", r"^\s*- ERROR \| ", "error", 6, "none", "cont"),
    LineRule("cocoapods_warn", r"^\s*- WARN\s+\| ", "error", 3.5, "none", "cont"),
    # YAML parsers (Psych, libyaml, PyYAML) report a syntax error with its position.
    LineRule(
        "yaml_syntax",
        r"\b(?:did not find expected|could not find expected|found unexpected|found character"
        r"|mapping values are not allowed)\b.*\b(?:at )?line \d+,? column \d+",
        "error",
        6,
        "none",
        "cont",
    ),
)

SCAN_TERMS: tuple[str, ...] = (
    r"Your requirements",
    r"Problem \d",
    r"(?:ERROR|WARN)[ \t]+\| ",
    r"find expected|found unexpected|found character|mapping values",
)
