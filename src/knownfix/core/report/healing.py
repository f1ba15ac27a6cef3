"""The self-healing KPIs, like the "Self-Healing Effectiveness" table of a status report.

Definitions (also in docs/healing.md), over the runs started in the period:

- **Auto-recovery rate**: of the incidents a playbook ran for, the share whose latest run
  healed them (steps passed and verification passed).
- **Detection time** (median): for each detector that went from passing to failing, the time
  since it last passed — the longest the failure can have gone unseen. Checks that never passed
  are left out.
- **Repair time** (median): from a healing run's start to its passed verification.
- **MTTR, self-healed** (mean): from the detection of the failure (the incident's opening or
  reopening) to the passed verification of the run that healed it.
- **False-positive rate**: of the healing runs that succeeded, the share whose incident came
  back within the false-positive window after the run: the "fix" did not hold.
- **Breakers**: each playbook's circuit breaker as stored.

Pure: it takes records and a clock reading.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from knownfix.core.healing.config import KpiTargets
from knownfix.core.healing.records import (
    EXECUTED,
    RUNNING,
    BreakerRecord,
    Detection,
    PlaybookRun,
)
from knownfix.core.records import Occurrence
from knownfix.core.report.text import as_utc, format_duration


@dataclass(frozen=True, slots=True)
class KpiRow:
    """One line of the effectiveness table: what, its target, its value, whether it is met."""

    name: str
    value: str
    target: str | None
    met: bool | None  # None: no target, or no value yet
    basis: str


@dataclass(frozen=True, slots=True)
class HealingKpis:
    runs: int  # every run in the period, refused ones included
    status_counts: tuple[tuple[str, int], ...]
    incidents_attempted: int
    incidents_healed: int
    auto_recovery_rate: float | None  # percent
    detection_time: timedelta | None
    detected_count: int
    repair_time: timedelta | None
    repaired_count: int
    mttr: timedelta | None
    false_positives: int
    false_positive_rate: float | None  # percent
    breakers: tuple[BreakerRecord, ...]
    targets: KpiTargets
    window: timedelta

    @property
    def empty(self) -> bool:
        return not (self.runs or self.detected_count or self.breakers)

    @property
    def open_breakers(self) -> tuple[BreakerRecord, ...]:
        return tuple(b for b in self.breakers if b.state != "closed")

    def rows(self) -> tuple[KpiRow, ...]:
        """The effectiveness table, in the order of the self-healing report."""
        t = self.targets
        return (
            KpiRow("Auto-recovery rate", _pct(self.auto_recovery_rate),
                   f"≥ {t.auto_recovery_rate:g}%" if t.auto_recovery_rate is not None else None,
                   _at_least(self.auto_recovery_rate, t.auto_recovery_rate),
                   f"{self.incidents_healed} of {_n(self.incidents_attempted, 'incident')}"),
            KpiRow("Detection time (median)", format_duration(self.detection_time),
                   _under(t.detection_time), _at_most(self.detection_time, t.detection_time),
                   _n(self.detected_count, "detection")),
            KpiRow("Repair time (median)", format_duration(self.repair_time),
                   _under(t.repair_time), _at_most(self.repair_time, t.repair_time),
                   _n(self.repaired_count, "healing run")),
            KpiRow("MTTR, self-healed (mean)", format_duration(self.mttr), _under(t.mttr),
                   _at_most(self.mttr, t.mttr), _n(self.repaired_count, "healing run")),
            KpiRow("False-positive rate", _pct(self.false_positive_rate),
                   f"≤ {t.false_positive_rate:g}%" if t.false_positive_rate is not None
                   else None,
                   _at_most_value(self.false_positive_rate, t.false_positive_rate),
                   f"{self.false_positives} of {self.repaired_count} came back within "
                   f"{format_duration(self.window)}"),
        )


def compute_healing_kpis(
    runs: Iterable[PlaybookRun],
    detections: Iterable[Detection],
    occurrences: Sequence[Occurrence],
    breakers: Iterable[BreakerRecord],
    *,
    since: datetime | None = None,
    window: timedelta = timedelta(hours=1),
    targets: KpiTargets | None = None,
) -> HealingKpis:
    """The KPIs over the runs and detections since ``since`` (all when None)."""
    period = [r for r in runs if since is None or as_utc(r.created_at) >= since]
    counts = Counter(r.status for r in period)
    executed = [r for r in period if r.status in EXECUTED and r.status != RUNNING
                and r.incident_id]
    latest: dict[str, PlaybookRun] = {}
    for run in sorted(executed, key=lambda r: (as_utc(r.created_at), r.id)):
        latest[run.incident_id or ""] = run
    healed_incidents = sum(run.healed for run in latest.values())
    healed = [r for r in period if r.healed and r.finished_at is not None]
    repairs = [as_utc(r.finished_at) - as_utc(r.started_at) for r in healed
               if r.finished_at and r.started_at]
    recoveries = [as_utc(r.finished_at) - as_utc(r.episode_started_at) for r in healed
                  if r.finished_at and r.episode_started_at]
    delays = [timedelta(seconds=d.delay_s) for d in detections
              if d.delay_s is not None and (since is None or as_utc(d.detected_at) >= since)]
    seen: dict[str, list[datetime]] = defaultdict(list)
    for occurrence in occurrences:
        seen[occurrence.incident_id].append(as_utc(occurrence.received_at))
    false_positives = sum(_came_back(r, seen, window) for r in healed if r.incident_id)
    with_incident = sum(1 for r in healed if r.incident_id)
    return HealingKpis(
        runs=len(period),
        status_counts=tuple(sorted(counts.items())),
        incidents_attempted=len(latest),
        incidents_healed=healed_incidents,
        auto_recovery_rate=100.0 * healed_incidents / len(latest) if latest else None,
        detection_time=_median(delays),
        detected_count=len(delays),
        repair_time=_median(repairs),
        repaired_count=len(healed),
        mttr=sum(recoveries, timedelta()) / len(recoveries) if recoveries else None,
        false_positives=false_positives,
        false_positive_rate=100.0 * false_positives / with_incident if with_incident else None,
        breakers=tuple(breakers),
        targets=targets or KpiTargets(),
        window=window,
    )


def _came_back(run: PlaybookRun, seen: dict[str, list[datetime]], window: timedelta) -> bool:
    """Did the run's incident get an occurrence within ``window`` after the run healed it?"""
    if run.finished_at is None or run.incident_id is None:
        return False
    healed_at = as_utc(run.finished_at)
    return any(healed_at < at <= healed_at + window for at in seen.get(run.incident_id, ()))


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    return timedelta(seconds=statistics.median(v.total_seconds() for v in values))


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}%"


def _under(target: timedelta | None) -> str | None:
    return f"< {format_duration(target)}" if target is not None else None


def _at_least(value: float | None, target: float | None) -> bool | None:
    return None if value is None or target is None else value >= target


def _at_most(value: timedelta | None, target: timedelta | None) -> bool | None:
    return None if value is None or target is None else value <= target


def _at_most_value(value: float | None, target: float | None) -> bool | None:
    return None if value is None or target is None else value <= target
