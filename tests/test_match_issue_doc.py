"""Prepared issues as a long-lived process keeps them: the cache stays bounded, ranking is the
same whether candidates come from the cache or the store, a kept issue is one object the
garbage collector tracks, and intersections come out in the order frozensets gave them."""

from __future__ import annotations

import gc
import json
import random
from collections.abc import Sequence
from pathlib import Path

import pytest

from knownfix.core.match import MatchIndex
from knownfix.core.match.issue_doc import IssueDoc, focus_found, shared_terms, vocabulary_of
from knownfix.core.match.issue_docs import IssueDocs, StoredIssue
from knownfix.core.match.phrases import index_issue, issue_terms
from knownfix.core.match.prepared import doc_from_stored, stored_forms
from knownfix.core.records import KnownIssue

DATA = Path(__file__).parent / "data" / "match"
KB = [KnownIssue.from_dict(d) for d in json.loads((DATA / "kb.json").read_text())]
LOGS = [log.read_text(encoding="utf-8") for log in sorted((DATA / "logs").glob("*.log"))]


class Store:
    """The store's side of ``MatchIndex.load``: each issue with its stored forms (through
    JSON, as the store keeps them), counting what is read."""

    def __init__(self) -> None:
        self.forms = {i.id: json.loads(json.dumps(stored_forms(i))) for i in KB}
        self.issues = {i.id: i for i in KB}
        self.read = 0

    def fetch(self, ids: Sequence[str]) -> list[StoredIssue]:
        self.read += len(ids)
        return [StoredIssue(self.issues[i], self.forms[i]["terms"], self.forms[i]["prepared"])
                for i in ids]


@pytest.mark.parametrize("capacity", [1, 4, 10_000])
def test_a_kept_index_stays_bounded_and_ranks_as_a_fresh_one(capacity: int) -> None:
    store = Store()
    compiled = MatchIndex.build(KB).compiled
    kept = MatchIndex.load(compiled, store.fetch, cache=capacity)
    for text in [*LOGS, *reversed(LOGS)]:  # the second time, candidates are in the cache
        fresh = MatchIndex.load(compiled, store.fetch).rank(text)
        cleared = MatchIndex.load(compiled, store.fetch, cache=capacity)
        assert kept.rank(text).to_dict() == fresh.to_dict()  # matches, scores, reasons, verdict
        assert cleared.rank(text).to_dict() == fresh.to_dict()
        assert len(kept.docs) <= capacity
    if capacity >= len(KB):
        before = store.read
        for text in LOGS:
            kept.rank(text)
        assert store.read == before  # every candidate was kept: nothing read again


def test_the_oldest_issue_leaves_a_full_cache_first() -> None:
    store = Store()
    compiled = MatchIndex.build(KB).compiled
    docs = IssueDocs(store.fetch, capacity=2)
    docs.get(compiled, [0, 1])
    docs.get(compiled, [0])  # 0 is now the most recently used
    docs.get(compiled, [2])
    read = store.read
    assert [d.id for d in docs.get(compiled, [0, 2])] == [compiled.issue_ids[0],
                                                           compiled.issue_ids[2]]
    assert store.read == read  # both were kept
    docs.get(compiled, [1])
    assert store.read == read + 1  # 1 had left, as the least recently used
    assert len(docs) == 2


@pytest.mark.parametrize("issue", KB[:6], ids=[i.id for i in KB[:6]])
def test_a_kept_issue_is_one_object_the_collector_tracks(issue: KnownIssue) -> None:
    forms = json.loads(json.dumps(stored_forms(issue)))
    for doc in (doc_from_stored(issue, forms["terms"], forms["prepared"]), index_issue(issue)):
        assert isinstance(doc, IssueDoc)
        for _ in range(4):  # each collection lets go of tuples of strings a level at worst
            gc.collect()
        assert gc.is_tracked(doc)
        assert [type(r) for r in gc.get_referents(doc)
                if gc.is_tracked(r) and r is not IssueDoc] == []


@pytest.mark.parametrize("issue", KB, ids=[i.id for i in KB])
def test_intersections_come_out_as_frozensets_give_them(issue: KnownIssue) -> None:
    # Ties in ``matched_terms`` and the order of float sums follow these orders. The frozensets
    # are built as matching built them before: from the stored tables (read back from JSON)
    # and from the term counters (an issue prepared from its text), whose orders differ.
    forms = json.loads(json.dumps(stored_forms(issue)))
    stored = doc_from_stored(issue, forms["terms"], forms["prepared"])
    assert stored is not None
    for doc, tables in ((stored, forms["terms"]["fields"]),
                        (index_issue(issue), issue_terms(issue).field_tf)):
        vocabulary = vocabulary_of(tables)
        focus = frozenset(sorted(doc.focus))  # as the stored focus (sorted) was read before
        assert list(focus) == list(doc.focus)
        rng = random.Random(7)
        words = sorted(vocabulary | focus) + ["zzfoo", "zzbar", "zzbaz"]
        for size in [1, 2, 3, 5, 8, len(doc.focus), len(vocabulary), len(words)]:
            terms = frozenset(rng.sample(words, min(size, len(words))))
            assert list(shared_terms(terms, doc)) == list(terms & vocabulary)
            assert list(focus_found(doc.focus, terms)) == list(focus & terms)
