"""What the importer must get right in each shape, asserted on our own fixture documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from knownfix.core.docparse import parse_markdown
from knownfix.core.records import KnownIssue, ParsedDocument

FIXTURES = Path(__file__).parent / "data" / "docparse"
MOJIBAKE = ("â€", "âœ", "ðŸ", "Ã", "â³")


def parse(name: str, shown: str | None = None) -> ParsedDocument:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        return parse_markdown(handle, shown or name)


def by_title(document: ParsedDocument, start: str) -> KnownIssue:
    matches = [i for i in document.issues if i.title.startswith(start)]
    assert len(matches) == 1, [i.title for i in document.issues]
    return matches[0]


def all_text(document: ParsedDocument) -> str:
    return repr([i.to_dict() for i in document.issues]) + repr(document.skipped)


@pytest.mark.parametrize(
    ("name", "shape", "count"),
    [
        ("incident-log.md", "incident-log", 4),
        ("engineering-issues.md", "engineering-issues", 4),
        ("triage-runbook.md", "triage-runbook", 5),
        ("status-report.md", "status-report", 6),
        ("guide-index.md", "guide-index", 3),
        ("generic.md", "generic", 3),
        ("knownfix.md", "knownfix", 1),
        ("empty.md", "generic", 0),
    ],
)
def test_shape_and_issue_count(name: str, shape: str, count: int) -> None:
    document = parse(name)
    assert (document.shape, len(document.issues)) == (shape, count)


def test_shape_comes_from_structure_not_file_name() -> None:
    assert parse("incident-log.md", shown="status-report.md").shape == "incident-log"
    assert parse("status-report.md", shown="notes.md").shape == "status-report"


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.md")))
def test_no_mojibake_survives(name: str) -> None:
    text = all_text(parse(name))
    assert not [m for m in MOJIBAKE if m in text]


def test_incident_log_fields() -> None:
    document = parse("incident-log.md")
    wheel = by_title(document, "Wheel Cache Poisoning")
    assert wheel.resolution_steps[0] == (
        "Purged the cache with `pip cache purge` on every runner image."
    )
    assert wheel.resolution.startswith("1. Purged the cache")
    assert "\n3. Added `--no-cache-dir`" in (
        wheel.resolution
    )
    assert wheel.status == "Resolved"
    snapshots = by_title(document, "Flaky Snapshot Tests")
    assert snapshots.verification == ["pytest tests/ui -q", "pytest tests/ui -q -p no:randomly"]
    assert snapshots.prevention.startswith("Added a lint rule")
    uploads = by_title(document, "Artifact Upload Timeouts")
    assert uploads.title == "Artifact Upload Timeouts (June 2024 – August 2024)"
    assert uploads.id == "incident-log:artifact-upload-timeouts"
    assert uploads.resolution_steps == ["Split the coverage bundle per package.",
                                        "Compressed logs with `zstd -19` before upload."]
    assert uploads.commands == ["zstd -19 --rm build/logs/*.log", "du -sh build/artifacts/*"]
    assert "Expected Behavior" in uploads.extra
    docs = by_title(document, "Docs Build Breaks")
    assert "UnicodeDecodeError: 'ascii' codec can't decode byte 0xe2" in docs.symptoms[0]
    template = [s for s in document.skipped if "Incident Template" in s.reason]
    assert [(s.line, "template" in s.reason) for s in template] == [(57, True)]


def test_engineering_issues_fields() -> None:
    document = parse("engineering-issues.md")
    gunicorn = by_title(document, "Gunicorn Workers")
    assert "[CRITICAL] WORKER TIMEOUT (pid:41)" in gunicorn.symptoms[0]  # summary quotes the error
    assert "--preload" in gunicorn.resolution
    alembic = by_title(document, "Alembic Multiple Heads")
    assert any("Multiple head revisions are present" in s for s in alembic.symptoms)
    assert alembic.extra["Issue Summary"].startswith("Deploy blocked")
    rounding = by_title(document, "Decimal Rounding Drift")
    assert rounding.root_cause.split("\n") == [
        "1. Float Conversion: Amounts passed through `float` when the CSV importer read them.",
        "2. Rounding Mode: Python's default `ROUND_HALF_EVEN` differed from the bank's "
        "`ROUND_HALF_UP`.",
    ]
    assert len(rounding.resolution_steps) == 2


def test_triage_runbook_policy_and_joins() -> None:
    document = parse("triage-runbook.md")
    rows = {row.failure_type: row for row in document.policy_rows}
    assert list(rows) == ["Lint Gate", "Unit Test Failure", "Container Build", "Dependency Audit",
                          "Flaky Quarantine"]
    assert (rows["Flaky Quarantine"].response_time, rows["Flaky Quarantine"].escalation) == (
        None, None)
    assert any(s.line == 13 and "2 cells" in s.reason for s in document.skipped)
    tests = by_title(document, "Unit Test Issues")
    assert (tests.severity, tests.response_time, tests.escalation, tests.category) == (
        "High", "4 hours", "Team lead", "Unit Test Failure")
    assert tests.symptoms[0] == "E       fixture 'tmp_repo' not found"
    assert tests.commands[-1].startswith('python -c "\nimport conftest\n')
    assert not any(c.startswith("#") for c in tests.commands)
    assert tests.extra["Resolution Time"] == "< 2 hours"
    dependency = by_title(document, "Dependency Issues")
    assert dependency.escalation == "Security team"
    assert dependency.extra["Escalation"] == "Security team for anything rated critical"
    network = by_title(document, "Network Issues")
    assert (network.severity, network.escalation) == (None, "Network team via #net-oncall")
    skipped = " ".join(s.reason for s in document.skipped)
    for part in ("Decision Tree", "response matrix", "Escalation Contacts", "Resources"):
        assert part in skipped


def test_status_report_matrix_and_details() -> None:
    document = parse("status-report.md")
    issues = {issue.id: issue for issue in document.issues}
    assert list(issues) == ["SEC-001", "REL-001", "REL-002", "REL-003", "OPS-001", "REL-009"]
    sec = issues["SEC-001"]
    assert (sec.severity, sec.status, sec.self_healing) == ("Critical", "Fixed", "Active")
    assert sec.root_cause.startswith("Raw headers logged\n\n- Request middleware")
    assert sec.verification == ["No bearer tokens in 7 days of logs",
                                "Scanner alert count back to zero"]
    assert sec.commands[0].startswith('SENSITIVE = {"authorization"')
    assert (issues["REL-002"].status, issues["REL-002"].self_healing) == ("Pending", "Planned")
    assert issues["REL-002"].extra["Target"] == "Week 2"
    assert issues["OPS-001"].status == "Pending"
    assert issues["OPS-001"].self_healing is None
    assert issues["REL-009"].symptoms == [
        "jwt.exceptions.ImmatureSignatureError: The token is not yet valid (iat)"]
    reasons = {s.line: s.reason for s in document.skipped}
    assert "4 cells" in reasons[22]
    assert "no issue id" in reasons[23]
    assert "Metric, Target, Current, Status" in reasons[106]


def test_guide_index_entries() -> None:
    document = parse("guide-index.md")
    fixture = by_title(document, "Pytest Fixture Not Found")
    assert fixture.category == "Testing"
    assert fixture.extra["Link"] == "pytest-fixture-not-found.md"
    assert fixture.symptoms[0].startswith("fixture 'db_session' not found")
    assert any("Old Notes on Snapshot Diffs" in s.reason for s in document.skipped)


def test_generic_sections() -> None:
    document = parse("generic.md")
    kafka = by_title(document, "Kafka consumer lag")
    assert kafka.root_cause == "a poison message makes the consumer crash-loop"
    oom = by_title(document, "Node OOMKilled")
    assert oom.verification == ["kubectl get pods -n api -w", "kubectl top pod -n api"]
    assert oom.extra == {"Timeline": "Seen three times in May before the fix."}
    reasons = {s.line: s.reason for s in document.skipped}
    assert "names no problem" in reasons[39]  # prose: what the meaning reader found
    assert "only one issue field (Fix)" in reasons[49]
    assert "empty section" in reasons[53]


def test_knownfix_front_matter_and_signature() -> None:
    document = parse("knownfix.md")
    (issue,) = document.issues
    assert (issue.id, issue.severity, issue.tags) == ("KF-0042", "High", ["postgres", "ci"])
    assert issue.extra["owner"] == "platform-team"
    assert issue.signature.contains == ["Connection refused"]
    assert [s.line for s in document.skipped] == [9]


def test_invalid_front_matter_is_reported_and_keeps_the_id() -> None:
    document = parse("bad-front-matter.md")
    assert [i.id for i in document.issues] == ["KF-0099"]
    assert document.skipped[0].line in {3, 4}
    assert "not valid YAML" in document.skipped[0].reason


def test_hostile_signature_regexes_are_dropped_and_reported() -> None:
    document = parse("hostile-signature.md")
    (issue,) = document.issues
    assert issue.signature.regex == ["(a+)+$"]  # RE2 runs it in linear time
    reasons = " | ".join(s.reason for s in document.skipped)
    for words in ("lookahead", "backreference", "does not compile", "characters long"):
        assert words in reasons


def test_empty_document() -> None:
    document = parse_markdown([], "empty.md")
    assert (document.issues, document.skipped, document.policy_rows) == ([], [], [])
