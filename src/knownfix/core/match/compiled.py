"""The compiled match index: what ranking needs from the *whole* knowledge base, in one blob.

Scoring one known issue in full (``lexical.LexicalIndex.evidence``) needs that issue's own
phrases and fields, which are cheap to rebuild for the few candidates a log has, and some
statistics of the whole knowledge base, which are not: how many issues use each term (IDF), the
average field lengths (BM25F), which documents name which tool (``context``), the signature
rules of every issue, and an inverted index to find the candidates without looking at every
issue. That part is compiled here once, at import, and stored with the knowledge base:

    compiled = compile_index(terms)             # IssueTerms of every active issue
    blob = compiled.to_bytes()                  # stored by the store (storage/match_index.py)
    compiled = CompiledIndex.from_bytes(blob)   # CorruptIndex on anything it cannot trust

The postings of a term hold, per issue, its BM25F *impact*: IDF (damped for boilerplate) times
the saturated field-weighted term frequency, so the BM25F of an issue for an excerpt is a sum
over the excerpt's terms (times the repeat weight), computed for every issue at once with numpy.
Arrays are little-endian; the blob carries its format, its sizes and a CRC-32 of its body.
"""

from __future__ import annotations

import bisect
import json
import math
import re
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from knownfix.core.match.context import DocumentContext, build_context
from knownfix.core.match.phrases import IssueTerms
from knownfix.core.match.tokens import BOILERPLATE

# Bump whenever what an index holds changes meaning: tokenization, phrases, fields, weights.
# An index of another format is stale and rebuilt, never read.
INDEX_FORMAT = "knownfix-match-index/2026-12-07"
_MAGIC = b"KFMI"
_HEAD = struct.Struct("<4sII")  # magic, header length, CRC-32 of the body

# Field weights of BM25F: what a doc says the failure *looks like* counts most.
FIELD_WEIGHTS: dict[str, float] = {
    "symptoms": 3.0,
    "title": 2.5,
    "signature": 2.0,
    "root_cause": 1.0,
    "resolution": 0.5,
    "identifiers": 1.5,
}
BOILERPLATE_WEIGHT = 0.15
K1 = 1.2
B = 0.75
_WORD = re.compile(r"[0-9a-z]+")


class CorruptIndex(ValueError):
    """A stored index that cannot be trusted (truncated, altered, another format)."""


@dataclass(frozen=True, slots=True)
class StoredRule:
    """A signature rule as the document wrote it; ``key`` gates a literal (see ``rule_key``)."""

    issue: int  # ordinal of the issue
    kind: str  # "contains" or "regex"
    pattern: str
    key: str = ""  # a whole word every line holding the literal holds; "" = always tested


def rule_key(literal: str) -> str:
    """A word that any line containing ``literal`` (case and spacing folded) contains whole.

    Only a word with a non-word character on both sides *inside* the literal is sure to be a
    whole word of the line as well; the longest such word is the most selective. A literal
    without one ("ECONNREFUSED") has no key and is tested on every excerpt.
    """
    folded = " ".join(literal.casefold().split())
    words = list(_WORD.finditer(folded))
    inner = [m.group(0) for m in words if m.start() > 0 and m.end() < len(folded)]
    return max(inner, key=lambda w: (len(w), w)) if inner else ""


def line_words(folded_lines: Sequence[str]) -> frozenset[str]:
    """The whole words of folded excerpt lines, to test rule keys against."""
    return frozenset(w for line in folded_lines for w in _WORD.findall(line))


@dataclass(eq=False)
class CompiledIndex:
    """Whole-knowledge-base statistics, postings, rules and tool context of active issues."""

    issue_ids: tuple[str, ...]
    documents: tuple[str, ...]
    doc_of: np.ndarray  # int32 per issue: index into ``documents``
    terms: list[str]  # sorted
    offsets: np.ndarray  # int64, len(terms) + 1: postings of terms[i] are offsets[i]:offsets[i+1]
    post_issue: np.ndarray  # int32
    post_impact: np.ndarray  # float64
    avg_len: dict[str, float]
    context: DocumentContext
    rules: tuple[StoredRule, ...] = ()
    _lookup: dict[str, int] | None = field(default=None, repr=False)

    @property
    def size(self) -> int:
        return len(self.issue_ids)

    @property
    def idf_max(self) -> float:
        n = self.size
        return math.log(1.0 + (n - 0.5) / 1.5) if n else 1.0

    def term_index(self, term: str) -> int:
        """The position of ``term`` in ``terms``, -1 when no issue uses it."""
        if self._lookup is not None:
            return self._lookup.get(term, -1)
        at = bisect.bisect_left(self.terms, term)
        return at if at < len(self.terms) and self.terms[at] == term else -1

    def warm(self) -> None:
        """Build the term dictionary (a long-lived process looks terms up many times)."""
        if self._lookup is None:
            self._lookup = {t: i for i, t in enumerate(self.terms)}

    def df(self, term: str) -> int:
        at = self.term_index(term)
        return 0 if at < 0 else int(self.offsets[at + 1] - self.offsets[at])

    def idf(self, term: str) -> float:
        c = self.df(term)
        return math.log(1.0 + (self.size - c + 0.5) / (c + 0.5)) if c else 0.0

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        at = self.term_index(term)
        if at < 0:
            return None
        start, end = int(self.offsets[at]), int(self.offsets[at + 1])
        return self.post_issue[start:end], self.post_impact[start:end]

    # --- storage form ----------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        arrays = [np.ascontiguousarray(self.doc_of, "<i4"),
                  np.ascontiguousarray(self.offsets, "<i8"),
                  np.ascontiguousarray(self.post_issue, "<i4"),
                  np.ascontiguousarray(self.post_impact, "<f8")]
        terms = "\n".join(self.terms).encode("utf-8")
        parts = [a.tobytes() for a in arrays] + [terms]
        header = json.dumps({
            "format": INDEX_FORMAT,
            "issue_ids": list(self.issue_ids),
            "documents": list(self.documents),
            "avg_len": self.avg_len,
            "context": self.context.terms,
            "rules": [[r.issue, r.kind, r.pattern, r.key] for r in self.rules],
            "sizes": [len(p) for p in parts],
            "counts": [len(self.issue_ids), len(self.terms)],
        }, separators=(",", ":")).encode("utf-8")
        body = header + b"".join(parts)
        return _HEAD.pack(_MAGIC, len(header), zlib.crc32(body)) + body

    @classmethod
    def from_bytes(cls, blob: bytes | memoryview) -> CompiledIndex:
        """Read a stored index; :class:`CorruptIndex` when any part of it does not add up."""
        try:
            return _read(memoryview(blob))
        except CorruptIndex:
            raise
        except (ValueError, KeyError, TypeError, IndexError, struct.error,
                UnicodeDecodeError) as exc:
            raise CorruptIndex(f"unreadable match index: {exc}") from None


def _read(view: memoryview) -> CompiledIndex:
    if len(view) < _HEAD.size:
        raise CorruptIndex("match index truncated")
    magic, header_len, crc = _HEAD.unpack_from(view, 0)
    body = view[_HEAD.size:]
    if magic != _MAGIC:
        raise CorruptIndex("not a knownfix match index")
    if zlib.crc32(body) != crc:
        raise CorruptIndex("match index checksum mismatch")
    header = json.loads(bytes(body[:header_len]))
    if header.get("format") != INDEX_FORMAT:
        raise CorruptIndex(f"match index format {header.get('format')!r}, not {INDEX_FORMAT!r}")
    sizes = header["sizes"]
    if len(sizes) != 5 or header_len + sum(sizes) != len(body):
        raise CorruptIndex("match index sizes do not add up")
    n_issues, n_terms = header["counts"]
    at = header_len
    arrays = []
    for size, dtype in zip(sizes[:4], ("<i4", "<i8", "<i4", "<f8"), strict=True):
        arrays.append(np.frombuffer(body[at:at + size], dtype=dtype))
        at += size
    doc_of, offsets, post_issue, post_impact = arrays
    terms = bytes(body[at:at + sizes[4]]).decode("utf-8").split("\n") if n_terms else []
    documents = tuple(header["documents"])
    issue_ids = tuple(header["issue_ids"])
    checks = (
        len(issue_ids) == n_issues == len(doc_of),
        len(terms) == n_terms and len(offsets) == n_terms + 1,
        len(post_issue) == len(post_impact) == (int(offsets[-1]) if len(offsets) else 0),
        not len(offsets) or (offsets[0] == 0 and bool(np.all(np.diff(offsets) > 0))),
        not len(post_issue) or (int(post_issue.min()) >= 0 and int(post_issue.max()) < n_issues),
        not len(doc_of) or (int(doc_of.min()) >= 0 and int(doc_of.max()) < len(documents)),
        bool(np.all(np.isfinite(post_impact))),
    )
    if not all(checks):
        raise CorruptIndex("match index arrays are inconsistent")
    rules = tuple(StoredRule(int(i), str(k), str(p), str(key))
                  for i, k, p, key in header["rules"])
    if any(r.issue >= n_issues or r.kind not in ("contains", "regex") for r in rules):
        raise CorruptIndex("match index rules are inconsistent")
    context = DocumentContext({str(k): {str(t): float(w) for t, w in v.items()}
                               for k, v in header["context"].items()})
    return CompiledIndex(issue_ids, documents, doc_of, terms, offsets, post_issue,
                         post_impact, {k: float(v) for k, v in header["avg_len"].items()},
                         context, rules)


def term_weight(idf: float, term: str) -> float:
    """How much a shared term proves: its IDF, damped for log boilerplate."""
    return idf * BOILERPLATE_WEIGHT if term in BOILERPLATE else idf


def compile_index(issues: Sequence[IssueTerms]) -> CompiledIndex:
    """Compile the index of the active issues (one ``IssueTerms`` each, in a stable order)."""
    n = len(issues)
    documents: dict[str, int] = {}
    doc_of = np.empty(n, dtype=np.int32)
    lengths = [issue.field_len for issue in issues]
    for ordinal, issue in enumerate(issues):
        doc_of[ordinal] = documents.setdefault(issue.document, len(documents))
    avg_len = {name: max(1.0, sum(length[name] for length in lengths) / max(1, n))
               for name in FIELD_WEIGHTS}
    per_term: dict[str, list[tuple[int, float]]] = {}
    for ordinal, issue in enumerate(issues):
        tf: dict[str, float] = {}
        for name, weight in FIELD_WEIGHTS.items():
            scale = weight / (1.0 - B + B * lengths[ordinal][name] / avg_len[name])
            for term, count in issue.field_tf[name].items():
                tf[term] = tf.get(term, 0.0) + scale * count
        for term, value in tf.items():
            per_term.setdefault(term, []).append((ordinal, value * (K1 + 1.0) / (K1 + value)))
    terms = sorted(per_term)
    counts = np.fromiter((len(per_term[t]) for t in terms), dtype=np.int64, count=len(terms))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    post_issue = np.fromiter((o for t in terms for o, _ in per_term[t]), dtype=np.int32,
                             count=int(offsets[-1]))
    saturated = np.fromiter((v for t in terms for _, v in per_term[t]), dtype=np.float64,
                            count=int(offsets[-1]))
    weights = np.fromiter((term_weight(math.log(1.0 + (n - c + 0.5) / (c + 0.5)), t)
                           for t, c in zip(terms, counts.tolist(), strict=True)),
                          dtype=np.float64, count=len(terms))
    post_impact = saturated * np.repeat(weights, counts)
    rules = tuple(StoredRule(ordinal, kind, pattern,
                             rule_key(pattern) if kind == "contains" else "")
                  for ordinal, issue in enumerate(issues)
                  for kind, patterns in (("contains", issue.contains), ("regex", issue.regex))
                  for pattern in patterns)
    return CompiledIndex(tuple(i.issue_id for i in issues), tuple(documents), doc_of, terms,
                         offsets, post_issue, post_impact, avg_len, build_context(issues), rules)
