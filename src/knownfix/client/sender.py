"""The background sender behind :class:`~knownfix.client.KnownfixClient`: a bounded queue and
one daemon thread, so the application never waits for knownfix and never fails because of it."""

from __future__ import annotations

import atexit
import gzip
import json
import os
import queue
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from knownfix.client.http import Unreachable, send_with_retries

GZIP_ABOVE_BYTES = 1024


@dataclass
class SenderStats:
    """What happened to the events handed to a sender."""

    sent: int = 0  # accepted by the service
    dropped: int = 0  # the queue was full: not sent
    failed: int = 0  # refused by the service, or unreachable after every retry
    last_error: str | None = None


@dataclass
class Sender:
    """Posts JSON events to ``{url}/api/v1/events`` from a daemon thread."""

    url: str
    token: str | None = None
    queue_size: int = 1000
    attempts: int = 5
    timeout: float = 10.0
    max_delay: float = 30.0
    stats: SenderStats = field(default_factory=SenderStats)

    def __post_init__(self) -> None:
        self.url = self.url.rstrip("/")
        self._lock = threading.Lock()
        self._pid = -1
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue(self.queue_size)
        self._thread: threading.Thread | None = None
        atexit.register(self.flush, 2.0)

    def submit(self, event: Mapping[str, Any]) -> bool:
        """Queue ``event`` (never blocks); False when the queue is full and it was dropped."""
        self._ensure_thread()
        try:
            self._queue.put_nowait({**event, "_key": uuid.uuid4().hex})
        except queue.Full:
            with self._lock:
                self.stats.dropped += 1
            return False
        return True

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait up to ``timeout`` seconds for the queue to drain; True if it did."""
        if self._thread is None or self._pid != os.getpid():
            return self._queue.unfinished_tasks == 0
        done = threading.Event()

        def waiter() -> None:
            self._queue.join()
            done.set()

        threading.Thread(target=waiter, daemon=True).start()
        return done.wait(timeout)

    def post(self, event: Mapping[str, Any], key: str | None = None) -> dict[str, Any]:
        """Post one event now (blocking, with retries); the service's answer."""
        body = json.dumps({k: v for k, v in event.items() if not k.startswith("_")},
                          ensure_ascii=False, default=str).encode("utf-8")
        headers = {"Content-Type": "application/json", "Idempotency-Key": key or uuid.uuid4().hex}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if len(body) > GZIP_ABOVE_BYTES:
            body = gzip.compress(body, compresslevel=6)
            headers["Content-Encoding"] = "gzip"
        answer = send_with_retries("POST", f"{self.url}/api/v1/events", body=body,
                                   headers=headers, attempts=self.attempts, timeout=self.timeout,
                                   max_delay=self.max_delay)
        if answer.status != 202:
            raise Unreachable(f"knownfix answered {answer.status}: {answer.detail}")
        result: dict[str, Any] = answer.json()
        return result

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is not None and self._pid == os.getpid():
                return
            if self._pid != -1 and self._pid != os.getpid():
                # A forked child: the parent's thread does not exist here, nor its queue's lock.
                self._queue = queue.Queue(self.queue_size)
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="knownfix-client",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            event = self._queue.get()
            try:
                if event is None:
                    return
                self.post(event, key=str(event.get("_key")))
                with self._lock:
                    self.stats.sent += 1
            except Exception as error:  # noqa: BLE001 - the application must never see it
                with self._lock:
                    self.stats.failed += 1
                    self.stats.last_error = str(error)[:500]
            finally:
                self._queue.task_done()
