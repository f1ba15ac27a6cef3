"""The knowledge-base commands end to end with CliRunner on a temporary project."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from knownfix.cli import app
from knownfix.core.records import KnownIssue

DOCS = Path(__file__).parent / "data" / "knowledge" / "docs"
CANONICAL = DOCS.parent / "canonical"
ISSUE_FIELDS = set(KnownIssue(id="x", title="x").to_dict())


@pytest.fixture
def docs(project: Path) -> Path:
    return Path(shutil.copytree(DOCS, project / "docs"))


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result.stdout


def run_json(runner: CliRunner, *args: str) -> object:
    return json.loads(run(runner, *args, "--json"))


def test_import_prints_a_summary_and_reimport_counts_the_same(
    runner: CliRunner, docs: Path, project: Path
) -> None:
    out = run(runner, "import", "docs")
    assert "incident-log.md" in out
    assert "created" in out
    assert (project / ".knownfix" / "knownfix.db").is_file()
    first = run_json(runner, "import", "docs")
    second = run_json(runner, "import", "docs")
    assert first == second  # type: ignore[comparison-overlap]
    assert first["stats"]["created"] == 0  # type: ignore[index]
    assert first["stats"]["unchanged"] == len(run_json(runner, "kb", "list"))  # type: ignore


def test_kb_list_json_has_the_known_issue_fields(runner: CliRunner, docs: Path) -> None:
    run(runner, "import", "docs")
    issues = run_json(runner, "kb", "list")
    assert isinstance(issues, list)
    assert issues
    for issue in issues:
        assert set(issue) == ISSUE_FIELDS
        assert set(issue["source"]) == {"path", "line"}
        assert issue["retired"] is False
    assert [i["id"] for i in issues] == sorted(i["id"] for i in issues)


def test_kb_list_all_shows_retired(runner: CliRunner, docs: Path) -> None:
    run(runner, "import", "docs")
    count = len(run_json(runner, "kb", "list"))  # type: ignore[arg-type]
    (docs / "status-report.md").write_text("# Reliability Status Report\n")
    run(runner, "import", "docs")
    active = run_json(runner, "kb", "list")
    everything = run_json(runner, "kb", "list", "--all")
    assert len(everything) == count  # type: ignore[arg-type]
    assert len(active) < count  # type: ignore[arg-type]
    assert {i["id"] for i in everything if i["retired"]} >= {"CRIT-101"}  # type: ignore


def test_kb_show_json_and_text(runner: CliRunner, docs: Path) -> None:
    run(runner, "import", "docs")
    issue = run_json(runner, "kb", "show", "CRIT-101")
    assert issue["id"] == "CRIT-101"  # type: ignore[index]
    text = run(runner, "kb", "show", "CRIT-101")
    assert "CRIT-101" in text
    assert "source: docs" in text.replace("\\", "/")


def test_unknown_id_is_one_line_exit_2(runner: CliRunner, project: Path) -> None:
    result = runner.invoke(app, ["kb", "show", "NOPE-1"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: no known issue 'NOPE-1'"
    assert "Traceback" not in result.output


def test_conflict_is_one_line_and_writes_nothing(runner: CliRunner, docs: Path) -> None:
    run(runner, "import", "docs")
    before = run_json(runner, "kb", "list")
    shutil.copy(docs / "status-report.md", docs.parent / "copy.md")
    result = runner.invoke(app, ["import", "copy.md"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "duplicate known issue id" in lines[0]
    assert "copy.md" in lines[0]
    assert run_json(runner, "kb", "list") == before


def test_export_then_import_round_trip(runner: CliRunner, docs: Path, project: Path) -> None:
    run(runner, "import", "docs")
    out = run(runner, "kb", "export", "exported")
    assert out.startswith("exported ")
    run(runner, "--db", "other.db", "import", "exported")
    drop = {"source", "updated_at"}
    original = [{k: v for k, v in i.items() if k not in drop}
                for i in run_json(runner, "kb", "list")]  # type: ignore[union-attr]
    again = [{k: v for k, v in i.items() if k not in drop}
             for i in run_json(runner, "--db", "other.db", "kb", "list")]  # type: ignore
    assert again == original


def test_new_scaffolds_then_refuses_to_overwrite(runner: CliRunner, project: Path) -> None:
    out = run(runner, "new", "Queue consumer stuck", "--id", "KF-0042", "--dir", "kb")
    path = Path(out.removeprefix("created ").strip())
    assert path.is_file()
    assert path.parent == Path("kb")
    result = runner.invoke(app, ["new", "Queue consumer stuck", "--id", "KF-0042", "--dir", "kb"])
    assert result.exit_code == 2
    assert "already exists" in result.stderr


def test_lint_prints_places_and_exits_1_on_errors(runner: CliRunner, project: Path) -> None:
    (project / "bad.md").write_bytes(b"\x00binary")
    result = runner.invoke(app, ["lint", "bad.md"])
    assert result.exit_code == 1
    assert result.stdout.startswith("bad.md:1: error: binary file")
    data = json.loads(runner.invoke(app, ["lint", "bad.md", "--json"]).stdout)
    assert data == [
        {"path": "bad.md", "line": 1, "severity": "error", "message": "binary file, not text"}
    ]


def test_lint_flags_an_unfilled_scaffold_and_passes_an_export(
    runner: CliRunner, docs: Path
) -> None:
    run(runner, "new", "Disk full on agents", "--id", "KF-0001", "--dir", "drafts")
    result = runner.invoke(app, ["lint", "drafts"])
    assert result.exit_code == 1
    assert all(line.startswith("drafts/KF-0001.md:") for line in result.stdout.splitlines())
    assert "TODO" in result.stdout
    shutil.copytree(CANONICAL, "canonical")
    run(runner, "import", "canonical")
    run(runner, "kb", "export", "exported")
    for folder in ("canonical", "exported"):
        clean = runner.invoke(app, ["lint", folder])
        assert clean.exit_code == 0, clean.stdout
        assert clean.stderr.startswith("0 error(s)")


def test_search_ranks_and_highlights(runner: CliRunner, docs: Path) -> None:
    run(runner, "import", "docs")
    hits = run_json(runner, "search", "Can't locate revision")
    assert isinstance(hits, list)
    assert hits[0]["title"] == "Migration Head Points at a Missing Revision"
    assert set(hits[0]) == {"id", "title", "score", "snippet"}
    assert hits[0]["score"] == 1.0
    text = run(runner, "search", "Can't locate revision", "--limit", "1")
    assert "Migration Head" in text
    assert "**" not in text
    assert run(runner, "search", "zzzzqqq") == "no matching known issue\n"


@pytest.mark.parametrize("columns", ["40", "80"])
def test_list_and_search_tables_keep_ids_whole(
    runner: CliRunner, docs: Path, columns: str
) -> None:
    run(runner, "import", "docs")
    ids = [issue["id"] for issue in run_json(runner, "kb", "list")]  # type: ignore[attr-defined]
    for args in (["kb", "list"], ["search", "Can't locate revision"]):
        result = runner.invoke(app, args, env={"COLUMNS": columns})
        assert result.exit_code == 0, result.output
        assert all(len(line) <= int(columns) for line in result.stdout.splitlines())
        # An id longer than the terminal folds over lines, every character kept.
        first_column = "".join(line.split("│")[1].strip() for line in result.stdout.splitlines()
                               if line.startswith("│"))
        shown = ids if args[0] == "kb" else ids[:0]
        assert all(issue_id in first_column for issue_id in shown)


def test_bad_store_url_is_one_line(runner: CliRunner, project: Path) -> None:
    result = runner.invoke(app, ["--db", "mysql://x/y", "kb", "list"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unsupported database 'mysql'")


def test_missing_path_is_one_line(runner: CliRunner, project: Path) -> None:
    result = runner.invoke(app, ["import", "nowhere"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: nowhere: no such file or folder"


@pytest.mark.parametrize("command", [["import"], ["kb", "list"], ["new"], ["lint"], ["search"]])
def test_help_teaches_with_an_example(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout


def test_commands_work_against_postgresql(
    runner: CliRunner, docs: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNOWNFIX_DATABASE_URL", postgres_url)
    run(runner, "import", "docs")
    assert run_json(runner, "search", "Can't locate revision")[0]["title"] == (  # type: ignore
        "Migration Head Points at a Missing Revision"
    )
    assert len(run_json(runner, "kb", "list")) >= 5  # type: ignore[arg-type]


def test_kb_reindex_rebuilds_a_spoiled_match_index(runner: CliRunner, docs: Path,
                                                   project: Path) -> None:
    from sqlalchemy import update

    from knownfix.storage.match_tables import match_index
    from knownfix.storage.repository import open_store

    run(runner, "import", "docs")
    active = len(run_json(runner, "kb", "list"))  # type: ignore[arg-type]
    url = f"sqlite:///{project / '.knownfix' / 'knownfix.db'}"
    with open_store(url) as store, store.write() as conn:
        conn.execute(update(match_index).values(data=b"KFMI not an index"))
    done = run_json(runner, "kb", "reindex")
    assert done["matchable"] == active  # type: ignore[index]
    assert done["terms"] > 0  # type: ignore[index]
    assert "Reindexed" in run(runner, "kb", "reindex")
