"""Incident use cases the dashboard and the API share: filters, facets, acknowledge, re-matching,
occurrence spans, and the overview (on both backends)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from knownfix.core.match import MatchIndex
from knownfix.errors import Conflict, InputError
from knownfix.services import incidents as service
from knownfix.services.knowledge import import_paths
from knownfix.services.overview import build_overview
from knownfix.storage.incidents import NewOccurrence
from knownfix.storage.repository import Store, open_store

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()


def occ(loose: str, *, severity: str = "high", category: str = "database", scope: str = "",
        minutes: int = 0, text: str | None = None, response_time: str | None = "1 hour",
        spans: tuple[tuple[int, int], ...] = ((3, 4),)) -> NewOccurrence:
    return NewOccurrence(
        source=f"logs/{loose}.log", title=f"Failure {loose}", fingerprint=f"strict-{loose}",
        loose_fingerprint=loose, fingerprint_version="test",
        excerpt_text=text if text is not None else f"Error: {loose}\nnext line",
        category=category, severity=severity, spans=spans, response_time=response_time,
        escalation=None, scope=scope, received_at=T0 + timedelta(minutes=minutes),
    )


@pytest.fixture
def seeded(store: Store) -> dict[str, str]:
    ids = {}
    for name, kwargs in {
        "db": {"severity": "Critical", "category": "database", "scope": "org/api"},
        "disk": {"severity": "P2", "category": "infrastructure", "scope": "org/web"},
        "flaky": {"severity": "low", "category": "tests", "scope": "org/web"},
    }.items():
        ids[name] = store.record_occurrence(occ(name, **kwargs)).incident.id  # type: ignore[arg-type]
    return ids


def ids_of(found: list) -> set[str]:  # type: ignore[type-arg]
    return {i.id for i in found}


def test_filters_narrow_by_each_field(store: Store, seeded: dict[str, str]) -> None:
    assert ids_of(service.list_incidents(store)) == set(seeded.values())
    assert ids_of(service.list_incidents(store, severity="critical")) == {seeded["db"]}
    # "P2" is Medium in the canonical scale: any spelling of the level selects it.
    assert ids_of(service.list_incidents(store, severity="medium")) == {seeded["disk"]}
    assert ids_of(service.list_incidents(store, category="TESTS")) == {seeded["flaky"]}
    assert ids_of(service.list_incidents(store, scope="org/web")) == {
        seeded["disk"], seeded["flaky"]}
    assert ids_of(service.list_incidents(store, query="failure DISK")) == {seeded["disk"]}
    assert ids_of(service.list_incidents(store, query=seeded["db"].lower())) == {seeded["db"]}
    assert service.list_incidents(store, query="failure nothing-like-this") == []


def test_unresolved_status_filter(store: Store, seeded: dict[str, str]) -> None:
    service.resolve_incident(store, seeded["disk"], actor="test")
    assert ids_of(service.list_incidents(store, status="unresolved")) == {
        seeded["db"], seeded["flaky"]}
    assert ids_of(service.list_incidents(store, status="Resolved")) == {seeded["disk"]}
    with pytest.raises(InputError, match="unknown incident status"):
        service.list_incidents(store, status="gone")


def test_facets_list_what_the_store_holds(store: Store, seeded: dict[str, str]) -> None:
    facets = service.incident_facets(service.list_incidents(store))
    assert facets.severities == ("Critical", "Medium", "Low")
    assert facets.categories == ("database", "infrastructure", "tests")
    assert facets.scopes == ("org/api", "org/web")


def test_acknowledge_only_an_open_incident(store: Store, seeded: dict[str, str]) -> None:
    acked = service.acknowledge_incident(store, seeded["db"], actor="web:alice")
    assert acked.status == "investigating"
    trail = store.incident_events(seeded["db"])
    assert trail[-1]["actor"] == "web:alice"
    assert trail[-1]["detail"] == {"from": "open", "to": "investigating", "note": "acknowledged"}
    with pytest.raises(Conflict, match="is investigating, not open"):
        service.acknowledge_incident(store, seeded["db"], actor="web:bob")
    assert len(store.incident_events(seeded["db"])) == len(trail)


def test_occurrences_keep_their_log_lines(store: Store) -> None:
    recorded = store.record_occurrence(occ("spans", spans=((3, 4), (10, 10)),
                                           text="a\nb\nc"))
    detail = service.show_incident(store, recorded.incident.id)
    occurrence = detail.occurrences[0]
    assert occurrence.spans == ((3, 4), (10, 10))
    assert occurrence.excerpt().line_numbers() == (3, 4, 10)
    assert detail.to_dict()["occurrences"][0]["spans"] == [[3, 4], [10, 10]]


def test_incident_matches_rank_the_latest_excerpt(store: Store) -> None:
    import_paths(store, [EXAMPLES / "kb"])
    text = "alembic.util.exc.CommandError: Can't locate revision identified by 'a1b2c3'"
    recorded = store.record_occurrence(occ("alembic", text=text, spans=((40, 40),)))
    detail = service.show_incident(store, recorded.incident.id)
    index = MatchIndex.build(store.list_known_issues())
    result = service.incident_matches(store, index, detail)
    assert result is not None
    assert result.matches, "the example knowledge base documents this failure"
    top = result.matches[0]
    assert "alembic" in top.title.lower()
    assert top.reasons
    assert any("log line 40" in reason for reason in top.reasons)


def test_incident_matches_use_the_recorded_fingerprints(store: Store) -> None:
    # A weak excerpt's fingerprints took the failed step in, which the occurrence does not
    # keep: re-matching must look the link up under what was recorded, not a recomputation.
    import_paths(store, [EXAMPLES / "kb"])
    issue = store.list_known_issues()[0]
    recorded = store.record_occurrence(occ("weak-step", text="Done. Your build exited with 1.",
                                           spans=((9, 9),)))
    store.link_known_issue(recorded.incident.id, issue.id)
    detail = service.show_incident(store, recorded.incident.id)
    result = service.incident_matches(store, MatchIndex.build(store.list_known_issues()), detail)
    assert result is not None
    assert result.matches
    assert result.matches[0].id == issue.id
    assert any("fingerprint seen before" in reason for reason in result.matches[0].reasons)


def test_overview_counts_matrix_and_sla(store: Store, seeded: dict[str, str]) -> None:
    service.resolve_incident(store, seeded["flaky"], actor="test")
    now = T0 + timedelta(hours=2)  # every SLA (1 hour) has passed
    overview = build_overview(store, now=now, days=7)
    assert (overview.incidents, overview.unresolved) == (3, 2)
    assert overview.open_by_severity == (("Critical", 1), ("Medium", 1))
    statuses = overview.statuses
    matrix = dict(overview.matrix)
    assert matrix["Low"][statuses.index("resolved")] == 1
    assert matrix["Critical"][statuses.index("open")] == 1
    assert {line.id for line in overview.past_sla} == {seeded["db"], seeded["disk"]}
    assert overview.occurrences == 3
    assert [i.id for i in overview.recent] == [
        i.id for i in service.list_incidents(store, status="unresolved")]


def test_overview_window_is_checked(store: Store) -> None:
    with pytest.raises(InputError, match="days must be between"):
        build_overview(store, days=0)
    assert build_overview(store).incidents == 0


def test_occurrence_counts_are_per_utc_day_and_incident(store: Store) -> None:
    late = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    for minutes, name in [(0, "a"), (20, "a"), (40, "b")]:  # 23:30, 23:50 and 00:10 next day
        store.record_occurrence(NewOccurrence(
            source="x", title=name, fingerprint=name, loose_fingerprint=name,
            fingerprint_version="t", excerpt_text=name, category="c", severity="high",
            received_at=late + timedelta(minutes=minutes)))
    a, b = (i.id for i in sorted(store.list_incidents(), key=lambda i: i.title))
    counts = sorted(store.occurrence_counts(late - timedelta(hours=1)))
    assert counts == [(late.date(), a, 2), (late.date() + timedelta(days=1), b, 1)]
    assert store.occurrence_counts(late + timedelta(minutes=30)) == [
        (late.date() + timedelta(days=1), b, 1)]


def test_overview_follows_merges_and_pads_the_window(store: Store, seeded: dict[str, str]) -> None:
    service.merge_incidents(store, seeded["flaky"], seeded["db"], actor="test")
    overview = build_overview(store, now=T0 + timedelta(days=2), days=7)
    assert overview.incidents == 2, "a merged incident counts in its target"
    assert [day.day for day in overview.daily][0] == (T0 - timedelta(days=5)).date()
    assert [day.day for day in overview.daily][-1] == (T0 + timedelta(days=2)).date()
    assert overview.severities == ("Critical", "Medium")
    assert overview.occurrences == 3


def test_past_sla_filter(store: Store, seeded: dict[str, str]) -> None:
    service.acknowledge_incident(store, seeded["disk"], actor="test")
    service.resolve_incident(store, seeded["flaky"], actor="test")
    assert service.list_incidents(store, past_sla_at=T0 + timedelta(minutes=30)) == []
    late = service.list_incidents(store, past_sla_at=T0 + timedelta(hours=2))
    assert ids_of(late) == {seeded["db"], seeded["disk"]}
