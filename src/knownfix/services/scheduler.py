"""The healing loop of a long-running service: detectors on their intervals, auto playbooks,
approved runs.

    scheduler = HealingScheduler(store, settings, checks_path=Path("knownfix-checks.yaml"))
    scheduler.start()      # a daemon thread
    scheduler.stop()

Each pass (every ``tick`` seconds) runs every detector whose turn has come — its ``interval``
since the last run by any process sharing the store, claimed atomically
(:func:`knownfix.storage.detectors.claim_turn`), so a service on several processes or machines
runs each detector once per interval — records its failures, heals them where the playbook says
``auto: true`` (trigger ``service``), and starts the runs a writer approved. Detectors of one
process run one after another. The checks file is read again when it changes; a file that no
longer reads is reported and the last good one kept.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from knownfix.actions import ActionRunner, LocalRunner
from knownfix.core.healing.config import ChecksConfig
from knownfix.core.healing.records import APPROVED, PlaybookRun
from knownfix.errors import Conflict, KnownfixError, StoreError
from knownfix.services import checks_config
from knownfix.services.checks import CheckResult, CheckRun
from knownfix.services.healing import Escalation, Healer, notify_escalations
from knownfix.services.notify import Notifier
from knownfix.settings import Settings
from knownfix.storage import detectors as states
from knownfix.storage import healing as runs

if TYPE_CHECKING:
    from knownfix.storage.repository import Store

log = logging.getLogger("knownfix.healing")

SCHEDULER_ACTOR = "knownfix:scheduler"
TICK_SECONDS = 1.0


@dataclass
class HealingScheduler:
    store: Store
    settings: Settings
    checks_path: Path
    runner: ActionRunner = field(default_factory=LocalRunner)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    tick: float = TICK_SECONDS
    on_result: Callable[[CheckResult], None] | None = None
    on_run: Callable[[PlaybookRun], None] | None = None
    on_escalate: Callable[[Escalation], None] | None = None
    notifier: Notifier | None = None  # started and stopped with the scheduler
    holder: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    _config: ChecksConfig | None = field(default=None, init=False)
    _config_error: str | None = field(default=None, init=False)
    _stopping: threading.Event = field(default_factory=threading.Event, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)

    def start(self) -> None:
        if self.notifier is not None:
            self.notifier.start()
        self._stopping.clear()
        self._thread = threading.Thread(target=self._loop, name="knownfix-healing", daemon=True)
        self._thread.start()
        log.info("healing scheduler started with %s", self.checks_path)

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the detector or run at hand."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self.notifier is not None:
            self.notifier.stop()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self.run_once()
            except StoreError as error:
                log.warning("healing pass skipped: %s", error)
            except Exception:  # noqa: BLE001 - the loop must outlive any one bad pass
                log.exception("healing pass failed")
            self._stopping.wait(self.tick)

    def config(self) -> ChecksConfig | None:
        """The checks file as last read well (re-read when it changes)."""
        try:
            self._config = checks_config.read_checks_file(self.checks_path)
            self._config_error = None
        except KnownfixError as error:
            if error.message != self._config_error:
                log.error("checks file: %s (keeping the last good one)", error.message)
                self._config_error = error.message
        return self._config

    def run_once(self) -> list[CheckResult]:
        """One pass: the detectors whose turn it is, then the approved runs."""
        config = self.config()
        if config is None:
            return []
        healer = Healer(self.store, self.settings, config, self.runner, self.clock,
                        on_escalate=self.on_escalate)
        check = CheckRun(self.store, self.settings, config, SCHEDULER_ACTOR, self.runner,
                         self.clock, healer=healer, trigger="service")
        results = []
        for detector in config.detectors:
            if self._stopping.is_set():
                break
            if not states.claim_turn(self.store, self.settings.scope, detector.name,
                                     every=detector.interval, now=self.clock(),
                                     holder=self.holder):
                continue
            result = check.check(detector, heal=True)
            results.append(result)
            self._report(result)
        for run in runs.list_runs(self.store, status=APPROVED):
            if self._stopping.is_set():
                break
            try:
                started = healer.start_approved(run)
            except Conflict:
                continue  # another process started it
            if self.on_run is not None:
                self.on_run(started)
        return results

    def _report(self, result: CheckResult) -> None:
        if not result.ok:
            log.warning("detector %s (%s) %s: %s", result.name, result.kind,
                        "could not be checked" if result.error else "failed", result.message,
                        extra={"detector": result.name,
                               "incident": result.incident.id if result.incident else ""})
        if result.healing is not None and self.on_run is not None:
            self.on_run(result.healing)
        if self.on_result is not None:
            self.on_result(result)


def scheduler_for(store: Store, settings: Settings, **options: object) -> HealingScheduler | None:
    """The scheduler a service runs: None when there is no checks file (nothing to watch).

    Escalations (a run that did not heal its incident) are logged and notified like the
    service's other notifications, unless ``on_escalate`` says otherwise; they are in the
    incident's audit trail either way.
    """
    try:
        path = checks_config.optional_checks_file(settings)
    except KnownfixError as error:  # KNOWNFIX_CHECKS_PATH names a missing file
        log.error("healing scheduler not started: %s", error.message)
        return None
    if path is None:
        log.info("no checks file: detectors are not scheduled")
        return None
    if "on_escalate" not in options:
        notifier = Notifier(store, settings)
        options.update(on_escalate=notify_escalations(notifier), notifier=notifier)
    return HealingScheduler(store, settings, path, **options)  # type: ignore[arg-type]
