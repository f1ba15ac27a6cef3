"""Recording one occurrence: the atomic dedup at the heart of the incident store.

All of an occurrence happens in the caller's write transaction: read the loose fingerprint's row
with its incident's (on PostgreSQL the link ``FOR SHARE``, so a merge cannot move it underneath,
and the incident ``FOR UPDATE``, in one statement); when there is none, create
the incident and ``INSERT … ON CONFLICT DO NOTHING`` the fingerprint inside a savepoint — the
loser of a race rolls back its savepoint (display-id number included), re-reads the winner's row
and reports the incident as not new. The incident's row, locked, is then counted
(``count = count + 1``) and the occurrence inserted; an idempotency key that already exists
raises :class:`Duplicate`, which rolls the whole transaction back.

The rules live here once and name the statements they run; a :class:`Writer` runs them. The
statements are SQLAlchemy Core, defined in :mod:`knownfix.storage.incident_record`, whose
writer runs them on a SQLAlchemy connection (every backend). ``knownfix triage`` recording in a
SQLite store runs the same statements, compiled for SQLite (:mod:`knownfix.storage.incident_sql`,
generated from them and checked by a test), on a plain ``sqlite3`` connection
(:mod:`knownfix.storage.sqlite_writer`): importing SQLAlchemy costs a quarter of a second, more
than the rest of such a triage.

This module imports neither SQLAlchemy nor a driver.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from knownfix.core.policy import normalize_severity, response_time_to_timedelta
from knownfix.core.records import Incident
from knownfix.errors import Conflict

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

RESOLVED = "resolved"
OPEN = "open"
SYSTEM_ACTOR = "knownfix"
"""Who recorded an occurrence, in the audit trail."""

SEVERITY_PREFIXES: dict[str, str] = {
    "critical": "CRIT",
    "high": "HIGH",
    "medium": "MED",
    "warning": "WARN",
    "low": "LOW",
    "info": "INFO",
}
"""Display-id prefix per canonical severity (``knownfix.core.policy.SEVERITIES``)."""
UNKNOWN_PREFIX = "INC"
"""Prefix of an incident whose severity names no canonical level ("Whenever", "")."""
DISPLAY_DIGITS = 3


class Rows(Protocol):
    """What a statement gives back: rows as mappings by column name."""

    def scalar(self) -> Any: ...
    def first(self) -> Mapping[Any, Any] | None: ...
    def one(self) -> Mapping[Any, Any]: ...
    def all(self) -> Sequence[Mapping[Any, Any]]: ...


class Savepoint(Protocol):
    def rollback(self) -> None: ...


class Writer(Protocol):
    """One write transaction that runs the recording statements by name."""

    def run(self, name: str, params: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> Rows:
        ...

    def savepoint(self) -> AbstractContextManager[Savepoint]: ...


@dataclass(frozen=True, slots=True)
class NewOccurrence:
    """One received failure, triaged and fingerprinted, ready to be recorded."""

    source: str
    title: str
    fingerprint: str  # strict
    loose_fingerprint: str
    fingerprint_version: str
    excerpt_text: str  # redacted
    category: str
    severity: str
    spans: tuple[tuple[int, int], ...] = ()
    response_time: str | None = None
    escalation: str | None = None
    known_issue_id: str | None = None  # the confident top match, if any
    idempotency_key: str | None = None  # or a trace id
    scope: str = ""  # a repository or service whose incidents are kept apart
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    # Loose fingerprints older fingerprint strategies give this failure: the incident one of
    # them opened is joined, so a new strategy never splits an incident. A function giving
    # them is called only when the current fingerprint has no incident: computing them costs
    # a fingerprint per older strategy, and most occurrences join their incident directly.
    # Called with the older strategies that linked an incident in the store.
    older_loose_fingerprints: (
        tuple[str, ...] | Callable[[Collection[str]], tuple[str, ...]]
    ) = ()

    def older_fingerprints(self, versions: Collection[str]) -> tuple[str, ...]:
        older = self.older_loose_fingerprints
        return older(versions) if callable(older) else older


@dataclass(frozen=True, slots=True)
class Recorded:
    """What recording did: the incident (after the change) and how it got there."""

    incident: Incident
    new: bool  # this occurrence opened the incident
    duplicate: bool = False  # its idempotency key was seen before: nothing was counted
    reopened: bool = False  # the incident was resolved and is open again


OnRecorded = Callable[["Connection", Recorded], None]
"""What a caller writes in the transaction that recorded an occurrence (its event done)."""


class Duplicate(Exception):
    """Raised inside the write transaction to roll it back: the key was already recorded."""


def display_prefix(severity: str | None) -> str:
    """``CRIT`` for "Critical" / "🔴 P0", ``MED`` for "medium" …, ``INC`` when unknown."""
    canonical = normalize_severity(severity)
    return SEVERITY_PREFIXES.get(canonical or "", UNKNOWN_PREFIX)


def next_display_id(w: Writer, severity: str | None) -> str:
    """The next display id for ``severity`` (``HIGH-004``), atomic across processes: one upsert
    increments and returns the counter (on PostgreSQL its row lock serialises concurrent
    allocations of one prefix until commit; SQLite has one writer anyway)."""
    prefix = display_prefix(severity)
    number = int(w.run("next_number", {"prefix": prefix}).scalar())
    return f"{prefix}-{number:0{DISPLAY_DIGITS}d}"


def sla_due(first_seen: datetime, response_time: str | None) -> datetime | None:
    """When the response is due: first seen plus the response time, None without one."""
    allowed: timedelta | None = response_time_to_timedelta(response_time)
    if allowed is None:
        return None
    try:
        return first_seen + allowed
    except OverflowError:  # "9999 months" past year 9999: no usable due time
        return None


def incident_from_row(row: Mapping[Any, Any]) -> Incident:
    """The :class:`Incident` record of an ``incidents`` row with ``merged_into_display``."""
    return Incident(
        id=row["display_id"],
        title=row["title"],
        status=row["status"],
        severity=row["severity"],
        category=row["category"],
        fingerprint=row["fingerprint"],
        count=int(row["count"]),
        first_seen=row["first_seen"],
        last_seen=row["last_seen"],
        sla_due_at=row["sla_due_at"],
        response_time=row["response_time"],
        escalation=row["escalation"],
        known_issue_id=row["known_issue_id"],
        merged_into=row["merged_into_display"],
        resolved_at=row["resolved_at"],
        reopened=int(row["reopened"]),
        scope=row["scope"],
    )


def event_rows(incident: int, at: datetime, actor: str,
               entries: Iterable[tuple[str, Mapping[str, Any] | None]]) -> list[dict[str, Any]]:
    """The ``incident_events`` rows of ``(action, detail)`` audit entries, in order."""
    return [{"incident_id": incident, "at": at, "actor": actor, "action": action,
             "detail": dict(detail or {})} for action, detail in entries]


def add_events(w: Writer, incident: int, at: datetime, actor: str,
               entries: Iterable[tuple[str, Mapping[str, Any] | None]]) -> None:
    """Append ``(action, detail)`` entries, in order, to an incident's audit trail in one
    statement (none: nothing is sent)."""
    rows = event_rows(incident, at, actor, entries)
    if rows:
        w.run("add_event", rows if len(rows) > 1 else rows[0])


def record(
    w: Writer, occ: NewOccurrence, actor: str,
    older_versions: Collection[str] | None = None,
) -> Recorded:
    """Everything one occurrence does, inside the writer's transaction.

    ``older_versions``: the older fingerprint strategies that linked incidents in the store
    (see :func:`older_versions_in_use`); None reads them here."""
    now = occ.received_at
    # The row lock orders concurrent occurrences of one incident (and a merge) on PostgreSQL;
    # an incident opened below is this transaction's alone until it commits.
    row = w.run("linked_incident", {"scope": occ.scope, "loose": occ.loose_fingerprint}).first()
    pk = None if row is None else int(row["id"])
    if pk is None:
        if older_versions is None:
            older_versions = older_versions_in_use(w, occ.fingerprint_version)
        pk = _adopted(w, occ, older_versions) if older_versions else None
    opened: Mapping[str, Any] | None = None
    if pk is None:
        pk, opened = _open_incident(w, occ)
    if opened is not None:
        row = opened
    elif row is None:  # adopted, or joined the incident a concurrent writer opened
        row = w.run("lock_incident", {"pk": pk}).one()
    inserted = w.run("insert_occurrence", {
        "incident_id": pk,
        "source": occ.source,
        "received_at": now,
        "fingerprint": occ.fingerprint,
        "loose_fingerprint": occ.loose_fingerprint,
        "scope": occ.scope,
        "idempotency_key": occ.idempotency_key,
        "excerpt_text": occ.excerpt_text,
        "spans": [list(span) for span in occ.spans],
        "title": occ.title,
    }).scalar()
    if inserted is None:
        raise Duplicate
    trail: list[tuple[str, dict[str, Any]]] = []
    new = reopened = False
    if opened is not None:  # inserted counted: nothing to update
        new, counted = True, opened
        trail.append(("opened", {"source": occ.source, "fingerprint": occ.loose_fingerprint}))
        if occ.known_issue_id:
            trail.append(("linked", {"known_issue_id": occ.known_issue_id}))
    else:
        values = _counted(row, occ, now)
        counted = w.run("count", {"pk": pk, **values}).one()
        reopened = row["status"] == RESOLVED
        if reopened:
            trail.append(("reopened", {"source": occ.source,
                                       "resolved_at": _iso(row["resolved_at"])}))
        if values["known_issue_id"] != row["known_issue_id"]:  # this occurrence linked it
            trail.append(("linked", {"known_issue_id": occ.known_issue_id}))
    add_events(w, pk, now, actor, trail)
    return Recorded(_incident(w, counted), new=new, reopened=reopened)


def _counted(row: Mapping[str, Any], occ: NewOccurrence, now: datetime) -> dict[str, Any]:
    """The values the ``count`` statement sets for one more occurrence of the incident ``row``
    (every column, to its own value where the occurrence changes nothing: the row is locked)."""
    resolved = row["status"] == RESOLVED
    known = row["known_issue_id"]
    return {
        "updated_at": now,
        "last_seen": now if now > row["last_seen"] else row["last_seen"],
        "status": OPEN if resolved else row["status"],
        "resolved_at": None if resolved else row["resolved_at"],
        "reopens": 1 if resolved else 0,
        "known_issue_id": occ.known_issue_id if occ.known_issue_id and known is None else known,
    }


def _incident(w: Writer, row: Mapping[str, Any]) -> Incident:
    """The record of an ``incidents`` row (the display id it is merged into read if any)."""
    merged = row["merged_into"]
    target = None if merged is None else w.run("display_id", {"pk": merged}).scalar()
    return incident_from_row({**row, "merged_into_display": target})


def _linked_incident(w: Writer, scope: str, loose_fingerprint: str) -> int | None:
    """The incident a loose fingerprint joins in a scope; ``FOR SHARE`` so a merge waits."""
    pk = w.run("linked", {"scope": scope, "loose": loose_fingerprint}).scalar()
    return None if pk is None else int(pk)


def older_versions_in_use(w: Writer, current: str) -> frozenset[str]:
    """The fingerprint strategies older than ``current`` that linked an incident: only their
    fingerprints of a new failure can find one (each costs a fingerprint to compute)."""
    rows = w.run("older_versions", {"current": current}).all()
    return frozenset(str(row["version"]) for row in rows)


def _adopted(w: Writer, occ: NewOccurrence, versions: Collection[str]) -> int | None:
    """The incident an older fingerprint strategy opened for this failure, now linked to this
    strategy's fingerprint too (the next occurrence finds it directly); None if there is none.

    Only links an older strategy made count: an older strategy's fingerprint of this failure
    can equal what the current strategy gave *another* failure (the current one tells them
    apart, by a test's name say), and joining that incident would undo the distinction."""
    for older in occ.older_fingerprints(versions):
        link = w.run("older_link", {"scope": occ.scope, "loose": older,
                                    "version": occ.fingerprint_version}).first()
        if link is None:
            continue
        pk, original = int(link["incident_id"]), link["original_incident_id"]
        # Unmerge restores a fingerprint to the incident it opened: the older one's.
        w.run("adopt_link", {
            "scope": occ.scope,
            "loose_fingerprint": occ.loose_fingerprint,
            "incident_id": pk,
            "original_incident_id": original or pk,
            "version": occ.fingerprint_version,
            "created_at": occ.received_at,
        })
        # A concurrent writer may have linked it first: whatever is linked now wins.
        return _linked_incident(w, occ.scope, occ.loose_fingerprint) or pk
    return None


def _open_incident(w: Writer, occ: NewOccurrence) -> tuple[int, Mapping[str, Any] | None]:
    """Create the incident of a new fingerprint, or find the one a concurrent writer created.

    Returns the incident's key and, when this call created it, its row, counted already (this
    occurrence is its first; if the occurrence turns out a repeat, the transaction is rolled
    back whole): the loser of a race joins the winner's incident and must not report it as new.
    """
    now = occ.received_at
    with w.savepoint() as savepoint:
        row = w.run("insert_incident", {
            "display_id": next_display_id(w, occ.severity),
            "title": occ.title,
            "status": OPEN,
            "severity": occ.severity,
            "category": occ.category,
            "response_time": occ.response_time,
            "escalation": occ.escalation,
            "fingerprint": occ.loose_fingerprint,
            "known_issue_id": occ.known_issue_id,
            "count": 1,
            "first_seen": now,
            "last_seen": now,
            "sla_due_at": sla_due(now, occ.response_time),
            "resolved_at": None,
            "reopened": 0,
            "merged_into": None,
            "scope": occ.scope,
            "created_at": now,
            "updated_at": now,
        }).one()
        pk = int(row["id"])
        claimed = w.run("claim_fingerprint", {
            "scope": occ.scope,
            "loose_fingerprint": occ.loose_fingerprint,
            "incident_id": pk,
            "original_incident_id": pk,
            "version": occ.fingerprint_version,
            "created_at": now,
        }).scalar()
        if claimed is None:
            savepoint.rollback()  # another writer opened it first: its number, not ours
        else:
            return pk, row
    winner = _linked_incident(w, occ.scope, occ.loose_fingerprint)
    if winner is None:  # pragma: no cover - the row we conflicted with is committed
        raise Conflict(f"fingerprint {occ.loose_fingerprint} claimed and gone")
    return winner, None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
