"""Rows an import prepares beside the parse (``storage.import_rows``): the same bytes the store
wrote before, and a re-import of an edited tree stores what a fresh import of it stores."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from knownfix.core.docparse import parse_markdown
from knownfix.core.match.prepared import stored_forms
from knownfix.services import import_workers, knowledge
from knownfix.storage import match_index
from knownfix.storage.import_rows import (
    JSON_COLUMNS,
    EncodedJSON,
    json_serializer,
    prepare_issues,
)
from knownfix.storage.repository import open_store
from knownfix.storage.tables import issue_values

DOCS = Path(__file__).parent / "data" / "knowledge" / "docs"
EXAMPLES = Path(__file__).parent.parent / "examples" / "kb"

# What an import stores, without when it ran (created_at, updated_at) and the run's id.
ISSUE_COLUMNS = (
    "id, title, symptoms, signature, root_cause, resolution, resolution_steps, commands, "
    "verification, prevention, category, severity, status, self_healing, response_time, "
    "escalation, tags, extra, source_path, source_line, doc_key, content_hash")


def stored_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """The active issues' rows, their stored terms and the search index, as SQLite holds them."""
    with sqlite3.connect(path) as conn:
        return {
            "issues": conn.execute(f"SELECT {ISSUE_COLUMNS} FROM known_issues "
                                   "WHERE NOT retired ORDER BY id").fetchall(),
            "terms": conn.execute(
                "SELECT t.issue_id, t.stamp, t.terms, t.prepared FROM match_issue_terms t "
                "JOIN known_issues k ON k.id = t.issue_id WHERE NOT k.retired "
                "ORDER BY t.issue_id").fetchall(),
            "fts": conn.execute(
                "SELECT f.* FROM known_issue_fts f JOIN known_issues k ON k.id = f.issue_id "
                "WHERE NOT k.retired ORDER BY f.issue_id").fetchall(),
            "index": conn.execute("SELECT format, issues, data FROM match_index").fetchall(),
        }


def test_prepared_rows_are_what_the_columns_would_encode() -> None:
    for path in sorted(EXAMPLES.glob("*.md")):
        doc = parse_markdown(path.read_text().splitlines(keepends=True), str(path))
        prepared = prepare_issues(doc.issues)
        assert list(prepared) == [issue.id for issue in doc.issues]
        for issue in doc.issues:
            ready = prepared[issue.id]
            plain = issue_values(issue)
            columns = ready.columns()
            assert set(columns) == set(plain)
            for name, value in plain.items():
                if name in JSON_COLUMNS:
                    assert type(columns[name]) is EncodedJSON
                    assert json_serializer(columns[name]) == json.dumps(value), name
                else:
                    assert columns[name] == value, name
            forms = stored_forms(issue)
            assert ready.terms == json.dumps(forms["terms"])
            assert ready.prepared == json.dumps(forms["prepared"])


def test_the_json_serializer_writes_encoded_values_as_they_are() -> None:
    assert json_serializer(EncodedJSON('{"a": [1, 2]}')) == '{"a": [1, 2]}'
    # Anything else is encoded as SQLAlchemy's default (json.dumps) encodes it.
    for value in ({"b": "é", "a": None}, ["x", 1.5], "text", None, 3):
        assert json_serializer(value) == json.dumps(value)


@pytest.mark.parametrize("workers", [1, 2])
def test_an_edited_tree_stores_what_a_fresh_import_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setattr(import_workers, "PARALLEL_BYTES", 0)  # the fixture docs are small
    tree = Path(shutil.copytree(DOCS, tmp_path / "docs"))
    shutil.copytree(EXAMPLES, tree / "examples")
    with open_store(f"sqlite:///{tmp_path / 'kb.db'}") as store:
        knowledge.import_paths(store, [tree], workers=workers)
        # An issue's text changes, another moves down its page (its terms stay), a document
        # goes, another comes.
        doc = tree / "platform" / "engineering-issues.md"
        doc.write_text("\n\n" + doc.read_text().replace("stopped with", "halted with"))
        (tree / "status-report.md").unlink()
        (tree / "new.md").write_text("# Disk full on the runner\n\n**Symptom:** `No space left "
                                     "on device`\n\n**Fix:** Clean the build cache.\n")
        # Every issue the import reads gets its terms where the import writes it: nothing is
        # left for the index rebuild to prepare.
        monkeypatch.setattr(match_index, "stored_forms", _not_called)
        stats = knowledge.import_paths(store, [tree], workers=workers).stats
        assert (stats.created, stats.updated, stats.retired) == (1, 1, 2)
    monkeypatch.undo()
    monkeypatch.setattr(import_workers, "PARALLEL_BYTES", 0)
    with open_store(f"sqlite:///{tmp_path / 'fresh.db'}") as store:
        knowledge.import_paths(store, [tree], workers=workers)
    assert stored_rows(tmp_path / "kb.db") == stored_rows(tmp_path / "fresh.db")


def _not_called(*_args: object) -> None:
    raise AssertionError("an issue the import read was prepared again when the index was built")
