"""A runbook's response matrix as a policy: rows → rules (before the base rules) → decisions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knownfix.core.policy import (
    FailureFacts,
    Policy,
    default_policy,
    load_policy,
    normalize_severity,
    policy_from_rows,
    policy_to_yaml,
)
from knownfix.core.policy.from_runbook import failure_type_patterns
from knownfix.core.records import PolicyRow, SourceRef, TriageDecision
from knownfix.errors import PolicyError

DATA = Path(__file__).parent / "data" / "policy"
RUNBOOK = DATA / "runbook.md"
GOLDEN = DATA / "runbook-policy.yaml"
EMPTY = Policy(name="empty")


def row(failure_type: str, severity: str | None = "High", response: str | None = "1 hour",
        escalation: str | None = "Team", line: int = 7) -> PolicyRow:
    return PolicyRow(failure_type, severity, response, escalation, SourceRef("runbook.md", line))


# The rows of tests/data/policy/runbook.md, as the Markdown importer reads them.
RUNBOOK_ROWS = [
    row("API Schema Validation", "🔴 Critical", "Immediate", "Block deploy", 9),
    row("Checksum Integrity", "Critical", "< 15 minutes", "Data platform on-call", 10),
    row("Security/Supply Chain", "Critical", "Immediate", "Security team", 11),
    row("Feature Drift Detection", "Warning", "1 hour", "ML review", 12),
    row("Latency Regression", "Warning", "2-4 hours", "Performance guild", 13),
    row("Docs Build", "Low", "Next sprint", "Docs team", 14),
    row("Other", "Medium", "1 business day", "Triage rotation", 15),
]


def runbook_policy(base: Policy | None = None) -> Policy:
    return policy_from_rows(RUNBOOK_ROWS, name="orbit", base=base)


def test_rows_become_rules_before_the_base_rules() -> None:
    policy = runbook_policy()
    names = [rule.name for rule in policy.rules]
    assert names[:6] == [
        "runbook-api-schema-validation", "runbook-checksum-integrity",
        "runbook-security-supply-chain", "runbook-feature-drift-detection",
        "runbook-latency-regression", "runbook-docs-build",
    ]
    assert names[6:] == [rule.name for rule in default_policy().rules]
    first = policy.rules[0].then
    assert (first.category, first.severity, first.response_time, first.escalation) == (
        "api-schema-validation", "🔴 Critical", "Immediate", "Block deploy"
    )
    assert "runbook.md:9" in policy.rules[0].description


def test_catch_all_row_sets_the_default_decision() -> None:
    default = runbook_policy().default
    assert (default.category, default.severity, default.response_time, default.escalation) == (
        "unknown", "Medium", "1 business day", "Triage rotation"
    )


DECISIONS: list[tuple[str, str]] = [
    ("Contract check failed: payload does not match schema v3", "api-schema-validation"),
    ("jsonschema.exceptions.ValidationError: 'customer_id' is a required property",
     "api-schema-validation"),
    ("ERROR: checksum mismatch for exports/orders.parquet", "checksum-integrity"),
    ("manifest.sha256: 3 files corrupted", "checksum-integrity"),
    ("trivy: libssl3 CVE-2023-5678 (HIGH)", "security-supply-chain"),
    ("cosign: signature verification failed: no matching signatures", "security-supply-chain"),
    ("SBOM generation failed: syft exited with 1", "security-supply-chain"),
    ("feature 'age' drifted: PSI 0.31 > 0.2", "feature-drift-detection"),
    ("p95 latency 412ms exceeds budget 300ms", "latency-regression"),
    ("benchmark regression beyond tolerance: +23%", "latency-regression"),
    ("mkdocs build --strict: WARNING - Doc file 'x.md' contains a broken link", "docs-build"),
    # Not in the matrix: the base policy decides, and the runbook's "Other" row is the default.
    ("OSError: [Errno 28] No space left on device", "disk"),
    ("the weather is nice", "unknown"),
]


@pytest.mark.parametrize(("text", "category"), DECISIONS, ids=[c for _, c in DECISIONS])
def test_runbook_policy_decisions(text: str, category: str) -> None:
    assert runbook_policy().decide(FailureFacts(text=text)).category == category


def test_unknown_failures_get_the_runbook_default() -> None:
    decision = runbook_policy().decide(FailureFacts(text="the weather is nice"))
    assert (decision.severity, decision.escalation) == ("Medium", "Triage rotation")


PATTERN_CASES: list[tuple[str, str, bool]] = [
    # (failure type, text, should match)
    ("Schema Validation", "Schema validation failed: report.json", True),
    ("Schema Validation", "❌ schema_validation gate: 2 errors", True),
    ("Schema Validation", "Dataset validation failed: 3 samples missing", False),
    ("Dataset Integrity", "Checksum mismatch detected in datasets/train", True),
    ("Dataset Integrity", "Minimum sample count not met (12 < 100)", True),
    ("Security/Supply Chain", "provenance attestation missing for image", True),
    ("Security/Supply Chain", "Found 2 known vulnerabilities in 1 package", True),
    ("Drift Detection", "Data drift detected on 4 features", True),
    ("Drift Detection", "detection of new files finished", False),
    ("Performance Regression", "throughput dropped 20% vs main", True),
    ("Performance Regression", "regression beyond tolerance", True),
    ("Performance Regression", "Tests passed", False),
    ("Documentation", "sphinx-build: 3 warnings treated as errors", True),
    ("Flaky Tests", "test_fetch is flaky: passed on rerun", True),
    ("Flaky Tests", "FAILED tests/test_a.py::test_x", False),
    ("Test Failures", "FAILED tests/test_a.py::test_x - AssertionError", True),
    ("Kafka Lag", "consumer group orders: kafka lag 120000", True),
    ("Kafka Lag", "Tests passed", False),
]


@pytest.mark.parametrize(
    ("failure_type", "text", "expected"), PATTERN_CASES,
    ids=[f"{c[0]}-{'hit' if c[2] else 'miss'}-{i}" for i, c in enumerate(PATTERN_CASES)],
)
def test_failure_type_patterns(failure_type: str, text: str, expected: bool) -> None:
    policy = policy_from_rows([row(failure_type)], name="t", base=EMPTY)
    assert (policy.decide(FailureFacts(text=text)).rule is not None) is expected


def test_patterns_are_stable_and_deduplicated() -> None:
    patterns = failure_type_patterns("Security/Supply Chain")
    assert len(patterns) == len(set(patterns))
    assert r"\bSBOM\b" in patterns
    assert failure_type_patterns("  Drift   Detection ") == failure_type_patterns("drift detection")


def test_duplicate_failure_types_get_distinct_rule_names() -> None:
    policy = policy_from_rows([row("Drift"), row("drift")], name="t", base=EMPTY)
    assert [rule.name for rule in policy.rules] == ["runbook-drift", "runbook-drift-2"]


def test_missing_severity_falls_back_to_the_default_severity() -> None:
    policy = policy_from_rows([row("Drift", severity=None, response="—")], name="t", base=EMPTY)
    assert policy.rules[0].then.severity == "medium"
    assert policy.rules[0].then.response_time is None


def test_unknown_severity_names_the_row() -> None:
    message = r"^runbook\.md:7: failure type 'Drift': unknown severity"
    with pytest.raises(PolicyError, match=message):
        policy_from_rows([row("Drift", severity="Spicy")], name="t", base=EMPTY)


def test_row_without_words_names_the_row() -> None:
    with pytest.raises(PolicyError, match=r"^runbook\.md:7: a response-matrix row has no"):
        policy_from_rows([row(" / ")], name="t", base=EMPTY)


def test_runbook_policy_round_trips_and_matches_golden() -> None:
    text = policy_to_yaml(runbook_policy(base=EMPTY))
    assert load_policy(text) == runbook_policy(base=EMPTY)
    if os.environ.get("KNOWNFIX_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_markdown_runbook_to_policy_end_to_end() -> None:
    docparse = pytest.importorskip("knownfix.core.docparse")
    parse_markdown = getattr(docparse, "parse_markdown", None)
    if parse_markdown is None:
        pytest.skip("knownfix.core.docparse.parse_markdown has not landed yet")
    lines = RUNBOOK.read_text(encoding="utf-8").splitlines(keepends=True)
    document = parse_markdown(lines, "runbook.md")
    assert [r.failure_type for r in document.policy_rows] == [r.failure_type for r in RUNBOOK_ROWS]
    policy = policy_from_rows(document.policy_rows, name="orbit")
    expected = runbook_policy()

    def shown(decision: TriageDecision) -> tuple[object, ...]:
        # The importer may tidy the display form ("🔴 Critical" → "Critical"); the level stays.
        return (decision.category, normalize_severity(decision.severity),
                decision.response_time, decision.escalation, decision.rule)

    assert [shown(r.then) for r in policy.rules[:6]] == [shown(r.then) for r in expected.rules[:6]]
    assert shown(policy.default) == shown(expected.default)
    decision = policy.decide(FailureFacts(text="payload does not match schema v3"))
    assert decision.rule == "runbook-api-schema-validation"


def test_qualifier_words_do_not_match_alone() -> None:
    policy = policy_from_rows([row("API Schema Validation")], name="t", base=EMPTY)
    assert policy.decide(FailureFacts(text="API rate limit exceeded")).rule is None
    assert policy.decide(FailureFacts(text="api_schema_validation: 2 errors")).rule is not None


@settings(max_examples=150, deadline=None)
@given(
    failure_type=st.text(max_size=60),
    severity=st.one_of(st.none(), st.sampled_from(["Critical", "warning", "P2", "??"])),
)
def test_any_row_gives_a_working_rule_or_a_policy_error(
    failure_type: str, severity: str | None
) -> None:
    problem: PolicyError | None = None
    try:
        policy = policy_from_rows([row(failure_type, severity)], name="t", base=EMPTY)
    except PolicyError as error:
        problem = error
    if problem is not None:
        assert str(problem).startswith("runbook.md:7: ")
        return
    policy.decide(FailureFacts(text=failure_type))
    assert load_policy(policy_to_yaml(policy)) == policy
