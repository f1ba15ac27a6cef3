"""The distributed mode: Celery over Redis (``KNOWNFIX_BROKER_URL=redis://…``).

The API publishes one task per new event, ``knownfix.analyse_event(event_id)``; any number of
``knownfix worker`` processes on any number of machines run it. The task is idempotent (see
:mod:`knownfix.services.analysis`) and acknowledged late, so a worker killed mid-task leaves
its message to be delivered again; a task that finds the store down retries with exponential
backoff; one that finds another worker on the event retries when that worker's lease ends.
Each worker process opens its own store (own connection pool) after the fork.

Every key lives under ``KNOWNFIX_KEY_PREFIX`` (Celery's ``global_keyprefix``), so several
knownfix installations — or test runs — can share one Redis. Lost messages (a Redis restart
without persistence) do not lose events: the store still has them pending, and a sweep in
each worker's main process republishes them when the queue has drained.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from celery import Celery, signals

from knownfix.errors import ConfigError, StoreError
from knownfix.observability.metrics import mark_process_dead
from knownfix.services.analysis import reset_triage_sessions
from knownfix.services.heap import mark_long_lived
from knownfix.worker.config import REDIS_SCHEMES, broker_url

if TYPE_CHECKING:
    from redis import Redis

    from knownfix.settings import Settings
    from knownfix.worker.runtime import Sweeper, WorkerRuntime

log = logging.getLogger("knownfix.worker")

TASK_NAME = "knownfix.analyse_event"
QUEUE = "events"
MAX_RETRIES = 30
MAX_BACKOFF_SECONDS = 300
REDIS_TIMEOUT_SECONDS = 2.0
SWEEP_LOCK_SECONDS = 5
"""Workers sweep at most once per this many seconds between them."""
PER_TASK_LOGGERS = ("celery.worker.strategy", "celery.app.trace")
"""Celery's loggers of a line per task received and per task succeeded."""


def key_prefix(settings: Settings) -> str:
    return f"{settings.key_prefix}:"


def redis_client(url: str) -> Redis:
    from redis import Redis

    return Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_SECONDS,
                          socket_connect_timeout=REDIS_TIMEOUT_SECONDS)


def create_celery(settings: Settings) -> Celery:
    """The Celery app of these settings, with the analysis task registered."""
    broker_url(settings)
    app = Celery("knownfix", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_default_queue=QUEUE,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"global_keyprefix": key_prefix(settings)},
        # Publishing must never hang an API request: a broker that is down fails fast and the
        # sweep republishes the (stored) event later.
        broker_connection_timeout=REDIS_TIMEOUT_SECONDS,
        broker_connection_max_retries=1,
        task_publish_retry=False,
    )
    app.conf.knownfix_settings = settings

    @app.task(name=TASK_NAME, bind=True, acks_late=True, max_retries=MAX_RETRIES)
    def analyse_event_task(self: Any, event_id: str) -> str:
        runtime = _runtime(settings)
        try:
            outcome = runtime.analyse(event_id)
        except StoreError as error:
            delay = min(MAX_BACKOFF_SECONDS, 2 ** self.request.retries)
            raise self.retry(exc=error, countdown=delay) from None
        if outcome.state == "busy":
            raise self.retry(countdown=outcome.retry_in or 5)
        return outcome.state

    return app


class CeleryQueue:
    """The API's side of the distributed mode: publish tasks, answer the queue depth."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        from knownfix.worker.publish import TaskPublisher

        self.app = create_celery(settings)
        self.redis = redis_client(broker_url(settings))
        self.publisher = TaskPublisher(self.app, self.redis, task_name=TASK_NAME, queue=QUEUE,
                                       queue_key=key_prefix(settings) + QUEUE)

    def submit(self, event_id: str) -> None:
        # One LPUSH of the message Celery would build (knownfix.worker.publish): a quarter of
        # the API's CPU per event went to send_task.
        self.publisher.publish(event_id)

    def submit_many(self, event_ids: list[str]) -> None:
        # The API's group commit queues a batch's events together: one LPUSH for all.
        self.publisher.publish_many(event_ids)

    def depth(self) -> int | None:
        """Messages waiting in the broker's queue (None when Redis does not answer)."""
        try:
            return int(self.redis.llen(key_prefix(self.settings) + QUEUE))
        except Exception:  # noqa: BLE001 - a gauge, not a failure
            return None

    def close(self) -> None:
        self.redis.close()


class RedisDedup:
    """Dedup keys in Redis: ``SET NX`` with expiry, under the key prefix."""

    def __init__(self, settings: Settings, client: Redis | None = None) -> None:
        url = settings.redis_url
        if url is not None and not url.startswith(REDIS_SCHEMES):
            raise ConfigError(f"KNOWNFIX_REDIS_URL must be a redis:// URL, not {url!r}")
        self.client = client or redis_client(url or broker_url(settings))
        self.prefix = f"{key_prefix(settings)}dedup:"
        self.ttl = max(1, settings.dedup_ttl_seconds)

    def claim_many(self, claims: Sequence[tuple[str, str]]) -> list[str | None]:
        # One pipeline of SET NX … GET for a batch of posts: one round trip, not one a key.
        # (SET with NX and GET together needs Redis 7.)
        from redis.exceptions import ResponseError

        if not claims:
            return []
        try:
            try:
                holders = self._claim_and_get(claims)
            except ResponseError:  # Redis before 7: SET NX, then GET where it was taken
                holders = self._claim_then_get(claims)
        except Exception as error:  # noqa: BLE001 - Redis down: the store's constraint decides
            log.warning("dedup check in Redis failed (%s); relying on the store", error)
            return [None] * len(claims)
        return [None if holder is None else _text(holder) for holder in holders]

    def _claim_and_get(self, claims: Sequence[tuple[str, str]]) -> list[Any]:
        pipe = self.client.pipeline(transaction=False)
        for key, event_id in claims:
            pipe.set(self.prefix + key, event_id, nx=True, ex=self.ttl, get=True)
        return list(pipe.execute())

    def _claim_then_get(self, claims: Sequence[tuple[str, str]]) -> list[Any]:
        pipe = self.client.pipeline(transaction=False)
        for key, event_id in claims:
            pipe.set(self.prefix + key, event_id, nx=True, ex=self.ttl)
        taken = [i for i, done in enumerate(pipe.execute()) if not done]
        for i in taken:
            pipe.get(self.prefix + claims[i][0])
        holders: list[Any] = [None] * len(claims)
        for i, holder in zip(taken, pipe.execute() if taken else [], strict=True):
            holders[i] = holder
        return holders

    def point(self, key: str, event_id: str) -> None:
        with contextlib.suppress(Exception):  # the store's constraint still decides
            self.client.set(self.prefix + key, event_id, ex=self.ttl)

    def release(self, key: str, event_id: str) -> None:
        try:
            holder = self.client.get(self.prefix + key)
            if holder is not None and _text(holder) == event_id:
                self.client.delete(self.prefix + key)
        except Exception:  # noqa: BLE001 - the key expires on its own
            pass


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


# --- the worker process -------------------------------------------------------------------------

_state: dict[str, Any] = {}


def _runtime(settings: Settings) -> WorkerRuntime:
    """This process's runtime (opened on first use, after the fork)."""
    runtime: WorkerRuntime | None = _state.get("runtime")
    if runtime is None or _state.get("pid") != os.getpid():
        from knownfix.storage.repository import open_store
        from knownfix.worker.runtime import WorkerRuntime

        reset_triage_sessions()
        runtime = WorkerRuntime(open_store(settings.database_url), settings)
        runtime.notifier.start()
        _state.update(runtime=runtime, pid=os.getpid())
        mark_long_lived()  # this worker process has started
    return runtime


def _start_sweeper(settings: Settings, queue: CeleryQueue) -> Sweeper:
    from knownfix.worker.runtime import Sweeper

    def may_sweep() -> bool:
        # One sweep per interval for all workers, and only once the queue has drained: a
        # pending event behind a long queue is waiting, not lost.
        lock = f"{key_prefix(settings)}sweep"
        if queue.depth() != 0:
            return False
        return bool(queue.redis.set(lock, os.getpid(), nx=True, ex=SWEEP_LOCK_SECONDS))

    sweeper = Sweeper(_runtime(settings), queue.submit_many, may_sweep=may_sweep)
    sweeper.start()
    return sweeper


def quiet_per_task_logs(loglevel: str) -> None:
    """At INFO, Celery's own "received" and "succeeded" lines per task are left out: they
    repeat what the worker's one line per event says (its state, its incident), and three JSON
    lines an event cost ~0.2 ms of CPU. They stay at DEBUG; retries and failures are logged at
    WARNING and ERROR either way."""
    if logging.getLevelName(loglevel.upper()) == logging.INFO:
        for name in PER_TASK_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)


def run_worker(settings: Settings, *, concurrency: int | None = None,
               loglevel: str = "INFO") -> None:
    """``knownfix worker``: consume analysis tasks until stopped."""
    app = create_celery(settings)
    queue = CeleryQueue(settings)

    @signals.worker_ready.connect(weak=False)
    def _ready(**_kwargs: Any) -> None:
        _state["sweeper"] = _start_sweeper(settings, queue)

    @signals.worker_process_init.connect(weak=False)
    def _child(**_kwargs: Any) -> None:
        _state.clear()  # the parent's store and sessions must not be shared across the fork

    @signals.worker_process_shutdown.connect(weak=False)
    def _child_gone(pid: int | None = None, **_kwargs: Any) -> None:
        mark_process_dead(pid or os.getpid())

    quiet_per_task_logs(loglevel)
    argv = ["worker", f"--loglevel={loglevel}", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "-Q", QUEUE]
    if concurrency == 1:
        # One process, not a parent handing each task to one pool child over a pipe (and
        # both waking for it). A killed worker leaves its event under a lease that ends: the
        # sweep of the next worker republishes it.
        argv.append("--pool=solo")
    elif concurrency:
        argv.append(f"--concurrency={concurrency}")
    app.worker_main(argv=argv)

