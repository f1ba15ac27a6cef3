"""Run the detectors of a checks file; a failure becomes an occurrence like any failing log.

    results = run_checks(store, settings, config, heal=True)
    exit_status(results)          # 0 all passed, 1 one failed, 2 one could not be evaluated

A failing detector's report — its message, its details (each schema violation with its JSON
path, each changed file) or a command's output — is triaged by the triage service under the
source ``check:<name>`` with the hints ``tool=knownfix-check``, ``detector=<name>`` and
``kind=<kind>`` (policy rules can match them), matched against the knowledge base and recorded
as an incident. A detector that moves from passing to failing writes a ``detected`` entry to
the incident's audit trail, with when it last passed: the detection time the KPIs report.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from knownfix.actions import ActionRunner, LocalRunner
from knownfix.core.healing.config import ChecksConfig, Detector
from knownfix.core.healing.records import PlaybookRun
from knownfix.core.records import IncidentRef
from knownfix.core.secrets.redact import redact
from knownfix.errors import InputError
from knownfix.services import checks_config
from knownfix.services.detectors import DriftBaselines, Verdict, evaluate
from knownfix.services.healing import CHECK_SOURCE_PREFIX, Healer, run_summary
from knownfix.services.triage import TriageSession, open_triage
from knownfix.settings import Settings
from knownfix.storage import detectors as states
from knownfix.storage import healing as runs

if TYPE_CHECKING:
    from knownfix.storage.repository import Store

CHECK_TOOL = "knownfix-check"


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One detector's result; ``incident`` is the incident its failure was recorded in."""

    name: str
    kind: str
    ok: bool
    message: str
    details: tuple[str, ...] = ()
    error: bool = False  # could not be evaluated: exit status 2, nothing recorded
    incident: IncidentRef | None = None
    healing: PlaybookRun | None = None
    duration_s: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """DESIGN §6: ``{"name","kind","ok","message","incident"}`` and a few more fields."""
        return {
            "name": self.name,
            "kind": self.kind,
            "ok": self.ok,
            "message": self.message,
            "incident": self.incident.to_dict() if self.incident else None,
            "details": list(self.details),
            "error": self.error,
            "healing": run_summary(self.healing) if self.healing else None,
            "duration_s": round(self.duration_s, 3),
        }


@dataclass
class CheckRun:
    """What one ``knownfix check`` needs: the store, the file, and the I/O it may do."""

    store: Store
    settings: Settings
    config: ChecksConfig
    actor: str
    runner: ActionRunner = field(default_factory=LocalRunner)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    healer: Healer | None = None
    trigger: str = "check"  # what --heal runs are recorded as started by (check, service)
    _session: TriageSession | None = None

    def run(self, *, heal: bool = False, update_baseline: bool = False,
            only: Iterable[str] = ()) -> list[CheckResult]:
        """Every detector (or those named in ``only``), in the file's order."""
        chosen = select(self.config, only)
        return [self.check(d, heal=heal, update_baseline=update_baseline) for d in chosen]

    def check(self, detector: Detector, *, heal: bool = False,
              update_baseline: bool = False) -> CheckResult:
        """Evaluate one detector, record its failure, heal it when asked and allowed."""
        started = time.monotonic()
        now = self.clock()
        scope = self.settings.scope
        baselines = DriftBaselines(
            get=lambda name: states.get_baseline(self.store, scope, name),
            accept=lambda baseline: states.set_baseline(self.store, scope, baseline),
            actor=self.actor, now=now, update=update_baseline,
        )
        verdict = evaluate(detector, base_dir=checks_config.base_dir(self.config),
                           runner=self.runner, baselines=baselines)
        if verdict.error:
            return CheckResult(detector.name, detector.kind, False, verdict.message,
                               verdict.details, error=True,
                               duration_s=time.monotonic() - started)
        incident = None
        if not verdict.ok:
            incident = self._record(detector, verdict, now)
        before = states.record_result(self.store, scope, detector.name, detector.kind,
                                      ok=verdict.ok, message=verdict.message, now=now,
                                      incident_id=incident.id if incident else None)
        if incident is not None and (before is None or before.ok or incident.new):
            runs.note_incident(self.store, incident.id, "knownfix:check", "detected", {
                "detector": detector.name, "kind": detector.kind,
                "last_ok_at": before.last_ok_at.isoformat()
                if before is not None and before.last_ok_at else None,
            }, now)
        healing = None
        if heal and incident is not None:
            healing = self._heal(incident)
        return CheckResult(detector.name, detector.kind, verdict.ok, verdict.message,
                           verdict.details, incident=incident, healing=healing,
                           duration_s=time.monotonic() - started)

    def _record(self, detector: Detector, verdict: Verdict, now: datetime
                ) -> IncidentRef | None:
        if self._session is None:
            self._session = open_triage(self.store, self.settings, scope=self.settings.scope)
        text = failure_report(detector, verdict)
        result = self._session.triage(
            CHECK_SOURCE_PREFIX + detector.name, [text.encode("utf-8")],
            hints={"tool": CHECK_TOOL, "detector": detector.name, "kind": detector.kind},
            now=now,
        )
        return result.incident

    def _heal(self, ref: IncidentRef) -> PlaybookRun | None:
        if self.healer is None:
            self.healer = Healer(self.store, self.settings, self.config, self.runner,
                                 self.clock)
        incident = self.store.get_incident(ref.id)
        return self.healer.heal_incident(incident, trigger=self.trigger, actor=self.actor)


def select(config: ChecksConfig, only: Iterable[str]) -> list[Detector]:
    """The detectors named in ``only`` (all when empty); InputError for an unknown name."""
    names = list(only)
    if not names:
        return list(config.detectors)
    unknown = [name for name in names if config.detector(name) is None]
    if unknown:
        known = ", ".join(d.name for d in config.detectors) or "none"
        raise InputError(f"no detector {unknown[0]!r} in {config.path} (detectors: {known})")
    return [d for d in config.detectors if d.name in names]


def failure_report(detector: Detector, verdict: Verdict) -> str:
    """The text a failing detector hands to triage: a command's output, then one ``error:``
    line naming the detector (so two detectors never share an incident) and its details."""
    lines = [f"error: knownfix check '{detector.name}' ({detector.kind}) failed: "
             f"{verdict.message}"]
    lines += [f"error: {detail}" for detail in verdict.details]
    report = "\n".join(lines) + "\n"
    if verdict.output.strip():
        report = verdict.output.rstrip("\n") + "\n" + report
    return redact(report)


def exit_status(results: Iterable[CheckResult]) -> int:
    """0 when every detector passed, 1 when one failed, 2 when one could not be evaluated."""
    status = 0
    for result in results:
        if result.error:
            return 2
        if not result.ok:
            status = 1
    return status
