"""Recording one occurrence: the atomic dedup at the heart of the incident store.

All of an occurrence happens in the caller's write transaction: read the loose fingerprint's row
(``FOR SHARE`` on PostgreSQL, so a merge cannot move it underneath); when there is none, create
the incident and ``INSERT … ON CONFLICT DO NOTHING`` the fingerprint inside a savepoint — the
loser of a race rolls back its savepoint (display-id number included), re-reads the winner's row
and reports the incident as not new. The incident's row is then locked and counted
(``count = count + 1``) and the occurrence inserted; an idempotency key that already exists
raises :class:`Duplicate`, which rolls the whole transaction back.

Every occurrence of every event runs these statements, so they are built once per dialect
(values go as parameters) and round trips are saved where the rows allow: an incident opened
here is inserted counted and returned by its INSERT (no one else can see it, let alone lock it,
before the commit), a counted row is returned by its UPDATE, and the audit entries of one
occurrence go in one INSERT.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection

from knownfix.core.records import Incident
from knownfix.errors import Conflict
from knownfix.storage.incident_rows import (
    add_events,
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


OnRecorded = Callable[[Connection, Recorded], None]
"""What a caller writes in the transaction that recorded an occurrence (its event done)."""


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
    opened: RowMapping | None = None
    if pk is None:
        pk, opened = _open_incident(conn, occ)
    # The row lock orders concurrent occurrences of one incident (and a merge) on PostgreSQL;
    # an incident opened above is this transaction's alone until it commits.
    row = opened if opened is not None else conn.execute(
        _LOCK_INCIDENT, {"pk": pk}).mappings().one()
    inserted = conn.execute(_insert_occurrence(conn), {
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
        counted = conn.execute(_COUNT, {"pk": pk, **values}).mappings().one()
        reopened = row["status"] == RESOLVED
        if reopened:
            trail.append(("reopened", {"source": occ.source,
                                       "resolved_at": _iso(row["resolved_at"])}))
        if values["known_issue_id"] != row["known_issue_id"]:  # this occurrence linked it
            trail.append(("linked", {"known_issue_id": occ.known_issue_id}))
    add_events(conn, pk, now, actor, trail)
    return Recorded(_incident(conn, counted), new=new, reopened=reopened)


# The counted incident: every column set, to its own value where the occurrence changes
# nothing (the row is locked, so that is what it holds), so one statement serves every case.
_COUNT = (
    update(incidents)
    .where(incidents.c.id == bindparam("pk"))
    .values(
        count=incidents.c.count + 1,
        updated_at=bindparam("updated_at", type_=incidents.c.updated_at.type),
        last_seen=bindparam("last_seen", type_=incidents.c.last_seen.type),
        status=bindparam("status"),
        resolved_at=bindparam("resolved_at", type_=incidents.c.resolved_at.type),
        reopened=incidents.c.reopened + bindparam("reopens"),
        known_issue_id=bindparam("known_issue_id"),
    )
    .returning(*incidents.c)
)
_LOCK_INCIDENT = select(incidents).where(incidents.c.id == bindparam("pk")).with_for_update()
_STATEMENTS: dict[tuple[str, str], Any] = {}


def _insert_occurrence(conn: Connection) -> Any:
    """``INSERT … ON CONFLICT (idempotency_key) DO NOTHING RETURNING id``, once per dialect."""
    key = (conn.dialect.name, "occurrence")
    if key not in _STATEMENTS:
        _STATEMENTS[key] = (
            upsert(conn, occurrences)
            .on_conflict_do_nothing(index_elements=["idempotency_key"])
            .returning(occurrences.c.id)
        )
    return _STATEMENTS[key]


def _counted(row: RowMapping, occ: NewOccurrence, now: datetime) -> dict[str, Any]:
    """The values :data:`_COUNT` sets for one more occurrence of the incident ``row``."""
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


def _incident(conn: Connection, row: RowMapping) -> Incident:
    """The record of an ``incidents`` row (the display id it is merged into read if any)."""
    merged = row["merged_into"]
    target = None if merged is None else conn.execute(
        select(incidents.c.display_id).where(incidents.c.id == merged)).scalar()
    return incident_from_row({**row, "merged_into_display": target})


def _linked_incident(conn: Connection, scope: str, loose_fingerprint: str) -> int | None:
    """The incident a loose fingerprint joins in a scope; ``FOR SHARE`` so a merge waits."""
    pk = conn.execute(_LINKED, {"scope": scope, "loose": loose_fingerprint}).scalar()
    return None if pk is None else int(pk)


_LINKED = (
    select(incident_fingerprints.c.incident_id)
    .where(incident_fingerprints.c.scope == bindparam("scope"),
           incident_fingerprints.c.loose_fingerprint == bindparam("loose"))
    .with_for_update(read=True)
)


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


def _open_incident(conn: Connection, occ: NewOccurrence) -> tuple[int, RowMapping | None]:
    """Create the incident of a new fingerprint, or find the one a concurrent writer created.

    Returns the incident's key and, when this call created it, its row, counted already (this
    occurrence is its first; if the occurrence turns out a repeat, the transaction is rolled
    back whole): the loser of a race joins the winner's incident and must not report it as new.
    """
    now = occ.received_at
    with conn.begin_nested() as savepoint:
        display_id = allocate_display_id(conn, occ.severity)
        row = conn.execute(_INSERT_INCIDENT, {
            "display_id": display_id,
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
        }).mappings().one()
        pk = int(row["id"])
        claimed = conn.execute(_claim_fingerprint(conn), {
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
    winner = _linked_incident(conn, occ.scope, occ.loose_fingerprint)
    if winner is None:  # pragma: no cover - the row we conflicted with is committed
        raise Conflict(f"fingerprint {occ.loose_fingerprint} claimed and gone")
    return winner, None


_INSERT_INCIDENT = incidents.insert().returning(*incidents.c)


def _claim_fingerprint(conn: Connection) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING RETURNING`` of a fingerprint link, once per dialect."""
    key = (conn.dialect.name, "fingerprint")
    if key not in _STATEMENTS:
        _STATEMENTS[key] = (
            upsert(conn, incident_fingerprints)
            .on_conflict_do_nothing(index_elements=["scope", "loose_fingerprint"])
            .returning(incident_fingerprints.c.loose_fingerprint)
        )
    return _STATEMENTS[key]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None

