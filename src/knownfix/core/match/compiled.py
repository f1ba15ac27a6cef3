"""The compiled match index: what ranking needs from the *whole* knowledge base, in one blob.

Scoring one known issue in full (``lexical.LexicalIndex.evidence``) needs that issue's own
phrases and fields, which are cheap to rebuild for the few candidates a log has, and some
statistics of the whole knowledge base, which are not: how many issues use each term (IDF), the
average field lengths (BM25F), which documents name which tool (``context``), the signature
rules of every issue, and an inverted index to find the candidates without looking at every
issue. That part is compiled here once, at import, and stored with the knowledge base:

    compiled = compile_index(terms)             # index_build: IssueTerms of every active issue
    blob = compiled.to_bytes()                  # stored by the store (storage/match_index.py)
    compiled = CompiledIndex.from_bytes(blob)   # CorruptIndex on anything it cannot trust

The postings of a term hold, per issue, its BM25F *impact*: IDF (damped for boilerplate) times
the saturated field-weighted term frequency, so the BM25F of an issue for an excerpt is a sum
over the excerpt's terms (times the repeat weight), computed for every issue at once with numpy.
Arrays are little-endian; the blob carries its format, its sizes and a CRC-32 of its body.

A small index (``PLAIN_POSTINGS``) is read into the standard library's arrays instead, and
ranked in plain Python (``retrieval``): for a one-off ``knownfix triage`` on a small knowledge
base, importing numpy cost more than all the rest of the ranking.
"""

from __future__ import annotations

import bisect
import json
import math
import re
import struct
import sys
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from knownfix.core.match.context import DocumentContext
from knownfix.core.match.statistics import TermRarity, bm25_idf
from knownfix.core.match.tokens import BOILERPLATE

if TYPE_CHECKING:
    import numpy as np

    Ints: TypeAlias = np.ndarray | array[int]
    Floats: TypeAlias = np.ndarray | array[float]

# Bump whenever what an index holds changes meaning: tokenization, phrases, fields, weights.
# An index of another format is stale and rebuilt, never read.
# .2: prepared phrases stored; .3: example values (foo, xxx) are not terms; .4: nor are
# placeholder runs (XXXXXX, nnnn); .5: a document of fewer than three issues learns its tool
# from its folder and the programs its commands run (context terms)
INDEX_FORMAT = "knownfix-match-index/2026-12-08.1"
# Postings up to which a stored index is read into plain arrays (no numpy; see the docstring).
PLAIN_POSTINGS = 50_000
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
    # numpy arrays, or for a small stored index plain arrays (``plain``) of the same values
    doc_of: Ints  # int32 per issue: index into ``documents``
    terms: list[str]  # sorted
    offsets: Ints  # int64, len(terms) + 1: postings of terms[i] are offsets[i]:offsets[i+1]
    post_issue: Ints  # int32
    post_impact: Floats  # float64
    avg_len: dict[str, float]
    context: DocumentContext
    rules: tuple[StoredRule, ...] = ()
    _lookup: dict[str, int] | None = field(default=None, repr=False)
    _rarity: TermRarity | None = field(default=None, repr=False)

    @property
    def size(self) -> int:
        return len(self.issue_ids)

    @property
    def plain(self) -> bool:
        """Whether the arrays are the standard library's (a small index read without numpy)."""
        return isinstance(self.post_impact, array)

    @property
    def rarity(self) -> TermRarity:
        """Term statistics with very large documents counted as smaller ones (``statistics``)."""
        if self._rarity is None:
            self._rarity = TermRarity(self.doc_of)
        return self._rarity

    @property
    def idf_max(self) -> float:
        return self.rarity.largest

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
        at = self.term_index(term)
        if at < 0:
            return 0.0
        start, end = int(self.offsets[at]), int(self.offsets[at + 1])
        return self.rarity.idf(term, self.post_issue[start:end])

    def alone_in_document(self, term: str, ordinal: int) -> bool:
        """Whether no issue of the document of issue ``ordinal`` but that one uses ``term``."""
        found = self.postings(term)
        if found is None:
            return True
        issues, doc_of = found[0], self.doc_of
        document = doc_of[ordinal]
        if isinstance(doc_of, array):
            return sum(1 for issue in issues if doc_of[issue] == document) <= 1
        # numpy: a common term ("missing") has thousands of postings in a large index
        return int((doc_of[issues] == document).sum()) <= 1

    def postings(self, term: str) -> tuple[Ints, Floats] | None:
        """The issues using ``term`` and its BM25F impact in each. The stored impacts hold
        BM25's IDF; with a document larger than ``DOC_ISSUES_COUNTED`` they are scaled to
        :meth:`idf`'s."""
        at = self.term_index(term)
        if at < 0:
            return None
        start, end = int(self.offsets[at]), int(self.offsets[at + 1])
        issues, impacts = self.post_issue[start:end], self.post_impact[start:end]
        if not self.rarity.plain:
            scale = self.rarity.idf(term, issues) / bm25_idf(self.size, end - start)
            if scale != 1.0:
                impacts = (array("d", (v * scale for v in impacts))
                           if isinstance(impacts, array) else impacts * scale)
        return issues, impacts

    # --- storage form ----------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        arrays = (self.doc_of, self.offsets, self.post_issue, self.post_impact)
        terms = "\n".join(self.terms).encode("utf-8")
        parts = [_stored(a, dtype) for a, dtype in zip(arrays, _DTYPES, strict=True)] + [terms]
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
    plain = sizes[2] <= PLAIN_POSTINGS * 4 and _PLAIN_FITS
    at = header_len
    arrays = []
    for size, dtype in zip(sizes[:4], _DTYPES, strict=True):
        arrays.append(_loaded(body[at:at + size], dtype, plain))
        at += size
    doc_of, offsets, post_issue, post_impact = arrays
    terms = bytes(body[at:at + sizes[4]]).decode("utf-8").split("\n") if n_terms else []
    documents = tuple(header["documents"])
    issue_ids = tuple(header["issue_ids"])
    checks = (
        len(issue_ids) == n_issues == len(doc_of),
        len(terms) == n_terms and len(offsets) == n_terms + 1,
        len(post_issue) == len(post_impact) == (int(offsets[-1]) if len(offsets) else 0),
        not len(offsets) or (offsets[0] == 0 and _increasing(offsets)),
        _within(post_issue, n_issues),
        _within(doc_of, len(documents)),
        _finite(post_impact),
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


_DTYPES = ("<i4", "<i8", "<i4", "<f8")  # doc_of, offsets, post_issue, post_impact
_PLAIN_CODES = {"<i4": "i", "<i8": "q", "<f8": "d"}
# Plain arrays hold the stored bytes as they are: only where they are little-endian and sized so.
_PLAIN_FITS = sys.byteorder == "little" and all(
    array(code).itemsize == int(dtype[-1]) for dtype, code in _PLAIN_CODES.items())


def _loaded(view: memoryview, dtype: str, plain: bool) -> Any:
    """One stored array: plain (``array``) or numpy's, of the same values."""
    if plain:
        values = array(_PLAIN_CODES[dtype])
        values.frombytes(view)
        return values
    import numpy as np

    return np.frombuffer(view, dtype=dtype)


def _stored(values: Any, dtype: str) -> bytes:
    """The stored bytes of an array, little-endian (plain arrays are only made where they are)."""
    if isinstance(values, array):
        return values.tobytes()
    import numpy as np

    return np.ascontiguousarray(values, dtype).tobytes()


def _increasing(values: Any) -> bool:
    if isinstance(values, array):
        return all(a < b for a, b in zip(values, values[1:], strict=False))
    import numpy as np

    return bool(np.all(np.diff(values) > 0))


def _within(values: Any, bound: int) -> bool:
    """Every value in ``range(bound)`` (an empty array is)."""
    if not len(values):
        return True
    plain = isinstance(values, array)
    low, high = (min(values), max(values)) if plain else (values.min(), values.max())
    return int(low) >= 0 and int(high) < bound


def _finite(values: Any) -> bool:
    if isinstance(values, array):
        return all(map(math.isfinite, values))
    import numpy as np

    return bool(np.all(np.isfinite(values)))


def term_weight(idf: float, term: str) -> float:
    """How much a shared term proves: its IDF, damped for log boilerplate."""
    return idf * BOILERPLATE_WEIGHT if term in BOILERPLATE else idf
