"""Recording through the plain ``sqlite3`` writer and through the store's SQLAlchemy writer: the
same statements (the generated module is current), the same rows, the same answers."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from knownfix.storage.incident_record import SQLITE_MODULE, render_sqlite_module
from knownfix.storage.incident_write import NewOccurrence, Recorded
from knownfix.storage.repository import Store, open_store
from knownfix.storage.sqlite_reader import SqliteReader, open_triage_store
from knownfix.storage.sqlite_writer import sql_time

ROOT = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 11, 22, 9, 0, 0, 123456, tzinfo=UTC)
TABLES = ("incidents", "incident_fingerprints", "occurrences", "incident_events",
          "display_id_counters")


def test_the_generated_statements_are_current() -> None:
    """``incident_sql.py`` is what SQLAlchemy compiles the recording statements into."""
    path = ROOT / SQLITE_MODULE
    text = render_sqlite_module()
    if os.environ.get("KNOWNFIX_REGEN_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, (
        "regenerate: KNOWNFIX_REGEN_GOLDEN=1 .venv/bin/pytest tests/test_sqlite_writer.py")


def occ(loose: str, minutes: int, **changes: object) -> NewOccurrence:
    base = NewOccurrence(
        source=f"logs/{loose}.log", title=f"Failure {loose} ünïcode", fingerprint=f"strict-{loose}",
        loose_fingerprint=loose, fingerprint_version="2026-12-11",
        excerpt_text=f"Error: {loose}\n", category="database", severity="high",
        spans=((3, 4), (7, 9)), response_time="1 hour", escalation="DB on-call",
        received_at=T0 + timedelta(minutes=minutes))
    return replace(base, **changes)  # type: ignore[arg-type]


# Each step records with ``record`` or changes the store with its own methods (both sides).
def scenario(record: Callable[[NewOccurrence], Recorded], store: Store) -> list[Recorded]:
    done = [
        record(occ("a", 0)),
        record(occ("a", 1, known_issue_id="KF-1")),  # links the incident
        record(occ("a", -5)),  # out of order: last_seen stays
        record(occ("b", 2, severity="Whenever", response_time=None, scope="repo/x")),
        record(occ("old", 3, fingerprint_version="2025-01-01")),
        # a new strategy's fingerprint of the old failure joins (adopts) its incident
        record(occ("new", 4, older_loose_fingerprints=("old",))),
        record(occ("c", 5, idempotency_key="trace-1")),
        record(occ("c", 6, idempotency_key="trace-1")),  # a repeat: nothing counted
    ]
    store.set_incident_status("HIGH-001", "resolved", now=T0 + timedelta(minutes=7))
    done.append(record(occ("a", 8)))  # reopens
    store.merge_incidents("HIGH-003", into="HIGH-001", now=T0 + timedelta(minutes=9))
    done.append(record(occ("c", 10)))  # counted on the merged incident
    done.append(record(occ("d", 11, severity="critical", received_at=datetime(2026, 11, 22, 10))))
    return done


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as conn:
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                for table in TABLES}


def test_both_writers_store_identical_rows(tmp_path: Path) -> None:
    core_path, plain_path = tmp_path / "core.db", tmp_path / "plain.db"
    with open_store(f"sqlite:///{core_path}") as core:
        by_core = scenario(core.record_occurrence, core)
    open_store(f"sqlite:///{plain_path}").close()
    reader = open_triage_store(f"sqlite:///{plain_path}")
    assert isinstance(reader, SqliteReader)
    try:
        by_plain = scenario(reader.record_occurrence, reader.full())
    finally:
        reader.close()
    assert by_plain == by_core
    flags = [(r.new, r.duplicate, r.reopened) for r in by_plain]
    assert (flags[0], flags[5], flags[7], flags[8]) == (
        (True, False, False), (False, False, False), (False, True, False), (False, False, True))
    assert by_plain[9].incident.id == "HIGH-001"  # merged: counted where it went
    assert dump(plain_path) == dump(core_path)
    rows = dump(plain_path)
    assert len(rows["occurrences"]) == 10  # the repeated key stored once
    assert any(row[1] == "new" for row in rows["incident_fingerprints"])  # adopted


def test_the_plain_writer_opens_no_sqlalchemy_store_for_a_plain_occurrence(tmp_path: Path
                                                                           ) -> None:
    path = tmp_path / "kb.db"
    open_store(f"sqlite:///{path}").close()
    reader = open_triage_store(f"sqlite:///{path}")
    assert isinstance(reader, SqliteReader)
    try:
        first = reader.record_occurrence(occ("a", 0))
        second = reader.record_occurrence(occ("a", 1))
        assert reader._full is None
    finally:
        reader.close()
    assert (first.new, first.incident.id, second.new, second.incident.count) == (
        True, "HIGH-001", False, 2)


def test_timestamps_are_written_as_sqlalchemy_writes_them() -> None:
    naive = datetime(2026, 1, 2, 3, 4, 5)
    east = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC).astimezone(timezone(timedelta(hours=5)))
    assert sql_time(naive) == "2026-01-02 03:04:05.000000"
    assert sql_time(east) == "2026-01-02 03:04:05.000006"
    assert sql_time(None) is None


def test_concurrent_plain_writers_open_one_incident(tmp_path: Path) -> None:
    """Processes (here threads, each with its own connection) recording one new failure at
    once: one opens the incident, every occurrence is counted in it."""
    path = tmp_path / "kb.db"
    open_store(f"sqlite:///{path}").close()

    def one(minute: int) -> Recorded:
        reader = open_triage_store(f"sqlite:///{path}")
        assert isinstance(reader, SqliteReader)
        try:
            return reader.record_occurrence(occ("race", minute))
        finally:
            reader.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        done = list(pool.map(one, range(12)))
    assert sum(r.new for r in done) == 1
    assert {r.incident.id for r in done} == {"HIGH-001"}
    assert max(r.incident.count for r in done) == 12
    assert dump(path)["display_id_counters"] == [("HIGH", 1)]
