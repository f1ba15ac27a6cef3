"""Building blocks of the incident repository: upserts per dialect, display ids, row → record.

Kept apart from :mod:`knownfix.storage.incidents` so the repository reads as the use cases
(record, list, update, merge) and this file holds the SQL mechanics they share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Table, select
from sqlalchemy.engine import Connection, RowMapping

from knownfix.core.records import Occurrence
from knownfix.errors import NotFound
from knownfix.storage.incident_tables import incident_events, incidents, occurrences
from knownfix.storage.incident_write import (  # re-exported: the rows' side of the rules
    DISPLAY_DIGITS,
    SEVERITY_PREFIXES,
    UNKNOWN_PREFIX,
    display_prefix,
    event_rows,
    incident_from_row,
    sla_due,
)

__all__ = ["DISPLAY_DIGITS", "SEVERITY_PREFIXES", "UNKNOWN_PREFIX", "add_event", "add_events",
           "display_prefix", "incident_from_row", "incident_pk", "incident_select",
           "occurrence_from_row", "occurrence_select", "sla_due", "upsert"]

_target = incidents.alias("target")


def upsert(conn: Connection | str, table: Table) -> Any:
    """The dialect's INSERT with ``on_conflict_do_*`` (SQLite and PostgreSQL spell them alike);
    ``conn``: a connection or its dialect's name."""
    # Imported here: the PostgreSQL dialect's module alone costs ~40 ms of every start-up.
    dialect = conn if isinstance(conn, str) else conn.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table)


def incident_select() -> Select[Any]:
    """Incidents with the display id of the incident each is merged into."""
    return select(incidents, _target.c.display_id.label("merged_into_display")).select_from(
        incidents.outerjoin(_target, incidents.c.merged_into == _target.c.id)
    )


def occurrence_from_row(row: RowMapping) -> Occurrence:
    """The :class:`Occurrence` record of an ``occurrences`` row joined with its display id."""
    return Occurrence(
        incident_id=row["display_id"],
        source=row["source"],
        received_at=row["received_at"],
        fingerprint=row["fingerprint"],
        excerpt_text=row["excerpt_text"],
        idempotency_key=row["idempotency_key"],
        spans=tuple((int(first), int(last)) for first, last in row["spans"] or ()),
    )


def occurrence_select() -> Select[Any]:
    """Occurrences with the display id of the incident that holds them, oldest first."""
    return (
        select(occurrences, incidents.c.display_id)
        .select_from(occurrences.join(incidents, occurrences.c.incident_id == incidents.c.id))
        .order_by(occurrences.c.received_at, occurrences.c.id)
    )


def incident_pk(conn: Connection, display_id: str, *, lock: bool = False) -> int:
    """The primary key of the incident ``display_id`` (case-insensitive); NotFound if none.

    ``lock`` takes the row lock on PostgreSQL (``FOR UPDATE``), so changes made after it cannot
    interleave with a concurrent occurrence of the same incident.
    """
    wanted = display_id.strip().upper()
    statement = select(incidents.c.id).where(incidents.c.display_id == wanted)
    if lock:
        statement = statement.with_for_update()
    pk = conn.execute(statement).scalar()
    if pk is None:
        raise NotFound(f"no incident {display_id!r}")
    return int(pk)


def add_event(
    conn: Connection,
    incident: int,
    at: datetime,
    actor: str,
    action: str,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Append one entry to an incident's audit trail."""
    add_events(conn, incident, at, actor, [(action, detail)])


def add_events(
    conn: Connection,
    incident: int,
    at: datetime,
    actor: str,
    entries: Sequence[tuple[str, Mapping[str, Any] | None]],
) -> None:
    """Append ``(action, detail)`` entries, in order, to an incident's audit trail in one
    statement (none: nothing is sent)."""
    rows = event_rows(incident, at, actor, entries)
    if rows:
        conn.execute(_ADD_EVENT, rows if len(rows) > 1 else rows[0])


_ADD_EVENT = incident_events.insert()
