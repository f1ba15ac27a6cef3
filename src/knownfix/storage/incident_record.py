"""Recording one occurrence: the atomic dedup at the heart of the incident store.

All of an occurrence happens in the caller's write transaction: read the loose fingerprint's row
(``FOR SHARE`` on PostgreSQL, so a merge cannot move it underneath); when there is none, create
the incident and ``INSERT … ON CONFLICT DO NOTHING`` the fingerprint inside a savepoint — the
loser of a race rolls back its savepoint (display-id number included), re-reads the winner's row
and reports the incident as not new. The incident's row is then locked and counted
(``count = count + 1``) and the occurrence inserted; an idempotency key that already exists
raises :class:`Duplicate`, which rolls the whole transaction back.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from knownfix.core.records import Incident
from knownfix.errors import Conflict
from knownfix.storage.incident_rows import (
    add_event,
    allocate_display_id,
    incident_from_row,
    incident_select,
    sla_due,
    upsert,
)
from knownfix.storage.incident_tables import incident_fingerprints, incidents, occurrences

if TYPE_CHECKING:
    from sqlalchemy.engine import RowMapping

RESOLVED = "resolved"
OPEN = "open"


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


class Duplicate(Exception):
    """Raised inside the write transaction to roll it back: the key was already recorded."""


def incident_by_pk(conn: Connection, pk: int) -> Incident:
    row = conn.execute(incident_select().where(incidents.c.id == pk)).mappings().one()
    return incident_from_row(row)


def record(
    conn: Connection, occ: NewOccurrence, actor: str,
    older_versions: Collection[str] | None = None,
) -> Recorded:
    """Everything one occurrence does, inside the caller's write transaction.

    ``older_versions``: the older fingerprint strategies that linked incidents in the store
    (see :func:`older_versions_in_use`); None reads them here."""
    now = occ.received_at
    pk = _linked_incident(conn, occ.scope, occ.loose_fingerprint)
    if pk is None:
        if older_versions is None:
            older_versions = older_versions_in_use(conn, occ.fingerprint_version)
        pk = _adopted(conn, occ, older_versions) if older_versions else None
    new = False
    if pk is None:
        pk, new = _open_incident(conn, occ, actor)
    # The row lock orders concurrent occurrences of one incident (and a merge) on PostgreSQL.
    row = conn.execute(
        select(incidents).where(incidents.c.id == pk).with_for_update()
    ).mappings().one()
    inserted = conn.execute(
        upsert(conn, occurrences)
        .values(
            incident_id=pk,
            source=occ.source,
            received_at=now,
            fingerprint=occ.fingerprint,
            loose_fingerprint=occ.loose_fingerprint,
            scope=occ.scope,
            idempotency_key=occ.idempotency_key,
            excerpt_text=occ.excerpt_text,
            spans=[list(span) for span in occ.spans],
            title=occ.title,
        )
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(occurrences.c.id)
    ).scalar()
    if inserted is None:
        raise Duplicate
    values = _counted(row, occ, now)
    conn.execute(update(incidents).where(incidents.c.id == pk).values(**values))
    reopened = row["status"] == RESOLVED
    if reopened:
        add_event(conn, pk, now, actor, "reopened",
                  {"source": occ.source, "resolved_at": _iso(row["resolved_at"])})
    if "known_issue_id" in values:
        add_event(conn, pk, now, actor, "linked", {"known_issue_id": occ.known_issue_id})
    return Recorded(incident_by_pk(conn, pk), new=new, reopened=reopened)


def _counted(row: RowMapping, occ: NewOccurrence, now: datetime) -> dict[str, Any]:
    values: dict[str, Any] = {
        "count": incidents.c.count + 1,
        "updated_at": now,
    }
    if now > row["last_seen"]:
        values["last_seen"] = now
    if row["status"] == RESOLVED:
        values.update(status=OPEN, resolved_at=None, reopened=incidents.c.reopened + 1)
    if occ.known_issue_id and row["known_issue_id"] is None:
        values["known_issue_id"] = occ.known_issue_id
    return values


def _linked_incident(conn: Connection, scope: str, loose_fingerprint: str) -> int | None:
    """The incident a loose fingerprint joins in a scope; ``FOR SHARE`` so a merge waits."""
    statement = (
        select(incident_fingerprints.c.incident_id)
        .where(incident_fingerprints.c.scope == scope,
               incident_fingerprints.c.loose_fingerprint == loose_fingerprint)
        .with_for_update(read=True)
    )
    pk = conn.execute(statement).scalar()
    return None if pk is None else int(pk)


def older_versions_in_use(conn: Connection, current: str) -> frozenset[str]:
    """The fingerprint strategies older than ``current`` that linked an incident: only their
    fingerprints of a new failure can find one (each costs a fingerprint to compute)."""
    rows = conn.execute(
        select(incident_fingerprints.c.version)
        .where(incident_fingerprints.c.version < current)
        .distinct()
    )
    return frozenset(str(version) for version, in rows)


def _adopted(conn: Connection, occ: NewOccurrence, versions: Collection[str]) -> int | None:
    """The incident an older fingerprint strategy opened for this failure, now linked to this
    strategy's fingerprint too (the next occurrence finds it directly); None if there is none.

    Only links an older strategy made count: an older strategy's fingerprint of this failure
    can equal what the current strategy gave *another* failure (the current one tells them
    apart, by a test's name say), and joining that incident would undo the distinction."""
    for older in occ.older_fingerprints(versions):
        link = conn.execute(
            select(incident_fingerprints.c.incident_id,
                   incident_fingerprints.c.original_incident_id)
            .where(incident_fingerprints.c.scope == occ.scope,
                   incident_fingerprints.c.loose_fingerprint == older,
                   incident_fingerprints.c.version < occ.fingerprint_version)
            .with_for_update(read=True)
        ).first()
        if link is None:
            continue
        pk, original = int(link.incident_id), link.original_incident_id
        # Unmerge restores a fingerprint to the incident it opened: the older one's.
        conn.execute(
            upsert(conn, incident_fingerprints)
            .values(
                scope=occ.scope,
                loose_fingerprint=occ.loose_fingerprint,
                incident_id=pk,
                original_incident_id=original or pk,
                version=occ.fingerprint_version,
                created_at=occ.received_at,
            )
            .on_conflict_do_nothing(index_elements=["scope", "loose_fingerprint"])
        )
        # A concurrent writer may have linked it first: whatever is linked now wins.
        return _linked_incident(conn, occ.scope, occ.loose_fingerprint) or pk
    return None


def _open_incident(conn: Connection, occ: NewOccurrence, actor: str) -> tuple[int, bool]:
    """Create the incident of a new fingerprint, or find the one a concurrent writer created.

    Returns the incident's key and whether this call created it: the loser of a race joins the
    winner's incident and must not report it as new.
    """
    now = occ.received_at
    with conn.begin_nested() as savepoint:
        display_id = allocate_display_id(conn, occ.severity)
        pk = conn.execute(
            incidents.insert()
            .values(
                display_id=display_id,
                title=occ.title,
                status=OPEN,
                severity=occ.severity,
                category=occ.category,
                response_time=occ.response_time,
                escalation=occ.escalation,
                fingerprint=occ.loose_fingerprint,
                known_issue_id=None,  # set with the first count, so the event is logged once
                count=0,
                first_seen=now,
                last_seen=now,
                sla_due_at=sla_due(now, occ.response_time),
                resolved_at=None,
                reopened=0,
                merged_into=None,
                scope=occ.scope,
                created_at=now,
                updated_at=now,
            )
            .returning(incidents.c.id)
        ).scalar_one()
        claimed = conn.execute(
            upsert(conn, incident_fingerprints)
            .values(
                scope=occ.scope,
                loose_fingerprint=occ.loose_fingerprint,
                incident_id=pk,
                original_incident_id=pk,
                version=occ.fingerprint_version,
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["scope", "loose_fingerprint"])
            .returning(incident_fingerprints.c.loose_fingerprint)
        ).scalar()
        if claimed is None:
            savepoint.rollback()  # another writer opened it first: its number, not ours
        else:
            add_event(conn, int(pk), now, actor, "opened",
                      {"source": occ.source, "fingerprint": occ.loose_fingerprint})
            return int(pk), True
    winner = _linked_incident(conn, occ.scope, occ.loose_fingerprint)
    if winner is None:  # pragma: no cover - the row we conflicted with is committed
        raise Conflict(f"fingerprint {occ.loose_fingerprint} claimed and gone")
    return winner, False


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None

