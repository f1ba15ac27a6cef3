"""Building blocks of the incident repository: upserts per dialect, display ids, row → record.

Kept apart from :mod:`knownfix.storage.incidents` so the repository reads as the use cases
(record, list, update, merge) and this file holds the SQL mechanics they share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, Table, bindparam, select
from sqlalchemy.engine import Connection, RowMapping

from knownfix.core.policy import normalize_severity, response_time_to_timedelta
from knownfix.core.records import Incident, Occurrence
from knownfix.errors import NotFound
from knownfix.storage.incident_tables import (
    display_id_counters,
    incident_events,
    incidents,
    occurrences,
)

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

_target = incidents.alias("target")


def display_prefix(severity: str | None) -> str:
    """``CRIT`` for "Critical" / "🔴 P0", ``MED`` for "medium" …, ``INC`` when unknown."""
    canonical = normalize_severity(severity)
    return SEVERITY_PREFIXES.get(canonical or "", UNKNOWN_PREFIX)


def upsert(conn: Connection, table: Table) -> Any:
    """The dialect's INSERT with ``on_conflict_do_*`` (SQLite and PostgreSQL spell them alike)."""
    # Imported here: the PostgreSQL dialect's module alone costs ~40 ms of every start-up.
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table)


def allocate_display_id(conn: Connection, severity: str | None) -> str:
    """The next display id for ``severity`` (``HIGH-004``), atomic across processes.

    One upsert that increments and returns the counter: on PostgreSQL the row lock it takes
    serialises concurrent allocations of one prefix until commit; SQLite has one writer anyway.
    """
    prefix = display_prefix(severity)
    dialect = conn.dialect.name
    statement = _NEXT_NUMBER.get(dialect)
    if statement is None:  # built once per dialect: every new incident runs it
        statement = _NEXT_NUMBER[dialect] = (
            upsert(conn, display_id_counters)
            .values(prefix=bindparam("prefix"), next=1)
            .on_conflict_do_update(
                index_elements=["prefix"], set_={"next": display_id_counters.c.next + 1}
            )
            .returning(display_id_counters.c.next)
        )
    number = int(conn.execute(statement, {"prefix": prefix}).scalar_one())
    return f"{prefix}-{number:0{DISPLAY_DIGITS}d}"


_NEXT_NUMBER: dict[str, Any] = {}


def sla_due(first_seen: datetime, response_time: str | None) -> datetime | None:
    """When the response is due: first seen plus the response time, None without one."""
    allowed: timedelta | None = response_time_to_timedelta(response_time)
    if allowed is None:
        return None
    try:
        return first_seen + allowed
    except OverflowError:  # "9999 months" past year 9999: no usable due time
        return None


def incident_select() -> Select[Any]:
    """Incidents with the display id of the incident each is merged into."""
    return select(incidents, _target.c.display_id.label("merged_into_display")).select_from(
        incidents.outerjoin(_target, incidents.c.merged_into == _target.c.id)
    )


def incident_from_row(row: Mapping[Any, Any]) -> Incident:
    """The :class:`Incident` record of a row of :func:`incident_select`."""
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
    rows = [{"incident_id": incident, "at": at, "actor": actor, "action": action,
             "detail": dict(detail or {})} for action, detail in entries]
    if rows:
        conn.execute(_ADD_EVENT, rows if len(rows) > 1 else rows[0])


_ADD_EVENT = incident_events.insert()
