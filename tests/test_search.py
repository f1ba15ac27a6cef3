"""Search on both backends: BM25-like ranking, weights, stemming, hostile queries, snippets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knownfix.core.records import HIGHLIGHT, KnownIssue, ParsedDocument, SourceRef
from knownfix.storage.repository import Store, open_store
from knownfix.storage.search import query_terms

ISSUES = [
    KnownIssue(
        id="PS-2",
        title="Broken Alembic Migration Chain",
        symptoms=['`alembic upgrade head` stopped with "Can\'t find revision 3b9c0d1e7a42".'],
        root_cause="A revision id sat in the version table with no migration file behind it.",
        resolution="Point the version table at the last good revision, regenerate the migration.",
    ),
    KnownIssue(
        id="PS-3",
        title="Celery worker loses its asyncio loop",
        symptoms=["AttributeError: 'NoneType' object has no attribute 'send'"],
        root_cause="A global async engine outlived the loop that asyncio.run() closed.",
        resolution="Create and dispose the engine inside each task.",
    ),
    KnownIssue(
        id="FT-1",
        title="Dashboard shows stale build numbers",
        symptoms=["The build page lists an old commit after a deploy."],
        root_cause="The CDN cached the status page; nobody can locate the purge job.",
        resolution="Purge the cache after each deploy.",
    ),
    KnownIssue(
        id="DT-4",
        title="Token refresh loop in the API client",
        symptoms=["401 Unauthorized repeated every second", "token expired"],
        root_cause="Clock skew between the client and the identity provider.",
        resolution="Sync clocks with NTP; allow 30 s of leeway when validating tokens.",
        tags=["auth"],
    ),
    KnownIssue(
        id="DT-5",
        title="Disk full on the build agents",
        symptoms=["No space left on device"],
        root_cause="Docker images were never pruned; the token cache grew too.",
        resolution="Prune images nightly.",
    ),
]


def _import(store: Store, issues: list[KnownIssue]) -> None:
    docs = [ParsedDocument(f"{i.id}.md", "test", [i]) for i in issues]
    for n, d in enumerate(docs):
        d.issues[0].source = SourceRef(d.path, n + 1)
    store.import_documents(docs, doc_keys=[d.path for d in docs])


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as opened:
        _import(opened, ISSUES)
        yield opened


def ids(hits: list[object]) -> list[str]:
    return [h.issue_id for h in hits]  # type: ignore[attr-defined]


def test_cant_locate_revision_ranks_the_alembic_issue_first(store: Store) -> None:
    # FT-1 says "locate" once; PS-2 never says "locate" but says "revision" three times.
    hits = store.search("Can't locate revision")
    assert ids(hits)[:2] == ["PS-2", "FT-1"]
    assert hits[0].title == "Broken Alembic Migration Chain"


def test_scores_are_normalised_and_sorted(store: Store) -> None:
    hits = store.search("token loop revision")
    scores = [h.score for h in hits]
    assert len(hits) >= 3
    assert scores[0] == pytest.approx(1.0)
    assert all(0.0 < s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)


def test_any_term_matches_rather_than_all(store: Store) -> None:
    hits = store.search("unauthorized kubernetes helm")
    assert ids(hits) == ["DT-4"]


def test_title_outweighs_root_cause(store: Store) -> None:
    # "token" is in DT-4's title and symptoms and only in DT-5's root cause.
    assert ids(store.search("token"))[:2] == ["DT-4", "DT-5"]


def test_stemming_and_prefixes_match(store: Store) -> None:
    assert ids(store.search("migrations"))[0] == "PS-2"
    assert ids(store.search("alemb"))[0] == "PS-2"
    assert ids(store.search("pruning"))[0] == "DT-5"


def test_snippet_highlights_the_matched_words(store: Store) -> None:
    (hit,) = store.search("unauthorized")
    assert f"{HIGHLIGHT}Unauthorized{HIGHLIGHT}" in hit.snippet


def test_limit_is_respected(store: Store) -> None:
    assert len(store.search("the token revision loop disk", limit=2)) == 2


def test_retired_issues_are_not_found(store: Store) -> None:
    store.import_documents([ParsedDocument("DT-5.md", "test", [])], doc_keys=["DT-5.md"])
    assert "DT-5" not in ids(store.search("space device prune"))


def test_updated_issues_are_reindexed(store: Store) -> None:
    changed = KnownIssue(
        id="DT-5", title="Inode exhaustion", symptoms=["No inodes left"],
        source=SourceRef("DT-5.md", 1),
    )
    store.import_documents([ParsedDocument("DT-5.md", "test", [changed])], doc_keys=["DT-5.md"])
    assert ids(store.search("inode")) == ["DT-5"]
    assert store.search("docker pruned") == []


def test_reindex_rebuilds_from_the_table(store: Store) -> None:
    assert store.reindex() == len(ISSUES)
    assert ids(store.search("Can't locate revision"))[0] == "PS-2"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        '"unbalanced',
        "*",
        "AND OR NOT",
        "NEAR(token loop, 2)",
        "title:token",
        "^token",
        "token -loop +disk",
        "a the of",
        "(((",
        "'; DROP TABLE known_issues; --",
        "t:* | !revision & <->",
        "ünïcödé ✅ 日本語",
        "x" * 5000,
        "\x00\x01\x02",
    ],
)
def test_hostile_queries_never_raise(store: Store, query: str) -> None:
    hits = store.search(query)
    assert all(0.0 <= h.score <= 1.0 for h in hits)
    assert len(store.list_known_issues()) == len(ISSUES)


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("Can't locate revision", ["locate", "revision"]),
        ("the", ["the"]),
        ("Alembic alembic ALEMBIC", ["alembic"]),
        ("alembic_version f5ae8e59ef66", ["alembic", "version", "f5ae8e59ef66"]),
        ("HTTP 5 errors", ["http", "5", "errors"]),
        ("", []),
        ("Ünïcode", ["ünïcode"]),
    ],
)
def test_query_terms(query: str, terms: list[str]) -> None:
    assert query_terms(query) == terms


@given(st.text(max_size=200))
def test_query_terms_are_plain_words(query: str) -> None:
    for term in query_terms(query):
        assert term
        assert all(ch.isalnum() for ch in term)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=80))
def test_any_text_is_a_valid_sqlite_query(query: str) -> None:
    with open_store("sqlite://") as store:
        _import(store, ISSUES[:2])
        for hit in store.search(query):
            assert 0.0 <= hit.score <= 1.0
