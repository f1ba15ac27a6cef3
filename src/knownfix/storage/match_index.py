"""The compiled match index, stored with the knowledge base and never trusted blindly.

Lifecycle (docs/matching.md):

* **import** — in the import's own transaction, the issues that changed are tokenized
  (``match_issue_terms``, keyed by a stamp of their content, source path and the index
  format) and the index is compiled from every active issue's stored terms and saved with the
  import run it reflects. An import that changed nothing only moves that mark forward.
* **load** — a process reads the blob; it is used only when its format is this version's,
  it reflects the latest import run and its checksum and sizes hold
  (``CompiledIndex.from_bytes``). Anything else — another format after an upgrade, an index
  older than the last import, a corrupt or missing blob — is rebuilt, under the store's write
  lock (and an advisory lock on PostgreSQL), after looking again: of two processes that find
  it stale, the second uses what the first built.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, delete, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from knownfix.core.match.compiled import INDEX_FORMAT, CompiledIndex
from knownfix.core.match.index_build import compile_index
from knownfix.core.match.issue_docs import StoredIssue
from knownfix.core.match.phrases import IssueTerms
from knownfix.core.match.prepared import stored_forms
from knownfix.core.records import KnownIssue
from knownfix.storage import pg_reader, reads
from knownfix.storage.db import chunked
from knownfix.storage.import_rows import EncodedJSON, PreparedIssue
from knownfix.storage.match_tables import match_index, match_issue_terms
from knownfix.storage.migrate import MIGRATION_LOCK_KEY
from knownfix.storage.prebuilt import driver
from knownfix.storage.reads import INDEX_NAME, issue_from_row, stamp
from knownfix.storage.tables import import_runs, known_issues

if TYPE_CHECKING:
    from knownfix.storage.repository import Store

T = TypeVar("T")
IMPORT_LOCK_KEY = MIGRATION_LOCK_KEY + 1  # shared with imports (storage.repository)


def latest_import_run(conn: Connection) -> int:
    """The id of the latest import run (0 before the first): the knowledge base's revision."""
    return int(conn.execute(text(reads.LATEST_IMPORT_RUN)).scalar() or 0)


def read_prepared(conn: Connection, ids: Sequence[str]) -> list[StoredIssue]:
    """The known issues with ``ids`` (those that exist) with their stored terms and prepared
    phrases, those only when their stamp says they were computed from this content and this
    index format (else None: the reader prepares the issue again). On PostgreSQL one statement
    on psycopg itself, JSON read as text (:mod:`knownfix.storage.pg_reader`)."""
    if conn.dialect.name == "postgresql":
        return on_driver(conn, lambda raw: pg_reader.read_prepared(raw, ids)) if ids else []
    return read_prepared_text(conn, ids)


def read_prepared_text(conn: Connection, ids: Sequence[str]) -> list[StoredIssue]:
    """:func:`read_prepared` through SQLAlchemy (``reads.prepared_issues``), on any backend."""
    found: list[StoredIssue] = []
    for chunk in chunked(list(ids)):
        statement, params = reads.prepared_issues(chunk)
        found += [reads.stored_issue(row) for row in conn.execute(text(statement), params)
                  .mappings()]
    return found


def read_issues(conn: Connection, ids: Sequence[str]) -> list[KnownIssue]:
    """The known issues with ``ids`` (those that exist), in no particular order."""
    found: list[KnownIssue] = []
    for chunk in chunked(list(ids)):
        rows = conn.execute(select(known_issues).where(known_issues.c.id.in_(chunk)))
        found += [issue_from_row(row) for row in rows.mappings()]
    return found


def refresh_terms(conn: Connection) -> int:
    """Prepare the active issues whose stored terms and phrases are missing or stale; how many.
    An import writes those of the issues it read as it goes (:func:`write_terms`); what is
    left here is what it did not read (an index format changed, an older store). Written a
    chunk at a time: memory does not grow with the knowledge base."""
    statement = (
        select(known_issues.c.id, known_issues.c.content_hash, known_issues.c.source_path,
               match_issue_terms.c.stamp)
        .select_from(known_issues.outerjoin(
            match_issue_terms, match_issue_terms.c.issue_id == known_issues.c.id))
        .where(known_issues.c.retired.is_(False))
    )
    stale = {row.id: stamp(row.content_hash, row.source_path) for row in conn.execute(statement)
             if row.stamp != stamp(row.content_hash, row.source_path)}
    ids = sorted(stale)
    for chunk in chunked(ids):
        conn.execute(delete(match_issue_terms).where(match_issue_terms.c.issue_id.in_(chunk)))
    for chunk in chunked(ids):
        rows = [{"issue_id": issue.id, **stored_forms(issue), "stamp": stale[issue.id]}
                for row in conn.execute(select(known_issues).where(
                    known_issues.c.id.in_(chunk))).mappings().all()
                for issue in (issue_from_row(row),)]
        conn.execute(insert(match_issue_terms), rows)
    return len(stale)


def write_terms(conn: Connection, issues: Mapping[str, PreparedIssue],
                stored: Mapping[str, str | None]) -> None:
    """Store the terms and prepared phrases of ``issues``, just written as active, where the
    stamp ``stored`` (issue id → stamp of its stored terms, None or absent: none) is not that
    of their content: what :func:`refresh_terms` would rewrite, written while at hand."""
    rows = []
    for issue_id, ready in issues.items():
        fresh = stamp(ready.values["content_hash"], ready.values["source_path"])
        if stored.get(issue_id) != fresh:
            rows.append({"issue_id": issue_id, "stamp": fresh,
                         "terms": EncodedJSON(ready.terms),
                         "prepared": EncodedJSON(ready.prepared)})
    old = [row["issue_id"] for row in rows if stored.get(row["issue_id"]) is not None]
    for ids in chunked(old):
        conn.execute(delete(match_issue_terms).where(match_issue_terms.c.issue_id.in_(ids)))
    for batch in chunked(rows):
        conn.execute(insert(match_issue_terms), batch)


def compile_stored(conn: Connection) -> CompiledIndex:
    """Compile the index from the stored terms of every active issue (ordered by id)."""
    statement = (
        select(match_issue_terms.c.terms)
        .select_from(match_issue_terms.join(
            known_issues, known_issues.c.id == match_issue_terms.c.issue_id))
        .where(known_issues.c.retired.is_(False))
        .order_by(known_issues.c.id)
    )
    # Streamed: one issue's terms in memory at a time, whatever the knowledge base's size.
    rows = conn.execute(statement.execution_options(yield_per=1000)).scalars()
    return compile_index(IssueTerms.from_json(terms) for terms in rows)


def rebuild(conn: Connection, import_run: int | None = None) -> CompiledIndex:
    """Refresh the terms, compile and save the index (inside the caller's write transaction)."""
    refresh_terms(conn)
    compiled = compile_stored(conn)
    run = latest_import_run(conn) if import_run is None else import_run
    conn.execute(delete(match_index).where(match_index.c.name == INDEX_NAME))
    conn.execute(insert(match_index).values(
        name=INDEX_NAME, format=INDEX_FORMAT, import_run=run, issues=compiled.size,
        built_at=datetime.now(UTC), data=compiled.to_bytes()))
    return compiled


def after_import(conn: Connection, import_run: int, *, changed: bool) -> None:
    """Keep the index in step with an import run (inside the import's transaction)."""
    row = conn.execute(select(match_index.c.format, match_index.c.import_run).where(
        match_index.c.name == INDEX_NAME)).first()
    previous = _run_before(conn, import_run)
    if (not changed and row is not None and row.format == INDEX_FORMAT
            and row.import_run == previous):
        conn.execute(update(match_index).where(match_index.c.name == INDEX_NAME)
                     .values(import_run=import_run))
        return
    rebuild(conn, import_run)


def _run_before(conn: Connection, import_run: int) -> int:
    """The import run before ``import_run`` (0: none): what a fresh index reflects."""
    return int(conn.execute(select(func.max(import_runs.c.id)).where(
        import_runs.c.id < import_run)).scalar() or 0)


def _fresh(conn: Connection) -> CompiledIndex | None:
    """The stored index when it can be trusted as it is, else None (and why, in the log)."""
    if conn.dialect.name == "postgresql":  # one statement, the blob in binary (pg_reader)
        return reads.trusted_index(*on_driver(conn, pg_reader.index_row))
    return fresh_text(conn)


def fresh_text(conn: Connection) -> CompiledIndex | None:
    """:func:`_fresh` through SQLAlchemy (``reads.INDEX_ROW``), on any backend."""
    row = conn.execute(text(reads.INDEX_ROW), {"name": INDEX_NAME}).first()
    return reads.trusted_index(row, latest_import_run(conn) if row is not None else None)


def on_driver(conn: Connection, read: Callable[[Any], T]) -> T:
    """``read`` run on the psycopg connection under ``conn`` (in its transaction); a driver
    error becomes SQLAlchemy's, as if SQLAlchemy had run it (the store reports it)."""
    import psycopg

    try:
        return read(driver(conn))
    except psycopg.Error as error:
        raise DBAPIError.instance("(read)", None, error, psycopg.Error) from error


def load_or_rebuild(store: Store) -> CompiledIndex:
    """The stored index if it is fresh and sound, else one rebuilt under the write lock."""
    with store.read_one() as conn:  # one statement on PostgreSQL: its own snapshot
        compiled = _fresh(conn)
        if conn.dialect.name == "postgresql":
            # libpq keeps its input buffer as large as the blob (~40 MB at 100,000 issues)
            # while the connection lives: this one is closed rather than pooled.
            conn.invalidate()
    if compiled is not None:
        return compiled
    with store.write() as conn:
        if conn.dialect.name == "postgresql":
            # The import's lock: a rebuild never interleaves with an import or another rebuild.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK_KEY})
        compiled = _fresh(conn)  # another process may have rebuilt it meanwhile
        return compiled if compiled is not None else rebuild(conn)
