"""Self-healing in the service: the scheduler heals a dead service by itself, approvals through
the API and the dashboard (writers only, CSRF), the healing page, and /metrics."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from healing_helpers import (
    HEALTH_FAKE,
    LocalService,
    answers,
    auto_restart_checks,
    local_service,
)
from knownfix.core.healing.schema import load_checks
from knownfix.services.healing import Healer
from knownfix.storage import healing as runs
from service_helpers import ServiceApp, metric, open_service, service_settings, wait_for

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def service(project: Path) -> Iterator[LocalService]:
    with local_service(project / "web") as svc:
        yield svc


def _app(project: Path) -> ServiceApp:
    return open_service(service_settings(project), kb=False)


def test_the_service_heals_a_dead_service_by_itself(project: Path,
                                                    service: LocalService) -> None:
    (project / "knownfix-checks.yaml").write_text(auto_restart_checks(service))
    service.start()
    served = _app(project)
    with served.client as client:
        service.stop()  # the service dies; nobody types anything
        healed = wait_for(lambda: [r for r in runs.list_runs(served.store) if r.healed], 90)
        assert answers(service.port)
        assert (healed[0].trigger, healed[0].actor) == ("service", "knownfix:scheduler")
        # The run is recorded as healed a moment before its incident is resolved.
        incident = wait_for(lambda: (i := served.store.get_incident(
            healed[0].incident_id or "")).status == "resolved" and i, 30)
        assert incident.status == "resolved"
        # The KPIs moved, in the API and in /metrics.
        status = client.get("/api/v1/healing", headers=served.auth(served.viewer)).json()
        assert status["kpis"]["incidents_healed"] == 1
        assert status["kpis"]["auto_recovery_rate"] == 100.0
        text = client.get("/metrics").text
        assert metric(text, "knownfix_healing_auto_recovery_ratio") == 1.0
        assert metric(text, 'knownfix_playbook_breaker_open{playbook="restart-web"}') == 0.0
        assert metric(text, 'knownfix_playbook_runs{status="succeeded"}') >= 1
        assert metric(text, "knownfix_healing_enabled") == 1.0
        wait_for(lambda: metric(client.get("/metrics").text,
                                'knownfix_detector_up{detector="web",kind="http"}', 0) == 1, 30)
    served.store.close()


def test_the_kill_switch_stops_the_service_from_healing(project: Path,
                                                        service: LocalService) -> None:
    (project / "knownfix-checks.yaml").write_text(auto_restart_checks(service))
    served = open_service(service_settings(project, healing="off"), kb=False)
    with served.client as client:
        # The detector keeps running and records the failure; nothing heals it.
        wait_for(lambda: served.store.list_incidents(), 60)
        assert runs.list_runs(served.store) == []
        assert not answers(service.port)
        assert metric(client.get("/metrics").text, "knownfix_healing_enabled") == 0.0
    served.store.close()


CHECKS_WITH_APPROVAL = f"""\
allow: [scripts/fix.sh]
detectors:
  - {{name: web, kind: http, url: "{HEALTH_FAKE}", interval: 1h}}
playbooks:
  - name: fix
    for: web
    approval: required
    steps: [{{run: [scripts/fix.sh]}}]
    verify: {{http: "{HEALTH_FAKE}"}}
"""


def _waiting_run(project: Path, served: ServiceApp) -> int:
    """A run waiting for approval, asked for as a person would (the fake runner is down)."""
    from healing_helpers import FakeRunner, no_sleep
    from knownfix.services.checks import CheckRun

    config = load_checks(CHECKS_WITH_APPROVAL, origin=str(project / "knownfix-checks.yaml"))
    runner = FakeRunner(statuses={HEALTH_FAKE: [None]})
    result = CheckRun(served.store, served.settings, config, "test", runner).run()[0]
    assert result.incident is not None
    run = Healer(served.store, served.settings, config, runner, sleep=no_sleep).execute(
        result.incident.id, trigger="manual", actor="cli:ana")
    assert run.status == "awaiting_approval"
    return run.id


@pytest.fixture
def approval(project: Path) -> Iterator[tuple[ServiceApp, int]]:
    (project / "knownfix-checks.yaml").write_text(CHECKS_WITH_APPROVAL)
    served = open_service(service_settings(project), kb=False, start_worker=False)
    run_id = _waiting_run(project, served)
    yield served, run_id
    served.store.close()


def test_approval_through_the_api(approval: tuple[ServiceApp, int]) -> None:
    served, run_id = approval
    client = TestClient(served.app)  # no lifespan: nothing starts the approved run
    path = f"/api/v1/playbook-runs/{run_id}/approve"
    assert client.post(path).status_code == 401
    assert client.post(path, headers=served.auth(served.viewer)).status_code == 403
    waiting = client.get("/api/v1/playbook-runs?status=awaiting_approval",
                         headers=served.auth(served.viewer)).json()
    assert [r["id"] for r in waiting] == [run_id]
    assert waiting[0]["plan"]["steps"][0]["argv"] == ["scripts/fix.sh"]
    answer = client.post(path, headers=served.auth())
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "approved"
    assert answer.json()["approved_by"] == "api:w"
    again = client.post(path, headers=served.auth())
    assert again.status_code == 409
    assert client.post("/api/v1/playbook-runs/99999/approve",
                       headers=served.auth()).status_code == 404


def test_rejection_through_the_api(approval: tuple[ServiceApp, int]) -> None:
    served, run_id = approval
    client = TestClient(served.app)
    answer = client.post(f"/api/v1/playbook-runs/{run_id}/reject", headers=served.auth(),
                         json={"reason": "change freeze"})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["status"], answer.json()["reason"]) == ("rejected", "change freeze")
    one = client.get(f"/api/v1/playbook-runs/{run_id}", headers=served.auth(served.viewer))
    assert one.json()["status"] == "rejected"


def test_an_approved_run_is_started_by_the_service(approval: tuple[ServiceApp, int]) -> None:
    served, run_id = approval
    with served.client as client:  # the lifespan starts the healing scheduler
        client.post(f"/api/v1/playbook-runs/{run_id}/approve", headers=served.auth())
        # The fake runner is gone: the real one cannot start scripts/fix.sh, so the run fails —
        # which proves the service started it.
        wait_for(lambda: runs.get_run(served.store, run_id).status
                 not in ("approved", "awaiting_approval", "running"), 60)
        run = runs.get_run(served.store, run_id)
        assert run.status == "failed"
        assert "cannot start 'scripts/fix.sh'" in run.reason
        assert run.approved_by == "api:w"
        assert run.steps


def _sign_in(client: TestClient, token: str) -> str:
    form = client.get("/login")
    answer = client.post("/login", data={"csrf_token": CSRF.search(form.text).group(1),
                                         "token": token, "next": "/healing"})
    assert answer.status_code == 303, answer.text
    return CSRF.search(client.get("/healing").text).group(1)


def test_approval_through_the_dashboard(approval: tuple[ServiceApp, int]) -> None:
    served, run_id = approval
    client = TestClient(served.app, follow_redirects=False)
    assert client.get("/healing").status_code == 303  # a stranger signs in first
    csrf = _sign_in(client, served.viewer)
    page = client.get("/healing").text
    assert f"Run {run_id} · fix" in page
    assert "scripts/fix.sh" in page
    assert "Approve and run</button>" not in page  # a viewer sees no button
    refused = client.post(f"/healing/runs/{run_id}/approve", data={"csrf_token": csrf})
    assert refused.status_code == 403
    client.post("/logout", data={"csrf_token": csrf})
    csrf = _sign_in(client, served.writer)
    assert "Approve and run</button>" in client.get("/healing").text
    forged = client.post(f"/healing/runs/{run_id}/approve", data={"csrf_token": "x"})
    assert forged.status_code == 403
    assert runs.get_run(served.store, run_id).status == "awaiting_approval"
    done = client.post(f"/healing/runs/{run_id}/approve", data={"csrf_token": csrf})
    assert done.status_code == 303
    assert done.headers["location"] == "/healing?notice=approved"
    assert runs.get_run(served.store, run_id).status == "approved"
    again = client.post(f"/healing/runs/{run_id}/approve", data={"csrf_token": csrf})
    assert again.status_code == 409
    assert "not awaiting approval" in again.text


def test_rejection_through_the_dashboard(approval: tuple[ServiceApp, int]) -> None:
    served, run_id = approval
    client = TestClient(served.app, follow_redirects=False)
    csrf = _sign_in(client, served.writer)
    done = client.post(f"/healing/runs/{run_id}/reject",
                       data={"csrf_token": csrf, "reason": "<b>not now</b>"})
    assert done.status_code == 303
    run = runs.get_run(served.store, run_id)
    assert (run.status, run.reason) == ("rejected", "<b>not now</b>")
    page = client.get("/healing").text
    assert "&lt;b&gt;not now&lt;/b&gt;" in page  # escaped
    assert "No run waits for approval." in page
