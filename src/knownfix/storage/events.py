"""The ingest queue in the store: events stored before the answer, claimed and finished by
workers (rows of ``events``).

Dedup is a unique constraint on ``idempotency_key`` and on ``trace_id``: the insert is
``INSERT … ON CONFLICT DO NOTHING``, and the loser of a race reads the winner's row (on
PostgreSQL the loser's insert waits for the winner's commit, so it always finds it).

A worker *claims* an event before analysing it: pending, or running with an expired lease (its
worker died) → running with a lease, in one conditional UPDATE, so two workers never analyse
one event at the same time. Finishing drops the body and keeps the result.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.engine import Connection

from knownfix.storage.incident_rows import upsert
from knownfix.storage.prebuilt import Prebuilt, fixed
from knownfix.storage.service_tables import events

if TYPE_CHECKING:
    from knownfix.storage.repository import Store

PENDING = "pending"
RUNNING = "running"
DONE = "done"
FAILED = "failed"


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event as received: the body gzip-compressed, everything else already checked."""

    id: str
    kind: str
    body: bytes
    body_bytes: int
    source: str
    scope: str
    received_at: datetime
    service: str | None = None
    trace_id: str | None = None
    idempotency_key: str | None = None
    hints: dict[str, str] | None = None


@dataclass(frozen=True, slots=True)
class EventRow:
    """An event as stored (without its body)."""

    id: str
    status: str
    kind: str
    source: str
    scope: str
    received_at: datetime
    service: str | None = None
    trace_id: str | None = None
    idempotency_key: str | None = None
    hints: dict[str, str] | None = None
    attempts: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None
    incident_id: str | None = None
    result: dict[str, Any] | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """The outcome of claiming an event: ``claimed`` (with its body), ``busy`` (another worker
    holds a live lease until ``lease_until``), ``finished`` or ``missing``."""

    state: str
    event: EventRow | None = None
    body: bytes | None = None
    lease_until: datetime | None = None


_ROW_COLUMNS = [c for c in events.c if c.name != "body"]


def _row(row: Any) -> EventRow:
    return EventRow(
        id=row["id"], status=row["status"], kind=row["kind"], source=row["source"],
        scope=row["scope"], received_at=row["received_at"], service=row["service"],
        trace_id=row["trace_id"], idempotency_key=row["idempotency_key"],
        hints=dict(row["hints"] or {}), attempts=int(row["attempts"] or 0),
        started_at=row["started_at"], finished_at=row["finished_at"],
        incident_id=row["incident_id"], result=row["result"], error=row["error"],
    )


def insert_event(store: Store, event: NewEvent) -> tuple[EventRow, bool]:
    """Store ``event`` unless an event with its idempotency key or trace id exists; returns
    the stored event and whether it is this one (False: the earlier one, a duplicate)."""
    return insert_events(store, [event])[0]


def insert_events(store: Store, batch: list[NewEvent]) -> list[tuple[EventRow, bool]]:
    """:func:`insert_event` for each event of ``batch`` in one transaction (one commit for the
    lot: the API's group commit). A repeat of an earlier event of the same batch finds it."""
    # In key order: two batches in flight at once that share keys then wait on each other's
    # rows in one order, never in a cycle (a deadlock would refuse both).
    order = sorted(range(len(batch)), key=lambda i: (batch[i].idempotency_key or "",
                                                     batch[i].trace_id or ""))
    stored: dict[int, tuple[EventRow, bool]] = {}
    with store.write() as conn:
        for i in order:
            stored[i] = _insert(conn, batch[i])
    return [stored[i] for i in range(len(batch))]


def _insert(conn: Connection, event: NewEvent) -> tuple[EventRow, bool]:
    values = {
        "id": event.id, "status": PENDING, "kind": event.kind, "source": event.source,
        "scope": event.scope, "service": event.service, "trace_id": event.trace_id,
        "idempotency_key": event.idempotency_key, "hints": dict(event.hints or {}),
        "body": event.body, "body_bytes": event.body_bytes, "received_at": event.received_at,
        "attempts": 0,
    }
    if EVENTS.run(conn, "insert", values):
        stored = {k: v for k, v in values.items() if k != "body"}
        return _row({**{c.name: None for c in _ROW_COLUMNS}, **stored}), True
    keys = []
    if event.idempotency_key is not None:
        keys.append(events.c.idempotency_key == event.idempotency_key)
    if event.trace_id is not None:
        keys.append(events.c.trace_id == event.trace_id)
    row = conn.execute(
        select(*_ROW_COLUMNS).where(or_(*keys)).order_by(events.c.received_at).limit(1)
    ).mappings().first() if keys else None
    if row is None:  # pragma: no cover - only an id collision (uuid4) could get here
        raise RuntimeError(f"event {event.id} conflicted with nothing")
    return _row(row), False


def get_event(store: Store, event_id: str) -> EventRow | None:
    with store.read() as conn:
        rows = EVENTS.run(conn, "select_by_id", {"event_id": event_id})
    return _row(rows[0]) if rows else None


# The statements of ingest and of the analysis path, built once (values go as parameters) and
# on PostgreSQL run on psycopg directly (knownfix.storage.prebuilt).
_SELECT_BY_ID = select(*_ROW_COLUMNS).where(events.c.id == bindparam("event_id"))
_CLAIM = (
    update(events)
    .where(
        events.c.id == bindparam("event_id"),
        or_(
            events.c.status == PENDING,
            (events.c.status == RUNNING) & (events.c.lease_until < bindparam("now")),
        ),
    )
    .values(status=RUNNING, lease_until=bindparam("until"), started_at=bindparam("now"),
            attempts=events.c.attempts + 1)
    .returning(*_ROW_COLUMNS, events.c.body)
)
_FINISH = (
    update(events)
    .where(events.c.id == bindparam("event_id"))
    .values(status=DONE, result=bindparam("result", type_=events.c.result.type),
            incident_id=bindparam("incident_id"), finished_at=bindparam("now"),
            lease_until=None, body=None, error=None)
)
_INSERT_KEYS = ("id", "status", "kind", "source", "scope", "service", "trace_id",
                "idempotency_key", "hints", "body", "body_bytes", "received_at", "attempts")


EVENTS = Prebuilt({
    # INSERT … ON CONFLICT DO NOTHING RETURNING id: a repeat inserts nothing and says so.
    "insert": (lambda dialect: upsert(dialect, events).on_conflict_do_nothing()
               .returning(events.c.id), _INSERT_KEYS),
    "select_by_id": (fixed(_SELECT_BY_ID), ()),
    "claim": (fixed(_CLAIM), ()),
    "finish": (fixed(_FINISH), ()),
})


def claim_event(store: Store, event_id: str, *, now: datetime, lease: timedelta) -> Claim:
    """Take ``event_id`` for analysis until ``now + lease`` (see the module doc)."""
    with store.write() as conn:
        claimed = EVENTS.run(conn, "claim", {"event_id": event_id, "now": now,
                                             "until": now + lease})
        if claimed:
            return Claim("claimed", _row(claimed[0]), claimed[0]["body"], now + lease)
        rows = EVENTS.run(conn, "select_by_id", {"event_id": event_id})
    row = rows[0] if rows else None
    if row is None:
        return Claim("missing")
    if row["status"] == RUNNING:
        return Claim("busy", _row(row), lease_until=row["lease_until"])
    return Claim("finished", _row(row))


def mark_done(
    conn: Connection, event_id: str, *, result: dict[str, Any], incident_id: str | None,
    now: datetime,
) -> None:
    """Mark an event done with its triage result, its body dropped, inside the caller's write
    transaction (the one that recorded the event's occurrence)."""
    EVENTS.run(conn, "finish", {"event_id": event_id, "result": result,
                                "incident_id": incident_id, "now": now})


def fail_event(
    store: Store, event_id: str, *, error: str, now: datetime, body: bytes | None = None
) -> None:
    """Mark an event failed for good; ``body`` (redacted) replaces the stored one if given."""
    values: dict[str, Any] = {"status": FAILED, "error": error, "finished_at": now,
                              "lease_until": None}
    if body is not None:
        values["body"] = body
    with store.write() as conn:
        conn.execute(update(events).where(events.c.id == event_id).values(**values))


def release_event(store: Store, event_id: str) -> None:
    """Give a running event back to the queue (its analysis hit a passing problem)."""
    with store.write() as conn:
        conn.execute(
            update(events).where(events.c.id == event_id, events.c.status == RUNNING)
            .values(status=PENDING, lease_until=None)
        )


def due_events(store: Store, *, now: datetime, older_than: datetime, limit: int) -> list[str]:
    """Events waiting for a worker: pending since before ``older_than``, or running with an
    expired lease; oldest first."""
    statement = (
        select(events.c.id)
        .where(or_(
            (events.c.status == PENDING) & (events.c.received_at < older_than),
            (events.c.status == RUNNING) & (events.c.lease_until < now),
        ))
        .order_by(events.c.received_at)
        .limit(limit)
    )
    with store.read() as conn:
        return [str(pk) for pk in conn.execute(statement).scalars()]


def count_events(store: Store) -> Counter[str]:
    """How many events are in each status."""
    statement = select(events.c.status, func.count()).group_by(events.c.status)
    with store.read() as conn:
        return Counter({status: int(n) for status, n in conn.execute(statement)})
