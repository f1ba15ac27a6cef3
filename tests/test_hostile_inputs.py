"""Hostile inputs to import, triage, policy, lint and report: a clear error or a correct result,
never a traceback, a hang or lost data. Fixed cases (each failure the hardening issue found) and
hypothesis, through the CLI (CliRunner), and real processes where only a process shows it:
stdin closed or a terminal, pipes and FIFOs, a full output device."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from knownfix.cli import app

DOC = """---
id: KF-0042
severity: high
---
# Worker cannot reach the database

## Symptoms

- `psycopg.OperationalError: connection refused`

## Root cause

The database [was down](javascript:alert(document.cookie)).

## Resolution

1. Restart it: see [the runbook](javascript:alert(1)) or [the docs](https://example.com/db).

## Verification

- `pg_isready -h db`
"""
LOG = "Step 3/5 : migrate\npsycopg.OperationalError: connection refused\nexit status 1\n"
TIMEOUT = 300  # a hang detector, not a timing: the machine may be loaded


def cli(*args: str, cwd: Path, stdin: int | None = subprocess.DEVNULL,
        env: dict[str, str] | None = None, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """The real ``knownfix`` in a process of its own, with a clean KNOWNFIX_* environment."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("KNOWNFIX_")}
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "knownfix", *args], cwd=cwd, env={**base, **(env or {})},
        stdin=stdin, text=True, timeout=TIMEOUT, **streams,
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr


@pytest.fixture
def docs(project: Path) -> Path:
    (project / "db.md").write_text(DOC, encoding="utf-8")
    (project / "build.log").write_text(LOG, encoding="utf-8")
    return project


# ---- import: pipes, FIFOs, names, front matter --------------------------------------------


def test_import_reads_a_fifo_once(docs: Path) -> None:
    fifo = docs / "fifo.md"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(DOC, encoding="utf-8"))
    writer.start()
    result = cli("import", "fifo.md", "--json", cwd=docs)
    writer.join(timeout=TIMEOUT)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert '"created": 1' in result.stdout


def test_import_reads_process_substitution(docs: Path) -> None:
    # What `knownfix import <(cat db.md)` passes: /dev/fd/N, a pipe that can be read once.
    read, write = os.pipe()
    def feed() -> None:
        os.write(write, DOC.encode())
        os.close(write)

    feeder = threading.Thread(target=feed)
    feeder.start()
    try:
        result = cli("import", f"/dev/fd/{read}", "--json", cwd=docs, pass_fds=(read,))
    finally:
        feeder.join(timeout=TIMEOUT)
        os.close(read)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert '"created": 1' in result.stdout


def test_a_fifo_in_a_folder_is_skipped_not_waited_for(docs: Path) -> None:
    folder = docs / "kb"
    folder.mkdir()
    (folder / "db.md").write_text(DOC, encoding="utf-8")
    os.mkfifo(folder / "pipe.md")
    imported = cli("import", "kb", cwd=docs)
    no_traceback(imported)
    assert imported.returncode == 0
    assert "pipe.md:0: not a regular file" in imported.stdout
    linted = cli("lint", "kb", cwd=docs)
    assert "pipe.md:1: warning: not a regular file" in linted.stdout


def test_a_file_name_that_is_not_utf8_is_stored_and_shown(
    runner: CliRunner, docs: Path
) -> None:
    name = os.fsdecode(b"db-\xff.md")
    (docs / name).write_text(DOC, encoding="utf-8")
    result = runner.invoke(app, ["import", name, "--json"])
    assert result.exit_code == 0, result.output
    assert "db-\\\\xff.md" in result.stdout  # JSON of the text db-\xff.md
    log = os.fsdecode(b"build-\xfe.log")
    (docs / log).write_text(LOG, encoding="utf-8")
    triaged = runner.invoke(app, ["triage", log, "--json"])
    assert triaged.exit_code in {0, 1}, triaged.output
    assert '"source": "build-\\\\xfe.log"' in triaged.stdout
    listed = runner.invoke(app, ["incidents", "list", "--json"])
    assert listed.exit_code == 0


def test_front_matter_of_the_wrong_type_is_reported_by_import(
    runner: CliRunner, project: Path
) -> None:
    bad = DOC.replace("severity: high", "severity: [1, 2]\nstatus: {a: b}\n"
                                        "response_time: -5 parsecs")
    (project / "bad.md").write_text(bad, encoding="utf-8")
    result = runner.invoke(app, ["import", "bad.md"])
    assert result.exit_code == 0, result.output
    for line, what in ((3, "severity must be a text"), (4, "status must be a text"),
                       (5, "response_time '-5 parsecs' is not a duration")):
        assert f"bad.md:{line}: front matter {what}" in result.stdout
    shown = runner.invoke(app, ["kb", "show", "KF-0042", "--json"])
    assert '"severity": null' in shown.stdout  # reported, never stored as "[1, 2]"


def test_utf16_without_a_byte_order_mark_is_read(runner: CliRunner, docs: Path) -> None:
    (docs / "win.log").write_bytes(LOG.encode("utf-16-le"))
    result = runner.invoke(app, ["triage", "win.log", "--no-record", "--json"])
    assert result.exit_code == 1, result.output
    assert "connection refused" in result.stdout


# ---- triage: stdin, terminals, empty logs, output devices -------------------------------


def test_triage_with_stdin_closed_is_a_clear_error(docs: Path) -> None:
    # `knownfix triage - <&-`, as a shell runs it.
    base = {k: v for k, v in os.environ.items() if not k.startswith("KNOWNFIX_")}
    result = subprocess.run(
        ["/bin/sh", "-c", 'exec "$0" -m knownfix triage - <&-', sys.executable],
        cwd=docs, env=base, capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )
    no_traceback(result)
    assert result.returncode == 2
    assert "standard input is closed" in result.stderr


def test_stdin_given_twice_is_refused(runner: CliRunner, docs: Path) -> None:
    result = runner.invoke(app, ["triage", "-", "-"], input=LOG)
    assert result.exit_code == 2
    assert "'-' (standard input) can be given only once" in result.stderr


def test_triage_on_a_terminal_says_what_it_wants(docs: Path) -> None:
    master, slave = pty.openpty()
    try:
        bare = cli("triage", cwd=docs, stdin=slave)
        no_traceback(bare)
        assert bare.returncode == 2
        assert "no log given" in bare.stderr
        os.write(master, b"\x04")  # Ctrl-D: the end of what is typed
        typed = cli("triage", "-", "--no-record", cwd=docs, stdin=slave)
        assert "reading the log from the terminal" in typed.stderr
        assert typed.returncode == 2
        assert "empty input" in typed.stderr
    finally:
        os.close(master)
        os.close(slave)


@pytest.mark.parametrize("content", ["", "   \n\n\t\n"], ids=["empty", "blank"])
def test_an_empty_log_on_stdin_is_empty_input(runner: CliRunner, docs: Path,
                                              content: str) -> None:
    result = runner.invoke(app, ["triage", "--no-record"], input=content)
    assert result.exit_code == 2
    assert "error: <stdin>: empty input" in result.stderr


OUTPUT_COMMANDS = [
    ("triage", "build.log", "--no-record"), ("triage", "build.log", "--json"),
    ("triage", "build.log", "--format", "markdown"), ("report",), ("report", "--format", "md"),
    ("kb", "list"), ("kb", "list", "--json"), ("incidents", "list"), ("search", "database"),
    ("lint", "db.md", "--json"), ("policy", "show"), ("logs", "cluster", "build.log"), ("--help",),
    ("--version",), ("triage", "--help"),
]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the doc imported and the log triaged once (read-only for its tests)."""
    folder = tmp_path_factory.mktemp("imported")
    (folder / "db.md").write_text(DOC, encoding="utf-8")
    (folder / "build.log").write_text(LOG, encoding="utf-8")
    assert cli("import", "db.md", cwd=folder).returncode == 0
    return folder


@pytest.mark.parametrize("args", OUTPUT_COMMANDS, ids=" ".join)
def test_a_full_output_device_is_a_clear_error(imported: Path, args: tuple[str, ...]) -> None:
    with open("/dev/full", "w") as full:  # noqa: PTH123 - a device, not a path to build on
        result = cli(*args, cwd=imported, stdout=full)
    no_traceback(result)
    assert result.returncode == 2, result.stderr
    assert "error: cannot write the output: No space left on device" in result.stderr


# ---- configuration: KNOWNFIX_* values, policy aliases ----------------------------------------


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("KNOWNFIX_SCAN_ENGINE", "bogus", "is not a scan engine"),
        ("KNOWNFIX_SEMANTIC", "maybe", "must be true or false"),
        ("KNOWNFIX_BROKER_URL", "localhost", "BROKER_URL must be a URL"),
        ("KNOWNFIX_REDIS_URL", "http://cache", "REDIS_URL must be a redis://"),
        ("KNOWNFIX_KEY_PREFIX", "two words", "KEY_PREFIX must be one word"),
        ("KNOWNFIX_NOTIFY_URLS", "slack", "is not an apprise URL"),
        ("KNOWNFIX_PROJECT_DIR", "/nonexistent/x", "is not a folder"),
        ("KNOWNFIX_CACHE_DIR", "build.log", "is not a folder"),
        ("KNOWNFIX_POLICY_PATH", "missing.yaml", "does not exist"),
    ],
)
def test_a_setting_that_cannot_work_is_refused(
    runner: CliRunner, docs: Path, variable: str, value: str, message: str
) -> None:
    result = runner.invoke(app, ["triage", "build.log", "--no-record"], env={variable: value})
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_an_unknown_setting_is_named_with_the_closest_one(runner: CliRunner, docs: Path) -> None:
    result = runner.invoke(app, ["kb", "list", "--json"], env={"KNOWNFIX_DATABSE_URL": "x"})
    assert result.exit_code == 0
    assert "KNOWNFIX_DATABSE_URL is not a knownfix setting (did you mean " \
           "KNOWNFIX_DATABASE_URL?)" in result.stderr


def test_a_policy_alias_bomb_is_refused_at_its_line(runner: CliRunner, project: Path) -> None:
    patterns = "\n".join(f"      - 'pattern {n}'" for n in range(1000))
    rules = "\n".join(f"  - name: r{n}\n    when:\n      any_regex: *a\n    then: {{category: x}}"
                      for n in range(1, 200))
    (project / "knownfix-policy.yaml").write_text(
        f"version: 1\nrules:\n  - name: r0\n    when:\n      any_regex: &a\n{patterns}\n"
        f"    then: {{category: x}}\n{rules}\n", encoding="utf-8")
    result = runner.invoke(app, ["policy", "show"])
    assert result.exit_code == 2
    assert "knownfix-policy.yaml:1009: YAML aliases are not allowed (*a)" in result.stderr


# ---- Markdown and HTML written by knownfix: no live javascript: links ----------------------


def test_reports_and_summaries_keep_no_javascript_link(runner: CliRunner, docs: Path) -> None:
    assert runner.invoke(app, ["import", "db.md"]).exit_code == 0
    triaged = runner.invoke(app, ["triage", "build.log", "--format", "markdown"])
    report = runner.invoke(app, ["report", "--format", "md"])
    exported = runner.invoke(app, ["kb", "export", "out"])
    assert exported.exit_code == 0
    for text in (triaged.stdout, report.stdout, (docs / "out").joinpath(
            os.listdir(docs / "out")[0]).read_text(encoding="utf-8")):
        assert "](javascript:" not in text
        assert "](#javascript:" in text
    assert "](https://example.com/db)" in triaged.stdout


# ---- hypothesis: whatever comes in, a clear result ------------------------------------------

BYTES = st.binary(max_size=400) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "replace"))
MARKDOWN = st.lists(
    st.sampled_from(["---\n", "id: KF-1\n", "severity: [1\n", "# T\n", "## Symptoms\n", "- `x`\n",
                     "| a | b |\n", "|---|---|\n", "*_*_\n", "[x](javascript:1)\n", "```\n",
                     "tags: &a [x]\n", "extra: *a\n", "\n", "\x00", "\ufeff", "\r"])
    | st.text(max_size=40),
    max_size=25,
).map("".join)
HYPOTHESIS = settings(max_examples=25, deadline=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture])


@HYPOTHESIS
@given(BYTES)
def test_any_log_gets_a_result_or_a_clear_error(runner: CliRunner, project: Path,
                                                data: bytes) -> None:
    (project / "x.log").write_bytes(data)
    result = runner.invoke(app, ["triage", "x.log", "--no-record", "--json"])
    assert result.exit_code in {0, 1, 2}
    assert isinstance(result.exception, SystemExit | None), result.exception
    if result.exit_code == 2:
        assert result.stderr.startswith("error: x.log: ")


@HYPOTHESIS
@given(MARKDOWN)
def test_any_document_imports_and_lints_without_a_traceback(
    runner: CliRunner, project: Path, text: str
) -> None:
    (project / "doc.md").write_text(text, encoding="utf-8", errors="surrogatepass")
    for args in (["import", "doc.md"], ["lint", "doc.md"], ["report", "--format", "md"]):
        result = runner.invoke(app, args)
        assert isinstance(result.exception, SystemExit | None), (args, result.exception)
        assert result.exit_code in {0, 1, 2}
        if args[0] == "report":  # Markdown: terminal text (an import's skip list) is not
            assert "](javascript:" not in result.stdout


@HYPOTHESIS
@given(st.text(max_size=400) | st.sampled_from(["a: &x [1]\nb: *x\n", "version: 1\nrules: *r\n"]))
def test_any_policy_file_loads_or_names_its_line(runner: CliRunner, project: Path,
                                                 text: str) -> None:
    (project / "knownfix-policy.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    result = runner.invoke(app, ["policy", "show"])
    assert isinstance(result.exception, SystemExit | None), result.exception
    assert result.exit_code in {0, 2}
    if result.exit_code == 2:
        assert "knownfix-policy.yaml:" in result.stderr
