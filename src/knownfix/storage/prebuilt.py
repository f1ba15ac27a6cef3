"""Named statements built once, and run on PostgreSQL through psycopg itself.

A worker claims an event, records its occurrence and finishes the event in ~8 statements, and
the API stores each event in one. Through SQLAlchemy each execution cost more CPU than the
driver's own work for it: a cache lookup, an execution context, parameter processing, a result
built from the cursor's description. These statements are SQLAlchemy Core, defined once (the
one definition every backend, and the plain ``sqlite3`` writer's generated SQL, share); a
:class:`Prebuilt` builds each once per dialect and, on PostgreSQL, compiles it once per
process — its SQL with ``%(name)s::TYPE`` parameters, which values are timestamps or JSON,
its result's column names — and runs it on the psycopg connection under the caller's
SQLAlchemy connection, in its transaction. Values are converted as the column types convert
them (timestamps to UTC, JSON through the engine's serializer), so the rows and the answers
are the same (``tests/test_prebuilt.py``). Other backends run the Core statement.

A driver error becomes SQLAlchemy's ``DBAPIError`` for it, as if SQLAlchemy had run the
statement: the store turns it into a :class:`~knownfix.errors.StoreError`, and SQLAlchemy's
rollback at the end of the transaction invalidates a connection that broke.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError

from knownfix.storage.tables import UTCDateTime

DRIVER_DIALECTS = frozenset({"postgresql"})
"""Dialects whose statements run on the driver's connection (psycopg): the others run Core."""
Spec = dict[str, Any]
Builder = tuple[Callable[[str], Any], Iterable[str]]
"""A statement for a dialect's name, and an INSERT's column keys when it names no values."""
Params = Mapping[str, Any] | Sequence[Mapping[str, Any]]


def fixed(statement: Any) -> Callable[[str], Any]:
    """A builder of a statement that is the same on every dialect."""
    return lambda _dialect: statement


def compile_statement(stmt: Any, dialect: Dialect, keys: Iterable[str] = ()) -> Spec:
    """``stmt`` compiled for ``dialect``: its SQL (the driver's parameter style), the values
    of its fixed parameters, which parameters and result columns are timestamps or JSON (what
    SQLAlchemy's column types convert, a plain writer converts), and the keys of the columns
    it gives back, in order."""
    compiled = stmt.compile(dialect=dialect, column_keys=list(keys) or None)
    binds = compiled.bind_names.items()  # each parameter and the name it has in the SQL
    columns = stmt.exported_columns  # a select's columns, or what a DML statement returns
    return {
        "sql": str(compiled),
        "fixed": {key: b.value for b, key in binds if not b.required},
        "times": sorted(key for b, key in binds if isinstance(b.type, UTCDateTime)),
        "json": sorted(key for b, key in binds if isinstance(b.type, JSON)),
        "result_times": sorted(c.key for c in columns if isinstance(c.type, UTCDateTime)),
        "result_json": sorted(c.key for c in columns if isinstance(c.type, JSON)),
        "columns": [c.key for c in columns],
    }


def _utc(value: datetime | None) -> datetime | None:
    """What ``UTCDateTime`` makes of a timestamp, bound or read."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Prebuilt:
    """Named statements: ``run(conn, name, params)`` → the rows, as dicts by column key."""

    def __init__(self, builders: Mapping[str, Builder]) -> None:
        self.builders = {name: (build, tuple(keys)) for name, (build, keys) in builders.items()}
        self._statements: dict[tuple[str, str], Any] = {}
        self._compiled: dict[str, dict[str, Spec]] = {}

    def statement(self, name: str, dialect: str) -> Any:
        """The Core statement ``name`` for a dialect, built on first use."""
        key = (dialect, name)
        if key not in self._statements:
            self._statements[key] = self.builders[name][0](dialect)
        return self._statements[key]

    def compiled(self, dialect: Dialect) -> dict[str, Spec]:
        """Every statement compiled for ``dialect`` (once per dialect name)."""
        if dialect.name not in self._compiled:
            self._compiled[dialect.name] = {
                name: compile_statement(self.statement(name, dialect.name), dialect, keys)
                for name, (_build, keys) in self.builders.items()
            }
        return self._compiled[dialect.name]

    def run(self, conn: Connection, name: str, params: Params) -> list[dict[str, Any]]:
        if conn.dialect.name in DRIVER_DIALECTS:
            return self._run_psycopg(conn, self.compiled(conn.dialect)[name], params)
        result = conn.execute(self.statement(name, conn.dialect.name), params)
        return [dict(row) for row in result.mappings()] if result.returns_rows else []

    @staticmethod
    def _run_psycopg(conn: Connection, spec: Spec, params: Params) -> list[dict[str, Any]]:
        import psycopg

        many = not isinstance(params, Mapping)
        values: Any = (_bind(spec, params) if isinstance(params, Mapping)
                       else [_bind(spec, p) for p in params])
        try:
            with driver(conn).cursor() as cursor:
                if many:
                    cursor.executemany(spec["sql"], values)
                    return []
                cursor.execute(spec["sql"], values)
                found = cursor.fetchall() if spec["columns"] else []
        except psycopg.Error as error:
            raise DBAPIError.instance(spec["sql"], values, error, psycopg.Error) from error
        columns, times = spec["columns"], spec["result_times"]
        rows = [dict(zip(columns, row, strict=True)) for row in found]
        for row in rows:
            for key in times:
                row[key] = _utc(row[key])
        return rows  # JSON columns: psycopg reads them as SQLAlchemy would have


def _bind(spec: Spec, params: Mapping[str, Any]) -> dict[str, Any]:
    from psycopg.types.json import Json

    values = {**spec["fixed"], **params}
    for key in spec["times"]:
        values[key] = _utc(values[key])
    for key in spec["json"]:
        # The connection's JSON dumper is the engine's serializer (SQLAlchemy sets it).
        values[key] = None if values[key] is None else Json(values[key])
    return values


def driver(conn: Connection) -> Any:
    """The driver's connection under a SQLAlchemy connection."""
    raw = conn.connection.driver_connection
    assert raw is not None
    return raw


def psycopg_command(conn: Connection, sql: str) -> None:
    """Run a statement without parameters or rows (a savepoint) on psycopg directly."""
    import psycopg

    try:
        driver(conn).execute(sql)
    except psycopg.Error as error:
        raise DBAPIError.instance(sql, None, error, psycopg.Error) from error
