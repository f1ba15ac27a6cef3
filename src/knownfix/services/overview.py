"""The on-call overview: open incidents by severity, SLA breaches, a severity × status matrix and
occurrences per day over a recent window.

    overview = build_overview(store, days=30)
    overview.open_by_severity      # (("Critical", 1), ("High", 3), ...)
    overview.kpis.past_sla         # incidents owed a response past their due time

The SLA breaches and the daily counts are the status report's own KPIs
(:func:`knownfix.core.report.model.build_report` over the store's incidents and the window's
occurrences), so the dashboard and the report never disagree on what "past SLA" means.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from knownfix.core.records import INCIDENT_STATUSES, Incident
from knownfix.core.report.kpis import Kpis
from knownfix.core.report.model import build_report
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
    kpis: Kpis
    recent: tuple[Incident, ...]  # the latest unresolved incidents, most recently seen first

    @property
    def statuses(self) -> tuple[str, ...]:
        return INCIDENT_STATUSES

    @property
    def occurrences(self) -> int:
        return sum(day.total for day in self.kpis.daily)


def build_overview(
    store: Store, *, days: int = DEFAULT_DAYS, now: datetime | None = None
) -> Overview:
    """The overview over every live incident and the occurrences of the last ``days`` days."""
    if not 1 <= days <= MAX_DAYS:
        raise InputError(f"days must be between 1 and {MAX_DAYS}, not {days}")
    now = as_utc(now or datetime.now(UTC))
    since = now - timedelta(days=days)
    incidents = store.list_incidents()  # merged ones are counted in their target
    # No known issues: only the incident KPIs are wanted, and a large knowledge base would be
    # read for nothing.
    report = build_report((), incidents, store.list_occurrences(since=since), now=now,
                          since=since)
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
        kpis=report.kpis,
        recent=tuple(unresolved[:RECENT]),
    )
