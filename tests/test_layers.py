"""The faces (CLI, API, dashboard, workers, renderers, client) reach the store only through
services: the one thing they take from ``knownfix.storage`` is how to open a store."""

from __future__ import annotations

import ast
from pathlib import Path

import knownfix

PACKAGE = Path(knownfix.__file__).parent
FACES = ("cli", "web", "worker", "render", "client")
# Opening a store (full, or the light reader a triage of a SQLite or PostgreSQL store uses).
ALLOWED = {"knownfix.storage.repository": {"Store", "open_store"},
           "knownfix.storage.sqlite_reader": {"SqliteReader", "open_triage_store"},
           "knownfix.storage.pg_reader": {"PgReader"}}


def _storage_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("knownfix.storage"):
            allowed = ALLOWED.get(node.module or "", set())
            found += [f"{node.module}.{a.name}" for a in node.names if a.name not in allowed]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("knownfix.storage")]
    return found


def test_faces_reach_the_store_only_through_services() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): names
        for face in FACES
        for path in sorted((PACKAGE / face).rglob("*.py"))
        if (names := _storage_imports(path))
    }
    assert offenders == {}


def test_the_probe_sees_a_storage_import(tmp_path: Path) -> None:
    sample = tmp_path / "face.py"
    sample.write_text("from knownfix.storage import healing as runs\n"
                      "from knownfix.storage.repository import Store\n", encoding="utf-8")
    assert _storage_imports(sample) == ["knownfix.storage.healing"]
