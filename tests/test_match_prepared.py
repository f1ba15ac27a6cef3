"""Prepared phrases stored with the knowledge base: read back equal to preparing the issue
again, refused when malformed, ignored when stale, and ranking through them unchanged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from knownfix.core.match import MatchIndex
from knownfix.core.match.issue_docs import IssueDocs, StoredIssue
from knownfix.core.match.phrases import index_issue
from knownfix.core.match.prepared import doc_from_stored, prepared_json, stored_forms
from knownfix.core.records import KnownIssue, ParsedDocument
from knownfix.storage.match_tables import match_issue_terms
from knownfix.storage.repository import Store, open_store

DATA = Path(__file__).parent / "data" / "match"
KB = [KnownIssue.from_dict(d) for d in json.loads((DATA / "kb.json").read_text())]
LOGS = sorted((DATA / "logs").glob("*.log"))


@pytest.mark.parametrize("issue", KB, ids=[i.id for i in KB])
def test_a_stored_issue_reads_back_as_preparing_it_again(issue: KnownIssue) -> None:
    forms = json.loads(json.dumps(stored_forms(issue)))  # through JSON, as the store keeps it
    doc = doc_from_stored(issue, forms["terms"], forms["prepared"])
    assert doc == index_issue(issue)
    assert doc is not None
    assert [surfaces for _, _, _, surfaces, _ in doc.phrases] == [
        surfaces for _, _, _, surfaces, _ in index_issue(issue).phrases]


def corruptions(prepared: dict[str, Any]) -> Iterator[dict[str, Any] | None]:
    yield None
    yield {}
    yield {**prepared, "v": 999}
    yield {**prepared, "phrases": "not a list"}
    yield {**prepared, "phrases": [["only", "three", []]]}
    yield {**prepared, "phrases": [[1, "symptom", ["x"], {}, None]]}
    yield {**prepared, "focus": [1, 2]}
    yield {k: v for k, v in prepared.items() if k != "codes"}


def test_malformed_stored_data_is_refused() -> None:
    issue = KB[0]
    forms = stored_forms(issue)
    for bad in corruptions(forms["prepared"]):
        assert doc_from_stored(issue, forms["terms"], bad) is None
    assert doc_from_stored(issue, None, forms["prepared"]) is None
    assert doc_from_stored(issue, {**forms["terms"], "id": "another"}, forms["prepared"]) is None


def test_a_refused_issue_is_prepared_from_its_text() -> None:
    issue = KB[0]
    forms = stored_forms(issue)
    stored = [StoredIssue(issue, forms["terms"], {"v": 1, "phrases": 7}),
              StoredIssue(KB[1], *stored_forms(KB[1]).values())]
    docs = IssueDocs(lambda ids: [s for s in stored if s.issue.id in ids])
    index = MatchIndex.build(KB[:2])
    found = docs.get(index.compiled, [0, 1])
    assert (docs.read, docs.rebuilt) == (1, 1)
    assert found == [index_issue(KB[0]), index_issue(KB[1])]


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    opened.import_documents([ParsedDocument("docs/kb.md", "numbered-sections", KB)],
                           doc_keys=["docs/kb.md"])
    yield opened
    opened.close()


def ranked(index: MatchIndex) -> list[tuple[list[tuple[str, float]], bool]]:
    results = [index.rank(log.read_text(encoding="utf-8")) for log in LOGS]
    return [([(m.id, m.score) for m in r.matches], r.known) for r in results]


def test_triage_reads_what_import_prepared_and_ranks_as_before(store: Store) -> None:
    index = MatchIndex.load(store.match_index(), store.get_prepared_issues)
    assert ranked(index) == ranked(MatchIndex.build(store.list_known_issues()))
    assert index.docs.read > 0
    assert index.docs.rebuilt == 0


def test_stale_or_corrupt_stored_phrases_are_never_trusted(store: Store) -> None:
    victims = [KB[0].id, KB[1].id]
    with store.write() as conn:
        conn.execute(update(match_issue_terms).where(match_issue_terms.c.issue_id == victims[0])
                     .values(stamp="computed from other content"))
        conn.execute(update(match_issue_terms).where(match_issue_terms.c.issue_id == victims[1])
                     .values(prepared={"v": 1, "phrases": [["garbage"]]}))
    stored = {s.issue.id: s for s in store.get_prepared_issues([i.id for i in KB])}
    assert stored[victims[0]].prepared is None
    assert stored[victims[0]].terms is None
    assert stored[victims[1]].prepared is not None  # current, but malformed: refused when read
    index = MatchIndex.load(store.match_index(), store.get_prepared_issues)
    assert ranked(index) == ranked(MatchIndex.build(store.list_known_issues()))
    assert index.docs.rebuilt == 2


def test_prepared_json_is_compact() -> None:
    # Surfaces equal to their term are left out; the form holds no copy of the issue's text
    # beyond the phrases themselves.
    doc = index_issue(KB[0])
    data = prepared_json(doc)
    assert all(t != s for item in data["phrases"] for t, s in item[3].items())
    assert "root_cause" not in json.dumps(data)
