"""How rare a term is, counted so that a few very large documents do not decide it.

BM25's IDF counts issues: ``log(1 + (N - df + 0.5) / (df + 0.5))``. Every lexical feature is in
units of the largest IDF ("rare-term equivalents"). A knowledge base that holds a few documents
of hundreds of entries each (a team's incident log, a generated error reference: variations on
a few dozen failures of the tools it runs) then sets the rarity of every term by itself. Its
500 entries that quote ``revision`` made the word common for every other document too, and its
100,000 issues in all made a term a handful of other issues use count a fifth more than before
(``bench/README.md``, *quality with distractors*): the right issue of a real page lost its first
place to its neighbour, and confident answers turned unknown.

Here an issue of a document of ``n > DOC_ISSUES_COUNTED`` issues counts ``DOC_ISSUES_COUNTED / n``
of an issue, in the number of issues and in each term's document frequency: a document counts
as at most ``DOC_ISSUES_COUNTED`` issues. A term such a document's entries share is as common as
in a document of that size; a term of one of its entries only, rarer than one issue (its IDF is
capped at the largest). When no document is larger (every real document of the benches: the
largest holds 36 entries) the counts are the plain ones, to the last bit.

The stored impacts hold the plain IDF; :class:`TermRarity` gives the factor that turns them into
the weighted one, per term, computed from the term's postings the first time it is asked for.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

# A document counts as at most this many issues in term statistics and in the average field
# lengths. 15 rather than 50 (the eighth round's): at 50, the 20 documents of 500 generated
# entries of `kb_quality.py --size 10000` still counted as 1,000 issues against the real docs'
# 801 and set the rarity of their shared words; at 15 no answer of the benches without them
# changes (their largest document holds 37 issues), at 5 the seed bench gained a false known.
DOC_ISSUES_COUNTED = 15
# Terms whose weighted IDF a long-lived index keeps (a vocabulary is far smaller).
TERMS_KEPT = 200_000


def bm25_idf(size: float, df: float) -> float:
    """BM25's IDF of a term ``df`` of ``size`` issues use."""
    return math.log(1.0 + (size - df + 0.5) / (df + 0.5))


def issue_weights(doc_of: Sequence[int] | Any) -> Any | None:
    """What each issue counts in term statistics (``DOC_ISSUES_COUNTED / n`` in a document of
    ``n`` issues when larger); ``None`` when every issue counts one (no document is larger).
    A numpy array for a numpy ``doc_of``, else a list."""
    if isinstance(doc_of, (list, tuple)) or type(doc_of).__module__ == "array":
        counts = Counter(doc_of)
        if not counts or max(counts.values()) <= DOC_ISSUES_COUNTED:
            return None
        return [min(1.0, DOC_ISSUES_COUNTED / counts[d]) for d in doc_of]
    import numpy as np

    sizes = np.bincount(np.asarray(doc_of)) if len(doc_of) else np.zeros(0, dtype=np.int64)
    if not len(sizes) or int(sizes.max()) <= DOC_ISSUES_COUNTED:
        return None
    return np.minimum(1.0, DOC_ISSUES_COUNTED / sizes[np.asarray(doc_of)])


class TermRarity:
    """The IDF of terms with large documents counted as :data:`DOC_ISSUES_COUNTED` issues.

    A weighted count is summed document by document, left to right in the order of the
    documents' numbers: the same floating-point operations whether the index is numpy's (a
    running sum, ``cumsum``) or plain Python's (a loop, not ``sum``, which compensates on newer
    Pythons). A numpy sum over issues rounds otherwise, and the two must rank alike to the last
    bit (``tests/test_match_plain_index.py``)."""

    def __init__(self, doc_of: Sequence[int] | Any) -> None:
        self.size = len(doc_of)
        self.numeric = not (isinstance(doc_of, (list, tuple))
                            or type(doc_of).__module__ == "array")
        self.doc_of = doc_of
        if self.numeric:
            import numpy as np

            sizes = np.bincount(np.asarray(doc_of)).tolist() if self.size else []
        else:
            found = Counter(doc_of)
            sizes = [found[d] for d in range(max(found) + 1)] if found else []
        self.weight_of: list[float] | None = None
        self.counted = float(self.size)
        if sizes and max(sizes) > DOC_ISSUES_COUNTED:
            self.weight_of = [min(1.0, DOC_ISSUES_COUNTED / n) if n else 1.0 for n in sizes]
            if self.numeric:
                import numpy as np

                self._weights = np.array(self.weight_of, dtype=np.float64)
            self.counted = self._weighted(range(self.size))
        # The largest IDF: that of a term one issue (of an ordinary document) uses.
        self.largest = bm25_idf(self.counted, 1.0) if self.size else 1.0
        self._idf: dict[str, float] = {}

    @property
    def plain(self) -> bool:
        """Whether every issue counts one (the statistics are BM25's own)."""
        return self.weight_of is None

    def _weighted(self, issues: Sequence[int] | Any) -> float:
        """What ``issues`` count: each document's number of them times its weight, summed."""
        weight_of = self.weight_of
        assert weight_of is not None
        if self.numeric:
            import numpy as np

            docs = np.asarray(self.doc_of)[np.asarray(issues)]
            counts = np.bincount(docs, minlength=len(weight_of))
            return float(np.cumsum(counts * self._weights)[-1])
        total = 0.0
        for d, n in sorted(Counter(self.doc_of[i] for i in issues).items()):
            total += n * weight_of[d]
        return total

    def idf(self, term: str, issues: Sequence[int] | Any) -> float:
        """The IDF of ``term``, which the issues ``issues`` (its postings) use."""
        if self.weight_of is None:
            return bm25_idf(self.size, len(issues))
        value = self._idf.get(term)
        if value is None:
            df = self._weighted(issues)
            if len(self._idf) >= TERMS_KEPT:
                self._idf.clear()
            value = self._idf[term] = min(self.largest, bm25_idf(self.counted, df))
        return value
