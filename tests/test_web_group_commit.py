"""The API's group commit: posts arriving together are stored in one transaction and queued
in one call, each answered after its batch commits (knownfix.web.batcher)."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from knownfix.errors import StoreError
from knownfix.services.ingest import accept_events, prepare_event
from knownfix.storage.service_tables import events
from knownfix.web.batcher import GroupRunner
from service_helpers import FakeGuard, ServiceApp, open_service, service_settings


def run_batches(items: list[int], slow_first: float = 0.2, max_batch: int = 64,
                fail: object = None, max_inflight: int = 1,
                spans: dict[tuple[int, ...], tuple[float, float]] | None = None,
                ) -> tuple[list[object], list[list[int]]]:
    """Submit ``items`` to a GroupRunner whose first batch is slow, the first alone and the
    rest while it runs; the outcomes (a result or the exception raised) and the batches
    run_batch saw (``spans``: when each ran)."""
    seen: list[list[int]] = []

    def run(batch: list[int]) -> list[int | BaseException]:
        seen.append(list(batch))
        started = time.monotonic()
        if len(seen) == 1:
            time.sleep(slow_first)
        if spans is not None:
            spans[tuple(batch)] = (started, time.monotonic())
        if fail is not None and fail in batch:
            raise RuntimeError("the batch failed")
        return [ValueError(f"bad {i}") if i < 0 else i * 10 for i in batch]

    async def main() -> list[object]:
        runner: GroupRunner[int, int] = GroupRunner(run, max_batch=max_batch,
                                                    max_inflight=max_inflight)
        first = asyncio.ensure_future(runner.submit(items[0]))
        await asyncio.sleep(0.05)  # the first batch is running: the rest arrive meanwhile
        rest = await asyncio.gather(*(runner.submit(i) for i in items[1:]),
                                    return_exceptions=True)
        return [await first, *rest]

    return asyncio.run(main()), seen


def test_posts_arriving_during_a_batch_make_the_next_batch() -> None:
    outcomes, seen = run_batches([1, 2, -3, 4, 5])
    assert seen == [[1], [2, -3, 4, 5]], "no timer: the first runs alone, the rest pile up"
    assert outcomes[:2] == [10, 20]
    assert outcomes[3:] == [40, 50]
    assert isinstance(outcomes[2], ValueError), "one item's error is its own"


def test_a_second_batch_is_stored_while_the_first_waits() -> None:
    spans: dict[tuple[int, ...], tuple[float, float]] = {}
    outcomes, seen = run_batches([1, 2, 3], max_inflight=2, spans=spans)
    assert outcomes == [10, 20, 30]
    assert seen == [[1], [2, 3]]
    assert spans[(2, 3)][1] < spans[(1,)][1], "the second did not wait for the slow first"
    spans.clear()
    run_batches([1, 2, 3], max_inflight=1, spans=spans)
    assert spans[(2, 3)][0] >= spans[(1,)][1], "one at a time: the second after the first"


def test_batches_are_bounded_and_a_raised_error_is_each_items() -> None:
    outcomes, seen = run_batches(list(range(1, 8)), max_batch=3)
    assert seen == [[1], [2, 3, 4], [5, 6, 7]]
    assert outcomes == [i * 10 for i in range(1, 8)]
    outcomes, seen = run_batches([1, 2, 3, 4], fail=3)
    assert outcomes[0] == 10
    assert all(isinstance(o, RuntimeError) for o in outcomes[1:])


@pytest.fixture
def svc(project: Path) -> Iterator[ServiceApp]:
    opened = open_service(service_settings(project))
    yield opened
    opened.store.close()


def stored_count(svc: ServiceApp) -> int:
    with svc.store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(events)).scalar() or 0)


def test_a_batch_stores_once_answers_repeats_and_queues_together(store_url: str,
                                                                  project: Path) -> None:
    svc = open_service(service_settings(project, store_url), kb=False)
    try:
        guard, queued = FakeGuard(), []
        batch = [prepare_event("log", b"ERROR: a\n", idempotency_key="k1"),
                 prepare_event("log", b"ERROR: b\n", idempotency_key="k2"),
                 prepare_event("log", b"ERROR: a again\n", idempotency_key="k1"),
                 prepare_event("log", b"ERROR: c\n")]
        answers = accept_events(svc.store, batch, submit_many=queued.append, guard=guard)
        assert [a.duplicate for a in answers] == [False, False, True, False]
        assert answers[2].id == answers[0].id, "a repeat inside the batch finds the first"
        assert queued == [[answers[0].id, answers[1].id, answers[3].id]], "one call"
        assert stored_count(svc) == 3
        assert guard.keys == {"key:k1": answers[0].id, "key:k2": answers[1].id}
    finally:
        svc.store.close()


@contextmanager
def failing_commits(svc: ServiceApp, calls: list[int]) -> Iterator[None]:
    """Every write transaction of ``svc.store`` runs its statements, then fails before its
    commit (as a database going away would): rolled back, StoreError raised."""
    real = svc.store.write

    @contextmanager
    def write() -> Iterator[Any]:
        with real() as conn:
            yield conn
            calls.append(1)
            time.sleep(0.2 if len(calls) == 1 else 0)  # posts pile up behind the first batch
            raise StoreError("the store is unavailable, retry shortly")

    svc.store.write = write  # type: ignore[method-assign]
    try:
        yield
    finally:
        svc.store.write = real  # type: ignore[method-assign]


async def post_all(svc: ServiceApp, keys: list[str]) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=svc.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await asyncio.gather(*(
            client.post("/api/v1/events", content=f"ERROR: failure {key}\n".encode(),
                        headers={"Content-Type": "text/plain", "Idempotency-Key": key,
                                 **svc.auth()})
            for key in keys))


def test_a_failed_batch_commit_answers_503_to_each_post_and_loses_nothing(
        svc: ServiceApp) -> None:
    guard = FakeGuard()
    svc.app.state.knownfix.dedup = guard
    keys = [f"job-{n}" for n in range(12)]
    calls: list[int] = []
    with failing_commits(svc, calls):
        answers = asyncio.run(post_all(svc, keys))
    assert [a.status_code for a in answers] == [503] * len(keys)
    assert all(a.headers["retry-after"] for a in answers)
    assert len(calls) < len(keys), "the posts were stored in batches"
    assert stored_count(svc) == 0, "no answer was 202, and nothing is half stored"
    assert guard.keys == {}, "the failed posts' keys are free for their retries"
    # The clients retry with the same keys: each event is stored once and queued.
    retried = asyncio.run(post_all(svc, keys))
    assert [a.status_code for a in retried] == [202] * len(keys)
    assert not any(a.json()["duplicate"] for a in retried)
    assert stored_count(svc) == len(keys)
    assert svc.app.state.knownfix.queue.depth() == len(keys)
    again = asyncio.run(post_all(svc, keys[:3]))
    assert [a.json()["duplicate"] for a in again] == [True] * 3


def test_a_bad_post_in_a_batch_gets_its_own_answer(svc: ServiceApp) -> None:
    async def main() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=svc.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            def one(body: bytes, encoding: str = "identity") -> Any:
                return client.post("/api/v1/events", content=body, headers={
                    "Content-Type": "text/plain", "Content-Encoding": encoding, **svc.auth()})
            return await asyncio.gather(one(b"ERROR: one\n"), one(b"not gzip", "gzip"),
                                        one(b"   \n"), one(b"ERROR: two\n"))

    answers = asyncio.run(main())
    assert [a.status_code // 100 for a in answers] == [2, 4, 4, 2]
    assert stored_count(svc) == 2


@pytest.mark.parametrize("redis7", [True, False], ids=["set-nx-get", "before-redis-7"])
def test_redis_claims_a_batch_of_keys_in_one_round_trip(
        redis_prefix: str, redis7: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from redis.exceptions import ResponseError

    from knownfix.settings import load_settings
    from knownfix.worker.celery_app import QUEUE, CeleryQueue, RedisDedup

    settings = load_settings(env={}, database_url="sqlite:///:memory:",
                             broker_url="redis://127.0.0.1:6379/0", key_prefix=redis_prefix)
    guard = RedisDedup(settings)
    if not redis7:
        def refuse(claims: object) -> list[object]:
            raise ResponseError("syntax error")
        monkeypatch.setattr(guard, "_claim_and_get", refuse)
    try:
        assert guard.claim_many([("key:a", "e1"), ("key:b", "e2"), ("key:a", "e3")]) == \
            [None, None, "e1"], "a key twice in one batch is the first one's"
        assert guard.claim_many([("key:b", "e4"), ("key:c", "e5")]) == ["e2", None]
        guard.release("key:a", "e9")
        guard.release("key:c", "e5")
        assert guard.claim_many([("key:a", "e6"), ("key:c", "e7")]) == ["e1", None]
    finally:
        guard.client.close()
    queue = CeleryQueue(settings)
    try:
        queue.submit_many(["x", "y"])
        key = f"{redis_prefix}:{QUEUE}"
        assert queue.depth() == 2
        first = json.loads(queue.redis.rpop(key))
        assert json.loads(base64.b64decode(first["body"]))[0] == ["x"], "consumed in order"
    finally:
        queue.close()
