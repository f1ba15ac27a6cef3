"""Zero leaks: every secret shape of the corpus (tests/secret_shapes.py), put in failing CI logs,
triaged and recorded, is absent from every output format, the incident table, ``policy test``,
``logs cluster``, the reports and the raw store (the SQLite file and every PostgreSQL row).

A leak is the secret, or any piece of it a redaction cut at punctuation would leave behind
(``Tr0ub4dor&3xyz`` cut at ``&`` leaves ``3xyz``).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from typer.testing import CliRunner

from knownfix.cli import app
from knownfix.core.secrets.redact import redact
from secret_shapes import Shape, build_shapes, private_key_block

SHAPES = build_shapes()
GROUP = 8  # shapes per log: each lands in the excerpt (checked below)
FORMATS = ("text", "json", "github", "markdown")


def fragments(secret: str) -> set[str]:
    """The secret and the pieces of it a cut at punctuation would leave: each run of letters
    and digits of 4 or more, and the secret's first and last 8 characters, that could not be
    an ordinary word or number of the output (a provider's prefix such as "rubygems" or a word
    like "session" in a secret slot is not a leak: labels name them)."""
    candidates = set(re.findall(r"[A-Za-z0-9]{4,}", secret))
    if len(secret) >= 12:
        candidates |= {end for end in (secret[:8], secret[-8:]) if sum(map(str.isalnum, end)) >= 6}
    pieces = {secret}
    for piece in candidates:
        digits, letters = any(map(str.isdigit, piece)), any(map(str.isalpha, piece))
        mixed = piece.lower() != piece and piece.upper() != piece
        # "3xyz" is a leak; "4085" or "Path" could be any number or word of the output. A short
        # run of hex digits ("45a7", one group of a UUID) is found by chance in any text that
        # holds digests (fingerprints, ids: one in 65,536 positions for four): eight or more.
        hex_only = re.fullmatch(r"[0-9a-f]+", piece) is not None
        if hex_only and len(piece) < 8:
            continue
        if (digits and letters) or (digits and len(piece) >= 6) or (mixed and len(piece) >= 5):
            pieces.add(piece)
    return pieces


def leaks(text: str, shapes: list[Shape]) -> list[str]:
    found = []
    for shape in shapes:
        for secret in shape.secrets.values():
            found += [f"{shape.name}: {piece!r}" for piece in fragments(secret) if piece in text]
    return found


def write_logs(folder: Path) -> list[str]:
    """Failing CI logs holding every shape on an error line, and the multi-line key log."""
    folder.mkdir()
    names = []
    for start in range(0, len(SHAPES), GROUP):
        lines = ["$ ./ci/deploy.sh", "Step 1/3 : preparing release"]
        lines += [f"ERROR: {shape.line}" for shape in SHAPES[start : start + GROUP]]
        lines.append("Process exited with code 1")
        path = folder / f"deploy-{start // GROUP:02d}.log"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        names.append(str(path))
    key_log = folder / "deploy-key.log"
    key_log.write_text(private_key_block()[0], encoding="utf-8")
    names.append(str(key_log))
    return names


def outputs(runner: CliRunner, db: str, logs: list[str], tmp: Path) -> Iterator[tuple[str, str]]:
    """(where, what it printed or wrote) for every output knownfix has for these logs."""
    summary = tmp / "summary.md"
    for fmt in FORMATS:
        env = {"GITHUB_STEP_SUMMARY": str(summary)} if fmt == "github" else {}
        result = runner.invoke(app, ["--db", db, "triage", *logs, "--format", fmt], env=env)
        assert result.exit_code == 1, result.output
        yield f"triage --format {fmt}", result.output
    yield "GITHUB_STEP_SUMMARY", summary.read_text(encoding="utf-8")
    listed = runner.invoke(app, ["--db", db, "incidents", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    yield "incidents list --json", listed.output
    yield "incidents list", runner.invoke(app, ["--db", db, "incidents", "list"]).output
    ids = [row["id"] for row in json.loads(listed.output)]
    assert len(ids) >= len(logs) // 2
    for incident in ids:
        for extra in ([], ["--json"]):
            shown = runner.invoke(app, ["--db", db, "incidents", "show", incident, *extra])
            assert shown.exit_code == 0, shown.output
            yield f"incidents show {incident} {' '.join(extra)}", shown.output
    for log in logs:
        for args in (["policy", "test", log, "--json"], ["policy", "test", log],
                     ["logs", "cluster", log, "--json"], ["logs", "cluster", log]):
            result = runner.invoke(app, ["--db", db, *args])
            assert result.exit_code == 0, result.output
            yield " ".join(args), result.output
    for fmt in ("md", "html"):
        target = tmp / f"report.{fmt}"
        made = runner.invoke(app, ["--db", db, "report", "--format", fmt, "--output", str(target)])
        assert made.exit_code == 0, made.output
        yield f"report {fmt}", target.read_text(encoding="utf-8")


def check(runner: CliRunner, db: str, tmp: Path) -> dict[str, str]:
    logs = write_logs(tmp / "logs")
    seen = dict(outputs(runner, db, logs, tmp))
    # Coverage: each shape reached the excerpt, redacted (else "no leak" would prove nothing).
    excerpt = "\n".join(json.loads(line)["excerpt"]["text"]
                        for line in seen["triage --format json"].splitlines())
    missing = [s.name for s in SHAPES if redact(f"ERROR: {s.line}") not in excerpt]
    assert missing == []
    assert "[REDACTED:private-key]" in excerpt
    for where, output in seen.items():
        assert leaks(output, SHAPES) == [], where
    return seen


def test_no_secret_reaches_any_output_or_the_sqlite_file(
    runner: CliRunner, project: Path, tmp_path: Path
) -> None:
    db = tmp_path / "store.db"
    check(runner, str(db), tmp_path)
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("store.db*"))
    assert leaks(raw.decode("latin-1"), SHAPES) == []
    with sqlite3.connect(db) as conn:
        dump = "\n".join(conn.iterdump())
    assert "[REDACTED:" in dump
    assert leaks(dump, SHAPES) == []


@pytest.mark.postgres
def test_no_secret_reaches_a_postgresql_row(
    runner: CliRunner, project: Path, tmp_path: Path, postgres_url: str
) -> None:
    check(runner, postgres_url, tmp_path)
    engine = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    rows: list[str] = []
    try:
        with engine.connect() as conn:
            for table in inspect(conn).get_table_names():
                rows += [str(tuple(row)) for row in conn.execute(text(f'SELECT * FROM "{table}"'))]
    finally:
        engine.dispose()
    dump = "\n".join(rows)
    assert "[REDACTED:" in dump
    assert leaks(dump, SHAPES) == []


def test_the_leak_check_finds_a_leak() -> None:
    # The check itself: a secret cut at "&" leaves a piece it must see.
    shape = next(s for s in SHAPES if s.name == "password-with-ampersand")
    assert leaks("mysql --password=[REDACTED:secret-assignment]&3xyz", [shape]) == [
        "password-with-ampersand: '3xyz'"
    ]
    assert leaks(shape.expected, [shape]) == []
