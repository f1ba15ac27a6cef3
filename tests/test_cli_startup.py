"""What ``knownfix triage`` loads to start: a read-only triage on a small SQLite knowledge base
imports neither SQLAlchemy (the store is read with sqlite3), numpy (a small index is ranked in
plain Python), pydantic (plain options need no Typer adapters) nor Rich (nothing is drawn);
recording the incident, the default, writes with sqlite3 too. On PostgreSQL a read-only triage
reads with psycopg alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from knownfix.core.records import KnownIssue, ParsedDocument, SignatureRules
from knownfix.storage.repository import open_store

HEAVY = ("sqlalchemy", "numpy", "pydantic", "rich")
PROBE = """
import json, sys
from knownfix.cli import main
heavy = sys.argv[1].split(",")
sys.argv = ["knownfix", *sys.argv[2:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & set(heavy))))
"""


def fill(url: str) -> None:
    with open_store(url) as store:
        issues = [KnownIssue(id="KF-1", title="Disk full", symptoms=["No space left on device"],
                             signature=SignatureRules(contains=["No space left on device"]),
                             resolution="Free space.")]
        store.import_documents([ParsedDocument("a.md", "numbered-sections", issues)],
                               doc_keys=["a.md"])


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    path = tmp_path / "kb.db"
    fill(f"sqlite:///{path}")
    return path


def loaded(kb: Path | str, tmp_path: Path, *args: str) -> tuple[list[str], list[str]]:
    log = tmp_path / "build.log"
    log.write_text("step 3\nOSError: [Errno 28] No space left on device\nError: exit 1\n")
    command = [sys.executable, "-c", PROBE, ",".join(HEAVY), "--db", str(kb), "triage", str(log)]
    out = subprocess.run([*command, *args], capture_output=True, text=True, check=True,
                         timeout=120).stdout
    *printed, modules = out.strip().splitlines()
    return printed, json.loads(modules)


@pytest.mark.parametrize("args", [("--json", "--no-record"), ("--format", "github", "--no-record"),
                                  ("--format", "markdown", "--no-record")])
def test_a_read_only_triage_loads_nothing_heavy(kb: Path, tmp_path: Path,
                                                args: tuple[str, ...]) -> None:
    printed, modules = loaded(kb, tmp_path, *args)
    assert "KF-1" in "\n".join(printed)
    assert modules == []


def test_recording_loads_no_sqlalchemy_and_text_output_rich(kb: Path, tmp_path: Path) -> None:
    printed, modules = loaded(kb, tmp_path)
    assert "KF-1" in "\n".join(printed)
    assert modules == ["rich"]  # the probe itself can tell
    printed, modules = loaded(kb, tmp_path, "--json")  # a second occurrence: counted
    assert json.loads(printed[0])["incident"]["count"] == 2
    assert modules == []


def test_a_read_only_triage_of_postgresql_loads_no_sqlalchemy(postgres_url: str,
                                                              tmp_path: Path) -> None:
    fill(postgres_url)
    printed, modules = loaded(postgres_url, tmp_path, "--json", "--no-record")
    assert json.loads(printed[0])["matches"][0]["id"] == "KF-1"
    assert modules == []
