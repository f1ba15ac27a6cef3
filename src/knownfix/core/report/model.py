"""The status report as data: executive summary, issue matrix, troubleshooting index, KPIs.

    model = build_report(known_issues, incidents, occurrences, now=now, since=None)
    model.summary.by_status        # (Share("Fixed", 7, 21), Share("In progress", 0, 21), ...)
    model.kpis.mttr                # timedelta, or None when no incident was resolved

Pure: it takes plain lists of records and a clock reading, so one model feeds the Markdown, HTML
and PDF renderers, and tests build it from hand-made records. Each KPI is defined where it is
computed (the same words are in docs/reports.md). Naive datetimes are taken as UTC.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from knownfix.core.policy.values import severity_rank
from knownfix.core.records import Incident, KnownIssue, Occurrence
from knownfix.core.report.healing import HealingKpis
from knownfix.core.report.kpis import DayCount, IncidentLine, Kpis, compute_kpis
from knownfix.core.report.text import (
    UNCATEGORIZED,
    as_utc,
    bucket_of,
    natural_key,
    one_line,
    severity_label,
    severity_order,
)
from knownfix.errors import InputError

DEFAULT_TITLE = "Known issues status report"
STATUS_LABELS = ("Fixed", "In progress", "Pending")
"""The three status shares the executive summary always shows; others appear when present."""
NOT_STATED = "Not stated"
OTHER = "Other"

# Earliest match in the value wins, ties in this order: "Not fixed" is pending, "Fix in
# progress" is in progress, "Fixed (monitoring planned)" is fixed.
STATUS_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Pending", re.compile(
        r"\b(?:not|won'?t|pending|open|planned|todo|to do|backlog|blocked|waiting|scheduled"
        r"|deferred|proposed|unresolved|unfixed)\b")),
    ("In progress", re.compile(
        r"\b(?:in[ -]?progress|investigating|ongoing|wip|started|working|in review|testing"
        r"|partial(?:ly)?)\b")),
    ("Fixed", re.compile(
        r"\b(?:fixed|resolved|done|closed|complete[d]?|implemented|solved|mitigated|deployed"
        r"|shipped|merged)\b")),
)
SELF_HEALING_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Off", re.compile(r"\b(?:no|none|not|manual|disabled|off|n/?a)\b")),
    ("Planned", re.compile(r"\b(?:planned|pending|todo|proposed|partial)\b")),
    ("Active", re.compile(r"\b(?:active|enabled|yes|automated|automatic|auto|implemented|on)\b")),
)
UNRESOLVED = ("open", "investigating", "mitigated")


@dataclass(frozen=True, slots=True)
class Share:
    """A count out of a total; ``percent`` is 0 when the total is."""

    label: str
    count: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.count / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.count} ({self.percent:.0f}%)"


@dataclass(frozen=True, slots=True)
class Summary:
    """The executive summary: known issues by status and severity, incidents by status."""

    issues: int
    by_status: tuple[Share, ...]
    by_severity: tuple[Share, ...]
    self_healing_active: Share
    incidents: int
    incidents_open: int
    incidents_resolved: int
    incidents_by_status: tuple[Share, ...]
    occurrences: int


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One active known issue in the status matrix; text fields are single lines."""

    id: str
    severity: str
    title: str
    status: str
    self_healing: str
    root_cause: str
    solution: str


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One known issue in the troubleshooting index."""

    id: str
    title: str
    problem: str
    root_cause: str
    solution: str
    source: str | None


@dataclass(frozen=True, slots=True)
class CategoryGroup:
    name: str
    entries: tuple[IndexEntry, ...]


@dataclass(frozen=True, slots=True)
class ReportModel:
    """Everything a status report shows, ready for a template."""

    title: str
    generated_at: datetime
    since: datetime | None
    summary: Summary
    matrix: tuple[MatrixRow, ...]
    index: tuple[CategoryGroup, ...]
    kpis: Kpis
    healing: HealingKpis | None = None  # set by the report service when healing is in use

    @property
    def empty(self) -> bool:
        """True when there is nothing yet: no known issue, no incident, no occurrence, no
        playbook run."""
        return not (self.summary.issues or self.summary.incidents or self.summary.occurrences
                    or self.healing)


def build_report(
    known_issues: Iterable[KnownIssue],
    incidents: Iterable[Incident],
    occurrences: Iterable[Occurrence],
    *,
    now: datetime,
    since: datetime | None = None,
    title: str | None = None,
) -> ReportModel:
    """The report over active known issues and the incidents and occurrences since ``since``.

    ``incidents`` may include merged ones: they are not counted, but their occurrences are
    counted under the incident they were merged into.
    """
    now = as_utc(now)
    since = as_utc(since) if since is not None else None
    issues = sorted(
        (issue for issue in known_issues if not issue.retired),
        key=lambda issue: (-severity_rank(issue.severity), natural_key(issue.id)),
    )
    everything = list(incidents)
    by_id = {incident.id: incident for incident in everything}
    live = [i for i in everything if i.merged_into is None and _in_period(i, since)]
    received = [o for o in occurrences if since is None or as_utc(o.received_at) >= since]
    received.sort(key=lambda o: as_utc(o.received_at))
    owners = [owner_of(o.incident_id, by_id) for o in received]
    return ReportModel(
        title=" ".join((title or "").split()) or DEFAULT_TITLE,
        generated_at=now,
        since=since,
        summary=_summary(issues, live, len(received)),
        matrix=tuple(_matrix_row(issue) for issue in issues),
        index=_index(issues),
        kpis=compute_kpis(live, received, owners, now, since),
    )


_RELATIVE = re.compile(r"^(\d{1,5})\s*([hdw])$")
_RELATIVE_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


def parse_since(text: str, now: datetime) -> datetime:
    """The start of a report period: an ISO date or date-time (UTC if no zone), or "7d" ago.

    Relative forms count back from ``now`` in hours, days or weeks: "24h", "30d", "2w".
    """
    value = text.strip()
    relative = _RELATIVE.match(value.lower())
    try:
        if relative:
            return as_utc(now) - int(relative.group(1)) * _RELATIVE_UNITS[relative.group(2)]
        return as_utc(datetime.fromisoformat(value))
    except (ValueError, OverflowError):
        raise InputError(
            f"--since {text!r}: use a date (2025-03-01), a date and time (2025-03-01T08:00Z) "
            "or a span back from now (24h, 30d, 2w)"
        ) from None


def status_bucket(text: str | None) -> str:
    """Fixed, In progress or Pending for a status value; "Not stated" or "Other" otherwise."""
    if not (text or "").strip():
        return NOT_STATED
    return bucket_of(text or "", STATUS_RULES) or OTHER


def _in_period(incident: Incident, since: datetime | None) -> bool:
    """An incident belongs to the period if it was seen or resolved in it, or is unresolved."""
    if since is None or incident.status != "resolved":
        return True
    ends = [incident.last_seen, *([incident.resolved_at] if incident.resolved_at else [])]
    return any(as_utc(moment) >= since for moment in ends)


def owner_of(incident_id: str, by_id: Mapping[str, Incident]) -> Incident | None:
    """The incident an occurrence counts for, following merges (a cycle stops the walk)."""
    seen: set[str] = set()
    current = by_id.get(incident_id)
    while current is not None and current.merged_into and current.id not in seen:
        seen.add(current.id)
        current = by_id.get(current.merged_into, current)
    return current


def _shares(labels: Iterable[str], order: Sequence[str], total: int) -> tuple[Share, ...]:
    """Shares of each label: every label in ``order`` (even at 0), then the others found."""
    counts = Counter(labels)
    extra = [label for label in counts if label not in order]
    return tuple(Share(label, counts.get(label, 0), total) for label in [*order, *extra])


def _summary(issues: list[KnownIssue], incidents: list[Incident], occurrences: int) -> Summary:
    total = len(issues)
    statuses = _shares((status_bucket(i.status) for i in issues), STATUS_LABELS, total)
    severities = sorted({severity_label(i.severity) for i in issues}, key=severity_order)
    healing = sum(bucket_of(i.self_healing or "", SELF_HEALING_RULES) == "Active" for i in issues)
    resolved = sum(incident.status == "resolved" for incident in incidents)
    return Summary(
        issues=total,
        by_status=tuple(s for s in statuses if s.count or s.label in STATUS_LABELS),
        by_severity=_shares((severity_label(i.severity) for i in issues), severities, total),
        self_healing_active=Share("Self-healing active", healing, total),
        incidents=len(incidents),
        incidents_open=len(incidents) - resolved,
        incidents_resolved=resolved,
        incidents_by_status=_shares(
            (incident.status for incident in incidents), (*UNRESOLVED, "resolved"), len(incidents)
        ),
        occurrences=occurrences,
    )


def _matrix_row(issue: KnownIssue) -> MatrixRow:
    return MatrixRow(
        id=issue.id,
        severity=severity_label(issue.severity),
        title=one_line(issue.title),
        status=one_line(issue.status or "") or NOT_STATED,
        self_healing=one_line(issue.self_healing or ""),
        root_cause=one_line(issue.root_cause),
        solution=one_line(issue.resolution or "\n".join(issue.resolution_steps)),
    )


def _index(issues: list[KnownIssue]) -> tuple[CategoryGroup, ...]:
    groups: dict[str, list[IndexEntry]] = defaultdict(list)
    for issue in sorted(issues, key=lambda i: natural_key(i.id)):
        row = _matrix_row(issue)
        name = one_line(issue.category or "") or UNCATEGORIZED
        groups[name].append(IndexEntry(
            id=issue.id,
            title=row.title,
            problem=one_line(issue.symptoms[0]) if issue.symptoms else "",
            root_cause=row.root_cause,
            solution=row.solution,
            source=str(issue.source) if issue.source else None,
        ))
    names = sorted(groups, key=lambda name: (name == UNCATEGORIZED, name.casefold()))
    return tuple(CategoryGroup(name, tuple(groups[name])) for name in names)




__all__ = [
    "DEFAULT_TITLE",
    "CategoryGroup",
    "DayCount",
    "IncidentLine",
    "IndexEntry",
    "Kpis",
    "MatrixRow",
    "ReportModel",
    "Share",
    "Summary",
    "build_report",
    "owner_of",
    "parse_since",
    "status_bucket",
]
