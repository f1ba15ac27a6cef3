"""The store: known issues in SQLite or PostgreSQL, imported in one transaction, searchable.

    store = open_store("sqlite:///.knownfix/knownfix.db")    # migrations applied on first use
    stats = store.import_documents(docs, doc_keys=["ops/db.md"])
    store.search("Can't locate revision")

An import is all or nothing. Known issues are upserted by id; an issue that vanished from a
re-imported doc is retired, not deleted (incidents may point at it), and comes back when the doc
does. Two places claiming one id — two docs of the run, or a doc of the run and a doc already in
the store — is a :class:`~knownfix.errors.Conflict` naming both, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, bindparam, delete, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from knownfix.core.match.compiled import CompiledIndex
from knownfix.core.match.issue_docs import StoredIssue
from knownfix.core.records import KnownIssue, ParsedDocument, SearchHit, SourceRef
from knownfix.errors import Conflict, InputError, NotFound, StoreError
from knownfix.storage import match_index as match_store
from knownfix.storage import migrate
from knownfix.storage.db import chunked, create_store_engine, redact_url, write_engine
from knownfix.storage.import_rows import PreparedIssue, prepare_issues
from knownfix.storage.incidents import IncidentStoreMixin
from knownfix.storage.match_tables import imported_documents, match_issue_terms
from knownfix.storage.reads import issue_from_row
from knownfix.storage.search import SearchIndex, index_for
from knownfix.storage.tables import import_runs, known_issues

IMPORT_LOCK_KEY = match_store.IMPORT_LOCK_KEY


@dataclass(frozen=True, slots=True)
class ImportStats:
    """What one import did, counted in known issues (skipped: document sections)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    skipped: int = 0

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def open_store(url: str) -> Store:
    """Connect to the store at ``url`` and bring its schema up to date."""
    engine = create_store_engine(url)
    try:
        with _store_errors(engine):
            migrate.upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)


@contextmanager
def _store_errors(engine: Engine) -> Iterator[None]:
    """Database failures become one clear StoreError line instead of a traceback."""
    try:
        yield
    except DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise StoreError(f"store {redact_url(engine.url)}: {reason}") from None
    except SQLAlchemyError as error:
        raise StoreError(f"store {redact_url(engine.url)}: {error}") from None


class Store(IncidentStoreMixin):
    """Repository of known issues, import runs and incidents over one SQLAlchemy engine."""

    def __init__(self, engine: Engine, index: SearchIndex | None = None) -> None:
        self.engine = engine
        self.index = index or index_for(engine.dialect.name)
        self._writer = write_engine(engine)

    def __repr__(self) -> str:
        return f"Store({redact_url(self.engine.url)!r})"

    @property
    def url(self) -> str:
        """The store's URL without its password."""
        return redact_url(self.engine.url)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction (serialised per SQLite file); rolled back on any error."""
        with _store_errors(self.engine), self._writer.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """One read transaction, a consistent snapshot."""
        with _store_errors(self.engine), self.engine.begin() as conn:
            yield conn

    @contextmanager
    def read_one(self) -> Iterator[Connection]:
        """A connection for reads of one statement each, which is its own snapshot: on
        PostgreSQL without BEGIN and COMMIT (two round trips of each warm log's candidate
        read); elsewhere one read transaction."""
        if self.engine.dialect.name != "postgresql":
            with self.read() as conn:
                yield conn
            return
        with _store_errors(self.engine), self.engine.connect() as conn:
            yield conn.execution_options(isolation_level="AUTOCOMMIT")

    def import_documents(
        self,
        docs: Iterable[ParsedDocument],
        *,
        doc_keys: Sequence[str] | None = None,
        removed_doc_keys: Sequence[str] = (),
        digests: Callable[[], Mapping[str, tuple[str, dict[str, Any]]]] | None = None,
        prepared: dict[str, PreparedIssue] | None = None,
    ) -> ImportStats:
        """Upsert the issues of ``docs`` in one transaction; ``doc_keys[i]`` names ``docs[i]``.

        ``docs`` may be a lazy iterable (documents parsed one by one inside the transaction, so
        memory is bounded by the largest document); a doc key defaults to the document's path.
        Every issue of a doc in ``removed_doc_keys`` (a deleted file) is retired. ``digests``,
        called once the documents are read, gives each parsed doc key its digest and report,
        kept so that the next import can leave an unchanged document unparsed
        (:meth:`unchanged_documents`). ``prepared`` (issue id → its rows, filled by import
        workers as their documents come) spares preparing them here; an entry is taken out
        when its document is written.
        """
        if doc_keys is None:
            docs = list(docs)
            doc_keys = [doc.path for doc in docs]
        started = datetime.now(UTC)
        with self.write() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK_KEY})
            run = _ImportRun(conn, self.index, {*doc_keys, *removed_doc_keys}, started)
            for doc, key in zip(docs, doc_keys, strict=True):
                run.add(doc, key, prepared)
            stats = run.finish()
            _remember_documents(conn, digests() if digests is not None else {},
                                removed_doc_keys)
            inserted = conn.execute(
                insert(import_runs).values(
                    started_at=started,
                    finished_at=datetime.now(UTC),
                    doc_keys=[*doc_keys, *removed_doc_keys],
                    **stats.to_dict(),
                )
            ).inserted_primary_key
            changed = bool(stats.created or stats.updated or stats.retired or run.moved)
            match_store.after_import(conn, int(inserted[0]) if inserted else 0, changed=changed)
        return stats

    def unchanged_documents(self, digests: Mapping[str, str]) -> dict[str, dict[str, Any]]:
        """The stored report of each doc key whose last import had the same ``digest``."""
        found: dict[str, dict[str, Any]] = {}
        with self.read() as conn:
            for keys in chunked(sorted(digests)):
                rows = conn.execute(select(imported_documents).where(
                    imported_documents.c.doc_key.in_(keys)))
                found.update({row.doc_key: dict(row.report) for row in rows
                              if row.digest == digests[row.doc_key]})
        return found

    def match_index(self) -> CompiledIndex:
        """The compiled match index of the active known issues: the stored one when it is
        fresh and sound, else rebuilt (see :mod:`knownfix.storage.match_index`)."""
        return match_store.load_or_rebuild(self)

    def rebuild_match_index(self) -> CompiledIndex:
        """Rebuild the compiled match index now, whatever state it is in."""
        with self.write() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK_KEY})
            return match_store.rebuild(conn)

    def get_prepared_issues(self, ids: Sequence[str]) -> list[StoredIssue]:
        """The known issues with ``ids`` that exist, with their stored terms and prepared
        phrases when these are current (what a match index reads for its candidates)."""
        with self.read_one() as conn:
            return match_store.read_prepared(conn, ids)

    def get_known_issues(self, ids: Sequence[str]) -> list[KnownIssue]:
        """The known issues with ``ids`` that exist (retired ones too), in no set order."""
        with self.read() as conn:
            return match_store.read_issues(conn, ids)

    def doc_sources(self) -> dict[str, set[str]]:
        """The doc key of every active known issue, with the source files its issues name."""
        statement = select(known_issues.c.doc_key, known_issues.c.source_path).where(
            known_issues.c.retired.is_(False)
        )
        sources: dict[str, set[str]] = {}
        with self.read() as conn:
            for doc_key, source_path in conn.execute(statement):
                files = sources.setdefault(doc_key, set())
                if source_path:
                    files.add(source_path)
        return sources

    def list_known_issues(self, include_retired: bool = False) -> list[KnownIssue]:
        """Every known issue ordered by id; retired ones only when asked."""
        statement = select(known_issues).order_by(known_issues.c.id)
        if not include_retired:
            statement = statement.where(known_issues.c.retired.is_(False))
        with self.read() as conn:
            return [issue_from_row(row) for row in conn.execute(statement).mappings()]

    def get_known_issue(self, issue_id: str) -> KnownIssue:
        """The known issue with ``issue_id`` (retired or not); NotFound if there is none."""
        statement = select(known_issues).where(known_issues.c.id == issue_id)
        with self.read() as conn:
            row = conn.execute(statement).mappings().first()
        if row is None:
            raise NotFound(f"no known issue {issue_id!r}")
        return issue_from_row(row)

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        """Active known issues ranked by relevance to ``query``; scores in [0, 1]."""
        if limit < 1:
            raise InputError(f"search limit must be at least 1, not {limit}")
        with self.read() as conn:
            return self.index.query(conn, query, limit)

    def reindex(self) -> int:
        """Rebuild the search index and the match index from the table; returns the number
        of issues indexed."""
        issues = self.list_known_issues(include_retired=True)
        with self.write() as conn:
            self.index.clear(conn)
            self.index.upsert(conn, issues)
        self.rebuild_match_index()
        return len(issues)

    def import_runs(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest import runs, newest first."""
        statement = select(import_runs).order_by(import_runs.c.id.desc()).limit(limit)
        with self.read() as conn:
            return [dict(row) for row in conn.execute(statement).mappings()]


class _ImportRun:
    """The bookkeeping of one import inside its transaction."""

    def __init__(
        self, conn: Connection, index: SearchIndex, run_keys: set[str], now: datetime
    ) -> None:
        self.conn = conn
        self.index = index
        self.run_keys = run_keys
        self.now = now
        self.claimed: dict[str, tuple[str, SourceRef]] = {}  # id -> (doc key, where)
        self.counts = {"created": 0, "updated": 0, "unchanged": 0, "retired": 0, "skipped": 0}
        self.moved = 0  # unchanged issues in another place (their document may be another)

    def add(self, doc: ParsedDocument, key: str,
            prepared: dict[str, PreparedIssue] | None = None) -> None:
        self.counts["skipped"] += len(doc.skipped)
        for issue in doc.issues:
            self._claim(issue, key, doc.path)
        prepared = prepared if prepared is not None else {}
        ready = {i.id: prepared.pop(i.id) for i in doc.issues if i.id in prepared}
        ready.update(prepare_issues([i for i in doc.issues if i.id not in ready]))
        existing = self._existing([issue.id for issue in doc.issues])
        inserts: list[dict[str, Any]] = []
        bumped: list[dict[str, Any]] = []  # content changed or came back: new updated_at
        moved: list[dict[str, Any]] = []  # same content in another place: updated_at kept
        changed: list[KnownIssue] = []
        for issue in doc.issues:
            values = {**ready[issue.id].columns(), "doc_key": key, "retired": False}
            row = existing.get(issue.id)
            if row is None:
                inserts.append({**values, "created_at": self.now, "updated_at": self.now})
                changed.append(issue)
                self.counts["created"] += 1
                continue
            self._check_owner(issue, key, doc.path, row)
            if row["content_hash"] != values["content_hash"] or row["retired"]:
                bumped.append({**values, "updated_at": self.now})
                changed.append(issue)
                self.counts["updated"] += 1
                continue
            self.counts["unchanged"] += 1
            if not _same_place(row, values, key):
                moved.append(values)
        if inserts:
            self.conn.execute(insert(known_issues), inserts)
        for rows in (bumped, moved):
            if rows:
                self._update(rows)
        self.moved += len(moved)
        self.index.upsert(self.conn, changed)
        match_store.write_terms(self.conn, ready, {
            issue_id: row["terms_stamp"] for issue_id, row in existing.items()})

    def finish(self) -> ImportStats:
        """Retire the issues the run's docs no longer hold; the run's counts."""
        gone: list[str] = []
        for keys in chunked(sorted(self.run_keys)):
            statement = select(known_issues.c.id, known_issues.c.doc_key).where(
                known_issues.c.doc_key.in_(keys), known_issues.c.retired.is_(False)
            )
            for issue_id, doc_key in self.conn.execute(statement):
                if self.claimed.get(issue_id, ("",))[0] != doc_key:
                    gone.append(issue_id)
        for ids in chunked(gone):
            self.conn.execute(
                update(known_issues)
                .where(known_issues.c.id.in_(ids))
                .values(retired=True, updated_at=self.now)
            )
        self.counts["retired"] = len(gone)
        return ImportStats(**self.counts)

    def _claim(self, issue: KnownIssue, key: str, path: str) -> None:
        here = issue.source or SourceRef(path, 0)
        previous = self.claimed.get(issue.id)
        if previous is not None:
            raise Conflict(f"duplicate known issue id {issue.id!r}: {previous[1]} and {here}")
        self.claimed[issue.id] = (key, here)

    def _check_owner(self, issue: KnownIssue, key: str, path: str, row: Any) -> None:
        """An id held by another doc is free only if that doc dropped it (retired or in run)."""
        owner = row["doc_key"]
        if owner == key or row["retired"] or owner in self.run_keys:
            return
        there = SourceRef(row["source_path"] or owner, row["source_line"] or 0)
        here = issue.source or SourceRef(path, 0)
        raise Conflict(
            f"duplicate known issue id {issue.id!r}: {here} and {there} (already imported)"
        )

    def _existing(self, ids: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        columns = (
            known_issues.c.id,
            known_issues.c.doc_key,
            known_issues.c.retired,
            known_issues.c.content_hash,
            known_issues.c.source_path,
            known_issues.c.source_line,
            match_issue_terms.c.stamp.label("terms_stamp"),
        )
        joined = known_issues.outerjoin(
            match_issue_terms, match_issue_terms.c.issue_id == known_issues.c.id)
        for chunk in chunked(ids):
            statement = select(*columns).select_from(joined).where(
                known_issues.c.id.in_(chunk))
            for row in self.conn.execute(statement).mappings():
                found[row["id"]] = row
        return found

    def _update(self, rows: list[dict[str, Any]]) -> None:
        """One executemany UPDATE by id; every row carries the same columns."""
        columns: dict[str, Any] = {name: bindparam(name) for name in rows[0] if name != "id"}
        params = [{**{k: v for k, v in row.items() if k != "id"}, "b_id": row["id"]}
                  for row in rows]
        statement = update(known_issues).where(known_issues.c.id == bindparam("b_id"))
        self.conn.execute(statement.values(columns), params)


def _remember_documents(conn: Connection,
                        digests: Mapping[str, tuple[str, dict[str, Any]]],
                        removed: Sequence[str]) -> None:
    """Keep each parsed document's digest and report; forget deleted documents."""
    for keys in chunked(sorted({*digests, *removed})):
        conn.execute(delete(imported_documents).where(imported_documents.c.doc_key.in_(keys)))
    rows = [{"doc_key": key, "digest": digest, "report": report}
            for key, (digest, report) in sorted(digests.items())]
    if rows:
        conn.execute(insert(imported_documents), rows)


def _same_place(row: Any, values: dict[str, Any], key: str) -> bool:
    return bool(
        row["doc_key"] == key
        and row["source_path"] == values["source_path"]
        and row["source_line"] == values["source_line"]
    )
