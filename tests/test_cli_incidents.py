"""`knownfix incidents list | show | update | resolve | merge | unmerge` through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from knownfix.cli import app

DATA = Path(__file__).parent / "data" / "triage"


def failed(result: Result) -> bool:
    return result.exit_code == 2 and result.stderr.startswith("error: ") and (
        "Traceback" not in result.stderr
    )


def as_json(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def incidents(project: Path, runner: CliRunner) -> dict[str, str]:
    """Three triaged logs: the migration failure twice, the disk failure, a test failure."""
    ids: dict[str, str] = {}
    for name in ("migrate.log", "migrate-again.log", "disk.log", "report.xml"):
        result = runner.invoke(app, ["triage", str(DATA / name), "--json"])
        ids[name] = json.loads(result.stdout)["incident"]["id"]
    assert ids["migrate.log"] == ids["migrate-again.log"]
    return ids


def test_list_json_and_table(incidents: dict[str, str], runner: CliRunner) -> None:
    listed = as_json(runner, "incidents", "list")
    assert {i["id"] for i in listed} == set(incidents.values())
    migrate = next(i for i in listed if i["id"] == incidents["migrate.log"])
    assert migrate["count"] == 2
    assert migrate["status"] == "open"
    assert migrate["sla_due_at"] is not None
    table = runner.invoke(app, ["incidents", "list"], terminal_width=200)
    assert table.exit_code == 0
    assert incidents["disk.log"] in table.stdout
    assert "3 incidents" in table.stdout


@pytest.mark.parametrize("columns", ["40", "80", "200"])
def test_tables_keep_ids_whole_and_the_file_name_at_any_width(
    incidents: dict[str, str], runner: CliRunner, columns: str
) -> None:
    listed = runner.invoke(app, ["incidents", "list"], env={"COLUMNS": columns})
    assert listed.exit_code == 0, listed.output
    for incident_id in incidents.values():
        assert f" {incident_id} " in listed.stdout
    assert all(len(line) <= int(columns) for line in listed.stdout.splitlines())
    shown = runner.invoke(app, ["incidents", "show", incidents["migrate.log"]],
                          env={"COLUMNS": columns})
    assert "migrate-again.log" in shown.stdout


def test_show_has_occurrences_and_audit_trail(incidents: dict[str, str],
                                              runner: CliRunner) -> None:
    shown = as_json(runner, "incidents", "show", incidents["migrate.log"].lower())
    assert shown["id"] == incidents["migrate.log"]
    assert [o["source"] for o in shown["occurrences"]] == [
        str(DATA / "migrate.log"), str(DATA / "migrate-again.log")]
    assert [e["action"] for e in shown["events"]] == ["opened"]
    text = runner.invoke(app, ["incidents", "show", incidents["migrate.log"]],
                         terminal_width=200)
    assert "Audit trail" in text.stdout
    assert "migrate-again.log" in text.stdout


def test_update_resolve_and_reopen(incidents: dict[str, str], runner: CliRunner) -> None:
    disk = incidents["disk.log"]
    updated = runner.invoke(app, ["incidents", "update", disk, "--status", "investigating",
                                  "--note", "looking"])
    assert updated.exit_code == 0, updated.output
    assert f"{disk}: updated (status investigating" in updated.stdout
    resolved = runner.invoke(app, ["incidents", "resolve", disk, "--note", "pruned cache"])
    assert "status resolved" in resolved.stdout
    assert [i["id"] for i in as_json(runner, "incidents", "list", "--status", "resolved")] \
        == [disk]
    runner.invoke(app, ["triage", str(DATA / "disk.log")])
    back = as_json(runner, "incidents", "show", disk)
    assert (back["status"], back["reopened"], back["count"]) == ("open", 1, 2)
    events = back["events"]
    assert [e["action"] for e in events] == ["opened", "status", "status", "reopened"]
    assert events[2]["detail"]["note"] == "pruned cache"
    assert events[1]["actor"].startswith("cli")


def test_linking_a_known_issue_by_hand(incidents: dict[str, str], runner: CliRunner,
                                       project: Path) -> None:
    doc = project / "kb.md"
    doc.write_text("# Billing\n\n## KF-0500: Credit note total is zero\n\n"
                   "**Symptoms:** credit total is 0\n\n**Resolution:** Fix rounding.\n")
    assert runner.invoke(app, ["import", str(doc)]).exit_code == 0
    test_incident = incidents["report.xml"]
    result = runner.invoke(app, ["incidents", "update", test_incident,
                                 "--known-issue", "KF-9999"])
    assert failed(result)
    issue_id = as_json(runner, "kb", "list")[0]["id"]
    linked = runner.invoke(app, ["incidents", "update", test_incident, "--known-issue",
                                 issue_id])
    assert linked.exit_code == 0, linked.output
    again = json.loads(runner.invoke(app, ["triage", str(DATA / "report.xml"), "--json"]).stdout)
    assert again["known"] is True
    assert again["matches"][0]["id"] == issue_id


def test_merge_and_unmerge(incidents: dict[str, str], runner: CliRunner) -> None:
    disk, test = incidents["disk.log"], incidents["report.xml"]
    merged = runner.invoke(app, ["incidents", "merge", test, disk])
    assert merged.exit_code == 0, merged.output
    assert "count 2" in merged.stdout
    assert test not in {i["id"] for i in as_json(runner, "incidents", "list")}
    again = json.loads(runner.invoke(app, ["triage", str(DATA / "report.xml"), "--json"]).stdout)
    assert again["incident"]["id"] == disk
    restored = runner.invoke(app, ["incidents", "unmerge", test])
    assert restored.exit_code == 0
    assert f"{test}: unmerged (status open, count 2)" in restored.stdout
    assert as_json(runner, "incidents", "show", disk)["count"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["incidents", "show", "HIGH-999"], "no incident 'HIGH-999'"),
        (["incidents", "update", "HIGH-999", "--status", "open"], "no incident"),
        (["incidents", "list", "--status", "closed"], "unknown incident status 'closed'"),
        (["incidents", "update", "{disk}"], "nothing to update"),
        (["incidents", "update", "{disk}", "--status", "done"], "use one of open"),
        (["incidents", "merge", "{disk}", "{disk}"], "into itself"),
        (["incidents", "unmerge", "{disk}"], "is not merged"),
    ],
)
def test_errors_are_one_line(incidents: dict[str, str], runner: CliRunner, args: list[str],
                             message: str) -> None:
    result = runner.invoke(app, [a.format(disk=incidents["disk.log"]) for a in args])
    assert failed(result)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_empty_store_lists_nothing(project: Path, runner: CliRunner) -> None:
    assert as_json(runner, "incidents", "list") == []
    assert "0 incidents" in runner.invoke(app, ["incidents", "list"]).stdout
