"""Recording an occurrence in a SQLite store with the standard ``sqlite3`` module.

``knownfix triage build.log`` records the failure as an incident. Through the full store that
costs an import of SQLAlchemy, a quarter of a second, more than the rest of the triage on a
small knowledge base. Here the recording rules of :mod:`knownfix.storage.incident_write` run
the store's own statements, compiled for SQLite from their SQLAlchemy definitions
(:mod:`knownfix.storage.incident_sql`), on a plain connection; the values SQLAlchemy's column
types would convert (timestamps, JSON) are converted as they convert them, so both write the
same rows (``tests/test_sqlite_writer.py``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from knownfix.storage.driver_rows import CommandSavepoint, ListedRows, command_savepoint
from knownfix.storage.incident_sql import STATEMENTS
from knownfix.storage.incident_write import (
    SYSTEM_ACTOR,
    NewOccurrence,
    Recorded,
    Rows,
    record,
)
from knownfix.storage.reads import json_value, utc_datetime


def sql_time(value: datetime | None) -> str | None:
    """A timestamp as SQLAlchemy's ``UTCDateTime`` stores it in SQLite: UTC, no zone."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return (f"{value.year:04d}-{value.month:02d}-{value.day:02d} {value.hour:02d}:"
            f"{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}")


class SqliteWriter:
    """Runs the recording statements on a ``sqlite3`` connection inside a transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def run(self, name: str, params: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> Rows:
        spec = STATEMENTS[name]
        if not isinstance(params, Mapping):
            self.conn.executemany(spec["sql"], [self._bind(spec, p) for p in params])
            return ListedRows([], sqlite3.DatabaseError)
        cursor = self.conn.execute(spec["sql"], self._bind(spec, params))
        names = [column[0] for column in cursor.description or ()]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for row in rows:
            for key in spec["result_times"]:
                row[key] = utc_datetime(row[key])
            for key in spec["result_json"]:
                row[key] = json_value(row[key])
        return ListedRows(rows, sqlite3.DatabaseError)

    @staticmethod
    def _bind(spec: Mapping[str, Any], params: Mapping[str, Any]) -> dict[str, Any]:
        values = {**spec["fixed"], **params}
        for key in spec["times"]:
            values[key] = sql_time(values[key])
        for key in spec["json"]:
            values[key] = json.dumps(values[key])
        return values

    def savepoint(self) -> AbstractContextManager[CommandSavepoint]:
        return command_savepoint(self.conn.execute)


def record_occurrence(conn: sqlite3.Connection, occ: NewOccurrence,
                      actor: str = SYSTEM_ACTOR) -> Recorded:
    """Record ``occ`` in one write transaction (``BEGIN IMMEDIATE``, as the store's writes),
    rolled back whole on any error: :class:`~knownfix.storage.incident_write.Duplicate` for an
    idempotency key seen before, ``sqlite3.Error`` for the database's."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        recorded = record(SqliteWriter(conn), occ, actor)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return recorded
