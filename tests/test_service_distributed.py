"""The distributed mode against the real servers: `knownfix serve` and `knownfix worker`
processes (Celery) on the local Redis and PostgreSQL, each test with its own database schema
and Redis key prefix; and the embedded mode riding out a PostgreSQL restart on a throwaway
cluster of its own."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from knownfix.storage.events import get_event
from knownfix.storage.incident_tables import incidents, occurrences
from knownfix.storage.repository import open_store
from knownfix.storage.service_tables import events
from servers import Cluster, Stack, base_env, redis_client, stack, wait_until
from service_helpers import EXAMPLE_KB, EXAMPLE_LOGS

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture
def distributed(postgres_url: str, redis_prefix: str, tmp_path: Path) -> Stack:
    env = base_env(postgres_url, KNOWNFIX_BROKER_URL="redis://127.0.0.1:6379/0",
                   KNOWNFIX_KEY_PREFIX=redis_prefix)
    with stack(env, tmp_path) as running:
        running.run("import", str(EXAMPLE_KB))
        yield running


def event_status(url: str, token: str, event_id: str) -> dict[str, object]:
    answer = httpx.get(f"{url}/api/v1/events/{event_id}",
                       headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def wait_done(url: str, token: str, event_id: str, timeout: float = 90) -> dict[str, object]:
    return wait_until(  # type: ignore[return-value]
        lambda: (view := event_status(url, token, event_id))["status"] == "done" and view,
        timeout, f"event {event_id} analysed")


def test_64_concurrent_posts_of_one_trace_make_one_event_and_one_incident(
    distributed: Stack, postgres_url: str, redis_prefix: str
) -> None:
    token = distributed.token()
    _, url = distributed.api()
    distributed.worker()
    body = json.dumps({"source": "checkout", "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
                       "log": (EXAMPLE_LOGS / "go-test-failure.log").read_text()})

    async def post_all() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=64)
        async with httpx.AsyncClient(limits=limits, timeout=60) as client:
            return await asyncio.gather(*(
                client.post(f"{url}/api/v1/events", content=body,
                            headers={"Content-Type": "application/json",
                                     "Authorization": f"Bearer {token}"})
                for _ in range(64)))

    answers = asyncio.run(post_all())
    assert {a.status_code for a in answers} == {202}
    ids = {a.json()["id"] for a in answers}
    assert len(ids) == 1
    assert Counter(a.json()["duplicate"] for a in answers) == Counter({True: 63, False: 1})
    event_id = ids.pop()
    # Redis answered the repeats: SET NX remembered the trace, with an expiry.
    redis = redis_client()
    key = f"{redis_prefix}:dedup:trace:4bf92f3577b34da6a3ce929d0e0e4736"
    assert redis.get(key) == event_id.encode()  # type: ignore[attr-defined]
    assert 0 < redis.ttl(key) <= 7 * 24 * 3600  # type: ignore[attr-defined]
    view = wait_done(url, token, event_id)
    assert view["attempts"] == 1, "analysed once"
    with open_store(postgres_url) as store, store.read() as conn:
        assert len(conn.execute(select(events.c.id)).all()) == 1
        assert len(conn.execute(select(occurrences.c.id)).all()) == 1
        rows = conn.execute(select(incidents.c.display_id, incidents.c.count)).all()
    assert [tuple(r) for r in rows] == [(view["incident_id"], 1)]


def big_log(lines: int) -> bytes:
    """A long CI log (its analysis takes a while) ending in a Go test failure."""
    noise = "".join(
        f"2026-12-07T10:{n // 60 % 60:02d}:{n % 60:02d}Z ok   github.com/shop/pkg{n % 97}/"
        f"svc{n % 13} 0.{n % 1000:03d}s coverage: {n % 100}.{n % 10}% of statements\n"
        for n in range(lines))
    return noise.encode() + (EXAMPLE_LOGS / "go-test-failure.log").read_bytes()


def test_a_worker_killed_mid_task_leaves_the_event_to_be_analysed_exactly_once(
    distributed: Stack, postgres_url: str
) -> None:
    token = distributed.token()
    _, url = distributed.api(KNOWNFIX_MAX_BODY_BYTES="32m")
    short_lease = {"KNOWNFIX_TASK_LEASE_SECONDS": "2"}
    worker = distributed.worker(**short_lease)
    accepted = httpx.post(f"{url}/api/v1/events", content=big_log(150_000), timeout=60,
                          headers={"Content-Type": "text/plain",
                                   "Authorization": f"Bearer {token}"}).json()
    event_id = accepted["id"]
    with open_store(postgres_url) as store:
        wait_until(lambda: (row := get_event(store, event_id)) and row.status == "running", 60,
                   "the worker taking the event", every=0.005)
        worker.kill()  # SIGKILL, the pool child with it
        row = get_event(store, event_id)
        assert row is not None
        assert row.status == "running", "killed mid-task, not after"
        distributed.worker(**short_lease)
        view = wait_done(url, token, event_id, timeout=120)
        with store.read() as conn:
            keys = conn.execute(select(occurrences.c.idempotency_key)).scalars().all()
            counts = conn.execute(select(incidents.c.count)).scalars().all()
    assert keys == [f"event:{event_id}"]
    assert counts == [1]
    assert view["attempts"] == 2
    assert view["result"]["incident"]["count"] == 1  # type: ignore[index]


def test_postgresql_restarting_during_ingest_loses_nothing(
    pg_cluster: Cluster, tmp_path: Path
) -> None:
    env = base_env(pg_cluster.url)
    with stack(env, tmp_path) as running:
        running.run("import", str(EXAMPLE_KB))
        token = running.token()
        _, url = running.api()
        total = 240
        keys = [f"ci-{uuid.uuid4().hex}" for _ in range(total)]
        accepted: dict[str, str] = {}
        refused: list[httpx.Response] = []
        log = (EXAMPLE_LOGS / "npm-eresolve.log").read_bytes()

        async def send(client: httpx.AsyncClient, key: str) -> None:
            # A well-behaved client: retries a 503 after Retry-After, with the same key.
            while True:
                try:
                    answer = await client.post(
                        f"{url}/api/v1/events", content=log,
                        headers={"Content-Type": "text/plain", "Idempotency-Key": key,
                                 "Authorization": f"Bearer {token}"})
                except httpx.TransportError:
                    await asyncio.sleep(0.2)
                    continue
                if answer.status_code == 503:
                    refused.append(answer)
                    await asyncio.sleep(min(float(answer.headers["retry-after"]), 1.0))
                    continue
                assert answer.status_code == 202, answer.text
                accepted[key] = answer.json()["id"]
                return

        async def ingest() -> None:
            async with httpx.AsyncClient(timeout=30) as client:
                queue = list(keys)

                async def sender() -> None:
                    while queue:
                        await send(client, queue.pop())

                async def restart() -> None:
                    while len(accepted) < total // 3:
                        await asyncio.sleep(0.01)
                    await asyncio.to_thread(pg_cluster.stop)
                    while len(refused) < 5:
                        await asyncio.sleep(0.01)
                    await asyncio.to_thread(pg_cluster.start)

                await asyncio.gather(restart(), *(sender() for _ in range(8)))

        asyncio.run(ingest())
        assert len(refused) >= 5
        assert all(r.headers["retry-after"].isdigit() for r in refused)
        assert {r.json()["code"] for r in refused} == {"store_error"}
        assert len(accepted) == total
        with open_store(pg_cluster.url) as store:
            with store.read() as conn:
                stored = conn.execute(select(events.c.idempotency_key, events.c.id)).all()
            assert sorted(key for key, _ in stored) == sorted(keys), "each stored exactly once"
            assert dict(stored) == accepted, "each client was told the id that was stored"

            def all_done() -> bool:
                with store.read() as conn:
                    statuses = conn.execute(select(events.c.status)).scalars().all()
                return set(statuses) == {"done"}

            wait_until(all_done, 120, "the embedded worker analysing every event")
            incident = store.list_incidents()[0]
        assert incident.count == total


def test_the_api_publishes_the_message_celery_itself_would(redis_prefix: str) -> None:
    """The API pushes its task messages itself (knownfix.worker.publish): the same JSON as
    Celery's send_task leaves in the queue's list, but for the ids that are random."""
    from knownfix.settings import load_settings
    from knownfix.worker.celery_app import QUEUE, TASK_NAME, CeleryQueue

    settings = load_settings(env={}, database_url="sqlite:///:memory:",
                             broker_url="redis://127.0.0.1:6379/0", key_prefix=redis_prefix)
    queue = CeleryQueue(settings)
    key = f"{redis_prefix}:{QUEUE}"
    try:
        queue.app.send_task(TASK_NAME, args=["event-1"], queue=QUEUE)
        queue.submit("event-1")
        ours, celerys = (json.loads(m) for m in queue.redis.lrange(key, 0, -1))
        assert queue.depth() == 2
    finally:
        queue.redis.delete(key)
        queue.close()

    def without_ids(message: dict[str, object]) -> dict[str, object]:
        task_id = message["headers"]["id"]  # type: ignore[index]
        text = json.dumps(message).replace(task_id, "ID")
        copy = json.loads(text)
        copy["properties"].pop("delivery_tag")
        return dict(copy)

    assert ours["headers"]["id"] != celerys["headers"]["id"]
    assert without_ids(ours) == without_ids(celerys)
