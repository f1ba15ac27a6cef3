"""The store's hot statements on PostgreSQL run on psycopg itself (knownfix.storage.prebuilt):
the same rows and the same answers as SQLAlchemy running the same Core statements."""

from __future__ import annotations

import gzip
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import text

from knownfix.errors import StoreError
from knownfix.storage import prebuilt
from knownfix.storage.events import (
    EVENTS,
    NewEvent,
    claim_event,
    get_event,
    insert_event,
    mark_done,
)
from knownfix.storage.incident_write import NewOccurrence
from knownfix.storage.repository import Store, open_store
from test_sqlite_writer import T0, TABLES, occ, scenario

EVENT_TABLES = ("events",)


@pytest.fixture
def two_stores(postgres_database: str) -> Iterator[tuple[Store, Store]]:
    """Two empty stores on schemas of their own in the test database."""
    import psycopg

    stores = []
    for _ in range(2):
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(postgres_database, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        stores.append(open_store(f"{postgres_database}?options=-csearch_path%3D{schema}"))
    yield stores[0], stores[1]
    for store in stores:
        store.close()


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    with store.read() as conn:
        return {table: [tuple(row) for row in conn.execute(
                    text(f"SELECT * FROM {table} ORDER BY 1, 2"))]
                for table in (*TABLES, *EVENT_TABLES)}


def events_scenario(store: Store) -> list[Any]:
    """Store, repeat, claim and finish events; what each step answered."""
    done: list[Any] = []
    for n, key in enumerate(("k1", "k2", "k1")):
        event = NewEvent(id=f"e{n}", kind="log", body=gzip.compress(b"boom\n", mtime=0),
                         body_bytes=5, source="ci", scope="repo", trace_id=None,
                         received_at=T0 + timedelta(seconds=n), idempotency_key=key,
                         hints={"service": "api", "ü": "x"})
        done.append(insert_event(store, event))
    now = T0 + timedelta(minutes=1)
    done.append(claim_event(store, "e0", now=now, lease=timedelta(seconds=60)))
    done.append(claim_event(store, "e0", now=now, lease=timedelta(seconds=60)))  # busy
    done.append(claim_event(store, "nope", now=now, lease=timedelta(seconds=60)))
    with store.write() as conn:
        mark_done(conn, "e0", result={"known": False, "lines": [1, 2], "t": "ünï"},
                  incident_id="HIGH-001", now=now)
    done.append(get_event(store, "e0"))
    done.append(get_event(store, "e1"))
    return done


def test_psycopg_and_sqlalchemy_write_and_answer_the_same(
    two_stores: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, core = two_stores
    by_fast = scenario(fast.record_occurrence, fast) + events_scenario(fast)
    monkeypatch.setattr(prebuilt, "DRIVER_DIALECTS", frozenset())
    by_core = scenario(core.record_occurrence, core) + events_scenario(core)
    assert by_fast == by_core
    assert dump(fast) == dump(core)
    assert by_fast[9].incident.id == "HIGH-001"  # merged: counted where it went
    assert len(dump(fast)["occurrences"]) == 10  # the repeated key stored once
    claimed = by_fast[-5]
    assert claimed.state == "claimed"
    assert claimed.event.hints == {"service": "api", "ü": "x"}
    assert claimed.event.received_at == T0
    assert claimed.event.received_at.tzinfo is not None
    assert [by_fast[-4].state, by_fast[-3].state] == ["busy", "missing"]
    assert by_fast[-2].result == {"known": False, "lines": [1, 2], "t": "ünï"}


def test_timestamps_come_back_in_utc_whatever_the_session_zone(postgres_url: str) -> None:
    store = open_store(postgres_url + "%20-cTimeZone%3DAsia/Kolkata")
    try:
        with store.read() as conn:
            assert conn.execute(text("SHOW TimeZone")).scalar() == "Asia/Kolkata"
        east = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC).astimezone(timezone(timedelta(hours=5)))
        recorded = store.record_occurrence(occ("z", 0, received_at=east))
        assert recorded.incident.first_seen == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        assert recorded.incident.first_seen.utcoffset() == timedelta(0)
    finally:
        store.close()


def test_a_driver_error_is_a_store_error(postgres_url: str) -> None:
    store = open_store(postgres_url)
    try:
        bad: NewOccurrence = occ("x", 0, title="nul \x00 byte")  # PostgreSQL refuses NUL
        with pytest.raises(StoreError):
            store.record_occurrence(bad)
        with pytest.raises(StoreError), store.write() as conn:
            EVENTS.run(conn, "select_by_id", {"event_id": "\x00"})
        assert store.record_occurrence(occ("x", 1)).new  # the pool's connection still works
    finally:
        store.close()
