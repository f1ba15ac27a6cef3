"""Engine creation: one place that knows how SQLite and PostgreSQL must be configured.

SQLite is set up so that many processes can share one file: WAL journal, foreign keys on, a busy
timeout, and transactions that we begin ourselves — ``BEGIN`` for reads, ``BEGIN IMMEDIATE`` for
writes (``write_engine``). A deferred transaction that reads and then writes can fail at once with
"database is locked" when another process committed in between; an immediate one waits its turn.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from knownfix.errors import StoreError
from knownfix.storage.import_rows import json_serializer
from knownfix.storage.reads import SQLITE_PRAGMAS

WRITE_OPTION = "knownfix_write"


T = TypeVar("T")
CHUNK = 500  # ids per IN (...) list or rows per insert: far below every backend's limits


def chunked(items: Sequence[T], size: int = CHUNK) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size``."""
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def normalize_url(url: str) -> URL:
    """Parse a store URL; ``postgresql://`` and ``postgres://`` mean psycopg 3."""
    text = url.strip()
    if text.startswith("postgres://"):
        text = "postgresql://" + text.removeprefix("postgres://")
    try:
        parsed = make_url(text)
    except ArgumentError:
        raise StoreError(f"invalid database URL {redact_url(url)!r}") from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend = parsed.get_backend_name()
    if backend not in {"sqlite", "postgresql"}:
        raise StoreError(
            f"unsupported database {backend!r} in {redact_url(url)!r}: use sqlite or postgresql"
        )
    return parsed


def redact_url(url: str | URL) -> str:
    """The URL without its password, for error messages."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except ArgumentError:
        return str(url).split("@")[-1]
    return parsed.render_as_string(hide_password=True)


def create_store_engine(url: str) -> Engine:
    """An engine for ``url``; for a SQLite file its parent folder is created first."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    return create_engine(parsed, pool_pre_ping=True, json_serializer=json_serializer)


def write_engine(engine: Engine) -> Engine:
    """The same engine, beginning its transactions as writers (``BEGIN IMMEDIATE`` on SQLite)."""
    return engine.execution_options(**{WRITE_OPTION: True})


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    kwargs: dict[str, Any] = {}
    if database in {"", ":memory:"}:
        # One shared connection, or every checkout would see its own empty database.
        kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    else:
        path = Path(database).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create {path.parent}: {error.strerror or error}") from None
    engine = create_engine(url, json_serializer=json_serializer, **kwargs)
    event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "begin", _begin_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN, not the sqlite3 module (which would not wrap DDL).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _begin_sqlite(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
