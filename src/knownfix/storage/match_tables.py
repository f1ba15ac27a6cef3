"""Tables of the stored match index (migration ``0006``).

    match_issue_terms  one row per known issue: its ``IssueTerms`` as JSON, its prepared
                       phrases (``core.match.prepared``, migration ``0007``; read at triage
                       instead of tokenizing a candidate again), and the stamp (content hash,
                       source path, index format) they were computed from, so an import
                       tokenizes only the issues that changed
    match_index        the compiled index (``core.match.compiled``) as one blob, with its
                       format and the import run it was compiled after
    imported_documents one row per document: the digest of its bytes and of the importer's
                       code when it was last parsed, and what the importer made of it, so
                       an unchanged document is not parsed again
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Integer, LargeBinary, String, Table, Text

from knownfix.storage.tables import UTCDateTime, metadata

match_issue_terms = Table(
    "match_issue_terms",
    metadata,
    Column("issue_id", String(200), ForeignKey("known_issues.id", ondelete="CASCADE"),
           primary_key=True),
    Column("stamp", Text, nullable=False),
    Column("terms", JSON, nullable=False),
    Column("prepared", JSON),  # None in rows written before 0007: prepared again when read
)

match_index = Table(
    "match_index",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("format", String(80), nullable=False),
    Column("import_run", Integer, nullable=False),  # import_runs.id it reflects (0: none)
    Column("issues", Integer, nullable=False),
    Column("built_at", UTCDateTime, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

imported_documents = Table(
    "imported_documents",
    metadata,
    Column("doc_key", Text, primary_key=True),
    Column("digest", String(200), nullable=False),
    Column("report", JSON, nullable=False),  # shape, issues, skipped [[line, reason], ...]
)
