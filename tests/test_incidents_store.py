"""The incident repository on both backends: dedup, display ids, SLA, lifecycle, merge, audit."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from knownfix.errors import Conflict, InputError, NotFound
from knownfix.storage.incident_rows import display_prefix
from knownfix.storage.incidents import NewOccurrence, Recorded
from knownfix.storage.repository import Store, open_store

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()


def occ(
    loose: str = "loose-a",
    *,
    minutes: int = 0,
    severity: str = "high",
    key: str | None = None,
    known: str | None = None,
    strict: str | None = None,
    response_time: str | None = "1 hour",
) -> NewOccurrence:
    return NewOccurrence(
        source=f"logs/{loose}.log",
        title=f"Failure {loose}",
        fingerprint=strict or f"strict-{loose}",
        loose_fingerprint=loose,
        fingerprint_version="test",
        excerpt_text=f"Error: {loose}\n",
        category="database",
        severity=severity,
        spans=((3, 4),),
        response_time=response_time,
        escalation="DB on-call",
        known_issue_id=known,
        idempotency_key=key,
        received_at=T0 + timedelta(minutes=minutes),
    )


def test_first_occurrence_opens_an_incident_with_display_id_and_sla(store: Store) -> None:
    recorded = store.record_occurrence(occ())
    incident = recorded.incident
    assert recorded.new
    assert not recorded.duplicate
    assert (incident.id, incident.status, incident.count) == ("HIGH-001", "open", 1)
    assert incident.first_seen == incident.last_seen == T0
    assert incident.sla_due_at == T0 + timedelta(hours=1)
    assert (incident.title, incident.fingerprint) == ("Failure loose-a", "loose-a")
    assert store.incident_events("HIGH-001")[0]["action"] == "opened"


def test_same_loose_fingerprint_joins_the_incident(store: Store) -> None:
    store.record_occurrence(occ())
    again = store.record_occurrence(occ(minutes=5, strict="other-strict"))
    assert not again.new
    assert (again.incident.id, again.incident.count) == ("HIGH-001", 2)
    assert again.incident.last_seen == T0 + timedelta(minutes=5)
    assert again.incident.first_seen == T0
    late = store.record_occurrence(occ(minutes=-10))  # an old log arriving late
    assert late.incident.last_seen == T0 + timedelta(minutes=5)
    assert [o.fingerprint for o in store.list_occurrences("HIGH-001")] == [
        "strict-loose-a", "strict-loose-a", "other-strict"
    ]


OLDER, NEWER = "2026-01-01", "2026-02-01"  # fingerprint strategy versions, oldest first


def test_a_new_fingerprint_strategy_joins_the_incident_an_older_one_opened(store: Store) -> None:
    old = store.record_occurrence(replace(occ("loose-old"), fingerprint_version=OLDER))
    upgraded = replace(occ("loose-new", minutes=5), fingerprint_version=NEWER,
                       older_loose_fingerprints=("loose-unknown", "loose-old"))
    joined = store.record_occurrence(upgraded)
    assert not joined.new
    assert (joined.incident.id, joined.incident.count) == (old.incident.id, 2)
    # The new fingerprint is linked now: the next occurrence finds the incident directly.
    direct = store.record_occurrence(occ("loose-new", minutes=9))
    assert (direct.incident.id, direct.incident.count) == (old.incident.id, 3)
    # Without an older incident, the older fingerprints change nothing.
    fresh = store.record_occurrence(
        replace(occ("loose-other", minutes=10), older_loose_fingerprints=("loose-none",)))
    assert fresh.new
    assert fresh.incident.id != old.incident.id


def test_only_an_older_strategys_link_is_adopted(store: Store) -> None:
    # The current strategy tells two failures apart (by a test's name, say) that the older one
    # gave the same fingerprint: the second must not join the first through the older value.
    first = store.record_occurrence(replace(occ("loose-shared"), fingerprint_version=NEWER))
    second = store.record_occurrence(
        replace(occ("loose-second", minutes=1), fingerprint_version=NEWER,
                older_loose_fingerprints=("loose-shared",)))
    assert second.new
    assert second.incident.id != first.incident.id


def test_older_fingerprints_are_computed_only_when_the_current_one_has_no_incident(
    store: Store,
) -> None:
    asked: list[tuple[str, frozenset[str]]] = []

    def older(name: str) -> Callable[[Collection[str]], tuple[str, ...]]:
        def compute(versions: Collection[str]) -> tuple[str, ...]:
            asked.append((name, frozenset(versions)))
            return ("loose-old",)
        return compute

    # No older strategy linked anything yet: nothing to compute.
    alone = store.record_occurrence(
        replace(occ("loose-alone"), fingerprint_version=NEWER,
                older_loose_fingerprints=older("alone")))
    assert alone.new
    assert asked == []
    old = store.record_occurrence(replace(occ("loose-old"), fingerprint_version=OLDER))
    adopted = store.record_occurrence(
        replace(occ("loose-new", minutes=1), fingerprint_version=NEWER,
                older_loose_fingerprints=older("first")))
    assert adopted.incident.id == old.incident.id
    assert asked == [("first", frozenset({OLDER}))]  # only the strategies that linked one
    # Linked now: the next occurrence joins directly and never computes the older ones.
    again = store.record_occurrence(
        replace(occ("loose-new", minutes=2), fingerprint_version=NEWER,
                older_loose_fingerprints=older("second")))
    assert (again.incident.id, again.incident.count) == (old.incident.id, 3)
    assert [name for name, _ in asked] == ["first"]


def test_display_ids_count_per_severity_prefix(store: Store) -> None:
    ids = [
        store.record_occurrence(occ(fp, severity=sev)).incident.id
        for fp, sev in [("a", "high"), ("b", "High"), ("c", "🔴 Critical"), ("d", "Whenever"),
                        ("e", "warning"), ("f", "P2"), ("g", "info"), ("h", "low")]
    ]
    assert ids == ["HIGH-001", "HIGH-002", "CRIT-001", "INC-001", "WARN-001", "MED-001",
                   "INFO-001", "LOW-001"]


@pytest.mark.parametrize(
    ("severity", "prefix"),
    [("critical", "CRIT"), ("sev1", "CRIT"), ("major", "HIGH"), ("moderate", "MED"),
     ("warn", "WARN"), ("minor", "LOW"), ("trivial", "INFO"), ("", "INC"), (None, "INC")],
)
def test_display_prefix_table(severity: str | None, prefix: str) -> None:
    assert display_prefix(severity) == prefix


def test_no_response_time_means_no_sla(store: Store) -> None:
    assert store.record_occurrence(occ(response_time=None)).incident.sla_due_at is None
    assert store.record_occurrence(occ("b", response_time="Next sprint")).incident.sla_due_at \
        == T0 + timedelta(days=14)


def test_idempotency_key_is_counted_once(store: Store) -> None:
    first = store.record_occurrence(occ(key="trace-1"))
    repeat = store.record_occurrence(occ(key="trace-1", minutes=1))
    other = store.record_occurrence(occ(key="trace-2", minutes=2))
    assert not first.duplicate
    assert repeat.duplicate
    assert not repeat.new
    assert repeat.incident.count == 1
    assert other.incident.count == 2
    assert len(store.list_occurrences()) == 2


def test_a_duplicate_key_with_another_fingerprint_opens_nothing(store: Store) -> None:
    store.record_occurrence(occ(key="trace-1"))
    repeat = store.record_occurrence(occ("loose-b", key="trace-1"))
    assert repeat.duplicate
    assert repeat.incident.id == "HIGH-001"
    assert [i.id for i in store.list_incidents()] == ["HIGH-001"]


def test_lifecycle_and_reopen_on_recurrence(store: Store) -> None:
    store.record_occurrence(occ())
    for status in ("investigating", "mitigated"):
        assert store.set_incident_status("high-001", status).status == status
    resolved = store.set_incident_status("HIGH-001", "Resolved", note="pinned alembic",
                                         actor="ana", now=T0 + timedelta(hours=1))
    assert resolved.status == "resolved"
    assert resolved.resolved_at == T0 + timedelta(hours=1)
    assert store.list_incidents(status="resolved")[0].id == "HIGH-001"
    assert store.list_incidents(status="open") == []

    back = store.record_occurrence(occ(minutes=120))
    assert back.reopened
    assert not back.new
    assert (back.incident.status, back.incident.reopened, back.incident.count) == ("open", 1, 2)
    assert back.incident.resolved_at is None
    events = store.incident_events("HIGH-001")
    assert [e["action"] for e in events] == ["opened", "status", "status", "status", "reopened"]
    assert events[3]["actor"] == "ana"
    assert events[3]["detail"] == {"from": "mitigated", "to": "resolved", "note": "pinned alembic"}


def test_bad_status_and_unknown_ids_are_clear_errors(store: Store) -> None:
    store.record_occurrence(occ())
    with pytest.raises(InputError, match="open, investigating, mitigated, resolved"):
        store.set_incident_status("HIGH-001", "done")
    with pytest.raises(InputError):
        store.list_incidents(status="closed")
    with pytest.raises(NotFound, match="HIGH-404"):
        store.get_incident("HIGH-404")
    with pytest.raises(NotFound):
        store.incident_events("nope")
    with pytest.raises(NotFound):
        store.list_occurrences("MED-001")


def test_known_issue_link_feeds_fingerprint_history(store: Store) -> None:
    store.record_occurrence(occ())
    assert store.fingerprint_links() == {}
    linked = store.record_occurrence(occ(known="KF-0012"))
    assert linked.incident.known_issue_id == "KF-0012"
    store.record_occurrence(occ(known="KF-0099"))  # a later match does not relink
    assert store.get_incident("HIGH-001").known_issue_id == "KF-0012"
    assert store.fingerprint_links() == {"loose-a": "KF-0012"}
    store.link_known_issue("HIGH-001", "KF-0100", actor="ana")
    assert store.fingerprint_links() == {"loose-a": "KF-0100"}
    assert [e["action"] for e in store.incident_events("HIGH-001")][-2:] == ["linked", "linked"]


def test_one_occurrence_writes_its_audit_entries_in_order(store: Store) -> None:
    first = store.record_occurrence(occ(known="KF-0012"))  # opens and links at once
    assert (first.new, first.incident.count, first.incident.known_issue_id) == (
        True, 1, "KF-0012")
    store.set_incident_status("HIGH-001", "resolved", now=T0 + timedelta(hours=1))
    store.record_occurrence(occ("loose-b", key="k-b"))
    store.set_incident_status("HIGH-002", "resolved", now=T0 + timedelta(hours=1))
    back = store.record_occurrence(occ("loose-b", minutes=120, known="KF-0007"))
    assert (back.reopened, back.incident.count, back.incident.known_issue_id) == (
        True, 2, "KF-0007")
    assert [e["action"] for e in store.incident_events("HIGH-001")] == [
        "opened", "linked", "status"]
    assert [e["action"] for e in store.incident_events("HIGH-002")] == [
        "opened", "status", "reopened", "linked"]


def test_then_commits_or_rolls_back_with_the_occurrence(store: Store) -> None:
    seen: list[tuple[str, int, bool]] = []

    def note(_conn: object, recorded: Recorded) -> None:
        seen.append((recorded.incident.id, recorded.incident.count, recorded.duplicate))

    def broken(_conn: object, _recorded: Recorded) -> None:
        raise RuntimeError("the caller's write failed")

    with pytest.raises(RuntimeError):
        store.record_occurrence(occ(key="k-1"), then=broken)
    assert store.list_incidents() == []  # nothing of it was kept
    store.record_occurrence(occ(key="k-1"), then=note)
    store.record_occurrence(occ(key="k-1", minutes=1), then=note)  # a repeat: what was recorded
    assert seen == [("HIGH-001", 1, False), ("HIGH-001", 1, True)]
    assert len(store.list_occurrences()) == 1


def test_list_occurrences_since(store: Store) -> None:
    for minutes in (0, 10, 20):
        store.record_occurrence(occ(minutes=minutes))
    store.record_occurrence(occ("b", minutes=30))
    since = store.list_occurrences(since=T0 + timedelta(minutes=10))
    assert [(o.incident_id, o.received_at.minute) for o in since] == [
        ("HIGH-001", 10), ("HIGH-001", 20), ("HIGH-002", 30)
    ]
    assert since[0].excerpt_text == "Error: loose-a\n"


def test_merge_moves_counts_and_sticks_until_unmerged(store: Store) -> None:
    store.record_occurrence(occ("a"))
    store.record_occurrence(occ("b", severity="medium", minutes=1))
    store.record_occurrence(occ("b", severity="medium", minutes=2, known="KF-7"))
    merged = store.merge_incidents("MED-001", "HIGH-001", note="same root cause", actor="ana")
    assert (merged.id, merged.count, merged.known_issue_id) == ("HIGH-001", 3, "KF-7")
    assert [i.id for i in store.list_incidents()] == ["HIGH-001"]
    b = store.get_incident("MED-001")
    assert (b.merged_into, b.count) == ("HIGH-001", 2)
    assert {i.id for i in store.list_incidents(include_merged=True)} == {"HIGH-001", "MED-001"}
    assert len(store.list_occurrences("HIGH-001")) == 3
    assert store.fingerprint_links() == {"a": "KF-7", "b": "KF-7"}

    later = store.record_occurrence(occ("b", severity="medium", minutes=9))
    assert (later.incident.id, later.incident.count) == ("HIGH-001", 4)

    restored = store.unmerge_incident("MED-001", actor="ana")
    assert (restored.id, restored.count, restored.merged_into) == ("MED-001", 3, None)
    assert restored.last_seen == T0 + timedelta(minutes=9)
    a = store.get_incident("HIGH-001")
    assert (a.count, a.first_seen, a.last_seen) == (1, T0, T0)
    assert store.record_occurrence(occ("b", minutes=10)).incident.id == "MED-001"
    assert [e["action"] for e in store.incident_events("MED-001")] == [
        "opened", "linked", "merged", "unmerged"
    ]
    assert store.incident_events("HIGH-001")[-1]["detail"] == {"source": "MED-001", "count": 3}


def test_unmerge_restores_a_chain_of_merges(store: Store) -> None:
    for fp in ("a", "b", "c"):
        store.record_occurrence(occ(fp))
    store.merge_incidents("HIGH-003", "HIGH-002")  # c into b
    store.merge_incidents("HIGH-002", "HIGH-001")  # b (with c) into a
    assert store.get_incident("HIGH-001").count == 3
    assert store.record_occurrence(occ("c")).incident.id == "HIGH-001"
    store.unmerge_incident("HIGH-002")  # b takes back its own and c's failures
    assert [(i.id, i.count) for i in store.list_incidents()] == [("HIGH-002", 3), ("HIGH-001", 1)]
    assert store.record_occurrence(occ("c")).incident.id == "HIGH-002"
    store.unmerge_incident("HIGH-003")
    assert store.get_incident("HIGH-003").count == 3
    assert store.get_incident("HIGH-002").count == 1


def test_merge_refusals(store: Store) -> None:
    for fp in ("a", "b", "c"):
        store.record_occurrence(occ(fp))
    with pytest.raises(InputError, match="itself"):
        store.merge_incidents("HIGH-001", "high-001")
    store.merge_incidents("HIGH-002", "HIGH-001")
    with pytest.raises(Conflict, match="already merged into HIGH-001"):
        store.merge_incidents("HIGH-002", "HIGH-003")
    with pytest.raises(Conflict, match="merge into HIGH-001 instead"):
        store.merge_incidents("HIGH-003", "HIGH-002")
    with pytest.raises(Conflict, match="not merged"):
        store.unmerge_incident("HIGH-003")
    with pytest.raises(NotFound):
        store.merge_incidents("HIGH-009", "HIGH-001")
    assert store.get_incident("HIGH-001").count == 2


def test_concurrent_writers_in_threads_make_one_incident(store_url: str) -> None:
    """Eight connections record the same new failure at once: one incident, counted 8 times."""
    open_store(store_url).close()

    def record(n: int) -> str:
        with open_store(store_url) as own:
            return own.record_occurrence(occ(minutes=n)).incident.id

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(record, range(8)))
    assert ids == ["HIGH-001"] * 8
    with open_store(store_url) as check:
        assert [(i.id, i.count) for i in check.list_incidents()] == [("HIGH-001", 8)]
        assert len(check.list_occurrences()) == 8


def scoped(scope: str, **kwargs: object) -> NewOccurrence:
    from dataclasses import replace

    return replace(occ(**kwargs), scope=scope)  # type: ignore[arg-type]


def test_scopes_keep_one_failure_of_two_projects_apart(store: Store) -> None:
    first = store.record_occurrence(scoped("acme/api"))
    other = store.record_occurrence(scoped("acme/web", known="KF-1"))
    again = store.record_occurrence(scoped("acme/api", minutes=3))
    assert first.new
    assert other.new
    assert (first.incident.id, other.incident.id, again.incident.id) == (
        "HIGH-001", "HIGH-002", "HIGH-001")
    assert again.incident.scope == "acme/api"
    assert [i.id for i in store.list_incidents(scope="acme/web")] == ["HIGH-002"]
    assert store.fingerprint_links() == {"loose-a": "KF-1"}  # knowledge is shared
    assert store.incident_events("HIGH-002")[0]["action"] == "opened"
    store.merge_incidents("HIGH-002", "HIGH-001")
    assert store.record_occurrence(scoped("acme/web")).incident.id == "HIGH-001"
    restored = store.unmerge_incident("HIGH-002")
    assert (restored.count, store.get_incident("HIGH-001").count) == (2, 2)
