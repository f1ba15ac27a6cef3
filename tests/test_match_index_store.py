"""The stored match index on both backends: built at import, trusted only when fresh and sound
(stale, another format, corrupt or missing → rebuilt), rebuilt once when processes race, and
ranking through it equal to ranking every issue."""

from __future__ import annotations

import contextlib
import random
import threading
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, update

from knownfix.core.match import MatchIndex, retrieval
from knownfix.core.match.compiled import CompiledIndex, CorruptIndex, line_words, rule_key
from knownfix.core.match.phrases import fold_literal
from knownfix.core.records import KnownIssue, ParsedDocument, SignatureRules, SourceRef
from knownfix.storage.match_tables import match_index
from knownfix.storage.repository import Store, open_store

TOOLS = ["postgres", "redis", "kafka", "nginx", "terraform", "kubectl", "npm", "maven"]
WORDS = ["ledger", "invoice", "billing", "search", "catalog", "checkout", "session", "report",
         "payment", "refund", "coupon", "profile", "tenant", "shipment", "rating", "quota"]


def issue(issue_id: str, title: str, symptom: str, path: str = "docs/a.md", line: int = 1,
          contains: tuple[str, ...] = ()) -> KnownIssue:
    return KnownIssue(id=issue_id, title=title, symptoms=[symptom],
                      signature=SignatureRules(contains=list(contains)),
                      root_cause=f"The {title.lower()} happens when the service restarts.",
                      resolution="Restart it once the dependency is up.",
                      source=SourceRef(path, line))


def generated(count: int, seed: int = 3) -> list[KnownIssue]:
    """Issues of several tools that share most of their wording (as large bases do)."""
    rng = random.Random(seed)
    issues = []
    for n in range(count):
        tool, a, b = rng.choice(TOOLS), rng.choice(WORDS), rng.choice(WORDS)
        port = rng.choice([5432, 6379, 9092, 443])
        issues.append(issue(
            f"GEN-{n:04d}", f"{tool} {a} {b} connection refused",
            f"{tool}: connection to {a}-{b} on port {port} failed: connection refused",
            path=f"docs/{tool}.md", line=n + 1))
    return issues


def load(store: Store, issues: list[KnownIssue], path: str = "docs/a.md") -> None:
    store.import_documents([ParsedDocument(path, "numbered-sections", issues)], doc_keys=[path])


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()


def stored_row(store: Store) -> tuple[str, int, bytes]:
    with store.read() as conn:
        row = conn.execute(select(match_index.c.format, match_index.c.import_run,
                                  match_index.c.data)).one()
    return row.format, row.import_run, bytes(row.data)


def built_at(store: Store) -> object:
    with store.read() as conn:
        return conn.execute(select(match_index.c.built_at)).scalar_one()


def test_import_builds_the_index_and_triage_reads_it_as_is(store: Store) -> None:
    load(store, [issue("KF-1", "Disk full", "No space left on device"),
                 issue("KF-2", "Redis down", "Error 111 connecting to redis:6379")])
    _, run, data = stored_row(store)
    assert run == store.import_runs(1)[0]["id"]
    when = built_at(store)
    compiled = store.match_index()
    assert compiled.issue_ids == ("KF-1", "KF-2")
    assert built_at(store) == when  # fresh: read, not rebuilt
    assert compiled.to_bytes() == data


def test_an_unchanged_import_moves_the_mark_without_rebuilding(store: Store) -> None:
    issues = [issue("KF-1", "Disk full", "No space left on device")]
    load(store, issues)
    when = built_at(store)
    load(store, issues)
    _, run, _ = stored_row(store)
    assert run == store.import_runs(1)[0]["id"]
    assert built_at(store) == when


def test_an_import_that_changes_an_issue_rebuilds_it(store: Store) -> None:
    load(store, [issue("KF-1", "Disk full", "No space left on device")])
    load(store, [issue("KF-1", "Disk full", "ENOSPC while writing artifacts"),
                 issue("KF-3", "Kafka lag", "consumer group lag exceeded")])
    compiled = store.match_index()
    assert compiled.issue_ids == ("KF-1", "KF-3")
    assert compiled.df("enospc") == 1
    assert compiled.df("kafka") == 1


def test_retired_issues_leave_the_index(store: Store) -> None:
    load(store, [issue("KF-1", "Disk full", "No space left on device"),
                 issue("KF-2", "Kafka lag", "consumer group lag exceeded")])
    load(store, [issue("KF-1", "Disk full", "No space left on device")])
    assert store.match_index().issue_ids == ("KF-1",)


@pytest.mark.parametrize("spoil", ["stale", "format", "flipped", "truncated", "missing"])
def test_a_stale_foreign_or_corrupt_index_is_rebuilt_never_trusted(store: Store,
                                                                    spoil: str) -> None:
    load(store, [issue("KF-1", "Disk full", "No space left on device"),
                 issue("KF-2", "Redis down", "Error 111 connecting to redis:6379")])
    good = stored_row(store)[2]
    with store.write() as conn:
        change = update(match_index)
        if spoil == "stale":
            conn.execute(change.values(import_run=0))
        elif spoil == "format":
            conn.execute(change.values(format="knownfix-match-index/1999-01-01"))
        elif spoil == "flipped":
            data = bytearray(good)
            data[len(data) // 2] ^= 0x40
            conn.execute(change.values(data=bytes(data)))
        elif spoil == "truncated":
            conn.execute(change.values(data=good[: len(good) // 3]))
        else:
            conn.execute(match_index.delete())
    compiled = store.match_index()
    assert compiled.issue_ids == ("KF-1", "KF-2")
    fmt, run, data = stored_row(store)
    assert run == store.import_runs(1)[0]["id"]
    assert CompiledIndex.from_bytes(data).issue_ids == ("KF-1", "KF-2")
    ranked = MatchIndex.load(compiled, store.get_known_issues).rank(
        "OSError: [Errno 28] No space left on device")
    assert ranked.matches[0].id == "KF-1"


def test_processes_finding_it_stale_together_rebuild_it_once(store_url: str) -> None:
    first = open_store(store_url)
    load(first, generated(120))
    with first.write() as conn:
        conn.execute(update(match_index).values(import_run=0))
    stores = [open_store(store_url) for _ in range(4)]
    results: list[CompiledIndex] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(stores))

    def read(own: Store) -> None:
        try:
            start.wait()
            results.append(own.match_index())
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=read, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert len(results) == 4
    assert {r.issue_ids for r in results} == {tuple(f"GEN-{n:04d}" for n in range(120))}
    assert {r.to_bytes() for r in results} == {stored_row(first)[2]}
    for own in (first, *stores):
        own.close()


def test_corrupt_bytes_are_refused() -> None:
    compiled = MatchIndex.build(generated(30)).compiled
    blob = compiled.to_bytes()
    assert CompiledIndex.from_bytes(blob).issue_ids == compiled.issue_ids
    for bad in (b"", b"KFMI", blob[:-1], b"XXXX" + blob[4:], blob + b"\0"):
        with pytest.raises(CorruptIndex):
            CompiledIndex.from_bytes(bad)


@given(st.binary(max_size=200))
def test_any_bytes_read_as_an_index_or_refused(data: bytes) -> None:
    with contextlib.suppress(CorruptIndex):
        CompiledIndex.from_bytes(data)


def test_retrieval_ranks_as_scoring_every_issue(monkeypatch: pytest.MonkeyPatch) -> None:
    """With few candidates among hundreds of look-alike issues, the first match and the known
    verdict are those of scoring every issue."""
    monkeypatch.setattr(retrieval, "CANDIDATES", 16)
    monkeypatch.setattr(retrieval, "NAMED_CANDIDATES", 8)
    issues = generated(400)
    pruned = MatchIndex.build(issues)
    everything = MatchIndex.build(issues, exhaustive=True)
    rng = random.Random(5)
    checked = 0
    for target in rng.sample(issues, 60):
        log = (f"$ ./run-{target.source.path.split('/')[1][:-3]}.sh\n"  # type: ignore[union-attr]
               f"{target.symptoms[0].replace(' port ', ' tcp port ')}\nexit status 1")
        a, b = pruned.rank(log), everything.rank(log)
        assert a.matches[0].id == b.matches[0].id, log
        assert a.known == b.known, log
        checked += a.matches[0].id == target.id
    assert checked > 0  # the logs do reach their issues


def test_a_signature_rule_wins_whatever_retrieval_keeps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retrieval, "CANDIDATES", 1)
    issues = [*generated(200), issue("KF-RULE", "Odd one", "something else entirely",
                                     contains=("quota of widgets exhausted",))]
    ranked = MatchIndex.build(issues).rank(
        "postgres: connection to ledger-invoice on port 5432 failed: connection refused\n"
        "ERROR: Quota of  widgets exhausted for tenant 7")
    assert ranked.matches[0].id == "KF-RULE"
    assert ranked.known


@given(st.text(min_size=1, max_size=40), st.text(max_size=20), st.text(max_size=20))
def test_a_literal_rule_key_is_a_whole_word_of_every_line_holding_it(
        literal: str, before: str, after: str) -> None:
    key = rule_key(literal)
    line = before + literal + after
    folded_literal = " ".join(literal.casefold().split())
    if key and folded_literal in " ".join(line.casefold().split()):
        assert key in line_words([fold_literal(line)])
