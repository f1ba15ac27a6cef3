"""The embedded worker: analyses events in a thread of ``knownfix serve`` (no broker).

Events are handed over through a bounded in-process queue. Nothing is lost when it is full or
when the process stops: the event is in the store, pending, and the start-up pass and the
periodic sweep (every :data:`~knownfix.worker.runtime.SWEEP_SECONDS`) find it again.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from datetime import timedelta

from knownfix.errors import StoreError
from knownfix.services.analysis import events_due
from knownfix.worker.runtime import SWEEP_SECONDS, Sweeper, WorkerRuntime

log = logging.getLogger("knownfix.worker")

QUEUE_SIZE = 10_000
STORE_RETRY_SECONDS = 2.0


class EmbeddedWorker:
    """A queue of event ids and the thread that analyses them."""

    def __init__(self, runtime: WorkerRuntime, *, sweep_seconds: float | None = None) -> None:
        self.runtime = runtime
        self._queue: queue.Queue[str | None] = queue.Queue(QUEUE_SIZE)
        self._queued: set[str] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.sweeper = Sweeper(runtime, self.submit_many, interval=sweep_seconds or SWEEP_SECONDS)

    # --- the queue interface -------------------------------------------------------------------

    def submit(self, event_id: str) -> None:
        """Queue an event for analysis; when the queue is full the sweep picks it up later."""
        with self._lock:
            if event_id in self._queued:
                return
            try:
                self._queue.put_nowait(event_id)
            except queue.Full:
                log.warning("analysis queue full: event %s waits for the sweep", event_id)
                return
            self._queued.add(event_id)

    def submit_many(self, event_ids: list[str]) -> None:
        for event_id in event_ids:
            self.submit(event_id)

    def depth(self) -> int | None:
        return self._queue.qsize()

    # --- running -------------------------------------------------------------------------------

    def start(self) -> None:
        """Resume the events a previous run left behind, then analyse as they come."""
        self.runtime.notifier.start()
        self._thread = threading.Thread(target=self._run, name="knownfix-worker", daemon=True)
        self._thread.start()
        self.sweeper.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the event at hand and stop; what is still queued stays pending in the store."""
        self._stopping.set()
        self.sweeper.stop()
        if self._thread is not None:
            with contextlib.suppress(queue.Full):
                self._queue.put_nowait(None)
            self._thread.join(timeout)
            self._thread = None
        self.runtime.notifier.stop()

    def _resume(self) -> None:
        while not self._stopping.is_set():
            try:
                # Everything pending, however young: in the embedded mode nobody else has it.
                left = events_due(self.runtime.store, limit=QUEUE_SIZE, grace=timedelta(0))
                break
            except StoreError as error:
                log.warning("cannot read pending events yet: %s", error)
                time.sleep(STORE_RETRY_SECONDS)
        else:
            return
        if left:
            log.info("resuming %d event(s) left pending", len(left))
        self.submit_many(left)

    def _run(self) -> None:
        self._resume()
        while not self._stopping.is_set():
            event_id = self._queue.get()
            if event_id is None:
                return
            with self._lock:
                self._queued.discard(event_id)
            self._analyse(event_id)

    def _analyse(self, event_id: str) -> None:
        while not self._stopping.is_set():
            try:
                outcome = self.runtime.analyse(event_id)
            except StoreError:
                time.sleep(STORE_RETRY_SECONDS)  # the store is restarting: same event again
                continue
            except Exception:
                return  # counted and logged; the event was released or failed for good
            if outcome.state == "busy":
                log.info("event %s is being analysed elsewhere", event_id)
            return  # done, failed, skipped; busy ones come back with the sweep
