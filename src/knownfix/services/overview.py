"""The on-call overview: open incidents by severity, SLA breaches, a severity × status matrix and
occurrences per day over a recent window.

    overview = build_overview(store, days=30)
    overview.open_by_severity      # (("Critical", 1), ("High", 3), ...)
    overview.past_sla              # incidents owed a response past their due time

"Past SLA" and the daily series are the status report's own definitions
(:mod:`knownfix.core.report.kpis`), so the dashboard and the report never disagree. The daily
counts are summed by the database (:meth:`Store.occurrence_counts`): the overview reads one row
per incident and day, not every occurrence of the window.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from knownfix.core.records import INCIDENT_STATUSES, Incident
from knownfix.core.report.kpis import DayCount, IncidentLine, daily_series, overdue_lines
from knownfix.core.report.model import owner_of
from knownfix.core.report.text import as_utc, severity_label, severity_order
from knownfix.errors import InputError

if TYPE_CHECKING:
    from knownfix.storage.repository import Store

DEFAULT_DAYS = 30
MAX_DAYS = 366
RECENT = 10
RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class Overview:
    """What the overview page shows, computed at ``now`` over the last ``days`` days."""

    now: datetime
    days: int
    incidents: int
    unresolved: int
    open_by_severity: tuple[tuple[str, int], ...]
    matrix: tuple[tuple[str, tuple[int, ...]], ...]  # severity → count per INCIDENT_STATUSES
    past_sla: tuple[IncidentLine, ...]  # the most overdue first
    severities: tuple[str, ...]  # the daily series' severities, most urgent first
    daily: tuple[DayCount, ...]
    recent: tuple[Incident, ...]  # the latest unresolved incidents, most recently seen first

    @property
    def statuses(self) -> tuple[str, ...]:
        return INCIDENT_STATUSES

    @property
    def occurrences(self) -> int:
        return sum(day.total for day in self.daily)


def build_overview(
    store: Store, *, days: int = DEFAULT_DAYS, now: datetime | None = None
) -> Overview:
    """The overview over every live incident and the occurrences of the last ``days`` days."""
    if not 1 <= days <= MAX_DAYS:
        raise InputError(f"days must be between 1 and {MAX_DAYS}, not {days}")
    now = as_utc(now or datetime.now(UTC))
    since = now - timedelta(days=days)
    everything = store.list_incidents(include_merged=True)
    incidents = [i for i in everything if i.merged_into is None]  # merged: counted in target
    by_id = {incident.id: incident for incident in everything}
    per_day: Counter[tuple[date, str]] = Counter()
    for day, incident_id, count in store.occurrence_counts(since):
        owner = owner_of(incident_id, by_id)
        per_day[(day, severity_label(owner.severity if owner else None))] += count
    severities, daily = daily_series(per_day, now, since)
    unresolved = [i for i in incidents if i.status != RESOLVED]
    labels = sorted({severity_label(i.severity) for i in incidents}, key=severity_order)
    cells = Counter((severity_label(i.severity), i.status) for i in incidents)
    by_severity = Counter(severity_label(i.severity) for i in unresolved)
    return Overview(
        now=now,
        days=days,
        incidents=len(incidents),
        unresolved=len(unresolved),
        open_by_severity=tuple((label, by_severity[label]) for label in labels
                               if by_severity[label]),
        matrix=tuple(
            (label, tuple(cells[(label, status)] for status in INCIDENT_STATUSES))
            for label in labels
        ),
        past_sla=overdue_lines(incidents, now),
        severities=severities,
        daily=daily,
        recent=tuple(unresolved[:RECENT]),
    )
