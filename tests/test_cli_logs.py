"""``knownfix logs cluster``: golden JSON Lines, stdin, line endings, the table, bad input.

To refresh a golden file after an intended change, run the command it names and review the diff:
``knownfix logs cluster tests/data/logtemplates/NAME.log [--header-format FMT] --json``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from knownfix.cli.app import app

DATA = Path(__file__).parent / "data" / "logtemplates"
FORMATS: dict[str, str | None] = json.loads((DATA / "formats.json").read_text())


def run(runner: CliRunner, *args: str, stdin: bytes | None = None) -> Result:
    return runner.invoke(app, ["logs", "cluster", *args], input=stdin)


def header_args(name: str) -> list[str]:
    fmt = FORMATS[name]
    return ["--header-format", fmt] if fmt is not None else []


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_golden_json_lines(runner: CliRunner, name: str) -> None:
    result = run(runner, str(DATA / name), *header_args(name), "--json")
    assert result.exit_code == 0, result.stderr
    expected = (DATA / name.replace(".log", ".expected.jsonl")).read_text(encoding="utf-8")
    assert result.stdout == expected
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["line"] for r in records] == list(range(1, len(records) + 1))
    assert all(set(r) == {"line", "template", "cluster"} for r in records)


def test_stdin_gives_the_same_answer(runner: CliRunner) -> None:
    log = (DATA / "sshd.log").read_bytes()
    from_file = run(runner, str(DATA / "sshd.log"), *header_args("sshd.log"), "--json")
    from_stdin = run(runner, "-", *header_args("sshd.log"), "--json", stdin=log)
    assert from_stdin.exit_code == 0, from_stdin.stderr
    assert from_stdin.stdout == from_file.stdout


def test_every_line_ending_counts_once(runner: CliRunner, tmp_path: Path) -> None:
    log = tmp_path / "mixed.log"
    log.write_bytes(b"disk sda1 full\r\ndisk sdb2 full\rdisk sdc3 full\n\nno newline at the end")
    result = run(runner, str(log), "--json")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["line"], r["template"]) for r in records] == [
        (1, "disk <*> full"),
        (2, "disk <*> full"),
        (3, "disk <*> full"),
        (4, ""),
        (5, "no newline at the end"),
    ]
    assert records[0]["cluster"] == records[1]["cluster"] == records[2]["cluster"]


def test_invalid_utf8_is_read_not_refused(runner: CliRunner, tmp_path: Path) -> None:
    log = tmp_path / "latin.log"
    log.write_bytes(b"user caf\xe9 logged in\nuser na\xefve logged in\n")
    result = run(runner, str(log), "--json")
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["line"] for line in result.stdout.splitlines()] == [1, 2]


def test_table_lists_templates_by_count(runner: CliRunner) -> None:
    result = run(runner, str(DATA / "sshd.log"), *header_args("sshd.log"))
    assert result.exit_code == 0, result.stderr
    assert "templates in 26 lines" in result.stdout
    assert "Invalid user <*> from <*> port <*>" in result.stdout
    assert result.stdout.index("Invalid user") < result.stdout.index("Disconnected from user")


def test_empty_file_prints_nothing(runner: CliRunner, tmp_path: Path) -> None:
    log = tmp_path / "empty.log"
    log.write_bytes(b"")
    assert run(runner, str(log), "--json").stdout == ""
    table = run(runner, str(log))
    assert table.exit_code == 0
    assert table.stdout.strip() == "no lines"


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"\x00\x01ELF binary", [], "binary file, not text"),
        (b"a log line\n", ["--header-format", "<Date> <Time>"], "no <Content> field"),
        (b"a log line\n", ["--header-format", "<Date> (<Content>"], "not a valid pattern"),
    ],
)
def test_bad_input_is_one_clear_error(
    runner: CliRunner, tmp_path: Path, content: bytes, args: list[str], message: str
) -> None:
    log = tmp_path / "input.log"
    log.write_bytes(content)
    result = run(runner, str(log), *args, "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, str(tmp_path / "nope.log"))
    assert result.exit_code == 2
    assert "no such file" in result.stderr
