"""The store on both backends: upsert import, retire and return, conflicts, reads."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from knownfix.core.records import KnownIssue, ParsedDocument, SignatureRules, Skipped, SourceRef
from knownfix.errors import Conflict, InputError, NotFound
from knownfix.storage.repository import ImportStats, Store, open_store
from knownfix.storage.tables import import_runs, known_issues


def issue(
    issue_id: str, title: str, path: str = "docs/a.md", line: int = 1, **fields: str
) -> KnownIssue:
    return KnownIssue(id=issue_id, title=title, source=SourceRef(path, line), **fields)


def doc(path: str, *issues: KnownIssue, skipped: int = 0) -> ParsedDocument:
    return ParsedDocument(
        path=path,
        shape="numbered-sections",
        issues=list(issues),
        skipped=[Skipped(path, 90 + n, "not a known issue") for n in range(skipped)],
    )


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()


def rich_issue() -> KnownIssue:
    return KnownIssue(
        id="KF-0007",
        title="Worker loses its event loop",
        symptoms=["AttributeError: 'NoneType' object has no attribute 'send'", "ünïcode ✅"],
        signature=SignatureRules(contains=["proactor_events"], regex=[r"loop \w+ closed"]),
        root_cause="A global engine bound to a closed loop.",
        resolution="1. Create the engine per task\n2. Dispose it after",
        resolution_steps=["Create the engine per task", "Dispose it after"],
        commands=["celery -A app worker"],
        verification=["pytest tests/test_worker.py"],
        prevention="Never share async resources across asyncio.run().",
        category="Worker",
        severity="High",
        status="Fixed",
        self_healing="No",
        response_time="4h",
        escalation="Platform team",
        tags=["celery", "asyncio"],
        source=SourceRef("docs/worker.md", 12),
        extra={"Context": "analyze_trace task"},
    )


def test_import_creates_then_reimport_is_unchanged(store: Store) -> None:
    first = doc("docs/a.md", issue("KF-1", "One"), issue("KF-2", "Two", line=9), skipped=2)
    assert store.import_documents([first], doc_keys=["a.md"]) == ImportStats(
        created=2, skipped=2
    )
    again = store.import_documents([first], doc_keys=["a.md"])
    assert again == ImportStats(unchanged=2, skipped=2)
    assert [i.id for i in store.list_known_issues()] == ["KF-1", "KF-2"]


def test_every_field_survives_the_round_trip(store: Store) -> None:
    original = rich_issue()
    store.import_documents([doc("docs/worker.md", original)], doc_keys=["worker.md"])
    loaded = store.get_known_issue("KF-0007")
    assert loaded.updated_at is not None
    assert loaded.updated_at.tzinfo is not None
    expected = original.to_dict() | {"updated_at": loaded.to_dict()["updated_at"]}
    assert loaded.to_dict() == expected


def test_changed_content_is_updated_and_bumps_updated_at(store: Store) -> None:
    store.import_documents([doc("a.md", issue("KF-1", "One"))], doc_keys=["a"])
    before = store.get_known_issue("KF-1").updated_at
    stats = store.import_documents(
        [doc("a.md", issue("KF-1", "One", root_cause="now known"))], doc_keys=["a"]
    )
    assert stats == ImportStats(updated=1)
    after = store.get_known_issue("KF-1")
    assert after.root_cause == "now known"
    assert after.updated_at is not None
    assert before is not None
    assert after.updated_at > before


def test_moving_an_issue_down_the_page_is_not_an_update(store: Store) -> None:
    store.import_documents([doc("a.md", issue("KF-1", "One", line=3))], doc_keys=["a"])
    before = store.get_known_issue("KF-1").updated_at
    stats = store.import_documents([doc("a.md", issue("KF-1", "One", line=40))], doc_keys=["a"])
    assert stats == ImportStats(unchanged=1)
    moved = store.get_known_issue("KF-1")
    assert moved.source == SourceRef("docs/a.md", 40)
    assert moved.updated_at == before


def test_removed_issue_is_retired_and_comes_back(store: Store) -> None:
    both = doc("a.md", issue("KF-1", "One"), issue("KF-2", "Two"))
    store.import_documents([both], doc_keys=["a"])
    stats = store.import_documents([doc("a.md", issue("KF-1", "One"))], doc_keys=["a"])
    assert stats == ImportStats(unchanged=1, retired=1)
    assert [i.id for i in store.list_known_issues()] == ["KF-1"]
    everything = store.list_known_issues(include_retired=True)
    assert [(i.id, i.retired) for i in everything] == [("KF-1", False), ("KF-2", True)]
    assert store.get_known_issue("KF-2").retired is True

    back = store.import_documents([both], doc_keys=["a"])
    assert back == ImportStats(updated=1, unchanged=1)
    assert [i.id for i in store.list_known_issues()] == ["KF-1", "KF-2"]
    # Retiring twice does not count twice.
    store.import_documents([doc("a.md")], doc_keys=["a"])
    assert store.import_documents([doc("a.md")], doc_keys=["a"]) == ImportStats()


def test_other_docs_are_not_retired_by_an_import(store: Store) -> None:
    store.import_documents(
        [doc("a.md", issue("KF-1", "One")), doc("b.md", issue("KF-2", "Two", path="b.md"))],
        doc_keys=["a", "b"],
    )
    stats = store.import_documents([doc("a.md", issue("KF-1", "One"))], doc_keys=["a"])
    assert stats.retired == 0
    assert len(store.list_known_issues()) == 2


def _snapshot(store: Store) -> tuple[list[dict[str, object]], int]:
    issues = [i.to_dict() for i in store.list_known_issues(include_retired=True)]
    with store.read() as conn:
        runs = conn.execute(select(func.count()).select_from(import_runs)).scalar_one()
    return issues, runs


def test_duplicate_id_across_files_in_one_run_names_both_and_writes_nothing(store: Store) -> None:
    store.import_documents([doc("a.md", issue("KF-9", "Nine"))], doc_keys=["a"])
    before = _snapshot(store)
    docs = [
        doc("docs/x.md", issue("KF-1", "One", path="docs/x.md", line=4)),
        doc("docs/y.md", issue("KF-1", "Uno", path="docs/y.md", line=17)),
    ]
    with pytest.raises(Conflict, match=r"KF-1.*docs/x\.md:4.*docs/y\.md:17"):
        store.import_documents(docs, doc_keys=["x", "y"])
    assert _snapshot(store) == before


def test_duplicate_id_against_a_file_in_the_store_is_a_conflict(store: Store) -> None:
    store.import_documents([doc("a.md", issue("KF-1", "One", line=5))], doc_keys=["a"])
    before = _snapshot(store)
    intruder = doc(
        "b.md", issue("KF-2", "Two", path="b.md"), issue("KF-1", "Uno", path="b.md", line=8)
    )
    with pytest.raises(Conflict, match=r"KF-1.*b\.md:8.*docs/a\.md:5"):
        store.import_documents([intruder], doc_keys=["b"])
    assert _snapshot(store) == before


def test_duplicate_id_within_one_file_is_a_conflict(store: Store) -> None:
    twice = doc("a.md", issue("KF-1", "One", line=2), issue("KF-1", "One again", line=30))
    with pytest.raises(Conflict, match=r"docs/a\.md:2 and docs/a\.md:30"):
        store.import_documents([twice], doc_keys=["a"])
    assert store.list_known_issues(include_retired=True) == []


def test_an_issue_may_move_to_another_doc_of_the_same_run(store: Store) -> None:
    store.import_documents([doc("a.md", issue("KF-1", "One"))], doc_keys=["a"])
    moved = [doc("a.md"), doc("b.md", issue("KF-1", "One", path="b.md", line=3))]
    stats = store.import_documents(moved, doc_keys=["a", "b"])
    assert stats == ImportStats(unchanged=1)
    assert store.get_known_issue("KF-1").source == SourceRef("b.md", 3)
    # The old doc no longer owns it: re-importing it alone retires nothing.
    assert store.import_documents([doc("a.md")], doc_keys=["a"]).retired == 0


def test_a_retired_id_may_be_claimed_by_another_doc(store: Store) -> None:
    store.import_documents([doc("a.md", issue("KF-1", "One"))], doc_keys=["a"])
    store.import_documents([doc("a.md")], doc_keys=["a"])
    stats = store.import_documents(
        [doc("b.md", issue("KF-1", "One", path="b.md"))], doc_keys=["b"]
    )
    assert stats == ImportStats(updated=1)
    assert store.get_known_issue("KF-1").retired is False


def test_docs_may_be_a_lazy_iterable(store: Store) -> None:
    def generate() -> Iterator[ParsedDocument]:
        for n in range(3):
            yield doc(f"d{n}.md", issue(f"KF-{n}", f"Issue {n}", path=f"d{n}.md"))

    stats = store.import_documents(generate(), doc_keys=["d0", "d1", "d2"])
    assert stats.created == 3
    assert store.import_documents([doc("d1.md")], doc_keys=["d1"]).retired == 1


def test_doc_keys_default_to_paths(store: Store) -> None:
    store.import_documents([doc("a.md", issue("KF-1", "One"))])
    assert store.import_documents([doc("a.md")]).retired == 1


def test_many_issues_in_one_import(store: Store) -> None:
    issues = [issue(f"KF-{n:04d}", f"Issue {n}", line=n) for n in range(1200)]
    assert store.import_documents([doc("big.md", *issues)], doc_keys=["big"]).created == 1200
    assert store.import_documents([doc("big.md", *issues[:600])], doc_keys=["big"]) == (
        ImportStats(unchanged=600, retired=600)
    )
    with store.read() as conn:
        count = conn.execute(select(func.count()).select_from(known_issues)).scalar_one()
    assert count == 1200


def test_unknown_id_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="KF-404"):
        store.get_known_issue("KF-404")


def test_import_runs_are_recorded(store: Store) -> None:
    store.import_documents([doc("a.md", issue("KF-1", "One"), skipped=1)], doc_keys=["a"])
    (run,) = store.import_runs()
    assert (run["doc_keys"], run["created"], run["skipped"]) == (["a"], 1, 1)
    assert run["finished_at"] >= run["started_at"]


def test_search_limit_must_be_positive(store: Store) -> None:
    with pytest.raises(InputError, match="limit"):
        store.search("anything", limit=0)
