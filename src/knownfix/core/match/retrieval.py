"""Candidate retrieval: the few known issues worth scoring in full, whatever the KB's size.

BM25F over the excerpt's terms is a sum of per-term impacts (``compiled``), so it is computed
for every issue at once from the postings of the terms the excerpt has: the cost grows with
the excerpt and with how common its terms are, not with the number of issues. Full layered
scoring (phrases, coverage, rules, tool context) then runs on

* the ``CANDIDATES`` issues with the highest BM25F,
* the ``NAMED_CANDIDATES`` best of the documents whose tool the log names (the tool adds to
  the score and corroborates a match worded differently),
* the ``RARE_CANDIDATES`` best by the BM25F of the excerpt's *rare* terms alone (``_rare_sums``),
* every issue a signature rule or a fingerprint link names.

The winner of the full scoring is among them in every bench run (bench/kb_scale.py compares
with ``everything=True``, which scores every issue, as before retrieval).

A small index read without numpy (``CompiledIndex.plain``) is summed in plain Python, with the
same floating-point operations in the same order, so the sums are equal to the last bit. When
no more issues share a term than are scored anyway, every one of them is a candidate and
nothing else needs numpy; otherwise the sums go on to the same numpy selection as a large
index's.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from knownfix.core.match.compiled import CompiledIndex
from knownfix.core.match.lexical import query_weight
from knownfix.core.match.tokens import ERRNO_TERMS

if TYPE_CHECKING:
    import numpy as np

CANDIDATES = 48
NAMED_CANDIDATES = 16
RARE_CANDIDATES = 16
# A rare term: an IDF at least this share of the largest (fewer issues use it than the square
# root of the knowledge base's size; ``lexical.CODE_RARE``).
RARE_TERM = 0.5


@dataclass(frozen=True, slots=True)
class Retrieved:
    """Issue ordinals to score in full with their two BM25F sums (with the excerpt's repeats;
    each term once, errno terms left out), and the two best BM25F of the issues left out."""

    ordinals: list[int]
    sums: dict[int, tuple[float, float]]
    outside: tuple[float, ...]


def _numpy_sums(compiled: CompiledIndex,
                postings: Mapping[str, Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """The BM25F of every issue, with the excerpt's repeats and without (errno terms left out)."""
    import numpy as np

    scores = np.zeros(compiled.size, dtype=np.float64)
    plain = np.zeros(compiled.size, dtype=np.float64)
    for term, lines in postings.items():
        found = compiled.postings(term)
        if found is not None:
            issues, impacts = found[0], np.asarray(found[1])
            scores[issues] += query_weight(len(lines)) * impacts
            if term not in ERRNO_TERMS:
                plain[issues] += impacts
    return scores, plain


def _plain_sums(compiled: CompiledIndex,
                postings: Mapping[str, Sequence[int]]) -> tuple[list[float], list[float]]:
    """:func:`_numpy_sums` of a plain index: the same operations, one issue at a time."""
    scores = [0.0] * compiled.size
    plain = [0.0] * compiled.size
    for term, lines in postings.items():
        found = compiled.postings(term)
        if found is not None:
            weight = query_weight(len(lines))
            counted = term not in ERRNO_TERMS
            for issue, impact in zip(found[0], found[1], strict=True):
                scores[issue] += weight * impact
                if counted:
                    plain[issue] += impact
    return scores, plain


def _top(scores: np.ndarray, among: np.ndarray, count: int) -> np.ndarray:
    """The ``count`` entries of ``among`` with the highest scores."""
    import numpy as np

    if len(among) <= count:
        return among
    return among[np.argpartition(-scores[among], count - 1)[:count]]


def retrieve(
    compiled: CompiledIndex,
    postings: Mapping[str, Sequence[int]],
    named: Collection[str],
    forced: Collection[int],
    *,
    everything: bool = False,
) -> Retrieved:
    """The candidates of an excerpt whose terms occur on the lines ``postings`` gives."""
    listed = _plain_sums(compiled, postings) if compiled.plain else None
    if listed is not None:
        shared = [i for i, s in enumerate(listed[0]) if s > 0.0]
        if everything or len(shared) <= CANDIDATES:
            # Every issue sharing a term is a candidate: what the selection below gives too.
            ordinals = list(range(compiled.size)) if everything else sorted({*shared, *forced})
            return Retrieved(ordinals, {o: (listed[0][o], listed[1][o]) for o in ordinals}, ())
    import numpy as np

    scores, plain = ((np.array(listed[0]), np.array(listed[1])) if listed is not None
                     else _numpy_sums(compiled, postings))
    if everything:
        ordinals = list(range(compiled.size))
        return Retrieved(ordinals, _sums(ordinals, scores, plain), ())
    shares = scores > 0.0
    sharing = np.flatnonzero(shares)
    chosen = set(_top(scores, sharing, CANDIDATES).tolist())
    if named:
        # Masks, not set operations: at 100,000 issues tens of thousands share a common term,
        # and hashing them (np.isin, np.setdiff1d) cost more than the rest of the ranking.
        wanted = np.zeros(len(compiled.documents), dtype=bool)
        wanted[[i for i, key in enumerate(compiled.documents) if key in named]] = True
        of_named = sharing[wanted[np.asarray(compiled.doc_of)[sharing]]]
        chosen.update(_top(scores, of_named, NAMED_CANDIDATES).tolist())
    rare = _rare_sums(compiled, postings)
    if rare is not None:
        chosen.update(_top(rare, np.flatnonzero(rare > 0.0), RARE_CANDIDATES).tolist())
    chosen.update(forced)
    shares[np.fromiter(chosen, dtype=np.int64, count=len(chosen))] = False
    ordinals = sorted(chosen)
    return Retrieved(ordinals, _sums(ordinals, scores, plain), _best_two(scores[shares]))


def _rare_sums(compiled: CompiledIndex,
               postings: Mapping[str, Sequence[int]]) -> np.ndarray | None:
    """The BM25F of every issue over the excerpt's rare terms alone (each once), ``None`` when
    it has none.

    The flat best-``CANDIDATES`` of a large knowledge base are decided by the words the log
    shares with thousands of issues and repeats (``error``, ``test``, ``connection``): with
    100,000 issues of a dozen tools, hundreds of one tool's near-twins sum more of them than
    the issue that quotes the log's own names (``PowerShell``, ``Language Service``, a host,
    a package), which fell to rank 186 and was never scored. The terms few issues use say
    which failure it is; summed alone, the issues that quote them come first. Their postings
    are short by definition, so the sums cost little.
    """
    import numpy as np

    rare = None
    floor = RARE_TERM * compiled.idf_max
    for term in postings:
        if term in ERRNO_TERMS or compiled.idf(term) < floor:
            continue
        found = compiled.postings(term)
        if found is not None:
            if rare is None:
                rare = np.zeros(compiled.size, dtype=np.float64)
            rare[np.asarray(found[0])] += np.asarray(found[1])
    return rare


def _best_two(scores: np.ndarray) -> tuple[float, ...]:
    """The two highest of ``scores``, highest first (fewer when there are fewer)."""
    import numpy as np

    if len(scores) > 2:
        scores = np.partition(scores, len(scores) - 2)[-2:]
    return tuple(float(v) for v in np.sort(scores)[::-1])


def _sums(ordinals: Sequence[int], scores: np.ndarray,
          plain: np.ndarray) -> dict[int, tuple[float, float]]:
    picked_scores = scores[list(ordinals)].tolist()
    picked_plain = plain[list(ordinals)].tolist()
    return {o: (s, p) for o, s, p in zip(ordinals, picked_scores, picked_plain, strict=True)}
