"""Self-healing use cases: find the playbook for an incident, plan it, run it under guardrails,
verify, and resolve the incident as self-healed — or leave it open and escalate.

    healer = Healer(store, settings, config)
    plan = healer.plan("CRIT-001")                        # dry run: what would run, nothing runs
    run = healer.execute("CRIT-001", trigger="manual", actor="cli:ana")
    run = healer.heal_incident(incident, trigger="service")  # automatic: auto: true only

Guardrails, in the order they apply: the kill switch (``KNOWNFIX_HEALING=off`` or a pause in
the store stops every run, ``manual`` every automatic one; checked again before each step),
approval (``approval: required`` parks the run until a writer approves this exact plan), then,
in one store transaction, the circuit breaker, the rate limits and the lease that keeps one run
per incident. Every admitted or refused run is written to ``playbook_runs``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from knownfix.actions import ActionRunner, LocalRunner
from knownfix.core.healing.config import ChecksConfig, Playbook
from knownfix.core.healing.plan import Plan, build_plan
from knownfix.core.healing.records import (
    APPROVED,
    AWAITING_APPROVAL,
    REFUSED,
    RUNNING,
    PlaybookRun,
    StepOutcome,
)
from knownfix.core.records import Incident
from knownfix.errors import Conflict, InputError, NotFound
from knownfix.services import checks_config
from knownfix.services.healing_steps import StepRunner
from knownfix.settings import Settings
from knownfix.storage import healing as runs

if TYPE_CHECKING:
    from knownfix.services.notify import Notifier
    from knownfix.storage.repository import Store

log = logging.getLogger("knownfix.healing")

HEALING_ACTOR = "knownfix:healing"
AUTOMATIC = ("check", "service")
CHECK_SOURCE_PREFIX = "check:"
LEASE_MARGIN = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class Target:
    """What a run acts on: its playbook, the incident (if any) and the event data."""

    playbook: Playbook
    incident: Incident | None
    event: dict[str, str]
    target: str
    others: tuple[str, ...] = ()  # other playbooks attached to the same failure

    @property
    def lease_key(self) -> str:
        return f"incident:{self.incident.id}" if self.incident else self.target


@dataclass(frozen=True, slots=True)
class Escalation:
    """A run that did not heal its incident: who to tell, and why."""

    incident_id: str
    escalation: str | None
    reason: str
    run_id: int
    breaker_opened: bool


@dataclass
class Healer:
    store: Store
    settings: Settings
    config: ChecksConfig
    runner: ActionRunner = field(default_factory=LocalRunner)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    sleep: Callable[[float], None] = time.sleep
    on_escalate: Callable[[Escalation], None] | None = None

    # --- finding and planning ----------------------------------------------------------

    def resolve(self, ref: str, *, incident_id: str | None = None) -> Target:
        """A playbook name (with an optional incident) or an incident id → what to run."""
        playbook = self.config.playbook(ref)
        if playbook is not None:
            incident = self.store.get_incident(incident_id) if incident_id else None
            return self._target(playbook, incident)
        if incident_id is not None:
            raise NotFound(f"no playbook named {ref!r} in {self.config.path}")
        try:
            incident = self.store.get_incident(ref)
        except NotFound:
            names = ", ".join(p.name for p in self.config.playbooks) or "none"
            raise NotFound(f"{ref!r} is neither a playbook ({names}) nor an incident") from None
        found = self.playbooks_for(incident)
        if not found:
            detector = self.detector_of(incident)
            raise InputError(
                f"no playbook for {incident.id}: attach one with 'for: "
                f"{detector or incident.known_issue_id or 'KNOWN-ISSUE-ID'}' in "
                f"{self.config.path}"
            )
        return self._target(found[0], incident, tuple(p.name for p in found[1:]))

    def playbooks_for(self, incident: Incident) -> list[Playbook]:
        """Playbooks for the incident's detector, then its known issue's (the checks file's,
        then its document's)."""
        found: list[Playbook] = []
        detector = self.detector_of(incident)
        if detector:
            found += self.config.playbooks_for(detector)
        if incident.known_issue_id:
            found += self.config.playbooks_for(incident.known_issue_id)
            try:
                issue = self.store.get_known_issue(incident.known_issue_id)
            except NotFound:
                issue = None
            if issue is not None:
                found += checks_config.doc_playbooks(self.store, self.settings, self.config,
                                                     issue)
        unique: dict[str, Playbook] = {}
        for playbook in found:
            unique.setdefault(playbook.name, playbook)
        return list(unique.values())

    def detector_of(self, incident: Incident) -> str | None:
        """The detector whose failures make up the incident (its latest ``check:`` source)."""
        for occurrence in reversed(self.store.list_occurrences(incident.id)):
            if occurrence.source.startswith(CHECK_SOURCE_PREFIX):
                return occurrence.source.removeprefix(CHECK_SOURCE_PREFIX)
        return None

    def plan(self, ref: str, *, incident_id: str | None = None) -> Plan:
        """The dry run: exactly what would run. Executes and writes nothing."""
        return self._plan(self.resolve(ref, incident_id=incident_id))

    def _plan(self, target: Target) -> Plan:
        notes = []
        if target.others:
            notes.append("also attached, not chosen: " + ", ".join(target.others))
        blocked = self.switch_refusal(automatic=False)
        if blocked:
            notes.append(blocked)
        return build_plan(target.playbook, target.event, target=target.target,
                          incident_id=target.incident.id if target.incident else None,
                          notes=tuple(notes))

    def _target(self, playbook: Playbook, incident: Incident | None,
                others: tuple[str, ...] = ()) -> Target:
        detector = self.detector_of(incident) if incident else None
        if detector is None:
            detector = next((t for t in playbook.targets if self.config.detector(t)), None)
        event = {
            "playbook": playbook.name,
            "detector": detector or "",
            "target": f"detector:{detector}" if detector else "",
        }
        if incident is not None:
            occurrences = self.store.list_occurrences(incident.id)
            event.update(
                incident_id=incident.id, title=incident.title, severity=incident.severity,
                category=incident.category, known_issue=incident.known_issue_id or "",
                fingerprint=incident.fingerprint, scope=incident.scope,
                source=occurrences[-1].source if occurrences else "",
            )
        if detector:
            from knownfix.storage.detectors import detector_states_of

            scope = incident.scope if incident is not None else self.settings.scope
            state = next((s for s in detector_states_of(self.store, scope)
                          if s.name == detector), None)
            event["message"] = state.message if state and not state.ok else ""
        target = event["target"] or (f"incident:{incident.id}" if incident
                                     else f"playbook:{playbook.name}")
        event["target"] = target
        return Target(playbook, incident, event, target, others)

    # --- the kill switch ---------------------------------------------------------------

    def switch_refusal(self, *, automatic: bool) -> str:
        """Why no run may start now ("" when runs may start)."""
        mode = self.settings.healing
        if mode == "off":
            return "healing is off (KNOWNFIX_HEALING=off): nothing runs"
        if automatic and mode == "manual":
            return "automatic healing is off (KNOWNFIX_HEALING=manual)"
        paused, by = runs.healing_paused(self.store)
        if paused:
            return f"healing is paused in the store (by {by}); knownfix playbook resume"
        return ""

    # --- running -----------------------------------------------------------------------

    def execute(self, ref: str, *, trigger: str, actor: str,
                incident_id: str | None = None) -> PlaybookRun:
        """Run a playbook now (or park it for approval), under every guardrail."""
        return self._execute(self.resolve(ref, incident_id=incident_id), trigger, actor)

    def heal_incident(self, incident: Incident, *, trigger: str, actor: str
                      ) -> PlaybookRun | None:
        """The automatic path: run the incident's first ``auto: true`` playbook, if any.

        A run already waiting for approval (or approved and not started) for the incident is
        returned instead of asking again.
        """
        auto = [p for p in self.playbooks_for(incident) if p.auto]
        if not auto:
            return None
        for status in (AWAITING_APPROVAL, APPROVED):
            pending = runs.list_runs(self.store, status=status, incident_id=incident.id,
                                     playbook=auto[0].name, limit=1)
            if pending:
                return pending[0]
        return self._execute(self._target(auto[0], incident), trigger, actor)

    def _execute(self, target: Target, trigger: str, actor: str,
                 approved: PlaybookRun | None = None) -> PlaybookRun:
        now = self.clock()
        blocked = self.switch_refusal(automatic=trigger in AUTOMATIC)
        if blocked:
            # Not written to the store: a paused service would write one row per tick.
            return PlaybookRun(id=0, playbook=target.playbook.name, status=REFUSED,
                               trigger=trigger, actor=actor, target=target.target,
                               created_at=now, finished_at=now, reason=blocked,
                               incident_id=target.incident.id if target.incident else None)
        plan = self._plan(target)
        request = runs.RunRequest(
            playbook=plan.playbook, trigger=trigger, actor=actor, target=target.target,
            lease_key=target.lease_key,
            lease_for=timedelta(seconds=plan.timeout_budget) + LEASE_MARGIN,
            plan=plan.to_dict(), plan_digest=plan.digest(), breaker=target.playbook.breaker,
            rate=target.playbook.rate, rate_per_target=target.playbook.rate_per_target,
            incident_id=target.incident.id if target.incident else None,
            episode_started_at=self._episode_start(target.incident),
            run_id=approved.id if approved else None,
        )
        if target.playbook.approval and approved is None:
            return runs.park_for_approval(self.store, request, now)
        if approved is not None and approved.plan_digest != request.plan_digest:
            return runs.abandon_run(
                self.store, approved.id, "the playbook or its incident changed after approval "
                "was asked; nothing ran — start a new run to approve the new plan", now)
        run = runs.admit_run(self.store, request, now, quiet_repeats=trigger in AUTOMATIC)
        if run.status != RUNNING:
            return run
        return self._run(run, plan, target)

    def _run(self, run: PlaybookRun, plan: Plan, target: Target) -> PlaybookRun:
        steps_runner = StepRunner(self.runner, self.config.allow,
                                  checks_config.base_dir(self.config), self.sleep)
        done: list[StepOutcome] = []
        reason = ""
        counts = True
        for step in plan.steps:
            stopped = self.switch_refusal(automatic=run.trigger in AUTOMATIC)
            if stopped:
                reason, counts = f"stopped before step {step.index}: {stopped}", False
                break
            outcome = steps_runner.run_step(step)
            done.append(outcome)
            runs.record_progress(self.store, run.id, done)
            if not outcome.ok:
                reason = f"step {step.index} failed: {outcome.error}"
                break
        verify = None
        if not reason:
            verify = steps_runner.verify(plan.verify, plan.verify_attempts, plan.verify_delay)
            if not verify.ok:
                reason = (f"verification failed after {verify.attempts} attempt(s): "
                          f"{verify.error}")
        finished, transition = runs.finish_run(
            self.store, run.id, succeeded=not reason, reason=reason, steps=done, verify=verify,
            policy=target.playbook.breaker, now=self.clock(), counts=counts,
        )
        self._settle_incident(finished, target, transition.opened)
        return finished

    def _settle_incident(self, run: PlaybookRun, target: Target, breaker_opened: bool) -> None:
        incident = target.incident
        if incident is None:
            return
        now = self.clock()
        if run.healed:
            runs.note_incident(self.store, incident.id, HEALING_ACTOR, "self_healed",
                               {"run_id": run.id, "playbook": run.playbook,
                                "verify": run.verify.description if run.verify else None}, now)
            self.store.set_incident_status(
                incident.id, "resolved", actor=HEALING_ACTOR, now=now,
                note=f"self-healed by playbook {run.playbook} (run {run.id}), verified",
            )
            return
        reason = run.reason
        if breaker_opened:
            reason += (f"; circuit breaker of {run.playbook} opened after "
                       f"{target.playbook.breaker.failures} consecutive failures")
        escalation = Escalation(incident.id, incident.escalation, reason, run.id, breaker_opened)
        runs.note_incident(self.store, incident.id, HEALING_ACTOR, "escalated",
                           {"run_id": run.id, "playbook": run.playbook, "reason": reason,
                            "escalation": incident.escalation,
                            "breaker_opened": breaker_opened}, now)
        if self.on_escalate is not None:
            self.on_escalate(escalation)

    def _episode_start(self, incident: Incident | None) -> datetime | None:
        """When the failure a run answers was detected: the incident's latest (re)opening."""
        if incident is None:
            return None
        opened = [e for e in self.store.incident_events(incident.id)
                  if e["action"] in {"opened", "reopened"}]
        if opened:
            return datetime.fromisoformat(opened[-1]["at"])
        return incident.first_seen

    # --- approvals ---------------------------------------------------------------------

    def approve(self, run_id: int, *, actor: str, start: bool = True) -> PlaybookRun:
        """Approve a waiting run; with ``start`` run it now (else a service starts it).

        A run approved earlier and not started yet (no service running) is started.
        """
        current = runs.get_run(self.store, run_id)
        if current.status == APPROVED and start:
            return self.start_approved(current)
        run = runs.decide_approval(self.store, run_id, approve=True, actor=actor, reason="",
                                   now=self.clock())
        return self.start_approved(run) if start else run

    def reject(self, run_id: int, *, actor: str, reason: str = "") -> PlaybookRun:
        return runs.decide_approval(self.store, run_id, approve=False, actor=actor,
                                    reason=reason, now=self.clock())

    def start_approved(self, run: PlaybookRun) -> PlaybookRun:
        """Start an approved run, on the plan that was approved (refused if it changed)."""
        if run.status != APPROVED:
            raise Conflict(f"run {run.id} is {run.status.replace('_', ' ')}, not approved")
        playbook = self.config.playbook(run.playbook)
        incident = self.store.get_incident(run.incident_id) if run.incident_id else None
        if playbook is None and incident is not None:
            playbook = next((p for p in self.playbooks_for(incident) if p.name == run.playbook),
                            None)
        if playbook is None:
            return runs.abandon_run(self.store, run.id, f"playbook {run.playbook} no longer "
                                    "exists; nothing ran", self.clock())
        return self._execute(self._target(playbook, incident), run.trigger, run.actor,
                             approved=run)


def notify_escalations(notifier: Notifier) -> Callable[[Escalation], None]:
    """An ``on_escalate`` that logs the escalation and notifies the incident's targets
    (``KNOWNFIX_NOTIFY_URLS`` and the apprise URLs of its escalation)."""

    def escalate(escalation: Escalation) -> None:
        log.warning("incident %s escalated%s: %s", escalation.incident_id,
                    f" to {escalation.escalation}" if escalation.escalation else "",
                    escalation.reason,
                    extra={"incident": escalation.incident_id, "run": escalation.run_id})
        notifier.healing_failed(escalation.incident_id, escalation.reason, escalation.run_id)

    return escalate


def run_summary(run: PlaybookRun) -> dict[str, Any]:
    """The short form of a run in ``knownfix check --heal --json``."""
    return {"id": run.id or None, "playbook": run.playbook, "status": run.status,
            "reason": run.reason or None}
