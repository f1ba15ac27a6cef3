"""Self-healing end to end through the command line, against a real local HTTP service."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from healing_helpers import LocalService, answers, free_port, local_service
from knownfix.cli import app

PY = sys.executable


def _checks(service: LocalService, *, verify_port: int | None = None, extra: str = "") -> str:
    port = verify_port or service.port
    return f"""\
allow: [{PY}]
detectors:
  - {{name: web, kind: http, url: "http://127.0.0.1:{service.port}/health", timeout: 1}}
playbooks:
  - name: restart-web
    for: web
    params: [incident_id]
{extra}    steps:
      - run: [{PY}, {service.folder}/start.py, "{service.port}", {service.pid_file},
              "{{incident_id}}"]
        timeout: 20
    verify:
      http: "http://127.0.0.1:{port}/health"
      attempts: 6
      delay: 200ms
"""


def _json(runner: CliRunner, *args: str) -> object:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _report(runner: CliRunner) -> str:
    result = runner.invoke(app, ["report"])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def service(project: Path) -> LocalService:
    with local_service(project / "web") as svc:
        yield svc


def test_a_dead_service_is_detected_planned_restarted_verified_and_resolved(
    project: Path, runner: CliRunner, service: LocalService
) -> None:
    (project / "knownfix-checks.yaml").write_text(_checks(service))
    service.start()
    passed = runner.invoke(app, ["check", "--json"])
    assert passed.exit_code == 0, passed.output
    assert "Self-healing" not in _report(runner)

    service.stop()  # the service dies
    failed = runner.invoke(app, ["check", "--json"])
    assert failed.exit_code == 1
    line = json.loads(failed.stdout)
    assert (line["name"], line["ok"]) == ("web", False)
    incident = line["incident"]["id"]
    assert line["incident"]["new"] is True

    dry = runner.invoke(app, ["playbook", "run", incident])
    assert dry.exit_code == 0, dry.output
    assert "Dry run" in dry.stdout
    assert f"start.py {service.port}" in dry.stdout
    assert "verify: http: GET" in dry.stdout
    assert not answers(service.port)  # the dry run started nothing
    assert not service.pid_file.exists()
    assert _json(runner, "playbook", "runs") == []

    done = runner.invoke(app, ["playbook", "run", incident, "--execute"])
    assert done.exit_code == 0, done.output
    assert "succeeded" in done.stdout
    assert answers(service.port)
    shown = _json(runner, "incidents", "show", incident)
    assert isinstance(shown, dict)
    assert shown["status"] == "resolved"
    assert [e["action"] for e in shown["events"]][-2:] == ["self_healed", "status"]

    (run,) = _json(runner, "playbook", "runs")  # type: ignore[misc]
    assert run["status"] == "succeeded"
    assert run["actor"].startswith("cli")
    assert _json(runner, "playbook", "runs", "--status", "succeeded") == [run]
    bogus = runner.invoke(app, ["playbook", "runs", "--status", "done"])
    assert bogus.exit_code != 0
    assert "unknown run status 'done'" in bogus.output
    assert run["steps"][0]["exit_code"] == 0
    assert "started service" in run["steps"][0]["output"]
    assert run["verify"]["status"] == 200

    report = _report(runner)
    assert "| Auto-recovery rate | — | 100% | — | 1 of 1 incident |" in report
    assert "| Detection time (median) |" in report
    assert "1 detection |" in report
    assert "**Playbook runs:** 1 (1 succeeded)" in report
    assert "| restart-web | closed | 0 |" in report

    assert runner.invoke(app, ["check"]).exit_code == 0  # the detector passes again


def test_check_heal_with_auto_true(project: Path, runner: CliRunner,
                                   service: LocalService) -> None:
    (project / "knownfix-checks.yaml").write_text(_checks(service, extra="    auto: true\n"))
    result = runner.invoke(app, ["check", "--heal", "--json"])
    line = json.loads(result.stdout)
    assert result.exit_code == 1  # it failed, then healed: the run says so
    assert line["healing"]["status"] == "succeeded"
    assert answers(service.port)
    shown = _json(runner, "incidents", "show", line["incident"]["id"])
    assert isinstance(shown, dict)
    assert shown["status"] == "resolved"


def test_the_kill_switch_stops_check_heal_and_execute(project: Path, runner: CliRunner,
                                                      service: LocalService) -> None:
    (project / "knownfix-checks.yaml").write_text(_checks(service, extra="    auto: true\n"))
    env = {"KNOWNFIX_HEALING": "off"}
    result = runner.invoke(app, ["check", "--heal", "--json"], env=env)
    line = json.loads(result.stdout)
    assert line["healing"]["status"] == "refused"
    assert "KNOWNFIX_HEALING=off" in line["healing"]["reason"]
    manual = runner.invoke(app, ["playbook", "run", line["incident"]["id"], "--execute"],
                           env=env)
    assert manual.exit_code == 1
    assert "healing is off" in manual.stdout
    assert not answers(service.port)
    assert not service.pid_file.exists()
    dry = runner.invoke(app, ["playbook", "run", line["incident"]["id"]], env=env)
    assert dry.exit_code == 0
    assert "note: healing is off" in dry.stdout


def test_approval_through_the_cli(project: Path, runner: CliRunner,
                                  service: LocalService) -> None:
    (project / "knownfix-checks.yaml").write_text(
        _checks(service, extra="    approval: required\n"))
    incident = json.loads(runner.invoke(app, ["check", "--json"]).stdout)["incident"]["id"]
    asked = runner.invoke(app, ["playbook", "run", incident, "--execute", "--json"])
    assert asked.exit_code == 3
    waiting = json.loads(asked.stdout)
    assert waiting["status"] == "awaiting_approval"
    assert not answers(service.port)
    listed = _json(runner, "playbook", "runs")
    assert [r["status"] for r in listed] == ["awaiting_approval"]  # type: ignore[index]
    approved = runner.invoke(app, ["playbook", "approve", str(waiting["id"])])
    assert approved.exit_code == 0, approved.output
    assert answers(service.port)
    (run,) = _json(runner, "playbook", "runs")  # type: ignore[misc]
    assert (run["status"], run["approved_by"] is not None) == ("succeeded", True)


def _cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """knownfix in a process of its own: nothing survives between two calls but the store."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOWNFIX_")}
    return subprocess.run([PY, "-m", "knownfix", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


def test_five_failed_runs_open_the_breaker_escalate_and_a_restart_keeps_it_open(
    project: Path, service: LocalService
) -> None:
    # The restart "works" but verification looks at a port nothing listens on: it fails.
    (project / "knownfix-checks.yaml").write_text(
        _checks(service, verify_port=free_port()).replace("attempts: 6", "attempts: 1"))
    check = _cli(project, "check", "--json")
    incident = json.loads(check.stdout)["incident"]["id"]
    for _ in range(5):
        assert _cli(project, "playbook", "run", incident, "--execute").returncode == 1
        service.stop()
    shown = json.loads(_cli(project, "incidents", "show", incident, "--json").stdout)
    assert shown["status"] == "open"
    escalations = [e for e in shown["events"] if e["action"] == "escalated"]
    assert len(escalations) == 5
    assert escalations[-1]["detail"]["breaker_opened"] is True
    assert "circuit breaker of restart-web opened after 5" in escalations[-1]["detail"][
        "reason"]

    refused = _cli(project, "playbook", "run", incident, "--execute")
    assert refused.returncode == 1
    assert "circuit breaker open after 5 consecutive failures" in refused.stdout
    assert not service.pid_file.exists()  # nothing ran
    (breaker,) = json.loads(_cli(project, "playbook", "breakers", "--json").stdout)
    assert (breaker["state"], breaker["failures"]) == ("open", 5)
    assert breaker["reopens_at"] is not None
    report = _cli(project, "report").stdout
    assert "| restart-web | open | 5 |" in report
    assert "| Auto-recovery rate | — | 0% | — | 0 of 1 incident |" in report

    assert _cli(project, "playbook", "reset", "restart-web").returncode == 0
    (breaker,) = json.loads(_cli(project, "playbook", "breakers", "--json").stdout)
    assert breaker["state"] == "closed"


DOC = """\
---
id: KF-0101
severity: High
status: Fixed
---

# Web tier stops answering

## Symptoms

- `connection refused` on /health

## Resolution

1. Start the web tier again.

```playbook
params: [incident_id]
steps:
  - run: [{py}, {folder}/start.py, "{port}", {pid}, "{{incident_id}}"]
verify:
  http: "http://127.0.0.1:{port}/health"
  attempts: 6
  delay: 200ms
```
"""


def test_a_playbook_block_in_a_known_issue_document(project: Path, runner: CliRunner,
                                                    service: LocalService) -> None:
    docs = project / "docs"
    docs.mkdir()
    (docs / "web.md").write_text(DOC.format(py=PY, folder=service.folder, port=service.port,
                                            pid=service.pid_file))
    assert runner.invoke(app, ["import", "docs"]).exit_code == 0
    (project / "knownfix-checks.yaml").write_text(
        f"allow: [{PY}]\ndetectors:\n  - {{name: web, kind: http, "
        f"url: 'http://127.0.0.1:{service.port}/health', timeout: 1}}\n")
    incident = json.loads(runner.invoke(app, ["check", "--json"]).stdout)["incident"]["id"]
    linked = runner.invoke(app, ["incidents", "update", incident, "--known-issue", "KF-0101"])
    assert linked.exit_code == 0, linked.output
    plan = json.loads(runner.invoke(app, ["playbook", "run", incident, "--json"]).stdout)
    assert plan["playbook"] == "KF-0101"
    assert plan["origin"].endswith("web.md:18")
    assert not answers(service.port)
    done = runner.invoke(app, ["playbook", "run", incident, "--execute"])
    assert done.exit_code == 0, done.output
    assert answers(service.port)


def test_a_document_cannot_widen_the_allowlist(project: Path, runner: CliRunner,
                                               service: LocalService) -> None:
    docs = project / "docs"
    docs.mkdir()
    (docs / "web.md").write_text(DOC.format(py=PY, folder=service.folder, port=service.port,
                                            pid=service.pid_file))
    runner.invoke(app, ["import", "docs"])
    (project / "knownfix-checks.yaml").write_text(
        f"allow: [true]\ndetectors:\n  - {{name: web, kind: http, "
        f"url: 'http://127.0.0.1:{service.port}/health', timeout: 1}}\n")
    incident = json.loads(runner.invoke(app, ["check", "--json"]).stdout)["incident"]["id"]
    runner.invoke(app, ["incidents", "update", incident, "--known-issue", "KF-0101"])
    result = runner.invoke(app, ["playbook", "run", incident])
    assert result.exit_code == 2
    assert f"web.md:20: run: '{PY}' is not in allow" in result.stderr
