"""SQLAlchemy 2 Core tables of the store, and the conversion of records into rows (rows are read
back into records by :func:`knownfix.storage.reads.issue_from_row`).

Tables created by migration ``0001``:

    known_issues     one row per KnownIssue id; lists and dicts as JSON; where it came from
                     (source_path, source_line, doc_key); retired when its doc dropped it
    import_runs      one row per import: when, which docs, and the counts
    search index     dialect-specific, owned by :mod:`knownfix.storage.search` and not part of
                     this metadata: the FTS5 table ``known_issue_fts`` on SQLite, the table
                     ``known_issue_search`` (tsvector + GIN index) on PostgreSQL

Room is left for the incident side (next issue, with its own migrations): ``incidents`` (one per
fingerprint, ``matched_issue_id`` referencing ``known_issues.id``), ``occurrences`` (one per
received failure, unique on its idempotency key) and ``playbook_runs``. Known issues are never
deleted, only retired, so such references stay valid.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect

from knownfix.core.records import KnownIssue


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# Core tables, not ORM models: the store speaks SQL expressions only, and importing
# SQLAlchemy's ORM cost every command ~0.1 s of start-up for nothing.
metadata = MetaData()

known_issues = Table(
    "known_issues",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("title", Text, nullable=False),
    Column("symptoms", JSON, nullable=False, default=list),
    Column("signature", JSON, nullable=False, default=dict),
    Column("root_cause", Text, nullable=False, default=""),
    Column("resolution", Text, nullable=False, default=""),
    Column("resolution_steps", JSON, nullable=False, default=list),
    Column("commands", JSON, nullable=False, default=list),
    Column("verification", JSON, nullable=False, default=list),
    Column("prevention", Text, nullable=False, default=""),
    Column("category", Text),
    Column("severity", Text),
    Column("status", Text),
    Column("self_healing", Text),
    Column("response_time", Text),
    Column("escalation", Text),
    Column("tags", JSON, nullable=False, default=list),
    Column("extra", JSON, nullable=False, default=dict),
    Column("source_path", Text),
    Column("source_line", Integer),
    Column("doc_key", Text, nullable=False, index=True),
    Column("retired", Boolean, nullable=False, default=False),
    Column("content_hash", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

import_runs = Table(
    "import_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=False),
    Column("doc_keys", JSON, nullable=False, default=list),
    Column("created", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("retired", Integer, nullable=False, default=0),
    Column("skipped", Integer, nullable=False, default=0),
)

# Fields that say what an issue is; where it sits in its file (source) and bookkeeping do not
# count, so moving an issue down a page does not bump its updated_at.
_CONTENT_EXCLUDED = {"source", "updated_at", "retired"}


def content_hash(issue: KnownIssue) -> str:
    """A stable hash of what the issue says, used to tell "updated" from "unchanged"."""
    content = {k: v for k, v in issue.to_dict().items() if k not in _CONTENT_EXCLUDED}
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def issue_values(issue: KnownIssue) -> dict[str, Any]:
    """Column values of ``issue`` (without doc_key, timestamps and retired)."""
    return {
        "id": issue.id,
        "title": issue.title,
        "symptoms": list(issue.symptoms),
        "signature": issue.signature.to_dict(),
        "root_cause": issue.root_cause,
        "resolution": issue.resolution,
        "resolution_steps": list(issue.resolution_steps),
        "commands": list(issue.commands),
        "verification": list(issue.verification),
        "prevention": issue.prevention,
        "category": issue.category,
        "severity": issue.severity,
        "status": issue.status,
        "self_healing": issue.self_healing,
        "response_time": issue.response_time,
        "escalation": issue.escalation,
        "tags": list(issue.tags),
        "extra": dict(issue.extra),
        "source_path": issue.source.path if issue.source else None,
        "source_line": issue.source.line if issue.source else None,
        "content_hash": content_hash(issue),
    }
