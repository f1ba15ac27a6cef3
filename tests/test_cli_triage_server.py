"""`knownfix triage --server URL`: the same output and exit status as a local triage, the
incident recorded on the service, clear errors for a bad token or an unreachable service."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from knownfix.cli.app import app as cli
from servers import free_port, serve_in_thread
from service_helpers import EXAMPLE_LOGS, ServiceApp, open_service, service_settings

DATA = Path(__file__).parent / "data" / "triage"


@pytest.fixture
def served(project: Path) -> Iterator[tuple[ServiceApp, str]]:
    svc = open_service(service_settings(project / "server"))
    with serve_in_thread(svc.app) as url:
        yield svc, url
    svc.store.close()


def test_remote_triage_prints_what_a_local_one_prints(
    served: tuple[ServiceApp, str], runner: CliRunner, project: Path
) -> None:
    svc, url = served
    log = str(EXAMPLE_LOGS / "npm-eresolve.log")
    local = runner.invoke(cli, ["--db", svc.settings.database_url, "triage", log, "--json",
                                "--no-record"])
    remote = runner.invoke(cli, ["triage", log, "--json", "--server", url, "--token", svc.writer,
                                 "--scope", "shop/web", "--hint", "ci=github"])
    assert remote.exit_code == local.exit_code == 0, remote.output
    mine, theirs = json.loads(remote.output), json.loads(local.output)
    assert mine["incident"]["new"] is True
    assert mine["source"] == log
    for key in ("excerpt", "signature", "triage", "known"):
        assert mine[key] == theirs[key], key
    assert [m["id"] for m in mine["matches"]] == [m["id"] for m in theirs["matches"]]
    incident = svc.store.get_incident(mine["incident"]["id"])
    assert incident.scope == "shop/web"
    assert not (project / ".knownfix").exists(), "no local store was opened"
    github = runner.invoke(cli, ["triage", str(DATA / "report.xml"), "--format", "github",
                                 "--server", url], env={"KNOWNFIX_TOKEN": svc.writer})
    assert github.exit_code == 1  # unknown failure
    assert github.output.startswith("::error")
    assert "credit total is 0" in github.output


def test_remote_triage_errors_are_one_clear_line(
    served: tuple[ServiceApp, str], runner: CliRunner
) -> None:
    svc, url = served
    log = str(EXAMPLE_LOGS / "npm-eresolve.log")
    anonymous = runner.invoke(cli, ["triage", log, "--server", url])
    assert anonymous.exit_code == 2
    assert "answered 401: a bearer token is required" in anonymous.output
    viewer = runner.invoke(cli, ["triage", log, "--server", url, "--token", svc.viewer])
    assert viewer.exit_code == 2
    assert "answered 403" in viewer.output
    gone = runner.invoke(cli, ["triage", log, "--server", f"http://127.0.0.1:{free_port()}",
                               "--token", "x"], env={"KNOWNFIX_SERVER": ""})
    assert gone.exit_code == 2
    assert "unreachable" in gone.output
    baseline = runner.invoke(cli, ["triage", log, "--baseline", log, "--server", url])
    assert baseline.exit_code == 2
    assert "--baseline works on a local triage only" in baseline.output
