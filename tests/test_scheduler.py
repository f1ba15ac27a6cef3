"""The healing scheduler: detectors on their intervals, auto playbooks, approved runs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from healing_helpers import (
    HEALTH_FAKE,
    Clock,
    FakeRunner,
    answers,
    auto_restart_checks,
    local_service,
    wait_until,
)
from knownfix.services.scheduler import HealingScheduler
from knownfix.settings import load_settings
from knownfix.storage import healing as runs
from knownfix.storage.repository import open_store


def test_a_dead_service_is_healed_by_the_scheduler(project: Path) -> None:
    with local_service(project / "web") as service:
        checks = project / "knownfix-checks.yaml"
        checks.write_text(auto_restart_checks(service))
        url = f"sqlite:///{project / '.knownfix' / 'k.db'}"
        store = open_store(url)
        settings = load_settings(env={}, cwd=project, database_url=url)
        scheduler = HealingScheduler(store, settings, checks, tick=0.1)
        service.start()
        scheduler.start()
        try:
            service.stop()  # the service dies; nobody runs a command
            assert wait_until(lambda: any(r.healed for r in runs.list_runs(store)), 60)
            assert answers(service.port)
        finally:
            scheduler.stop()
        (run,) = [r for r in runs.list_runs(store) if r.healed]
        assert (run.trigger, run.actor) == ("service", "knownfix:scheduler")
        incident = store.get_incident(run.incident_id or "")
        assert incident.status == "resolved"
        actions = [e["action"] for e in store.incident_events(incident.id)]
        assert {"detected", "self_healed"} <= set(actions)
        store.close()


CHECKS = f"""\
allow: [scripts/fix.sh]
detectors:
  - {{name: web, kind: http, url: "{HEALTH_FAKE}", interval: 1m}}
playbooks:
  - name: fix
    for: web
    auto: true
    approval: required
    steps: [{{run: [scripts/fix.sh]}}]
    verify: {{http: "{HEALTH_FAKE}"}}
"""


@pytest.fixture
def checks_file(project: Path) -> Path:
    path = project / "knownfix-checks.yaml"
    path.write_text(CHECKS)
    return path


def test_each_detector_runs_once_per_interval_across_processes(project: Path,
                                                                checks_file: Path,
                                                                store_url: str) -> None:
    clock = Clock()
    settings = load_settings(env={}, cwd=project, database_url=store_url)
    first_store, second_store = open_store(store_url), open_store(store_url)
    one = HealingScheduler(first_store, settings, checks_file, FakeRunner(), clock)
    two = HealingScheduler(second_store, settings, checks_file, FakeRunner(), clock)
    try:
        assert [r.name for r in one.run_once()] == ["web"]
        assert two.run_once() == []  # its turn is taken for this minute
        clock.advance(seconds=59)
        assert one.run_once() == two.run_once() == []
        clock.advance(seconds=2)
        assert len(two.run_once()) + len(one.run_once()) == 1
    finally:
        first_store.close()
        second_store.close()


def test_auto_runs_that_need_approval_wait_then_start(project: Path, checks_file: Path) -> None:
    url = f"sqlite:///{project / 'k.db'}"
    store = open_store(url)
    clock = Clock()
    runner = FakeRunner(statuses={HEALTH_FAKE: [None]})
    settings = load_settings(env={}, cwd=project, database_url=url)
    scheduler = HealingScheduler(store, settings, checks_file, runner, clock)
    (result,) = scheduler.run_once()
    assert result.healing is not None
    assert result.healing.status == "awaiting_approval"
    clock.advance(minutes=2)
    (again,) = scheduler.run_once()
    assert again.healing is not None
    assert again.healing.id == result.healing.id  # the same request, not a second one
    assert not any(kind == "run" for kind, _ in runner.calls)
    runs.decide_approval(store, result.healing.id, approve=True, actor="writer", reason="",
                         now=clock())
    runner.statuses[HEALTH_FAKE] = [200]
    clock.advance(seconds=1)
    scheduler.run_once()
    done = runs.get_run(store, result.healing.id)
    assert done.status == "succeeded"
    assert done.approved_by == "writer"
    assert any(kind == "run" for kind, _ in runner.calls)
    store.close()


def test_a_broken_edit_keeps_the_last_good_checks_file(project: Path, checks_file: Path,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    url = f"sqlite:///{project / 'k.db'}"
    store = open_store(url)
    clock = Clock()
    settings = replace(load_settings(env={}, cwd=project, database_url=url), healing="off")
    scheduler = HealingScheduler(store, settings, checks_file, FakeRunner(), clock)
    assert len(scheduler.run_once()) == 1
    checks_file.write_text(CHECKS + "bogus: [\n")
    clock.advance(minutes=2)
    assert [r.name for r in scheduler.run_once()] == ["web"]
    assert "keeping the last good one" in caplog.text
    store.close()
