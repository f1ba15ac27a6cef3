"""The reads a triage needs, as SQL that both the store and the light SQLite reader run.

Triage reads four things: whether the schema is current, the stored match index (and the
import run it must reflect), the candidates' issues with their prepared forms, and the
fingerprint links. :class:`~knownfix.storage.repository.Store` runs these statements through
SQLAlchemy (``text``); :mod:`knownfix.storage.sqlite_reader` runs the very same ones on a plain
``sqlite3`` connection, so a command that only reads a SQLite store starts without importing
SQLAlchemy (about a quarter of a second of every start). Parameters are ``:name``, which both
understand. On PostgreSQL the hot reads (the index row, the candidates) are
:mod:`knownfix.storage.pg_reader`'s, which both the store and a triage's light reader run on
psycopg itself. Rows come back undecoded from both (no column types): JSON as text on SQLite and
as objects on PostgreSQL, timestamps as text on SQLite; the functions here decode either.

This module imports neither SQLAlchemy nor a driver.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from json.scanner import make_scanner
from typing import TYPE_CHECKING, Any

from knownfix.core.match.compiled import INDEX_FORMAT, CompiledIndex, CorruptIndex
from knownfix.core.match.issue_docs import StoredIssue
from knownfix.core.records import KnownIssue, SignatureRules, SourceRef

if TYPE_CHECKING:
    import logging

# What ``json.loads`` runs under its wrappers (it shares one such scanner between threads too).
_scan = make_scanner(json.JSONDecoder())  # type: ignore[arg-type]  # typeshed: decoder-shaped

VERSION_TABLE = "knownfix_schema_version"
# The newest revision (tests check it is Alembic's head): a store at it is opened without
# loading Alembic and every migration script, which would cost each CLI call a tenth of a second.
SCHEMA_HEAD = "0007"
INDEX_NAME = "main"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# Every connection to a SQLite store, SQLAlchemy's or a plain one: many processes share the file.
SQLITE_PRAGMAS = (
    f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}",
    "PRAGMA foreign_keys = ON",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
)

SCHEMA_VERSION = f"SELECT version_num FROM {VERSION_TABLE}"
LATEST_IMPORT_RUN = "SELECT max(id) FROM import_runs"
INDEX_ROW = "SELECT format, import_run, data FROM match_index WHERE name = :name"
FINGERPRINT_LINKS = (
    "SELECT f.loose_fingerprint, i.known_issue_id FROM incident_fingerprints f"
    " JOIN incidents i ON f.incident_id = i.id"
    " WHERE i.known_issue_id IS NOT NULL ORDER BY i.id"
)
_PREPARED = (
    "SELECT k.*, t.stamp AS terms_stamp, t.terms AS stored_terms, t.prepared AS stored_prepared"
    " FROM known_issues k LEFT OUTER JOIN match_issue_terms t ON t.issue_id = k.id"
    " WHERE k.id IN ({})"
)


def prepared_issues(ids: Sequence[str]) -> tuple[str, dict[str, str]]:
    """The statement reading the issues with ``ids`` (at most a few hundred) with their
    stored terms and prepared phrases, and its parameters."""
    params = {f"id{n}": issue_id for n, issue_id in enumerate(ids)}
    return _PREPARED.format(", ".join(f":{name}" for name in params)), params


def stamp(content_hash: str, source_path: str | None) -> str:
    """What an issue's stored terms were computed from: its content, its place, the format."""
    return f"{INDEX_FORMAT}\x1f{content_hash}\x1f{source_path or ''}"


def stored_issue(row: Mapping[str, Any]) -> StoredIssue:
    """A :data:`prepared_issues` row: the issue, and its stored forms only when their stamp
    says they were computed from this content and this index format (else None)."""
    fresh = row["terms_stamp"] == stamp(row["content_hash"], row["source_path"])
    return StoredIssue(issue_from_row(row),
                       json_value(row["stored_terms"]) if fresh else None,
                       json_value(row["stored_prepared"]) if fresh else None)


def trusted_index(row: Sequence[Any] | None, latest_run: int | None) -> CompiledIndex | None:
    """The index of an :data:`INDEX_ROW` row (format, import run, blob) when it can be trusted
    as it is: this format, reflecting the latest import run, sound. Else None, and why, logged."""
    if row is None:
        return None
    index_format, import_run, data = row
    if index_format != INDEX_FORMAT:
        _log().info("match index format %s is not %s: rebuilding", index_format, INDEX_FORMAT)
        return None
    if import_run != int(latest_run or 0):
        _log().info("match index predates the latest import: rebuilding")
        return None
    try:
        return CompiledIndex.from_bytes(data)
    except CorruptIndex as exc:
        _log().warning("%s: rebuilding the match index", exc)
        return None


def _log() -> logging.Logger:
    # Imported when there is something to say: a read-only triage never loads logging.
    import logging

    return logging.getLogger("knownfix.store")


def json_value(value: Any) -> Any:
    """A JSON column's value: text (SQLite, an untyped read) parsed, objects kept as they are."""
    # A tuple, not ``str | bytes``: nine columns of every candidate, and a union checks 4x slower.
    if not isinstance(value, (str, bytes)):
        return value
    if type(value) is str:
        # The C scanner alone: ``json.loads`` wraps it in three Python calls and two regex
        # matches for surrounding whitespace, as much again as decoding a candidate's small
        # columns. What the store wrote has none; anything else takes the full parser.
        try:
            found, end = _scan(value, 0)
        except StopIteration:
            found, end = None, -1
        if end == len(value):
            return found
    return json.loads(value)


def utc_datetime(value: datetime | str | None) -> datetime | None:
    """A timestamp column's value as an aware UTC datetime (SQLite stores text, no zone)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def issue_from_row(row: Mapping[str, Any]) -> KnownIssue:
    """The KnownIssue a ``known_issues`` row holds (typed by SQLAlchemy or not)."""
    source = None
    if row["source_path"] is not None:
        source = SourceRef(row["source_path"], int(row["source_line"] or 0))
    return KnownIssue(
        id=row["id"],
        title=row["title"],
        symptoms=list(json_value(row["symptoms"]) or []),
        signature=SignatureRules.from_dict(json_value(row["signature"])),
        root_cause=row["root_cause"] or "",
        resolution=row["resolution"] or "",
        resolution_steps=list(json_value(row["resolution_steps"]) or []),
        commands=list(json_value(row["commands"]) or []),
        verification=list(json_value(row["verification"]) or []),
        prevention=row["prevention"] or "",
        category=row["category"],
        severity=row["severity"],
        status=row["status"],
        self_healing=row["self_healing"],
        response_time=row["response_time"],
        escalation=row["escalation"],
        tags=list(json_value(row["tags"]) or []),
        source=source,
        updated_at=utc_datetime(row["updated_at"]),
        retired=bool(row["retired"]),
        extra=dict(json_value(row["extra"]) or {}),
    )
