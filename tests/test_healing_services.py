"""Self-healing services with a fake runner: guardrails, approval, breaker, kill switch."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from healing_helpers import Clock, FakeRunner, no_sleep
from knownfix.core.healing.schema import load_checks
from knownfix.errors import Conflict, InputError, NotFound
from knownfix.services.checks import CheckRun
from knownfix.services.healing import Escalation, Healer
from knownfix.settings import Settings, load_settings
from knownfix.storage import healing as runs
from knownfix.storage.repository import Store, open_store

HEALTH = "http://127.0.0.1:1/health"
CHECKS = f"""\
allow: [scripts/restart.sh, scripts/slow.sh]
detectors:
  - {{name: web, kind: http, url: "{HEALTH}"}}
playbooks:
  - name: restart-web
    for: web
    params: [incident_id]
    steps:
      - run: [scripts/restart.sh, "{{incident_id}}"]
        retries: 1
    verify: {{http: "{HEALTH}", attempts: 2}}
"""


def _settings(project: Path, url: str, **changes: object) -> Settings:
    return replace(load_settings(env={}, cwd=project, database_url=url), **changes)


class World:
    """A store, a checks file and a fake runner; the web detector fails until told not to."""

    def __init__(self, project: Path, url: str, checks: str = CHECKS, **settings: object):
        self.project = project
        (project / "knownfix-checks.yaml").write_text(checks)
        self.config = load_checks(checks, origin=str(project / "knownfix-checks.yaml"))
        self.store: Store = open_store(url)
        self.settings = _settings(project, url, **settings)
        self.runner = FakeRunner(statuses={HEALTH: [None]})
        self.clock = Clock()
        self.escalations: list[Escalation] = []

    def healer(self) -> Healer:
        return Healer(self.store, self.settings, self.config, self.runner, self.clock,
                      no_sleep, self.escalations.append)

    def fail(self) -> str:
        """Run the checks once with the service down; the incident's id."""
        self.runner.statuses[HEALTH] = [None]
        result = CheckRun(self.store, self.settings, self.config, "test", self.runner,
                          self.clock).run()[0]
        assert not result.ok
        assert result.incident is not None
        return result.incident.id

    def heal_next(self) -> None:
        """The next restart works: the health check answers."""
        self.runner.statuses[HEALTH] = [200]


@pytest.fixture
def world(project: Path) -> World:
    w = World(project, f"sqlite:///{project / '.knownfix' / 'k.db'}")
    yield w
    w.store.close()


def test_dry_run_executes_and_writes_nothing(world: World) -> None:
    incident = world.fail()
    calls_before = list(world.runner.calls)
    plan = world.healer().plan(incident)
    assert plan.playbook == "restart-web"
    assert plan.steps[0].argv == ("scripts/restart.sh", incident)
    assert world.runner.calls == calls_before
    assert runs.list_runs(world.store) == []
    assert world.store.get_incident(incident).status == "open"


def test_execute_heals_verifies_and_resolves_as_self_healed(world: World) -> None:
    incident = world.fail()
    world.heal_next()
    run = world.healer().execute(incident, trigger="manual", actor="cli:ana")
    assert run.status == "succeeded"
    assert run.actor == "cli:ana"
    assert run.steps[0].exit_code == 0
    assert run.verify is not None
    assert run.verify.ok
    found = world.store.get_incident(incident)
    assert found.status == "resolved"
    actions = [e["action"] for e in world.store.incident_events(incident)]
    assert actions[-2:] == ["self_healed", "status"]
    assert "self-healed by playbook restart-web" in world.store.incident_events(incident)[-1][
        "detail"]["note"]
    assert ("run", (["scripts/restart.sh", incident], {})) in world.runner.calls


def test_a_failed_verification_leaves_it_open_and_escalates(world: World) -> None:
    incident = world.fail()
    run = world.healer().execute(incident, trigger="manual", actor="t")
    assert run.status == "failed"
    assert run.reason.startswith("verification failed after 2 attempt(s)")
    assert world.store.get_incident(incident).status == "open"
    assert world.store.incident_events(incident)[-1]["action"] == "escalated"
    assert [e.incident_id for e in world.escalations] == [incident]


def test_a_failing_step_is_retried_then_stops_the_run(world: World) -> None:
    incident = world.fail()
    world.runner.exit_codes["scripts/restart.sh"] = [1, 1]
    run = world.healer().execute(incident, trigger="manual", actor="t")
    assert run.status == "failed"
    assert run.steps[0].attempts == 2
    assert run.reason == "step 1 failed: exit status 1 (expected 0)"
    assert run.verify is None


def test_five_failed_runs_open_the_breaker_which_survives_a_restart(project: Path,
                                                                    store_url: str) -> None:
    world = World(project, store_url)
    incident = world.fail()
    healer = world.healer()
    for _ in range(5):
        assert healer.execute(incident, trigger="manual", actor="t").status == "failed"
        world.clock.advance(seconds=1)
    escalated = world.store.incident_events(incident)[-1]
    assert escalated["action"] == "escalated"
    assert escalated["detail"]["breaker_opened"] is True
    world.store.close()

    # A new process: nothing but the store remembers the breaker.
    again = World(project, store_url)
    again.clock.now = world.clock.now
    again.heal_next()
    refused = again.healer().execute(incident, trigger="manual", actor="t")
    assert refused.status == "refused"
    assert "circuit breaker open after 5 consecutive failures" in refused.reason
    assert not any(kind == "run" for kind, _ in again.runner.calls)
    (breaker,) = runs.breakers(again.store)
    assert (breaker.playbook, breaker.state, breaker.failures) == ("restart-web", "open", 5)

    # After the cool-down one trial goes through; it heals, and the breaker closes.
    again.clock.advance(minutes=5)
    trial = again.healer().execute(incident, trigger="manual", actor="t")
    assert trial.status == "succeeded"
    assert trial.trial
    assert runs.breakers(again.store)[0].state == "closed"
    again.store.close()


def test_approval_blocks_until_a_writer_approves(world: World) -> None:
    checks = CHECKS.replace("    for: web\n", "    for: web\n    approval: required\n")
    world.config = load_checks(checks, origin=str(world.project / "knownfix-checks.yaml"))
    incident = world.fail()
    world.heal_next()
    healer = world.healer()
    waiting = healer.execute(incident, trigger="manual", actor="t")
    assert waiting.status == "awaiting_approval"
    assert not any(kind == "run" for kind, _ in world.runner.calls)
    assert world.store.get_incident(incident).status == "open"
    # Asking again while it waits does not run it either.
    assert healer.execute(incident, trigger="manual", actor="t").status == "awaiting_approval"
    assert not any(kind == "run" for kind, _ in world.runner.calls)
    done = healer.approve(waiting.id, actor="cli:lead")
    assert done.status == "succeeded"
    assert done.approved_by == "cli:lead"
    assert world.store.get_incident(incident).status == "resolved"
    with pytest.raises(Conflict, match="not awaiting approval"):
        healer.approve(waiting.id, actor="cli:lead")


def test_a_rejected_run_never_runs(world: World) -> None:
    checks = CHECKS.replace("    for: web\n", "    for: web\n    approval: required\n")
    world.config = load_checks(checks, origin="c.yaml")
    incident = world.fail()
    healer = world.healer()
    waiting = healer.execute(incident, trigger="manual", actor="t")
    rejected = healer.reject(waiting.id, actor="cli:lead", reason="change freeze")
    assert (rejected.status, rejected.reason) == ("rejected", "change freeze")
    assert not any(kind == "run" for kind, _ in world.runner.calls)


def test_an_approval_is_for_the_plan_that_was_shown(world: World) -> None:
    checks = CHECKS.replace("    for: web\n", "    for: web\n    approval: required\n")
    world.config = load_checks(checks, origin="c.yaml")
    incident = world.fail()
    waiting = world.healer().execute(incident, trigger="manual", actor="t")
    world.config = load_checks(checks.replace("scripts/restart.sh, ", "scripts/slow.sh, "),
                               origin="c.yaml")
    refused = world.healer().approve(waiting.id, actor="lead")
    assert refused.status == "refused"
    assert "changed after approval" in refused.reason
    assert not any(kind == "run" for kind, _ in world.runner.calls)


@pytest.mark.parametrize(("mode", "trigger", "stopped"), [
    ("off", "manual", True), ("off", "check", True), ("manual", "check", True),
    ("manual", "service", True), ("manual", "manual", False), ("on", "check", False),
])
def test_the_kill_switch(project: Path, mode: str, trigger: str, stopped: bool) -> None:
    world = World(project, f"sqlite:///{project / 'k.db'}", healing=mode)
    incident = world.fail()
    world.heal_next()
    run = world.healer().execute(incident, trigger=trigger, actor="t")
    assert (run.status == "refused") is stopped
    assert any(kind == "run" for kind, _ in world.runner.calls) is not stopped
    if stopped:
        assert "KNOWNFIX_HEALING" in run.reason
        assert runs.list_runs(world.store) == []
    world.store.close()


def test_pausing_in_the_store_stops_every_process(world: World) -> None:
    incident = world.fail()
    runs.set_paused(world.store, True, "cli:ana", world.clock())
    run = world.healer().execute(incident, trigger="manual", actor="t")
    assert run.status == "refused"
    assert "paused in the store (by cli:ana" in run.reason
    assert not any(kind == "run" for kind, _ in world.runner.calls)
    runs.set_paused(world.store, False, "cli:ana", world.clock())
    world.heal_next()
    assert world.healer().execute(incident, trigger="manual", actor="t").healed


def test_the_kill_switch_stops_a_run_between_steps(world: World) -> None:
    checks = CHECKS.replace("        retries: 1\n",
                            "        retries: 1\n      - run: [scripts/slow.sh]\n")
    world.config = load_checks(checks, origin="c.yaml")
    incident = world.fail()
    store = world.store

    class Pausing(FakeRunner):
        def run(self, argv, *, env, cwd, timeout):  # type: ignore[no-untyped-def]
            result = super().run(argv, env=env, cwd=cwd, timeout=timeout)
            runs.set_paused(store, True, "cli:ops", world.clock())  # pulled mid-run
            return result

    world.runner = Pausing(statuses={HEALTH: [200]})
    run = world.healer().execute(incident, trigger="manual", actor="t")
    assert run.status == "failed"
    assert run.reason.startswith("stopped before step 2: healing is paused")
    assert [argv for kind, (argv, _env) in world.runner.calls if kind == "run"] == [
        ["scripts/restart.sh", incident]]
    # The playbook did not fail: its breaker does not count the run.
    assert runs.breakers(world.store)[0].failures == 0


def test_rate_limit_per_playbook(world: World) -> None:
    checks = CHECKS.replace("    for: web\n", "    for: web\n    rate_limit: {playbook: 2/hour}\n")
    world.config = load_checks(checks, origin="c.yaml")
    incident = world.fail()
    healer = world.healer()
    assert healer.execute(incident, trigger="manual", actor="t").status == "failed"
    assert healer.execute(incident, trigger="manual", actor="t").status == "failed"
    third = healer.execute(incident, trigger="manual", actor="t")
    assert third.status == "refused"
    assert third.reason.startswith("rate limit: 2 per hour for this playbook reached")
    world.clock.advance(hours=1)
    assert healer.execute(incident, trigger="manual", actor="t").status == "failed"


def test_one_run_at_a_time_per_incident(project: Path, store_url: str) -> None:
    """Two healers (two processes' worth of connections) race for one incident."""
    world = World(project, store_url)
    incident = world.fail()
    world.heal_next()
    entered = threading.Event()
    release = threading.Event()

    class Slow(FakeRunner):
        def run(self, argv, *, env, cwd, timeout):  # type: ignore[no-untyped-def]
            entered.set()
            release.wait(10)
            return super().run(argv, env=env, cwd=cwd, timeout=timeout)

    first_runner = Slow(statuses={HEALTH: [200]})
    results = []
    first = Healer(world.store, world.settings, world.config, first_runner, world.clock,
                   no_sleep)
    thread = threading.Thread(target=lambda: results.append(
        first.execute(incident, trigger="manual", actor="one")))
    thread.start()
    assert entered.wait(10)
    other_store = open_store(store_url)
    try:
        second = Healer(other_store, world.settings, world.config, FakeRunner(), world.clock,
                        no_sleep)
        refused = second.execute(incident, trigger="manual", actor="two")
    finally:
        release.set()
        thread.join(10)
        other_store.close()
    assert refused.status == "refused"
    assert "is already healing" in refused.reason
    assert results[0].status == "succeeded"
    world.store.close()


def test_an_expired_lease_is_taken_over_and_its_run_abandoned(world: World) -> None:
    incident = world.fail()
    healer = world.healer()
    target = healer.resolve(incident)
    plan = healer.plan(incident)
    from datetime import timedelta

    stuck = runs.admit_run(world.store, runs.RunRequest(
        playbook="restart-web", trigger="manual", actor="dead", target=target.target,
        lease_key=target.lease_key, lease_for=timedelta(minutes=1), plan=plan.to_dict(),
        plan_digest=plan.digest(), breaker=target.playbook.breaker, incident_id=incident,
    ), world.clock())
    assert stuck.status == "running"
    world.heal_next()
    assert healer.execute(incident, trigger="manual", actor="t").status == "refused"
    world.clock.advance(minutes=2)
    assert healer.execute(incident, trigger="manual", actor="t").healed
    assert runs.get_run(world.store, stuck.id).status == "abandoned"


def test_check_heal_runs_only_auto_playbooks(world: World) -> None:
    incident = world.fail()
    assert world.healer().heal_incident(world.store.get_incident(incident), trigger="check",
                                        actor="t") is None
    world.config = load_checks(CHECKS.replace("    for: web\n", "    for: web\n    auto: true\n"),
                               origin="c.yaml")
    world.runner.statuses[HEALTH] = [None]
    results = CheckRun(world.store, world.settings, world.config, "cron", world.runner,
                       world.clock, healer=None).run(heal=False)
    assert results[0].healing is None
    world.runner.statuses[HEALTH] = [None, 200]  # down for the check, up after the restart
    healed = CheckRun(world.store, world.settings, world.config, "cron", world.runner,
                      world.clock).run(heal=True)[0]
    assert healed.healing is not None
    assert healed.healing.status == "succeeded"
    assert healed.healing.trigger == "check"
    assert world.store.get_incident(incident).status == "resolved"


def test_references_that_name_nothing(world: World) -> None:
    healer = world.healer()
    with pytest.raises(NotFound, match="neither a playbook"):
        healer.plan("HIGH-999")
    incident = world.fail()
    world.config = load_checks(CHECKS.replace("for: web", "for: other"), origin="c.yaml")
    with pytest.raises(InputError, match="no playbook for"):
        world.healer().plan(incident)


def test_rate_limit_per_target_counts_every_playbook(world: World) -> None:
    checks = CHECKS.replace("    for: web\n", "    for: web\n    rate_limit: {target: 1/10m}\n")
    checks += f"""\
  - name: other-fix
    for: web
    steps: [{{run: [scripts/slow.sh]}}]
    verify: {{http: "{HEALTH}"}}
    rate_limit: {{target: 1/10m}}
"""
    world.config = load_checks(checks, origin="c.yaml")
    incident = world.fail()
    healer = world.healer()
    assert healer.execute(incident, trigger="manual", actor="t").status == "failed"
    refused = healer.execute("other-fix", incident_id=incident, trigger="manual", actor="t")
    assert refused.status == "refused"
    assert refused.reason.startswith("rate limit: 1 per 10 minutes for detector:web reached")


def test_the_audit_keeps_step_output_redacted(world: World) -> None:
    incident = world.fail()
    world.heal_next()

    class Chatty(FakeRunner):
        def run(self, argv, *, env, cwd, timeout):  # type: ignore[no-untyped-def]
            result = super().run(argv, env=env, cwd=cwd, timeout=timeout)
            return replace(result, output="connecting with password=hunter2hunter2 "
                           "token " + "ghp_" + "0123456789abcdefghijklmnopqrstuvwxyzAB\n")

    world.runner = Chatty(statuses={HEALTH: [200]})
    run = world.healer().execute(incident, trigger="manual", actor="t")
    stored = runs.get_run(world.store, run.id)
    assert "hunter2hunter2" not in stored.steps[0].output
    assert "ghp_0123456789" not in stored.steps[0].output
    assert "connecting with" in stored.steps[0].output


def test_a_failure_back_soon_after_a_self_heal_is_a_false_positive(world: World) -> None:
    from knownfix.services.reports import build_report

    incident = world.fail()
    world.heal_next()
    assert world.healer().execute(incident, trigger="manual", actor="t").healed
    world.clock.advance(minutes=10)
    assert world.fail() == incident  # back again: the same incident, reopened
    assert world.store.get_incident(incident).status == "open"
    healing = build_report(world.store, checks=world.config).healing
    assert healing is not None
    assert (healing.false_positives, healing.false_positive_rate) == (1, 100.0)


def test_automatic_refusals_are_written_once_per_streak(world: World) -> None:
    incident = world.fail()
    healer = world.healer()
    for _ in range(5):
        healer.execute(incident, trigger="manual", actor="t")
    for _ in range(3):  # a service checking again and again while the breaker is open
        refused = healer.execute(incident, trigger="service", actor="knownfix:scheduler")
        assert refused.status == "refused"
    statuses = [r.status for r in runs.list_runs(world.store)]
    assert statuses == ["refused"] + ["failed"] * 5
    # A person asking is always written.
    healer.execute(incident, trigger="manual", actor="t")
    assert len(runs.list_runs(world.store)) == 7


def test_healing_status_reads_everything_a_page_shows(world: World) -> None:
    from knownfix.services.healing_status import healing_status

    checks = CHECKS.replace("    for: web\n", "    for: web\n    approval: required\n")
    (world.project / "knownfix-checks.yaml").write_text(checks)
    world.config = load_checks(checks, origin="c.yaml")
    incident = world.fail()
    waiting = world.healer().execute(incident, trigger="manual", actor="t")
    status = healing_status(world.store, world.settings, now=world.clock())
    assert [r.id for r in status.awaiting] == [waiting.id]
    assert [d.name for d in status.detectors] == ["web"]
    assert status.detectors[0].ok is False
    data = status.to_dict()
    assert data["kpis"]["runs_by_status"] == {"awaiting_approval": 1}
    assert data["mode"] == "on"
    assert data["checks_file"].endswith("knownfix-checks.yaml")
    assert data["awaiting_approval"][0]["plan"]["steps"][0]["argv"] == [
        "scripts/restart.sh", incident]


def test_a_run_approved_without_a_service_is_started_by_approving_again(world: World) -> None:
    checks = CHECKS.replace("    for: web\n", "    for: web\n    approval: required\n")
    world.config = load_checks(checks, origin="c.yaml")
    incident = world.fail()
    world.heal_next()
    healer = world.healer()
    waiting = healer.execute(incident, trigger="manual", actor="t")
    assert healer.approve(waiting.id, actor="lead", start=False).status == "approved"
    assert not any(kind == "run" for kind, _ in world.runner.calls)
    assert healer.approve(waiting.id, actor="lead").status == "succeeded"


def test_an_escalation_is_notified_once_per_run(world: World) -> None:
    from knownfix.services.healing import notify_escalations
    from knownfix.services.notify import Notifier

    sent: list[tuple[list[str], str, str]] = []

    def send(urls, title, body):  # type: ignore[no-untyped-def]
        sent.append((list(urls), title, body))
        return len(urls)

    settings = replace(world.settings, notify_urls=("json://ops.example/hook",))
    notifier = Notifier(world.store, settings, send=send)
    incident = world.fail()
    healer = Healer(world.store, settings, world.config, world.runner, world.clock, no_sleep,
                    notify_escalations(notifier))
    run = healer.execute(incident, trigger="manual", actor="t")
    notifier.drain()
    (urls, title, body), = sent
    assert urls == ["json://ops.example/hook"]
    assert title.startswith(f"[knownfix] Self-healing failed {incident}:")
    assert f"playbook run {run.id}: verification failed" in body
    notifier.healing_failed(incident, run.reason, run.id)  # the same run again: sent once
    notifier.drain()
    assert len(sent) == 1
