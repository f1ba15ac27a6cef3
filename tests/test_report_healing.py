"""The self-healing KPIs, computed from hand-made runs, and how the report shows them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from knownfix.core.healing.config import KpiTargets
from knownfix.core.healing.records import BreakerRecord, Detection, PlaybookRun
from knownfix.core.records import Occurrence
from knownfix.core.report.healing import compute_healing_kpis
from knownfix.core.report.model import build_report
from knownfix.reports.render import render_html, render_markdown

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _run(n: int, incident: str, status: str, *, detected: float = 0, start: float = 60,
         took: float = 30) -> PlaybookRun:
    return PlaybookRun(
        id=n, playbook="restart-web", status=status, trigger="service", actor="knownfix",
        target="detector:web", created_at=T0 + timedelta(seconds=start), incident_id=incident,
        started_at=T0 + timedelta(seconds=start),
        finished_at=T0 + timedelta(seconds=start + took),
        episode_started_at=T0 + timedelta(seconds=detected),
    )


def _occurrence(incident: str, at: float) -> Occurrence:
    return Occurrence(incident_id=incident, source="check:web",
                      received_at=T0 + timedelta(seconds=at), fingerprint="f", excerpt_text="x")


RUNS = [
    _run(1, "HIGH-001", "failed", took=10),
    _run(2, "HIGH-001", "succeeded", start=120, took=30),  # healed 150 s after detection
    _run(3, "HIGH-002", "succeeded", start=60, took=90),  # healed 150 s after detection
    _run(4, "HIGH-003", "failed", start=60, took=5),
    _run(5, "HIGH-003", "refused", start=70, took=0),
]


def test_the_kpis_follow_their_definitions() -> None:
    detections = [Detection("HIGH-001", "web", T0, T0 - timedelta(seconds=30)),
                  Detection("HIGH-002", "web", T0, T0 - timedelta(seconds=90)),
                  Detection("HIGH-003", "web", T0, None)]
    # HIGH-002 comes back 10 minutes after it was healed: a false positive.
    occurrences = [_occurrence("HIGH-002", 150 + 600), _occurrence("HIGH-001", 150 + 7200)]
    kpis = compute_healing_kpis(RUNS, detections, occurrences, [], window=timedelta(hours=1))
    assert kpis.runs == 5
    assert dict(kpis.status_counts) == {"failed": 2, "succeeded": 2, "refused": 1}
    assert (kpis.incidents_healed, kpis.incidents_attempted) == (2, 3)
    assert round(kpis.auto_recovery_rate or 0, 1) == 66.7
    assert kpis.detection_time == timedelta(seconds=60)  # median of 30 and 90
    assert kpis.detected_count == 2  # a detector that never passed has no detection time
    assert kpis.repair_time == timedelta(seconds=60)  # median of 30 and 90
    assert kpis.mttr == timedelta(seconds=150)
    assert (kpis.false_positives, kpis.false_positive_rate) == (1, 50.0)


def test_targets_say_met_or_missed() -> None:
    targets = KpiTargets(auto_recovery_rate=80, detection_time=timedelta(minutes=1),
                         repair_time=timedelta(minutes=5), false_positive_rate=5)
    kpis = compute_healing_kpis(RUNS, [], [], [], targets=targets)
    rows = {row.name: row for row in kpis.rows()}
    assert rows["Auto-recovery rate"].met is False
    assert rows["Auto-recovery rate"].target == "≥ 80%"
    assert rows["Repair time (median)"].met is True
    assert rows["Detection time (median)"].met is None  # no detection: nothing to judge
    assert rows["MTTR, self-healed (mean)"].target is None


def test_the_period_leaves_older_runs_out() -> None:
    kpis = compute_healing_kpis(RUNS, [], [], [], since=T0 + timedelta(seconds=100))
    assert kpis.runs == 1
    assert kpis.incidents_attempted == 1


def test_nothing_yet() -> None:
    kpis = compute_healing_kpis([], [], [], [])
    assert kpis.empty
    assert kpis.auto_recovery_rate is None
    assert [row.value for row in kpis.rows()] == ["n/a"] * 5


def test_the_report_shows_the_table_and_the_breakers() -> None:
    breaker = BreakerRecord("restart-web", "open", 5, T0, reopens_at=T0 + timedelta(minutes=5))
    kpis = compute_healing_kpis(RUNS, [], [], [breaker],
                                targets=KpiTargets(auto_recovery_rate=80))
    model = replace(build_report([], [], [], now=T0 + timedelta(hours=1)), healing=kpis)
    markdown = render_markdown(model)
    assert "## Self-healing" in markdown
    assert "| Auto-recovery rate | ≥ 80% | 67% | ❌ missed | 2 of 3 incidents |" in markdown
    assert "| restart-web | open | 5 | 2026-03-01 12:00 UTC | 2026-03-01 12:05 UTC |" in markdown
    html = render_html(model)
    assert '<section id="healing">' in html
    assert "missed" in html
    assert "restart-web" in html


def test_the_report_leaves_the_section_out_without_healing() -> None:
    model = build_report([], [], [], now=T0)
    assert "Self-healing" not in render_markdown(model)
