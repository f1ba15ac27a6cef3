"""The KPIs of the status report: MTTR, time to detect, recurrence, SLA, daily counts.

Definitions (also in docs/reports.md):

- **MTTR** (mean time to resolve): mean of ``resolved_at - first_seen`` over the incidents
  resolved in the period.
- **Time to detect**: median of ``received_at`` minus the failure's own time, which is the latest
  zone-qualified ISO 8601 timestamp in the occurrence's excerpt that is not after ``received_at``;
  occurrences whose excerpt has none are left out. It is how long a failure took to reach knownfix.
- **Recurrence interval**: median gap between consecutive occurrences of one incident.
- **Past SLA**: incidents still open or investigating whose SLA due time has passed.
- **Occurrences per day**: per UTC day and incident severity, from the first day to today.
- **Top recurring**: incidents seen at least twice, by count (their total, not only the period).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from knownfix.core.records import Incident, Occurrence
from knownfix.core.report.text import (
    as_utc,
    detection_delay,
    natural_key,
    one_line,
    severity_label,
    severity_order,
)

TOP_RECURRING = 10
LEADING_DAYS = 366
"""Empty days a ``--since`` long before the first occurrence adds to the chart, at most."""
RESPONDING = ("open", "investigating")
"""Statuses still owed a response: past its SLA due time, such an incident is overdue."""


@dataclass(frozen=True, slots=True)
class DayCount:
    """Occurrences received on one UTC day, one count per severity of ``Kpis.severities``."""

    day: date
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True, slots=True)
class IncidentLine:
    """An incident as the KPI tables show it; ``overdue`` is how long past its SLA due time."""

    id: str
    title: str
    severity: str
    status: str
    count: int
    first_seen: datetime
    last_seen: datetime
    sla_due_at: datetime | None
    known_issue_id: str | None
    overdue: timedelta | None = None


@dataclass(frozen=True, slots=True)
class Kpis:
    """Key figures; a duration is None where there is nothing to compute it from ("n/a")."""

    mttr: timedelta | None
    resolved_count: int
    time_to_detect: timedelta | None
    detected_count: int
    recurrence_interval: timedelta | None
    recurrence_count: int
    past_sla: tuple[IncidentLine, ...]
    severities: tuple[str, ...]
    daily: tuple[DayCount, ...]
    top_recurring: tuple[IncidentLine, ...]


def past_sla(incident: Incident, now: datetime) -> bool:
    """True when the incident is still owed a response and its SLA due time has passed."""
    due = incident.sla_due_at
    return incident.status in RESPONDING and due is not None and as_utc(due) < as_utc(now)


def _incident_line(incident: Incident, now: datetime | None = None) -> IncidentLine:
    due = as_utc(incident.sla_due_at) if incident.sla_due_at else None
    return IncidentLine(
        id=incident.id,
        title=one_line(incident.title),
        severity=severity_label(incident.severity),
        status=incident.status,
        count=incident.count,
        first_seen=as_utc(incident.first_seen),
        last_seen=as_utc(incident.last_seen),
        sla_due_at=due,
        known_issue_id=incident.known_issue_id,
        overdue=now - due if now is not None and due is not None else None,
    )


def compute_kpis(
    incidents: list[Incident],
    occurrences: list[Occurrence],
    owners: list[Incident | None],
    now: datetime,
    since: datetime | None,
) -> Kpis:
    """The KPIs over the period's incidents and its occurrences (sorted by ``received_at``).

    ``owners[i]`` is the incident ``occurrences[i]`` counts for (None if unknown).
    """
    # MTTR: mean of resolved_at - first_seen over the incidents resolved in the period.
    repairs = [t for i in incidents if (t := _repair_time(i, since)) is not None]
    # Time to detect: received_at minus the failure's own time, read from the excerpt (median).
    delays = [
        delay for o in occurrences
        if (delay := detection_delay(o.excerpt_text, as_utc(o.received_at))) is not None
    ]
    # Recurrence interval: median gap between consecutive occurrences of one incident.
    times: dict[str, list[datetime]] = defaultdict(list)
    for occurrence, owner in zip(occurrences, owners, strict=True):
        times[owner.id if owner else occurrence.incident_id].append(as_utc(occurrence.received_at))
    gaps = [b - a for seen in times.values() for a, b in zip(seen, seen[1:], strict=False)]
    recurring = sorted(
        (i for i in incidents if i.count >= 2),
        key=lambda i: (-i.count, -as_utc(i.last_seen).timestamp(), natural_key(i.id)),
    )[:TOP_RECURRING]
    severities, daily = _daily(occurrences, owners, now, since)
    return Kpis(
        mttr=_mean(repairs),
        resolved_count=len(repairs),
        time_to_detect=_median(delays),
        detected_count=len(delays),
        recurrence_interval=_median(gaps),
        recurrence_count=len(gaps),
        past_sla=overdue_lines(incidents, now),
        severities=severities,
        daily=daily,
        top_recurring=tuple(_incident_line(i) for i in recurring),
    )


def _repair_time(incident: Incident, since: datetime | None) -> timedelta | None:
    """How long a resolved incident took to resolve, if resolved in the period (None if not)."""
    if incident.status != "resolved" or incident.resolved_at is None:
        return None
    resolved = as_utc(incident.resolved_at)
    if since is not None and resolved < since:
        return None
    taken = resolved - as_utc(incident.first_seen)
    return taken if taken >= timedelta() else None  # a clock set backwards: no usable time


def overdue_lines(incidents: Iterable[Incident], now: datetime) -> tuple[IncidentLine, ...]:
    """The incidents past their SLA (:func:`past_sla`), the most overdue first."""
    overdue = [_incident_line(i, now) for i in incidents if past_sla(i, now)]
    overdue.sort(key=lambda line: (-(line.overdue or timedelta()).total_seconds(), line.id))
    return tuple(overdue)


def _daily(
    occurrences: list[Occurrence],
    owners: list[Incident | None],
    now: datetime,
    since: datetime | None,
) -> tuple[tuple[str, ...], tuple[DayCount, ...]]:
    """Occurrences per UTC day and severity, every day from the first to today (zeros kept)."""
    labels = [severity_label(owner.severity if owner else None) for owner in owners]
    counts: Counter[tuple[date, str]] = Counter(
        (as_utc(o.received_at).date(), label) for o, label in zip(occurrences, labels, strict=True)
    )
    return daily_series(counts, now, since)


def daily_series(
    counts: Mapping[tuple[date, str], int], now: datetime, since: datetime | None
) -> tuple[tuple[str, ...], tuple[DayCount, ...]]:
    """Counts per (UTC day, severity label) as the chart's series: the severities, most urgent
    first, and every day from the first counted (or ``since``) to today, zeros kept."""
    counted = {key: n for key, n in counts.items() if n}
    if not counted:
        return (), ()
    severities = tuple(sorted({label for _, label in counted}, key=severity_order))
    earliest = min(day for day, _ in counted)
    last = max(as_utc(now).date(), max(day for day, _ in counted))
    first = earliest
    if since is not None and since.date() < earliest:
        first = max(since.date(), min(earliest, last - timedelta(days=LEADING_DAYS - 1)))
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return severities, tuple(
        DayCount(day, tuple(counted.get((day, s), 0) for s in severities)) for day in days
    )


def _mean(values: list[timedelta]) -> timedelta | None:
    return sum(values, timedelta()) / len(values) if values else None


def _median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    return timedelta(seconds=statistics.median(v.total_seconds() for v in values))
