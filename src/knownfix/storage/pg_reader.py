"""A PostgreSQL store read with psycopg itself: a triage's reads without SQLAlchemy.

    store = open_triage_store(url)   # a PgReader for a postgresql:// URL at the schema head

As :mod:`knownfix.storage.sqlite_reader` for SQLite, and for the same reasons: a read-only
``knownfix triage`` reads the match index, a few dozen issues and the fingerprint links, and
SQLAlchemy's import and engine cost more than that (a quarter of a second of each start, and
~40 MB). Whatever is not a plain read of a current store goes to the full store, opened on
first need: a store not at the schema head, an index that is stale, corrupt or missing (rebuilt
under the import's advisory lock), recording an incident.

The statements here are also what the full :class:`~knownfix.storage.repository.Store` runs on
PostgreSQL for the hot reads, on the psycopg connection under its SQLAlchemy one
(:func:`read_prepared`, :func:`index_row`), so both read alike:

* the candidates' issues with their stored forms in **one** statement per log
  (``k.id = ANY(%s)``: one parameter, one plan, whatever the number of candidates);
* JSON columns as **text**, decoded by json's C scanner (:func:`reads.json_value`), as on
  SQLite: psycopg's own JSON loader runs ``json.loads`` on bytes (encoding detection, the
  Python wrappers) for nine columns of every candidate;
* the index row and the latest import run in **one** statement (one snapshot without a
  transaction), its blob in binary: text would send the bytea hex-escaped (twice its size) and
  unescape it into a second copy.

One statement is its own snapshot, so these run without BEGIN / COMMIT (autocommit).
This module imports SQLAlchemy only when the full store is opened.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from knownfix.core.match.compiled import CompiledIndex
from knownfix.core.match.issue_docs import StoredIssue
from knownfix.core.records import KnownIssue
from knownfix.errors import StoreError
from knownfix.storage import reads

if TYPE_CHECKING:
    from knownfix.storage.incident_write import NewOccurrence, OnRecorded, Recorded
    from knownfix.storage.repository import Store

SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgres://")

PREPARED = (
    "SELECT k.*, t.stamp AS terms_stamp, t.terms AS stored_terms, t.prepared AS stored_prepared"
    " FROM known_issues k LEFT OUTER JOIN match_issue_terms t ON t.issue_id = k.id"
    " WHERE k.id = ANY(%(ids)s)"
)
INDEX_ROW = (
    "SELECT format, import_run, data, (SELECT max(id) FROM import_runs)"
    " FROM match_index WHERE name = %(name)s"
)


def read_prepared(conn: Any, ids: Sequence[str]) -> list[StoredIssue]:
    """As :meth:`Store.get_prepared_issues`, on a psycopg connection: one statement."""
    from psycopg.types.string import TextLoader

    with conn.cursor() as cursor:
        for name in ("json", "jsonb"):  # this cursor only: the connection's other reads decode
            cursor.adapters.register_loader(name, TextLoader)
        cursor.execute(PREPARED, {"ids": list(ids)})
        columns = [column.name for column in cursor.description or ()]
        return [reads.stored_issue(dict(zip(columns, row, strict=True)))
                for row in cursor.fetchall()]


def index_row(conn: Any) -> tuple[tuple[Any, Any, Any] | None, int | None]:
    """The stored index's (format, import run, blob) row, None if there is none, and the latest
    import run, read together on a psycopg connection. The blob is a view of the driver's
    result (psycopg's C implementation; bytes with the Python one), which it keeps alive:
    copying it into ``bytes`` would hold the index twice at the peak (~40 MB at 100,000
    issues) and cost a copy."""
    with conn.cursor(binary=True) as cursor:
        cursor.adapters.register_loader("bytea", _blob_loader())
        cursor.execute(INDEX_ROW, {"name": reads.INDEX_NAME})
        found = cursor.fetchone()
    if found is None:
        return None, None
    index_format, import_run, data, latest = found
    return (index_format, import_run, data), latest


def _blob_loader() -> type:
    from psycopg.adapt import Loader
    from psycopg.pq import Format

    class BlobView(Loader):
        format = Format.BINARY

        def load(self, data: Any) -> Any:
            return data  # a read-only view the result stays alive for (or bytes)

    return BlobView


def conninfo(url: str) -> str | None:
    """The libpq URI of a ``postgresql[+psycopg]://`` store URL; None for another driver, which
    only the full store knows. Its options (``?options=-csearch_path%3D…``, ``sslmode``) are
    libpq's parameters, as SQLAlchemy hands them to psycopg; one libpq does not know fails the
    connection, and the full store then says why."""
    scheme = next((s for s in SCHEMES if url.startswith(s)), None)
    if scheme is None:
        return None
    return "postgresql://" + url.removeprefix(scheme)


class PgReader:
    """The reads of a triage on one PostgreSQL store at the schema head; the rest goes to the
    full store (``open_full``, called once, when first needed)."""

    def __init__(self, conn: Any, open_full: Callable[[], Store]) -> None:
        self._conn: Any = conn
        self._info = conn.info.dsn, conn.info.password  # to connect again after the blob
        self._open_full = open_full
        self._full: Store | None = None

    def full(self) -> Store:
        """The full store, opened on first use."""
        if self._full is None:
            self._full = self._open_full()
        return self._full

    def _run(self, read: Callable[[Any], Any]) -> Any:
        import psycopg

        try:
            if self._conn is None:
                dsn, password = self._info
                self._conn = psycopg.connect(dsn, password=password, autocommit=True)
            return read(self._conn)
        except psycopg.Error as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            raise StoreError(f"store {_redacted(self._info)}: {reason}") from None

    def match_index(self) -> CompiledIndex:
        """The stored index when it is fresh and sound; else the full store rebuilds it."""
        row, latest = self._run(index_row)
        # libpq keeps its input buffer as large as the largest message until the connection
        # closes: after the blob, ~40 MB at 100,000 issues. The next read connects again.
        self._conn.close()
        self._conn = None
        compiled = reads.trusted_index(row, latest)
        return compiled if compiled is not None else self.full().match_index()

    def get_prepared_issues(self, ids: Sequence[str]) -> list[StoredIssue]:
        """As :meth:`Store.get_prepared_issues`."""
        return self._run(lambda conn: read_prepared(conn, ids)) if ids else []

    def fingerprint_links(self) -> dict[str, str]:
        """As :meth:`Store.fingerprint_links`."""
        rows = self._run(lambda conn: conn.execute(reads.FINGERPRINT_LINKS).fetchall())
        return {fp: issue for fp, issue in rows}

    def list_known_issues(self) -> list[KnownIssue]:
        """Every active issue (only the semantic layer asks): the full store reads them."""
        return self.full().list_known_issues()

    def record_occurrence(self, occ: NewOccurrence, *, then: OnRecorded | None = None
                          ) -> Recorded:
        """Recording is the full store's (SQLAlchemy, the store's own statements)."""
        return self.full().record_occurrence(occ, then=then)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._full is not None:
            self._full.close()
            self._full = None


def _redacted(conn: Any) -> str:
    import psycopg.conninfo

    found = {key: str(value) for key, value in
             psycopg.conninfo.conninfo_to_dict(conn[0]).items() if value is not None}
    port = f":{found['port']}" if found.get("port") else ""
    return f"postgresql://{found.get('user', '')}@{found.get('host', '')}{port}" \
        f"/{found.get('dbname', '')}"


def connect(url: str) -> Any | None:
    """An autocommit psycopg connection to the store at ``url`` when it is a plain PostgreSQL
    URL and the store is at the schema head; None otherwise (the full store opens it, creating,
    migrating or saying why it cannot)."""
    info = conninfo(url)
    if info is None:
        return None
    import psycopg

    conn = None
    try:
        conn = psycopg.connect(info, autocommit=True)
        found = [row[0] for row in conn.execute(reads.SCHEMA_VERSION)]
    except psycopg.Error:
        found = []  # unreachable, no such database, no version table: the full store says
    if found != [reads.SCHEMA_HEAD] and conn is not None:
        conn.close()
        return None
    return conn
