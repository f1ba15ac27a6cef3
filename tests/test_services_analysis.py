"""Analysing stored events: claims and leases, exactly-once recording after a dead worker,
unexpected errors, and the embedded worker resuming what a previous run left pending."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from knownfix.services.analysis import (
    MAX_ATTEMPTS,
    analyse_event,
    occurrence_key,
    process_triage_session,
)
from knownfix.services.ingest import accept_event, body_blocks, prepare_event
from knownfix.services.triage import TriageSession
from knownfix.settings import Settings
from knownfix.storage.events import claim_event, get_event
from knownfix.storage.incident_tables import occurrences
from knownfix.storage.repository import Store, open_store
from knownfix.storage.service_tables import events
from knownfix.worker.embedded import EmbeddedWorker
from knownfix.worker.runtime import WorkerRuntime
from service_helpers import EXAMPLE_LOGS, open_service, service_settings, wait_for

LOG = (EXAMPLE_LOGS / "go-test-failure.log").read_bytes()


@pytest.fixture
def settings(project: Path, store_url: str) -> Settings:
    return service_settings(project, store_url)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    with open_store(settings.database_url) as opened:
        yield opened


def stored_event(store: Store, body: bytes = LOG, **kwargs: str) -> str:
    event = prepare_event("log", body, source="ci", **kwargs)  # type: ignore[arg-type]
    return accept_event(store, event, submit=lambda _id: None).id


def occurrence_count(store: Store) -> int:
    with store.read() as conn:
        return len(conn.execute(select(occurrences.c.id)).all())


def test_a_claim_holds_until_its_lease_ends(store: Store) -> None:
    event_id = stored_event(store)
    now = datetime.now(UTC)
    first = claim_event(store, event_id, now=now, lease=timedelta(seconds=60))
    assert first.state == "claimed"
    assert first.body is not None
    assert b"".join(body_blocks(first.body)) == LOG
    busy = claim_event(store, event_id, now=now + timedelta(seconds=1), lease=timedelta(60))
    assert busy.state == "busy"
    taken_over = claim_event(store, event_id, now=now + timedelta(seconds=61),
                             lease=timedelta(seconds=60))
    assert taken_over.state == "claimed"
    assert taken_over.event is not None
    assert taken_over.event.attempts == 2
    assert claim_event(store, "nope", now=now, lease=timedelta(60)).state == "missing"


def test_analysed_once_even_when_a_worker_died_after_recording(
    store: Store, settings: Settings
) -> None:
    event_id = stored_event(store)
    # A worker claims the event, records the occurrence, and dies before marking it done.
    claim = claim_event(store, event_id, now=datetime.now(UTC) - timedelta(minutes=5),
                        lease=timedelta(seconds=1))
    assert claim.body is not None
    session = process_triage_session(store, settings)
    session.triage("ci", body_blocks(claim.body), idempotency_key=occurrence_key(event_id))
    assert occurrence_count(store) == 1
    outcome = analyse_event(store, event_id, settings=settings)
    assert outcome.state == "done"
    assert outcome.result is not None
    assert outcome.result.incident is not None
    assert outcome.result.incident.count == 1
    assert occurrence_count(store) == 1
    assert analyse_event(store, event_id, settings=settings).state == "skipped"
    row = get_event(store, event_id)
    assert row is not None
    assert (row.status, row.attempts, row.incident_id) == ("done", 2, outcome.result.incident.id)


def test_a_running_event_is_busy_for_others(store: Store, settings: Settings) -> None:
    event_id = stored_event(store)
    claim_event(store, event_id, now=datetime.now(UTC), lease=timedelta(seconds=60))
    outcome = analyse_event(store, event_id, settings=settings)
    assert outcome.state == "busy"
    assert outcome.retry_in is not None
    assert 50 < outcome.retry_in <= 60


def test_unexpected_errors_release_then_fail_the_event(
    store: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_id = stored_event(store)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(TriageSession, "triage", broken)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with pytest.raises(RuntimeError):
            analyse_event(store, event_id, settings=settings)
        row = get_event(store, event_id)
        assert row is not None
        assert row.attempts == attempt
        assert row.status == ("failed" if attempt == MAX_ATTEMPTS else "pending")
    assert row.error == f"internal error after {MAX_ATTEMPTS} attempts: RuntimeError"


def test_the_embedded_worker_resumes_what_a_previous_run_left(project: Path) -> None:
    svc = open_service(service_settings(project))
    ids = [stored_event(svc.store, LOG, idempotency_key=f"k{n}") for n in range(3)]
    # One was being analysed when the process died: running, its lease long gone.
    with svc.store.write() as conn:
        conn.execute(update(events).where(events.c.id == ids[0]).values(
            status="running", lease_until=datetime.now(UTC) - timedelta(minutes=1)))
    worker = EmbeddedWorker(WorkerRuntime(svc.store, svc.settings))
    worker.start()
    try:
        wait_for(lambda: all(
            (row := get_event(svc.store, i)) is not None and row.status == "done" for i in ids))
    finally:
        worker.stop()
    incident = svc.store.list_incidents()[0]
    assert incident.count == 3
    assert occurrence_count(svc.store) == 3
    svc.store.close()


def test_the_app_analyses_posted_events_in_its_own_thread(project: Path) -> None:
    svc = open_service(service_settings(project), start_worker=True)
    with svc.client as client:
        accepted = client.post("/api/v1/events", content=LOG,
                               headers={"Content-Type": "text/plain", **svc.auth()}).json()

        def done() -> dict[str, object] | None:
            view = client.get(f"/api/v1/events/{accepted['id']}", headers=svc.auth()).json()
            return view if view["status"] == "done" else None

        view = wait_for(done)
    assert view["result"]["incident"]["new"] is True  # type: ignore[index]
    svc.store.close()
