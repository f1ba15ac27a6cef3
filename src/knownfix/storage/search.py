"""Full-text search over known issues: one small interface, one implementation per database.

:class:`Fts5Index` (SQLite FTS5, ``porter unicode61`` tokenizer, ``bm25`` with column weights,
``snippet``) and :class:`PostgresIndex` (``tsvector`` with ``setweight`` A/B/C/D, a GIN index,
``ts_rank_cd``, ``ts_headline``). Both index four weighted fields of an issue: its title, its
symptoms (and literal signature strings), its root cause and resolution, and everything else.

Queries are user text. They are cut into words here (letters and digits only, so no query syntax
can reach the database), stop words and one-letter fragments such as the ``t`` of ``can't`` are
dropped, and the words are OR-combined with prefix matching: an issue ranks by how many rare
words it shares with the query (BM25-like), not by holding all of them. The words travel as a
bound parameter, never interpolated into SQL. Scores are divided by the best score of the query,
so the top hit scores 1.0 and the rest fall in (0, 1]. Retired issues are never returned.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from knownfix.core.records import HIGHLIGHT, KnownIssue, SearchHit

MAX_QUERY_TERMS = 32
PREFIX_MIN_LENGTH = 3

# Marks the databases put around matches; turned into HIGHLIGHT once the snippet is chosen.
_START, _STOP = "\x02", "\x03"

_WORD = re.compile(r"[^\W_]+")
# Words too common to say anything about a failure. PostgreSQL's english configuration drops its
# own stop words; FTS5 has none, so without this "the" would prefix-match every "there"/"them".
STOP_WORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "could", "did", "do", "does",
        "for", "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its",
        "me", "my", "no", "not", "of", "on", "or", "our", "so", "than", "that", "the", "their",
        "them", "then", "there", "these", "they", "this", "to", "was", "we", "were", "what", "when",
        "where", "which", "while", "who", "why", "will", "with", "would", "you", "your",
    }
)


def query_terms(query: str) -> list[str]:
    """The words of a user query, lowercased, deduplicated, stop words dropped unless all are."""
    words = [w.casefold() for w in _WORD.findall(unicodedata.normalize("NFKC", query))]
    words = [w for w in words if len(w) > 1 or w.isdigit()]
    meaningful = [w for w in words if w not in STOP_WORDS] or words
    return list(dict.fromkeys(meaningful))[:MAX_QUERY_TERMS]


@dataclass(frozen=True, slots=True)
class IndexedFields:
    """The four weighted texts of one issue, heaviest first."""

    title: str
    symptoms: str
    body: str
    other: str

    @classmethod
    def of(cls, issue: KnownIssue) -> IndexedFields:
        symptoms = [*issue.symptoms, *issue.signature.contains]
        other = [
            *issue.commands,
            *issue.verification,
            issue.prevention,
            *issue.tags,
            *(v for v in (issue.category, issue.severity, issue.status) if v),
            *issue.extra.values(),
            issue.id,
        ]
        return cls(
            title=issue.title,
            symptoms="\n".join(symptoms),
            body="\n".join(p for p in (issue.root_cause, issue.resolution) if p),
            other="\n".join(p for p in other if p),
        )


def _marked(snippet: str | None) -> str:
    return (snippet or "").replace(_START, HIGHLIGHT).replace(_STOP, HIGHLIGHT)


def _normalise(raw: Sequence[tuple[str, str, float, str]]) -> list[SearchHit]:
    best = max((abs(score) for _, _, score, _ in raw), default=0.0)
    return [
        SearchHit(issue_id, title, abs(score) / best if best else 0.0, snippet or "")
        for issue_id, title, score, snippet in raw
    ]


class SearchIndex(ABC):
    """Keeps the search index of known issues in step with the table, and queries it."""

    @abstractmethod
    def upsert(self, conn: Connection, issues: Iterable[KnownIssue]) -> None:
        """Index (or re-index) ``issues`` inside the caller's transaction."""

    @abstractmethod
    def clear(self, conn: Connection) -> None:
        """Remove every entry (before a full rebuild)."""

    @abstractmethod
    def query(self, conn: Connection, query: str, limit: int) -> list[SearchHit]:
        """Up to ``limit`` active issues matching ``query``, best first."""


class Fts5Index(SearchIndex):
    """SQLite FTS5 table ``known_issue_fts``, rowid derived from the issue id.

    The rowid is a 63-bit hash of the id rather than ``known_issues.rowid``, which VACUUM may
    renumber; it lets an upsert replace one entry without scanning the table.
    """

    WEIGHTS = (0.0, 10.0, 6.0, 2.0, 1.0)  # issue_id (unindexed), title, symptoms, body, other
    SNIPPET_TOKENS = 16

    def upsert(self, conn: Connection, issues: Iterable[KnownIssue]) -> None:
        rows = [
            {"rowid": self.rowid(i.id), "issue_id": i.id, **_fields_dict(i)} for i in issues
        ]
        if not rows:
            return
        conn.execute(
            text("DELETE FROM known_issue_fts WHERE rowid = :rowid"),
            [{"rowid": r["rowid"]} for r in rows],
        )
        conn.execute(
            text(
                "INSERT INTO known_issue_fts(rowid, issue_id, title, symptoms, body, other) "
                "VALUES (:rowid, :issue_id, :title, :symptoms, :body, :other)"
            ),
            rows,
        )

    def clear(self, conn: Connection) -> None:
        conn.execute(text("DELETE FROM known_issue_fts"))

    def query(self, conn: Connection, query: str, limit: int) -> list[SearchHit]:
        terms = query_terms(query)
        if not terms:
            return []
        expression = " OR ".join(
            f'"{t}"*' if len(t) >= PREFIX_MIN_LENGTH else f'"{t}"' for t in terms
        )
        weights = ", ".join(str(w) for w in self.WEIGHTS)
        # Two snippets: the symptoms' (what a reader recognises) when they match, else the best
        # column's. Private marks tell a match from a literal "**" in the text.
        snippet = "snippet(known_issue_fts, {column}, :start, :stop, '…', {tokens})"
        statement = text(
            f"SELECT f.issue_id, k.title, bm25(known_issue_fts, {weights}) AS score, "
            + snippet.format(column=2, tokens=self.SNIPPET_TOKENS) + ", "
            + snippet.format(column=-1, tokens=self.SNIPPET_TOKENS) + " "
            "FROM known_issue_fts AS f JOIN known_issues AS k ON k.id = f.issue_id "
            "WHERE known_issue_fts MATCH :expression AND NOT k.retired "
            "ORDER BY score, f.issue_id LIMIT :limit"
        )
        params = {"expression": expression, "start": _START, "stop": _STOP, "limit": limit}
        try:
            raw = conn.execute(statement, params).all()
        except OperationalError as error:
            # Words are quoted and alphanumeric, so this is not user syntax; say what failed.
            if "fts5" in str(error.orig).lower():
                return []
            raise
        return _normalise([
            (r[0], r[1], float(r[2]), _marked(r[3] if _START in (r[3] or "") else r[4]))
            for r in raw
        ])

    @staticmethod
    def rowid(issue_id: str) -> int:
        digest = hashlib.blake2b(issue_id.encode("utf-8"), digest_size=8).digest()
        return int.from_bytes(digest, "big") & 0x7FFF_FFFF_FFFF_FFFF


class PostgresIndex(SearchIndex):
    """PostgreSQL table ``known_issue_search``: weighted ``tsvector`` under a GIN index."""

    CONFIG = "english"
    HEADLINE_OPTIONS = (
        f"StartSel={_START}, StopSel={_STOP}, MaxWords=24, MinWords=8, "
        "MaxFragments=2, FragmentDelimiter=\" … \""
    )

    def upsert(self, conn: Connection, issues: Iterable[KnownIssue]) -> None:
        rows = [{"issue_id": i.id, **_fields_dict(i)} for i in issues]
        if not rows:
            return
        conn.execute(
            text(
                "INSERT INTO known_issue_search "
                "(issue_id, title, symptoms, body, other, document) VALUES "
                "(:issue_id, :title, :symptoms, :body, :other, "
                "setweight(to_tsvector(CAST(:config AS regconfig), :title), 'A') || "
                "setweight(to_tsvector(CAST(:config AS regconfig), :symptoms), 'B') || "
                "setweight(to_tsvector(CAST(:config AS regconfig), :body), 'C') || "
                "setweight(to_tsvector(CAST(:config AS regconfig), :other), 'D')) "
                "ON CONFLICT (issue_id) DO UPDATE SET title = EXCLUDED.title, "
                "symptoms = EXCLUDED.symptoms, body = EXCLUDED.body, other = EXCLUDED.other, "
                "document = EXCLUDED.document"
            ).bindparams(bindparam("config", value=self.CONFIG)),
            rows,
        )

    def clear(self, conn: Connection) -> None:
        conn.execute(text("DELETE FROM known_issue_search"))

    def query(self, conn: Connection, query: str, limit: int) -> list[SearchHit]:
        terms = query_terms(query)
        if not terms:
            return []
        # Words are letters and digits only, so this tsquery text has no syntax of the user's.
        expression = " | ".join(
            f"{t}:*" if len(t) >= PREFIX_MIN_LENGTH else t for t in terms
        )
        statement = text(
            "WITH q AS (SELECT to_tsquery(CAST(:config AS regconfig), :expression) AS query), "
            "ranked AS ("
            "  SELECT s.issue_id, k.title, s.symptoms, s.body, s.other, "
            "         ts_rank_cd(s.document, q.query) AS score "
            "  FROM known_issue_search AS s JOIN known_issues AS k ON k.id = s.issue_id, q "
            "  WHERE s.document @@ q.query AND NOT k.retired "
            "  ORDER BY score DESC, s.issue_id LIMIT :limit) "
            "SELECT r.issue_id, r.title, r.score, ts_headline(CAST(:config AS regconfig), "
            "  concat_ws(' · ', nullif(r.symptoms, ''), nullif(r.body, ''), "
            "            nullif(r.other, '')), q.query, :options) "
            "FROM ranked AS r, q ORDER BY r.score DESC, r.issue_id"
        )
        params = {
            "config": self.CONFIG,
            "expression": expression,
            "limit": limit,
            "options": self.HEADLINE_OPTIONS,
        }
        raw = conn.execute(statement, params).all()
        return _normalise([(r[0], r[1], float(r[2]), _marked(r[3])) for r in raw])


def _fields_dict(issue: KnownIssue) -> dict[str, str]:
    fields = IndexedFields.of(issue)
    return {
        "title": fields.title,
        "symptoms": fields.symptoms,
        "body": fields.body,
        "other": fields.other,
    }


def index_for(dialect_name: str) -> SearchIndex:
    """The search index implementation for a SQLAlchemy dialect name."""
    if dialect_name == "sqlite":
        return Fts5Index()
    if dialect_name == "postgresql":
        return PostgresIndex()
    raise ValueError(f"no search index for {dialect_name!r}")
