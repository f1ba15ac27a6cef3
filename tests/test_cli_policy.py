"""`knownfix policy init | show | test` through the CLI runner, in an isolated project dir."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from knownfix.cli import app
from knownfix.core.policy import default_policy, default_policy_text, load_policy
from knownfix.services.policy import load_active_policy
from knownfix.settings import load_settings

DATA = Path(__file__).parent / "data" / "policy"
DISK_LOG = (
    "step 1/3: restore cache\nstep 2/3: build\nTraceback (most recent call last):\n"
    '  File "build.py", line 9, in <module>\n'
    "OSError: [Errno 28] No space left on device: '/tmp/out.bin'\n"
)
TEAM_POLICY = """\
version: 1
name: team
rules:
  - name: github-disk
    when: {any_regex: ['no space left'], hint: {ci: github}}
    then: {category: runner-disk, severity: critical, escalation: Runner admins}
"""


def failed(result: Result) -> bool:
    """An error: exit status 2 and one ``error: ...`` line, never a traceback."""
    return result.exit_code == 2 and result.output.startswith("error: ") and (
        "Traceback" not in result.output
    )


def test_init_writes_the_default_policy(project: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["policy", "init"])
    assert result.exit_code == 0, result.output
    written = (project / "knownfix-policy.yaml").read_text("utf-8")
    assert written == default_policy_text()
    assert "knownfix-policy.yaml" in result.output


def test_init_writes_into_the_project_dir_from_a_subfolder(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / ".knownfix").mkdir()
    (project / "src").mkdir()
    monkeypatch.chdir(project / "src")
    assert runner.invoke(app, ["policy", "init"]).exit_code == 0
    assert (project / "knownfix-policy.yaml").is_file()
    data = json.loads(runner.invoke(app, ["policy", "show", "--json"]).output)
    assert Path(data["origin"]) == (project / "knownfix-policy.yaml").resolve()


def test_init_refuses_to_overwrite_without_force(project: Path, runner: CliRunner) -> None:
    target = project / "mine.yaml"
    target.write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["policy", "init", str(target)])
    assert failed(result)
    assert "already exists (use --force" in result.output
    assert target.read_text("utf-8") == "keep me"
    forced = runner.invoke(app, ["policy", "init", str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    assert load_policy(target.read_text("utf-8")) == default_policy()


def test_init_from_runbook(project: Path, runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["policy", "init", "orbit.yaml", "--from-runbook", str(DATA / "runbook.md")]
    )
    assert result.exit_code == 0, result.output
    policy = load_policy((project / "orbit.yaml").read_text("utf-8"), origin="orbit.yaml")
    assert policy.rules[0].name == "runbook-api-schema-validation"
    assert policy.default.escalation == "Triage rotation"
    assert len(policy.rules) == 6 + len(default_policy().rules)


def test_init_from_a_runbook_without_a_matrix(project: Path, runner: CliRunner) -> None:
    notes = project / "notes.md"
    notes.write_text("# Notes\n\nNothing to see.\n", encoding="utf-8")
    result = runner.invoke(app, ["policy", "init", "--from-runbook", str(notes)])
    assert failed(result)
    assert "no response matrix found" in result.output
    assert not (project / "knownfix-policy.yaml").exists()


def test_show_default_as_json(project: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["policy", "show", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["origin"] == "built-in default policy"
    assert data["version"] == 1
    assert [r["name"] for r in data["rules"]] == [r.name for r in default_policy().rules]


def test_show_table_lists_rules(project: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["policy", "show"])
    assert result.exit_code == 0, result.output
    assert "disk-full" in result.output
    assert "(default)" in result.output


@pytest.mark.parametrize("columns", ["40", "80"])
def test_show_table_keeps_rule_names_whole_in_a_narrow_terminal(
    project: Path, runner: CliRunner, columns: str
) -> None:
    result = runner.invoke(app, ["policy", "show"], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    assert " dependency-resolution " in result.output
    assert all(len(line) <= int(columns) for line in result.output.splitlines())


def test_project_policy_file_is_active(project: Path, runner: CliRunner) -> None:
    (project / "knownfix-policy.yaml").write_text(TEAM_POLICY, encoding="utf-8")
    data = json.loads(runner.invoke(app, ["policy", "show", "--json"]).output)
    assert data["name"] == "team"
    assert data["origin"].endswith("knownfix-policy.yaml")


def test_policy_path_setting_wins(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "knownfix-policy.yaml").write_text(TEAM_POLICY, encoding="utf-8")
    other = project / "other.yaml"
    other.write_text(TEAM_POLICY.replace("name: team", "name: other"), encoding="utf-8")
    monkeypatch.setenv("KNOWNFIX_POLICY_PATH", str(other))
    assert load_active_policy(load_settings()).name == "other"
    data = json.loads(runner.invoke(app, ["policy", "show", "--json"]).output)
    assert data["name"] == "other"


def test_missing_policy_path_is_a_clear_error(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNOWNFIX_POLICY_PATH", str(project / "nope.yaml"))
    result = runner.invoke(app, ["policy", "show"])
    assert failed(result)
    assert "nope.yaml (KNOWNFIX_POLICY_PATH) does not exist" in result.output


def test_invalid_policy_file_names_file_and_line(project: Path, runner: CliRunner) -> None:
    (project / "knownfix-policy.yaml").write_text(
        TEAM_POLICY.replace("'no space left'", "'(a)\\1'"), encoding="utf-8"
    )
    result = runner.invoke(app, ["policy", "show"])
    assert failed(result)
    assert "knownfix-policy.yaml:5: rule 'github-disk': any_regex: not a linear-time" in (
        result.output
    )
    assert "Traceback" not in result.output


def test_policy_file_that_is_not_utf8(project: Path, runner: CliRunner) -> None:
    (project / "knownfix-policy.yaml").write_bytes(b"version: 1\nname: \xff\xfe\n")
    result = runner.invoke(app, ["policy", "show"])
    assert failed(result)
    assert "not UTF-8 text" in result.output


def test_test_shows_decision_and_trace_as_json(project: Path, runner: CliRunner) -> None:
    (project / "build.log").write_text(DISK_LOG, encoding="utf-8")
    result = runner.invoke(app, ["policy", "test", "build.log", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["source"] == "build.log"
    assert data["decision"]["category"] == "disk"
    assert data["decision"]["rule"] == "disk-full"
    assert "No space left on device" in data["excerpt"]["text"]
    assert len(data["trace"]) == len(default_policy().rules)
    matched = [step["rule"] for step in data["trace"] if step["matched"]]
    assert matched[0] == "disk-full"


def test_test_uses_hints_and_the_project_policy(project: Path, runner: CliRunner) -> None:
    (project / "knownfix-policy.yaml").write_text(TEAM_POLICY, encoding="utf-8")
    (project / "build.log").write_text(DISK_LOG, encoding="utf-8")
    plain = json.loads(runner.invoke(app, ["policy", "test", "build.log", "--json"]).output)
    assert plain["decision"]["rule"] is None
    hinted = runner.invoke(app, ["policy", "test", "build.log", "--hint", "ci=github", "--json"])
    assert json.loads(hinted.output)["decision"]["category"] == "runner-disk"


def test_test_reads_stdin_and_prints_people_output(project: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["policy", "test", "-"], input=DISK_LOG)
    assert result.exit_code == 0, result.output
    assert "-: disk / high" in result.output
    assert "rule: disk-full" in result.output
    assert "No space left on device" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), (b"\x00\x01binary\x00", "binary file, not text")],
    ids=["missing", "binary"],
)
def test_test_bad_logs_are_clear_errors(
    project: Path, runner: CliRunner, content: bytes | None, message: str
) -> None:
    if content is not None:
        (project / "bad.log").write_bytes(content)
    result = runner.invoke(app, ["policy", "test", "bad.log"])
    assert failed(result)
    assert f"bad.log: {message}" in result.output


def test_test_empty_log_gets_the_default(project: Path, runner: CliRunner) -> None:
    (project / "empty.log").write_bytes(b"")
    data = json.loads(runner.invoke(app, ["policy", "test", "empty.log", "--json"]).output)
    assert data["decision"]["category"] == "unknown"
    assert data["excerpt"]["spans"] == []


def test_test_invalid_utf8_and_crlf_log(project: Path, runner: CliRunner) -> None:
    (project / "w.log").write_bytes(b"caf\xe9 build\r\nfatal: No space left on device\r\n")
    data = json.loads(runner.invoke(app, ["policy", "test", "w.log", "--json"]).output)
    assert data["decision"]["category"] == "disk"


def test_bad_hint_is_a_clear_error(project: Path, runner: CliRunner) -> None:
    (project / "build.log").write_text(DISK_LOG, encoding="utf-8")
    result = runner.invoke(app, ["policy", "test", "build.log", "--hint", "nonsense"])
    assert failed(result)
    assert "--hint takes KEY=VALUE" in result.output


def test_active_policy_is_reread_when_the_file_changes(project: Path) -> None:
    path = project / "knownfix-policy.yaml"
    path.write_text(TEAM_POLICY, encoding="utf-8")
    settings = load_settings()
    first = load_active_policy(settings)
    assert load_active_policy(settings) is first  # unchanged file: compiled once
    path.write_text(TEAM_POLICY.replace("name: team", "name: team-v2") + "\n", encoding="utf-8")
    assert load_active_policy(settings).name == "team-v2"


def test_test_decides_as_triage_does_when_the_excerpt_names_no_evidence(
    project: Path, runner: CliRunner
) -> None:
    """A weak decision reads the lines around the excerpt in triage; `policy test` says the
    same, and says which text decided."""
    from tests.test_policy_wider import travis_log, triage

    log = travis_log(findings=True)
    path = project / "build.log"
    path.write_text(log)
    result = runner.invoke(app, ["policy", "test", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["decision"]["category"] == triage(log) == "lint"
    assert data["decided_on"] == "window"
    assert any(step["rule"] == data["decision"]["rule"] and step["matched"]
               for step in data["trace"])
    text = runner.invoke(app, ["policy", "test", str(path)])
    assert "decided on the log lines around it" in " ".join(text.output.split())


def test_test_decides_on_the_excerpt_when_it_names_evidence(
    project: Path, runner: CliRunner
) -> None:
    path = project / "build.log"
    path.write_text("$ pytest\nE   ModuleNotFoundError: No module named 'requests'\n"
                    "1 failed in 0.2s\nProcess completed with exit code 1.\n")
    data = json.loads(runner.invoke(app, ["policy", "test", str(path), "--json"]).output)
    assert data["decided_on"] == "excerpt"
