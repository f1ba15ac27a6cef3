"""Group commit for the API's posts: work that arrives together runs as one batch in one
worker thread, and each caller gets its own outcome once the batch is done.

``POST /api/v1/events`` stores each event before answering. One post at a time, each paid for
a thread-pool hop, a connection checkout, ``BEGIN``, its insert, ``COMMIT`` and two Redis round
trips: about half of the API's CPU per accepted event. Here posts that arrive while a batch is
being stored wait for the next one, which stores them all in one transaction and publishes
them in one ``LPUSH``; each answer still comes after its own event's commit (durable before
the 202). Nothing waits on a timer: a lone post runs as a batch of one at once, and batches
grow only as far as posts pile up behind the ones in flight (at most :data:`MAX_INFLIGHT`
batches of :data:`MAX_BATCH`).

    batcher = GroupRunner(run_batch)        # run_batch(items) -> one outcome per item
    outcome = await batcher.submit(item)    # the item's result, or its exception raised
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

from fastapi.concurrency import run_in_threadpool

T = TypeVar("T")
R = TypeVar("R")

MAX_BATCH = 64
"""Posts stored in one transaction at most (their bodies are in memory already)."""
MAX_INFLIGHT = 2
"""Batches being stored at once: while one waits for its commit (or, on a busy host, for a
core), the next is prepared and written. One at a time made the whole API wait on each."""


class GroupRunner(Generic[T, R]):
    """Runs ``run_batch`` in a worker thread over the items submitted while the previous batch
    ran. ``run_batch`` returns one outcome per item, in order: a result or an exception (that
    item's alone); an exception it raises is every item's of the batch."""

    def __init__(self, run_batch: Callable[[list[T]], list[R | BaseException]],
                 max_batch: int = MAX_BATCH, max_inflight: int = MAX_INFLIGHT) -> None:
        self.run_batch = run_batch
        self.max_batch = max(1, max_batch)
        self.max_inflight = max(1, max_inflight)
        self._pending: list[tuple[T, asyncio.Future[R]]] = []
        self._draining: set[asyncio.Task[None]] = set()

    async def submit(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if len(self._draining) < self.max_inflight:
            self._draining.add(asyncio.create_task(self._drain()))
        # Shielded: a client that goes away does not cancel the batch its post is in.
        return await asyncio.shield(future)

    async def _drain(self) -> None:
        batch: list[tuple[T, asyncio.Future[R]]] = []
        try:
            while self._pending:
                batch = self._pending[:self.max_batch]
                del self._pending[:self.max_batch]
                try:
                    outcomes = await run_in_threadpool(self.run_batch, [i for i, _ in batch])
                    if len(outcomes) != len(batch):
                        raise RuntimeError(f"{len(outcomes)} outcomes for {len(batch)} items")
                except Exception as error:  # noqa: BLE001 - every caller of the batch hears it
                    outcomes = [error] * len(batch)
                for (_, future), outcome in zip(batch, outcomes, strict=True):
                    if future.done():
                        continue
                    if isinstance(outcome, BaseException):
                        future.set_exception(outcome)
                    else:
                        future.set_result(outcome)
        except asyncio.CancelledError:
            # Only a cancelled drain (the server stopping) leaves callers unanswered: whether
            # their events were stored is unknown to them, as with a connection cut.
            left, self._pending = batch + self._pending, []
            for _, future in left:
                if not future.done():
                    future.set_exception(RuntimeError("the server is stopping"))
            raise
        finally:
            # No await since the loop found nothing pending: a post submitted from here on
            # sees this drain gone and starts one.
            self._draining.discard(asyncio.current_task())  # type: ignore[arg-type,unused-ignore]
