"""A runbook's response matrix as a policy: one rule per failure type, before the base rules.

A row says "Schema Validation | Critical | Immediate | Block merge". Its matchers come from the
failure type's words: each word is lightly stemmed ("validation" → "valid") and looked up in
:data:`SYNONYMS`, a small table of phrases that mean the same failure in logs ("Security" →
vulnerability, CVE ...). The whole phrase always matches. Generic words ("detection",
"validation", "issues") count only inside the whole phrase, so "Schema Validation" is about
schemas and "Drift Detection" is about drift; words the table does not know ("API", "Feature")
count alone only when no word of the type is known. A type made only of catch-all words
("Other", "General") sets the policy's default decision.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knownfix.core.policy.patterns import literal_pattern
from knownfix.core.policy.rules import Conditions, Policy, Rule
from knownfix.core.policy.values import normalize_severity
from knownfix.core.records import PolicyRow, TriageDecision
from knownfix.errors import PolicyError

_FAIL = (
    r"(fail\w*|invalid|error\w*|mismatch\w*|violat\w*|missing|not met|not found|corrupt\w*"
    r"|does not (match|conform))"
)

# Stemmed word → patterns that mean that failure in logs. Keys are stems (see _stem).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "schema": (
        rf"\bschemas?\b[^\n]{{0,60}}\b{_FAIL}",
        rf"\b{_FAIL}[^\n]{{0,60}}\bschemas?\b",
        r"\bjsonschema\b",
        r"\bis a required property\b",
        r"\bAdditional properties are not allowed\b",
        r"\brequired field[^\n]{0,20}\bmissing\b",
    ),
    "dataset": (rf"\bdata[ _-]?sets?\b[^\n]{{0,60}}\b{_FAIL}", r"\bsample count\b"),
    "data": (rf"\bdata\b[^\n]{{0,60}}\b{_FAIL}",),
    "integrity": (
        r"\bintegrity\b",
        r"\b(checksum|hash|digest|sha-?256|md5)s?\b[^\n]{0,40}\b(mismatch|fail\w*|invalid)",
        r"\bcorrupt\w*",
        r"\bmanifest\b[^\n]{0,40}\b(mismatch|missing)",
    ),
    "secur": (
        r"\bsecurity\b", r"\bvulnerab\w*", r"\bCVE-\d{4}-\d+", r"\bGHSA-", r"\bbandit\b",
        r"\bsecrets? (detected|found)\b",
    ),
    "supply chain": (
        r"\bsupply[ _-]?chain\b", r"\bSBOM\b", r"\bsigning\b", r"\bsignature\b[^\n]{0,40}\bfail",
        r"\bprovenance\b", r"\battestation\b", r"\bsigstore\b|\bcosign\b",
    ),
    "drift": (r"\bdrift\w*",),
    "perf": (r"\bperformance\b", r"\bperf\b"),
    "perform": (
        r"\bperformance\b", r"\bperf\b", r"\bslow(er|down)?\b", r"\bthroughput\b", r"\blatency\b",
    ),
    # No "timeout" here: a plain timeout is better told apart by the base policy's timeout rule.
    "regress": (r"\bregress\w*", r"\bbeyond (the )?tolerance\b", r"\bslower than\b"),
    "benchmark": (r"\bbenchmark\w*",),
    "latenc": (r"\blatenc\w*", r"\bp(50|9[059])\b[^\n]{0,40}\bms\b", r"\bresponse time\b"),
    "docs": (r"\bdocs?\b[^\n]{0,40}\b(fail\w*|error\w*|broken|missing)", r"\bdocumentation\b"),
    "document": (
        r"\bdocumentation\b", r"\bdocs?\b[^\n]{0,40}\b(fail\w*|error\w*|broken|missing)",
        r"\bdocstring\w*", r"\bbroken link\w*", r"\bsphinx\b", r"\bmkdocs\b",
        r"\bmarkdown ?lint\b",
    ),
    "depend": (
        r"\bdependenc\w*", r"\bResolutionImpossible\b", r"\bERESOLVE\b",
        r"\bCould not resolve dependencies\b", r"\bfailed to select a version\b",
    ),
    "timeout": (r"\btime ?out\b", r"\btimed out\b", r"\bdeadline exceeded\b"),
    "network": (
        r"\bconnection (refused|reset|timed out)\b", r"\bE(CONNREFUSED|CONNRESET|TIMEDOUT)\b",
        r"\bnetwork\b", r"\bDNS\b", r"\bTLS\b|\bSSL\b",
    ),
    "databas": (r"\bdatabase\b", r"\bmigration\w*", r"\bdeadlock\b", r"\bSQL\w*\b"),
    "migr": (r"\bmigration\w*", r"\balembic\b", r"\bflyway\b"),
    "permiss": (r"\bpermission\w*", r"\bEACCES\b", r"\bAccess denied\b", r"\b403\b"),
    "memor": (r"\bout of memory\b", r"\bOOM\w*", r"\bMemoryError\b", r"\bheap space\b"),
    "disk": (r"\bNo space left on device\b", r"\bdisk (full|quota)\b", r"\bENOSPC\b"),
    "flak": (r"\bflak\w*", r"\bintermittent\w*", r"\brerun passed\b"),
    "lint": (r"\blint\w*", r"\bruff\b", r"\bflake8\b", r"\beslint\b"),
    "compil": (r"\bcompil\w*", r"\bbuild failed\b"),
    "test": (r"\btests? failed\b", r"\bAssertionError\b", r"\bFAILED\b"),
    "config": (r"\bconfig\w*", r"\benvironment variable\b", r"\bModuleNotFoundError\b"),
}

# Words too generic to identify a failure on their own; they count only inside the whole phrase.
WEAK_WORDS = frozenset({
    "detection", "detect", "detected", "validation", "validate", "check", "checks", "gate",
    "gates", "failure", "failures", "failed", "fail", "error", "errors", "issue", "issues",
    "problem", "problems", "alert", "alerts", "quality", "type", "incident", "incidents",
    "test", "tests", "testing", "build", "builds", "job", "jobs", "pipeline", "ci", "run", "runs",
    "and", "or", "the", "of", "in", "a", "an", "for", "with",
})
CATCH_ALL_WORDS = frozenset({
    "other", "others", "general", "misc", "miscellaneous", "unknown", "default", "everything",
    "else", "any", "all", "rest",
})
# Multi-word keys of SYNONYMS, matched before splitting into words.
_PHRASES = tuple(key for key in SYNONYMS if " " in key)
_SUFFIXES = ("ations", "ation", "ities", "ity", "ances", "ance", "ences", "ence", "ions", "ion",
             "ings", "ing", "ies", "ied", "ed", "es", "s", "y")
_WORD = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    """Light suffix stripping: enough to join "validation"/"validate", never below 4 letters."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _known(word: str) -> bool:
    stem = _stem(word)
    return any(key in SYNONYMS for key in (word, stem)) or any(
        " " not in key and stem.startswith(key) for key in SYNONYMS
    )


def _word_patterns(word: str) -> tuple[str, ...]:
    """The synonym entry for ``word`` (exact, else the longest key its stem starts with)."""
    stem = _stem(word)
    for key in (word, stem):
        if key in SYNONYMS:
            return SYNONYMS[key]
    related = [key for key in SYNONYMS if " " not in key and stem.startswith(key)]
    if related:
        return SYNONYMS[max(related, key=len)]
    return (rf"\b{literal_pattern(stem)}\w*",)


def failure_type_patterns(failure_type: str) -> tuple[str, ...]:
    """The regexes that recognise a runbook failure type in a log ("Drift Detection" → drift)."""
    lowered = " ".join(failure_type.lower().split())
    patterns: list[str] = []
    words = _WORD.findall(lowered)
    if len(words) > 1:  # the whole phrase, any separators: "schema validation", "schema_valid"
        patterns.append(r"\b" + r"[\W_]*".join(literal_pattern(_stem(w)) for w in words) + r"\w*")
    for phrase in _PHRASES:
        if re.search(rf"\b{re.escape(phrase)}\b", lowered):
            patterns.extend(SYNONYMS[phrase])
            lowered = lowered.replace(phrase, " ")
    remaining = _WORD.findall(lowered)
    strong = [w for w in remaining if w not in WEAK_WORDS]
    # Words the synonym table knows identify the failure; the others ("API", "Feature") only
    # qualify it, so they count alone only when no word is known ("Kafka Lag").
    chosen = [w for w in strong if _known(w)] or strong
    if not chosen:  # only generic words ("Test Failures"): those the synonym table knows
        chosen = [w for w in remaining if _known(w)] or ([] if patterns else remaining)
    for word in chosen:
        patterns.extend(_word_patterns(word))
    return tuple(dict.fromkeys(patterns))


def _slug(text: str) -> str:
    return "-".join(_WORD.findall(text.lower())) or "row"


def _where(row: PolicyRow) -> str:
    return f"{row.source}: " if row.source else ""


def _clean(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    return text if text and text not in {"-", "—", "n/a", "N/A"} else None


def _decision(row: PolicyRow, category: str, fallback_severity: str) -> TriageDecision:
    severity = _clean(row.severity) or fallback_severity
    if normalize_severity(severity) is None:
        raise PolicyError(
            f"{_where(row)}failure type {row.failure_type!r}: unknown severity {severity!r} "
            "(use critical, high, medium, low, warning or info)"
        )
    return TriageDecision(category, severity, _clean(row.response_time), _clean(row.escalation))


def policy_from_rows(
    rows: Sequence[PolicyRow], *, name: str, base: Policy | None = None
) -> Policy:
    """A policy with one rule per response-matrix row, tried before ``base``'s rules.

    ``base`` defaults to the shipped default policy; pass an empty policy for runbook rules only.
    """
    if base is None:
        from knownfix.core.policy import default_policy

        base = default_policy()
    rules: list[Rule] = []
    default = base.default
    taken = {rule.name for rule in base.rules}
    for row in rows:
        failure_type = " ".join(row.failure_type.split())
        words = _WORD.findall(failure_type.lower())
        if not words:
            raise PolicyError(f"{_where(row)}a response-matrix row has no failure type")
        if all(word in CATCH_ALL_WORDS for word in words):
            default = _decision(row, base.default.category, base.default.severity)
            continue
        slug = _slug(failure_type)
        rule_name, suffix = f"runbook-{slug}", 2
        while rule_name in taken:
            rule_name, suffix = f"runbook-{slug}-{suffix}", suffix + 1
        taken.add(rule_name)
        when = Conditions(any_regex=failure_type_patterns(failure_type))
        description = f"From the runbook row {failure_type!r}"
        description += f" ({row.source})" if row.source else ""
        rules.append(Rule(rule_name, when, _decision(row, slug, default.severity), description))
    return Policy(
        name=name, version=base.version, rules=(*rules, *base.rules), default=default,
        description=f"Runbook response matrix, then {base.name!r}",
    )
