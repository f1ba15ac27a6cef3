"""What an analysis worker needs in its process: the store, the settings, the notifier, and
the hooks that count outcomes in the metrics. One per process, opened on first use."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from knownfix.errors import StoreError
from knownfix.observability.metrics import metrics
from knownfix.services.analysis import Outcome, analyse_event, events_due
from knownfix.services.notify import Notifier

if TYPE_CHECKING:
    from knownfix.settings import Settings
    from knownfix.storage.repository import Store

log = logging.getLogger("knownfix.worker")

SWEEP_SECONDS = 15.0
"""How often a worker looks for events whose queue message was lost, and for SLA breaches."""


@dataclass
class WorkerRuntime:
    """The store, settings and notifier of one worker process."""

    store: Store
    settings: Settings
    notifier: Notifier = field(init=False)

    def __post_init__(self) -> None:
        counter = metrics().notifications
        self.notifier = Notifier(self.store, self.settings,
                                 on_outcome=lambda outcome: counter.labels(outcome).inc())

    def analyse(self, event_id: str) -> Outcome:
        """Analyse one event, timing it and counting the outcome."""
        m = metrics()
        started = time.perf_counter()
        try:
            outcome = analyse_event(self.store, event_id, settings=self.settings,
                                    on_result=self.notifier.incident_changed)
        except Exception as error:
            m.worker_failures.inc()
            m.events_analysed.labels("error").inc()
            level = logging.WARNING if isinstance(error, StoreError) else logging.ERROR
            log.log(level, "event %s: analysis failed: %s", event_id, error,
                    exc_info=not isinstance(error, StoreError), extra={"event_id": event_id})
            raise
        if outcome.state in ("done", "failed"):
            m.triage_seconds.observe(time.perf_counter() - started)
        m.events_analysed.labels(outcome.state).inc()
        ref = outcome.result.incident if outcome.result else None
        incident = ref.id if ref else None
        log.info("event %s %s", event_id, outcome.state,
                 extra={"event_id": event_id, "state": outcome.state, "incident": incident or ""})
        return outcome


class Sweeper:
    """A thread that periodically calls ``requeue`` with events due again, and checks SLAs."""

    def __init__(
        self,
        runtime: WorkerRuntime,
        requeue: Callable[[list[str]], None],
        *,
        interval: float = SWEEP_SECONDS,
        may_sweep: Callable[[], bool] = lambda: True,
    ) -> None:
        self.runtime = runtime
        self.requeue = requeue
        self.interval = interval
        self.may_sweep = may_sweep
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="knownfix-sweep", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def sweep_once(self) -> int:
        """Requeue what is due and queue SLA notifications; how many events were requeued."""
        due = events_due(self.runtime.store) if self.may_sweep() else []
        if due:
            log.info("requeueing %d event(s) whose analysis was lost", len(due))
            self.requeue(due)
        self.runtime.notifier.check_sla()
        return len(due)

    def _run(self) -> None:
        # At once (a restarted worker picks up what its predecessor left), then periodically.
        while True:
            try:
                self.sweep_once()
            except Exception as error:  # the store may be down: try again next round
                log.warning("sweep failed: %s", error)
            if self._stop.wait(self.interval):
                return
