"""`knownfix serve` as processes on one SQLite store: two API processes with their embedded
workers (every event analysed once, /metrics adding up both), and a server killed with events
still pending that resumes them when it starts again."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from knownfix.services.ingest import accept_event, prepare_event
from knownfix.storage.incident_tables import occurrences
from knownfix.storage.repository import open_store
from knownfix.storage.service_tables import events
from servers import base_env, stack, wait_until
from service_helpers import EXAMPLE_KB, EXAMPLE_LOGS, metric

pytestmark = [pytest.mark.slow]


def test_two_api_processes_share_the_work_and_their_metrics(tmp_path: Path) -> None:
    url_db = f"sqlite:///{tmp_path / 'knownfix.db'}"
    with stack(base_env(url_db), tmp_path) as running:
        running.run("import", str(EXAMPLE_KB))
        token = running.token()
        _, url = running.api("--workers", "2")
        logs = sorted(EXAMPLE_LOGS.glob("*.log"))
        ids = set()
        for n in range(24):
            # A new connection each time, so both processes get some.
            answer = httpx.post(f"{url}/api/v1/events", content=logs[n % len(logs)].read_bytes(),
                                headers={"Content-Type": "text/plain",
                                         "Authorization": f"Bearer {token}",
                                         "Idempotency-Key": f"job-{n}"}, timeout=30)
            assert answer.status_code == 202
            ids.add(answer.json()["id"])
        assert len(ids) == 24
        # The examples hold a passing run: analysed like the others, it records no occurrence.
        failing = sum(1 for n in range(24) if "passing" not in logs[n % len(logs)].name)
        assert 0 < failing < 24
        with open_store(url_db) as store:
            def all_done() -> bool:
                with store.read() as conn:
                    done = conn.execute(select(func.count()).where(
                        events.c.status == "done")).scalar()
                return done == 24
            wait_until(all_done, 120, "both workers analysing every event")
            assert sum(i.count for i in store.list_incidents()) == failing
        text = httpx.get(f"{url}/metrics", timeout=10).text
    assert metric(text, 'knownfix_events_received_total{kind="log"}') == 24
    assert metric(text, 'knownfix_events_analysed_total{outcome="done"}') == 24
    assert metric(text, 'knownfix_events{status="done"}') == 24


def test_serve_killed_with_events_pending_resumes_them_once_restarted(tmp_path: Path) -> None:
    url_db = f"sqlite:///{tmp_path / 'knownfix.db'}"
    with stack(base_env(url_db), tmp_path) as running:
        running.run("import", str(EXAMPLE_KB))
        token = running.token()
        # A short lease: the event the killed server was analysing is taken over in seconds.
        api, url = running.api(KNOWNFIX_TASK_LEASE_SECONDS="3")
        log = (EXAMPLE_LOGS / "go-test-failure.log").read_bytes()
        total = 40
        for n in range(total):
            answer = httpx.post(f"{url}/api/v1/events", content=log, timeout=30, headers={
                "Content-Type": "text/plain", "Authorization": f"Bearer {token}",
                "Idempotency-Key": f"job-{n}"})
            assert answer.status_code == 202
        api.kill()  # SIGKILL: whatever the worker thread had not done stays pending
        with open_store(url_db) as store:
            # However fast that worker was, these were accepted and never analysed.
            for n in range(10):
                event = prepare_event("log", log, idempotency_key=f"late-{n}")
                accept_event(store, event, submit=lambda _id: None)
            total += 10
            with store.read() as conn:
                left = conn.execute(
                    select(func.count()).where(events.c.status != "done")).scalar()
            assert left >= 10
            running.api(KNOWNFIX_TASK_LEASE_SECONDS="3")  # a new serve on the same store
            wait_until(lambda: sum(i.count for i in store.list_incidents()) == total, 300,
                       "the restarted server analysing what was left")
            with store.read() as conn:
                keys = conn.execute(select(occurrences.c.idempotency_key)).scalars().all()
                statuses = set(conn.execute(select(events.c.status)).scalars())
        assert len(keys) == len(set(keys)) == total, "each event recorded once"
        assert statuses == {"done"}
