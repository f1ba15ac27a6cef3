"""Candidate retrieval: the few known issues worth scoring in full, whatever the KB's size.

BM25F over the excerpt's terms is a sum of per-term impacts (``compiled``), so it is computed
for every issue at once from the postings of the terms the excerpt has: the cost grows with
the excerpt and with how common its terms are, not with the number of issues. Full layered
scoring (phrases, coverage, rules, tool context) then runs on

* the ``CANDIDATES`` issues with the highest BM25F,
* the ``NAMED_CANDIDATES`` best of the documents whose tool the log names (the tool adds to
  the score and corroborates a match worded differently),
* every issue a signature rule or a fingerprint link names.

The winner of the full scoring is among them in every bench run (bench/kb_scale.py compares
with ``everything=True``, which scores every issue, as before retrieval).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from knownfix.core.match.compiled import CompiledIndex
from knownfix.core.match.lexical import query_weight
from knownfix.core.match.tokens import ERRNO_TERMS

CANDIDATES = 48
NAMED_CANDIDATES = 16


@dataclass(frozen=True, slots=True)
class Retrieved:
    """Issue ordinals to score in full with their two BM25F sums (with the excerpt's repeats;
    each term once, errno terms left out), and the two best BM25F of the issues left out."""

    ordinals: list[int]
    sums: dict[int, tuple[float, float]]
    outside: tuple[float, ...]


def _top(scores: np.ndarray, among: np.ndarray, count: int) -> np.ndarray:
    """The ``count`` entries of ``among`` with the highest scores."""
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
    scores = np.zeros(compiled.size, dtype=np.float64)
    plain = np.zeros(compiled.size, dtype=np.float64)
    for term, lines in postings.items():
        found = compiled.postings(term)
        if found is not None:
            scores[found[0]] += query_weight(len(lines)) * found[1]
            if term not in ERRNO_TERMS:
                plain[found[0]] += found[1]
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
        of_named = sharing[wanted[compiled.doc_of[sharing]]]
        chosen.update(_top(scores, of_named, NAMED_CANDIDATES).tolist())
    chosen.update(forced)
    shares[np.fromiter(chosen, dtype=np.int64, count=len(chosen))] = False
    ordinals = sorted(chosen)
    return Retrieved(ordinals, _sums(ordinals, scores, plain), _best_two(scores[shares]))


def _best_two(scores: np.ndarray) -> tuple[float, ...]:
    """The two highest of ``scores``, highest first (fewer when there are fewer)."""
    if len(scores) > 2:
        scores = np.partition(scores, len(scores) - 2)[-2:]
    return tuple(float(v) for v in np.sort(scores)[::-1])


def _sums(ordinals: Sequence[int], scores: np.ndarray,
          plain: np.ndarray) -> dict[int, tuple[float, float]]:
    picked_scores = scores[list(ordinals)].tolist()
    picked_plain = plain[list(ordinals)].tolist()
    return {o: (s, p) for o, s, p in zip(ordinals, picked_scores, picked_plain, strict=True)}
