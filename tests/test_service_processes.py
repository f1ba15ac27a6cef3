"""`knownfix serve --workers 2`: two API processes on one SQLite store, each with its embedded
worker; every event analysed once, and /metrics adding up both processes."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from knownfix.storage.repository import open_store
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
        with open_store(url_db) as store:
            def all_done() -> bool:
                return all(incident.count for incident in store.list_incidents()) and sum(
                    i.count for i in store.list_incidents()) == 24
            wait_until(all_done, 120, "both workers analysing every event")
        text = httpx.get(f"{url}/metrics", timeout=10).text
    assert metric(text, 'knownfix_events_received_total{kind="log"}') == 24
    assert metric(text, 'knownfix_events_analysed_total{outcome="done"}') == 24
    assert metric(text, 'knownfix_events{status="done"}') == 24
