"""A SQLite store read with the standard ``sqlite3`` module, for commands that mostly read.

    store = open_triage_store(url)   # a SqliteReader, or the full Store
    store.match_index(); store.get_prepared_issues(ids); store.fingerprint_links()

``knownfix triage`` reads the match index, a few dozen issues and the fingerprint links; the
full :class:`~knownfix.storage.repository.Store` imports SQLAlchemy for that, a quarter of a
second of each run, longer than the triage itself on a small knowledge base. The reader runs the
store's own statements (:mod:`knownfix.storage.reads`) on a plain connection instead. Whatever
is not a plain read of a current store goes to the full store, opened on first need: a store
file that does not exist yet or is not at the schema head (it must be created or migrated), an
index that is stale, corrupt or missing (it is rebuilt under the write lock), and the writes
other than recording an incident. Recording runs the store's own recording statements on the
same connection (:mod:`knownfix.storage.sqlite_writer`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from knownfix.core.match.compiled import CompiledIndex
from knownfix.core.match.issue_docs import StoredIssue
from knownfix.core.records import KnownIssue
from knownfix.errors import StoreError
from knownfix.storage import reads

if TYPE_CHECKING:
    from knownfix.storage.incident_write import NewOccurrence, OnRecorded, Recorded
    from knownfix.storage.pg_reader import PgReader
    from knownfix.storage.repository import Store

SQLITE_PREFIX = "sqlite:///"
CHUNK = 500  # ids per IN (...) list, as the store reads them


def sqlite_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///PATH`` URL; None for anything else (another backend, an
    in-memory database, URL options or escapes), which only the full store knows how to open."""
    if not url.startswith(SQLITE_PREFIX) or "?" in url or "%" in url:
        return None
    path = url.removeprefix(SQLITE_PREFIX)
    return Path(path) if path and path != ":memory:" else None


class SqliteReader:
    """The reads of a triage on one SQLite store at the schema head; the rest goes to the full
    store (``open_full``, called once, when first needed)."""

    def __init__(self, path: Path, conn: sqlite3.Connection,
                 open_full: Callable[[], Store]) -> None:
        self.path = path
        self._conn = conn
        self._open_full = open_full
        self._full: Store | None = None

    def full(self) -> Store:
        """The full store, opened on first use."""
        if self._full is None:
            self._full = self._open_full()
        return self._full

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: what it reads is consistent."""
        try:
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                self._conn.execute("COMMIT")
        except sqlite3.Error as error:
            raise StoreError(f"store {self.path}: {error}") from None

    def match_index(self) -> CompiledIndex:
        """The stored index when it is fresh and sound; else the full store rebuilds it."""
        with self._snapshot() as conn:
            row = conn.execute(reads.INDEX_ROW, {"name": reads.INDEX_NAME}).fetchone()
            latest = conn.execute(reads.LATEST_IMPORT_RUN).fetchone()[0] if row else None
        compiled = reads.trusted_index(row, latest)
        return compiled if compiled is not None else self.full().match_index()

    def get_prepared_issues(self, ids: Sequence[str]) -> list[StoredIssue]:
        """As :meth:`Store.get_prepared_issues`."""
        found: list[StoredIssue] = []
        with self._snapshot() as conn:
            for start in range(0, len(ids), CHUNK):
                statement, params = reads.prepared_issues(ids[start:start + CHUNK])
                found += [reads.stored_issue(row) for row in conn.execute(statement, params)]
        return found

    def fingerprint_links(self) -> dict[str, str]:
        """As :meth:`Store.fingerprint_links`."""
        with self._snapshot() as conn:
            return {fp: issue for fp, issue in conn.execute(reads.FINGERPRINT_LINKS)}

    def list_known_issues(self) -> list[KnownIssue]:
        """Every active issue (only the semantic layer asks): the full store reads them."""
        return self.full().list_known_issues()

    def record_occurrence(self, occ: NewOccurrence, *, then: OnRecorded | None = None
                          ) -> Recorded:
        """As :meth:`Store.record_occurrence`, in one write transaction on this connection; the
        full store records what needs SQLAlchemy (a hook writing in the transaction) and reads
        back what an idempotency key seen before recorded."""
        if then is not None:
            return self.full().record_occurrence(occ, then=then)
        from knownfix.storage.incident_write import Duplicate
        from knownfix.storage.sqlite_writer import record_occurrence

        try:
            return record_occurrence(self._conn, occ)
        except Duplicate:
            return self.full().record_occurrence(occ)
        except sqlite3.Error as error:
            raise StoreError(f"store {self.path}: {error}") from None

    def close(self) -> None:
        self._conn.close()
        if self._full is not None:
            self._full.close()
            self._full = None


def open_triage_store(url: str) -> SqliteReader | PgReader | Store:
    """A :class:`SqliteReader` for a SQLite file at the schema head, a
    :class:`~knownfix.storage.pg_reader.PgReader` for a plain PostgreSQL URL at it, else the
    full store (which creates or migrates the store as it must)."""
    if url.startswith(("postgres://", "postgresql")):
        from knownfix.storage import pg_reader

        pg = pg_reader.connect(url)
        return _open_store(url) if pg is None else pg_reader.PgReader(pg, lambda: _open_store(url))
    path = sqlite_file(url)
    conn = _connect(path) if path is not None else None
    if path is None or conn is None:
        return _open_store(url)
    return SqliteReader(path, conn, lambda: _open_store(url))


def _open_store(url: str) -> Store:
    from knownfix.storage.repository import open_store

    return open_store(url)


def _connect(path: Path) -> sqlite3.Connection | None:
    """A connection to the store at ``path`` when it exists and is at the schema head."""
    if not path.expanduser().is_file():
        return None
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(path.expanduser(), isolation_level=None,
                               timeout=reads.SQLITE_BUSY_TIMEOUT_MS / 1000)
        conn.row_factory = sqlite3.Row  # by name, as SQLAlchemy's mappings, and by position
        for pragma in reads.SQLITE_PRAGMAS:  # as the store's engine sets them: it may write
            conn.execute(pragma)
        found = [row[0] for row in conn.execute(reads.SCHEMA_VERSION)]
    except sqlite3.Error:
        found = []  # not a store yet (no version table), or not a database: the store says
    if found != [reads.SCHEMA_HEAD] and conn is not None:
        conn.close()
        return None
    return conn
