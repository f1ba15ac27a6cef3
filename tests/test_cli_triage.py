"""`knownfix triage` through the CLI runner: the README demo, formats, exit codes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from knownfix.cli import app

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).parent / "data" / "triage"
DEMO = EXAMPLES / "logs" / "alembic-missing-revision.log"


def failed(result: Result) -> bool:
    """An error: exit status 2 and ``error: ...`` lines on stderr, never a traceback."""
    return result.exit_code == 2 and result.stderr.startswith("error: ") and (
        "Traceback" not in result.stderr
    )


def json_lines(result: Result) -> list[dict[str, object]]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture
def kb(project: Path, runner: CliRunner) -> Path:
    """The project with the example knowledge base imported."""
    result = runner.invoke(app, ["import", str(EXAMPLES / "kb")])
    assert result.exit_code == 0, result.output
    return project


def test_readme_demo_is_known_with_the_alembic_issue_first(kb: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["triage", str(DEMO)])
    assert result.exit_code == 0, result.output
    assert "KNOWN" in result.stdout
    assert "Alembic" in result.stdout
    assert "new incident" in result.stdout
    data = json_lines(runner.invoke(app, ["triage", str(DEMO), "--json"]))[0]
    assert data["known"] is True
    top = data["matches"][0]  # type: ignore[index]
    assert "alembic" in top["title"].lower()
    assert "alembic" in " ".join(top["verification"]).lower()
    assert data["incident"]["count"] == 2  # type: ignore[index]


def test_every_example_log_gives_one_design_json_line(kb: Path, runner: CliRunner) -> None:
    logs = sorted(str(p.relative_to(ROOT)) for p in (EXAMPLES / "logs").glob("*.log"))
    result = runner.invoke(app, ["triage", *[str(ROOT / p) for p in logs], "--json"])
    assert result.exit_code in (0, 1), result.output
    objects = json_lines(result)
    assert [o["source"] for o in objects] == [str(ROOT / p) for p in logs]
    for data in objects:
        assert set(data) == {"source", "outcome", "excerpt", "signature", "triage", "known",
                             "matches", "incident"}
        passing = Path(str(data["source"])).name.endswith("-passing.log")
        assert data["outcome"] == ("passed" if passing else "failed")
        assert {"title", "fingerprint", "version"} <= set(data["signature"])  # type: ignore[arg-type]
        assert set(data["triage"]) == {  # type: ignore[arg-type]
            "category", "severity", "response_time", "escalation"}
        assert isinstance(data["known"], bool)
        for match in data["matches"]:  # type: ignore[attr-defined]
            assert set(match) == {"id", "title", "score", "reasons", "resolution",
                                  "verification"}
            assert 0.0 <= match["score"] <= 1.0
        if passing:  # nothing to record or match
            assert data["incident"] is None
            assert data["matches"] == []
        else:
            assert set(data["incident"]) == {"id", "new", "count"}  # type: ignore[arg-type]
    failures = [o for o in objects if o["outcome"] == "failed"]
    assert result.exit_code == (0 if all(o["known"] for o in failures) else 1)


def test_source_is_the_path_as_given_and_no_record_gives_null(
    kb: Path, runner: CliRunner
) -> None:
    local = kb / "build.log"
    local.write_bytes(DEMO.read_bytes())
    result = runner.invoke(app, ["triage", "build.log", "--no-record", "--format", "json"])
    data = json_lines(result)[0]
    assert data["source"] == "build.log"
    assert data["incident"] is None
    assert json.loads(runner.invoke(app, ["incidents", "list", "--json"]).stdout) == []


def test_stdin_dash(kb: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["triage", "-", "--json"], input=DEMO.read_bytes())
    data = json_lines(result)[0]
    assert result.exit_code == 0, result.output
    assert data["source"] == "-"
    implicit = runner.invoke(app, ["triage", "--json"], input=DEMO.read_bytes())
    assert json_lines(implicit)[0]["source"] == "-"


def test_unknown_failure_exits_1_and_recurrence_is_counted(kb: Path,
                                                           runner: CliRunner) -> None:
    log = str(DATA / "report.xml")
    first = runner.invoke(app, ["triage", log])
    assert first.exit_code == 1, first.output
    assert "UNKNOWN" in first.stdout
    second = runner.invoke(app, ["triage", log])
    assert "seen 2 times" in second.stdout


def test_missing_file_is_one_error_line_and_exit_2(kb: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["triage", "nope.log"])
    assert failed(result)
    assert result.stderr.strip() == "error: nope.log: no such file"
    mixed = runner.invoke(app, ["triage", "nope.log", str(DEMO), "--json"])
    assert failed(mixed)
    assert len(json_lines(mixed)) == 1  # the good input is still triaged


def test_binary_and_empty_files(kb: Path, runner: CliRunner) -> None:
    (kb / "core.bin").write_bytes(b"\x7fELF\x02\x01\x00\x00\x00")
    (kb / "empty.log").write_bytes(b"")
    binary = runner.invoke(app, ["triage", "core.bin"])
    assert failed(binary)
    assert "binary file" in binary.stderr
    empty = runner.invoke(app, ["triage", "empty.log", "--json"])
    assert empty.exit_code == 2
    assert empty.stdout == ""
    assert "error: empty.log: empty input" in empty.stderr


def test_bad_hint_is_a_usage_error(kb: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["triage", str(DEMO), "--hint", "novalue"])
    assert failed(result)
    assert "KEY=VALUE" in result.output


def test_github_format_annotates_and_appends_the_job_summary(
    kb: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = kb / "summary.md"
    summary.write_text("# earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = runner.invoke(app, ["triage", str(DEMO), str(DATA / "report.xml"),
                                 "--format", "github"])
    assert result.exit_code == 1
    commands = result.stdout.splitlines()
    assert len(commands) == 2
    assert commands[0].startswith(f"::error file={DEMO},line=")
    assert ",title=Known issue " in commands[0]
    assert "title=Unknown failure%3A" in commands[1]
    written = summary.read_text("utf-8")
    assert written.startswith("# earlier step\n## knownfix triage")
    assert "| log | result | triage | incident |" in written


def test_markdown_format(kb: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["triage", str(DEMO), "--format", "markdown", "--no-record"])
    assert result.exit_code == 0
    assert result.stdout.startswith("### ✅ Known issue ")
    assert "**Verify**" in result.stdout


def test_help_documents_the_exit_codes(runner: CliRunner) -> None:
    result = runner.invoke(app, ["triage", "--help"], terminal_width=200)
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "0 every input is a known issue" in text
    assert "1 at least one is an unknown failure" in text
    assert "2 a usage or input error" in text


def test_scope_keeps_projects_apart(kb: Path, runner: CliRunner,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    api = json_lines(runner.invoke(app, ["triage", str(DEMO), "--json", "--scope", "acme/api"]))
    monkeypatch.setenv("KNOWNFIX_SCOPE", "acme/web")
    web = json_lines(runner.invoke(app, ["triage", str(DEMO), "--json"]))
    assert api[0]["incident"]["id"] != web[0]["incident"]["id"]  # type: ignore[index]
    listed = json.loads(runner.invoke(app, ["incidents", "list", "--scope", "acme/web",
                                            "--json"]).stdout)
    assert [(i["id"], i["scope"]) for i in listed] == [(web[0]["incident"]["id"], "acme/web")]  # type: ignore[index]


def test_ci_repository_is_the_default_scope(kb: Path, runner: CliRunner,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/api")
    api = json_lines(runner.invoke(app, ["triage", str(DEMO), "--json"]))
    monkeypatch.delenv("GITHUB_REPOSITORY")
    monkeypatch.setenv("TRAVIS_REPO_SLUG", "acme/web")
    web = json_lines(runner.invoke(app, ["triage", str(DEMO), "--json"]))
    assert api[0]["incident"]["id"] != web[0]["incident"]["id"]  # type: ignore[index]
    # an explicit empty scope shares incidents across projects, CI or not
    shared = json_lines(runner.invoke(app, ["triage", str(DEMO), "--json", "--scope", ""]))
    monkeypatch.delenv("TRAVIS_REPO_SLUG")
    local = json_lines(runner.invoke(app, ["triage", str(DEMO), "--json"]))
    assert shared[0]["incident"]["id"] == local[0]["incident"]["id"]  # type: ignore[index]
    assert local[0]["incident"]["count"] == 2  # type: ignore[index]
    scopes = {i["scope"] for i in json.loads(
        runner.invoke(app, ["incidents", "list", "--json"]).stdout)}
    assert scopes == {"acme/api", "acme/web", ""}
