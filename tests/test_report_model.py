"""The status report model: shares, status buckets, grouping, KPIs, periods, the empty store."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from knownfix.core.records import Incident, KnownIssue, Occurrence, SourceRef
from knownfix.core.report.model import build_report, parse_since, status_bucket
from knownfix.errors import InputError

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


def issue(id: str, **fields: object) -> KnownIssue:
    return KnownIssue(id=id, title=fields.pop("title", f"Issue {id}"), **fields)  # type: ignore[arg-type]


def incident(id: str, *, status: str = "open", severity: str = "high", count: int = 1,
             first: timedelta = timedelta(days=2), last: timedelta = timedelta(days=1),
             **fields: object) -> Incident:
    return Incident(
        id=id, title=f"Incident {id}", status=status, severity=severity, category="tests",
        fingerprint=f"fp-{id}", count=count, first_seen=NOW - first, last_seen=NOW - last,
        **fields,  # type: ignore[arg-type]
    )


def occurrence(incident_id: str, ago: timedelta, text: str = "boom") -> Occurrence:
    return Occurrence(incident_id=incident_id, source="ci.log", received_at=NOW - ago,
                      fingerprint="s", excerpt_text=text)


@pytest.mark.parametrize(
    ("value", "bucket"),
    [
        ("Fixed", "Fixed"),
        ("✅ Fixed", "Fixed"),
        ("Resolved", "Fixed"),
        ("Done", "Fixed"),
        ("Fixed (monitoring planned)", "Fixed"),
        ("In Progress", "In progress"),
        ("in-progress", "In progress"),
        ("Fix in progress", "In progress"),
        ("Investigating", "In progress"),
        ("Pending", "Pending"),
        ("Open", "Pending"),
        ("Planned", "Pending"),
        ("Not fixed", "Pending"),
        ("Not started", "Pending"),
        ("Unresolved", "Pending"),
        ("Won't fix", "Pending"),
        ("Reopened later", "Other"),
        ("Suffix", "Other"),
        ("", "Not stated"),
        ("   ", "Not stated"),
        (None, "Not stated"),
    ],
)
def test_status_buckets(value: str | None, bucket: str) -> None:
    assert status_bucket(value) == bucket


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], [("Fixed", 0, 0), ("In progress", 0, 0), ("Pending", 0, 0)]),
        (["Fixed", "Fixed", "Pending"],
         [("Fixed", 2, 67), ("In progress", 0, 0), ("Pending", 1, 33)]),
        (["Fixed", None, "Odd"],
         [("Fixed", 1, 33), ("In progress", 0, 0), ("Pending", 0, 0), ("Not stated", 1, 33),
          ("Other", 1, 33)]),
        (["In progress"] * 4, [("Fixed", 0, 0), ("In progress", 4, 100), ("Pending", 0, 0)]),
    ],
)
def test_status_shares(statuses: list[str | None], expected: list[tuple[str, int, int]]) -> None:
    issues = [issue(f"KF-{n}", status=status) for n, status in enumerate(statuses)]
    summary = build_report(issues, [], [], now=NOW).summary
    got = [(s.label, s.count, round(s.percent)) for s in summary.by_status]
    assert got == expected
    assert summary.issues == len(statuses)


def test_severity_shares_are_ordered_by_urgency_with_unrated_last() -> None:
    issues = [issue("A", severity="Low"), issue("B", severity="🔴 CRITICAL"), issue("C"),
              issue("D", severity="P2"), issue("E", severity="Spicy"), issue("F", severity="low")]
    shares = build_report(issues, [], [], now=NOW).summary.by_severity
    assert [(s.label, s.count) for s in shares] == [
        ("Critical", 1), ("Medium", 1), ("Low", 2), ("Spicy", 1), ("Unrated", 1)
    ]
    assert sum(s.percent for s in shares) == pytest.approx(100)


def test_self_healing_coverage_counts_active_only() -> None:
    issues = [issue("A", self_healing="✅ Active"), issue("B", self_healing="Not active"),
              issue("C", self_healing="🔄 Planned"), issue("D")]
    share = build_report(issues, [], [], now=NOW).summary.self_healing_active
    assert (share.count, share.total, share.percent) == (1, 4, 25)


def test_matrix_is_one_row_per_active_issue_by_severity_then_natural_id() -> None:
    issues = [
        issue("MED-10", severity="Medium"), issue("MED-2", severity="Medium"),
        issue("CRIT-1", severity="Critical", root_cause="Line one\n\n- detail",
              resolution="1. Restore the file.\n2. Upgrade.", status="⏳ Pending"),
        issue("OLD-1", severity="Critical", retired=True),
        issue("X-1"),
    ]
    matrix = build_report(issues, [], [], now=NOW).matrix
    assert [row.id for row in matrix] == ["CRIT-1", "MED-2", "MED-10", "X-1"]
    first = matrix[0]
    assert (first.root_cause, first.solution, first.status) == (
        "Line one", "Restore the file.", "⏳ Pending"
    )
    assert matrix[-1].status == "Not stated"
    assert matrix[-1].severity == "Unrated"


def test_solution_falls_back_to_the_resolution_steps() -> None:
    row = build_report([issue("A", resolution_steps=["Prune the cache", "Retry"])], [], [],
                       now=NOW).matrix[0]
    assert row.solution == "Prune the cache"


def test_index_groups_by_category_with_uncategorized_last() -> None:
    issues = [
        issue("T-2", category="tests", symptoms=["E   fixture 'db' not found"],
              source=SourceRef("docs/tests.md", 9)),
        issue("D-1", category="Database"),
        issue("T-1", category="tests"),
        issue("U-1"),
        issue("R-1", category="Retired", retired=True),
    ]
    index = build_report(issues, [], [], now=NOW).index
    assert [(g.name, [e.id for e in g.entries]) for g in index] == [
        ("Database", ["D-1"]), ("tests", ["T-1", "T-2"]), ("Uncategorized", ["U-1"])
    ]
    entry = index[1].entries[1]
    assert (entry.problem, entry.source) == ("E fixture 'db' not found", "docs/tests.md:9")
    assert index[1].entries[0].source is None


def test_incident_totals_leave_merged_incidents_out() -> None:
    incidents = [
        incident("HIGH-001"), incident("HIGH-002", status="investigating"),
        incident("MED-001", status="mitigated"), incident("LOW-001", status="resolved"),
        incident("HIGH-003", merged_into="HIGH-001"),
    ]
    summary = build_report([], incidents, [], now=NOW).summary
    assert (summary.incidents, summary.incidents_open, summary.incidents_resolved) == (4, 3, 1)
    assert [(s.label, s.count) for s in summary.incidents_by_status] == [
        ("open", 1), ("investigating", 1), ("mitigated", 1), ("resolved", 1)
    ]


@pytest.mark.parametrize(
    ("incidents", "since", "mttr", "basis"),
    [
        ([], None, None, 0),
        ([incident("A")], None, None, 0),
        ([incident("A", status="resolved")], None, None, 0),  # no resolved_at: no time
        ([incident("A", status="resolved", first=timedelta(hours=10),
                   resolved_at=NOW - timedelta(hours=6))], None, timedelta(hours=4), 1),
        ([incident("A", status="resolved", first=timedelta(hours=10),
                   resolved_at=NOW - timedelta(hours=6)),
          incident("B", status="resolved", first=timedelta(hours=3),
                   resolved_at=NOW - timedelta(hours=1))], None, timedelta(hours=3), 2),
        # resolved before the period: left out
        ([incident("A", status="resolved", first=timedelta(days=9),
                   resolved_at=NOW - timedelta(days=8)),
          incident("B", status="resolved", first=timedelta(hours=3),
                   resolved_at=NOW - timedelta(hours=1))],
         NOW - timedelta(days=1), timedelta(hours=2), 1),
        # resolved "before" it was first seen (a skewed clock): no usable time
        ([incident("A", status="resolved", first=timedelta(hours=1),
                   resolved_at=NOW - timedelta(hours=2))], None, None, 0),
    ],
)
def test_mttr(incidents: list[Incident], since: datetime | None, mttr: timedelta | None,
              basis: int) -> None:
    kpis = build_report([], incidents, [], now=NOW, since=since).kpis
    assert (kpis.mttr, kpis.resolved_count) == (mttr, basis)


def test_time_to_detect_is_the_median_delay_after_the_excerpts_own_time() -> None:
    occurrences = [
        occurrence("A", timedelta(hours=5), "2025-03-14T06:58:00Z ##[error]Process completed"),
        occurrence("A", timedelta(hours=4), "08:00:00 no zone, left out"),
        occurrence("A", timedelta(hours=3),
                   "2025-03-14T08:00:00.1234567Z start\n2025-03-14T08:50:00Z FAILED"),
        occurrence("A", timedelta(hours=2), "2025-03-14T10:30:00+01:00 error TS2307"),
        occurrence("A", timedelta(hours=1), "cert valid until 2026-01-01T00:00:00Z (future)"),
    ]
    kpis = build_report([], [incident("A")], occurrences, now=NOW).kpis
    # delays: 2 min, 10 min (the latest line), 30 min -> median 10 min
    assert (kpis.time_to_detect, kpis.detected_count) == (timedelta(minutes=10), 3)


def test_time_to_detect_is_none_without_timestamps() -> None:
    kpis = build_report([], [incident("A")], [occurrence("A", timedelta(1))], now=NOW).kpis
    assert (kpis.time_to_detect, kpis.detected_count) == (None, 0)


def test_recurrence_interval_is_the_median_gap_within_one_incident() -> None:
    occurrences = [
        occurrence("A", timedelta(hours=10)), occurrence("A", timedelta(hours=8)),
        occurrence("B", timedelta(hours=7)), occurrence("A", timedelta(hours=2)),
        occurrence("B", timedelta(hours=6)),
    ]
    kpis = build_report([], [incident("A"), incident("B")], occurrences, now=NOW).kpis
    # gaps: A 2 h and 6 h, B 1 h -> median 2 h
    assert (kpis.recurrence_interval, kpis.recurrence_count) == (timedelta(hours=2), 3)


def test_past_sla_lists_unanswered_incidents_most_overdue_first() -> None:
    due = {"sla_due_at": NOW - timedelta(hours=1)}
    incidents = [
        incident("A", **due),
        incident("B", status="investigating", sla_due_at=NOW - timedelta(days=2)),
        incident("C", status="mitigated", **due),
        incident("D", status="resolved", **due),
        incident("E", sla_due_at=NOW + timedelta(hours=1)),
        incident("F"),
    ]
    past = build_report([], incidents, [], now=NOW).kpis.past_sla
    assert [(line.id, line.overdue) for line in past] == [
        ("B", timedelta(days=2)), ("A", timedelta(hours=1))
    ]


def test_top_recurring_by_count_then_last_seen() -> None:
    incidents = [incident("A", count=3), incident("B", count=1),
                 incident("C", count=3, last=timedelta(hours=1)), incident("D", count=9)]
    top = build_report([], incidents, [], now=NOW).kpis.top_recurring
    assert [(line.id, line.count) for line in top] == [("D", 9), ("C", 3), ("A", 3)]


def test_daily_counts_fill_every_day_and_stack_by_incident_severity() -> None:
    incidents = [incident("A", severity="critical"), incident("B", severity="low"),
                 incident("M", severity="critical", merged_into="B")]
    occurrences = [
        occurrence("B", timedelta(days=3)), occurrence("A", timedelta(days=3, hours=1)),
        occurrence("A", timedelta(days=1)), occurrence("GONE-1", timedelta(hours=1)),
        occurrence("M", timedelta(hours=2)),  # counts for B, the incident M was merged into
    ]
    kpis = build_report([], incidents, occurrences, now=NOW).kpis
    assert kpis.severities == ("Critical", "Low", "Unrated")
    assert [(d.day, d.counts) for d in kpis.daily] == [
        (date(2025, 3, 11), (1, 1, 0)),
        (date(2025, 3, 12), (0, 0, 0)),
        (date(2025, 3, 13), (1, 0, 0)),
        (date(2025, 3, 14), (0, 1, 1)),
    ]


def test_since_limits_incidents_and_occurrences_to_the_period() -> None:
    since = NOW - timedelta(days=2)
    incidents = [
        incident("OLD", status="resolved", first=timedelta(days=9), last=timedelta(days=8),
                 resolved_at=NOW - timedelta(days=8)),
        incident("LATE-FIX", status="resolved", first=timedelta(days=9), last=timedelta(days=8),
                 resolved_at=NOW - timedelta(days=1)),
        incident("STILL-OPEN", first=timedelta(days=9), last=timedelta(days=8)),
    ]
    occurrences = [occurrence("STILL-OPEN", timedelta(days=8)),
                   occurrence("LATE-FIX", timedelta(hours=30))]
    model = build_report([], incidents, occurrences, now=NOW, since=since)
    assert model.summary.incidents == 2
    assert model.summary.occurrences == 1
    assert model.kpis.daily[0].day == since.date()
    assert model.since == since


def test_naive_datetimes_are_taken_as_utc() -> None:
    naive = Occurrence(incident_id="A", source="x", received_at=datetime(2025, 3, 14, 11, 0),
                       fingerprint="s", excerpt_text="2025-03-14T10:59:00Z boom")
    kpis = build_report([], [incident("A")], [naive], now=NOW.replace(tzinfo=None)).kpis
    assert kpis.time_to_detect == timedelta(minutes=1)
    assert kpis.daily[-1].day == date(2025, 3, 14)


def test_empty_store_gives_a_valid_empty_report() -> None:
    model = build_report([], [], [], now=NOW, title="  ")
    assert model.empty
    assert model.title == "Known issues status report"
    assert model.matrix == ()
    assert model.index == ()
    assert model.kpis.mttr is None
    assert model.kpis.daily == ()
    assert [s.percent for s in model.summary.by_status] == [0, 0, 0]


def test_a_report_with_only_issues_is_not_empty() -> None:
    assert not build_report([issue("A")], [], [], now=NOW).empty


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-01", datetime(2025, 3, 1, tzinfo=UTC)),
        ("2025-03-01T08:00Z", datetime(2025, 3, 1, 8, tzinfo=UTC)),
        ("2025-03-01T08:00+02:00", datetime(2025, 3, 1, 6, tzinfo=UTC)),
        ("24h", NOW - timedelta(hours=24)),
        (" 30d ", NOW - timedelta(days=30)),
        ("2W", NOW - timedelta(weeks=2)),
    ],
)
def test_parse_since(text: str, expected: datetime) -> None:
    assert parse_since(text, NOW) == expected


@pytest.mark.parametrize(
    "text", ["yesterday", "", "30", "2025-13-01", "-3d", "99999999d", "0001-01-01T00:00+05:00"]
)
def test_parse_since_rejects_what_it_cannot_read(text: str) -> None:
    with pytest.raises(InputError, match="--since"):
        parse_since(text, NOW)


def test_title_is_one_line() -> None:
    assert build_report([], [], [], now=NOW, title=" Weekly\n  CI  report ").title == (
        "Weekly CI report"
    )
