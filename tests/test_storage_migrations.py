"""Opening the store: migrations on first use, concurrent starts and writers, clear errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from knownfix.errors import StoreError
from knownfix.storage import migrate
from knownfix.storage.db import normalize_url
from knownfix.storage.repository import open_store

OPEN_AND_IMPORT = """
import sys
from knownfix.core.records import KnownIssue, ParsedDocument, SourceRef
from knownfix.storage.repository import open_store
url, n = sys.argv[1], sys.argv[2]
store = open_store(url)
issue = KnownIssue(id=f"KF-{n}", title=f"Issue {n}", source=SourceRef(f"d{n}.md", 1))
store.import_documents([ParsedDocument(f"d{n}.md", "x", [issue])], doc_keys=[f"d{n}"])
"""


def test_first_open_creates_folder_schema_and_version(tmp_path: Path) -> None:
    path = tmp_path / "project" / ".knownfix" / "knownfix.db"
    store = open_store(f"sqlite:///{path}")
    assert path.is_file()
    tables = set(inspect(store.engine).get_table_names())
    assert {"known_issues", "import_runs", "known_issue_fts", migrate.VERSION_TABLE} <= tables
    assert migrate.current_revision(store.engine) == migrate.head_revision()
    with store.read() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    store.close()


def test_the_schema_head_constant_is_alembics_head() -> None:
    # A store at SCHEMA_HEAD is opened without Alembic: the constant must follow new revisions.
    assert migrate.head_revision() == migrate.SCHEMA_HEAD


def test_a_store_at_another_revision_is_migrated_or_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    open_store(url).close()
    with open_store(url) as store, store.write() as conn:
        conn.execute(text(f"UPDATE {migrate.VERSION_TABLE} SET version_num = '9999'"))
    with pytest.raises(StoreError, match="created by a newer knownfix"):
        open_store(url)


def test_opening_again_applies_nothing(store_url: str) -> None:
    open_store(store_url).close()
    with open_store(store_url) as store:
        assert migrate.upgrade(store.engine) is False
        with store.read() as conn:
            rows = conn.execute(text(f"SELECT version_num FROM {migrate.VERSION_TABLE}")).all()
    assert [r[0] for r in rows] == [migrate.head_revision()]


def test_in_memory_sqlite_works() -> None:
    with open_store("sqlite://") as store:
        assert store.list_known_issues() == []


def test_concurrent_first_starts_and_writers_all_succeed(store_url: str) -> None:
    """Four processes open a brand-new store at once and each imports its own doc."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AND_IMPORT, store_url, str(n)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    errors = [p.communicate()[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    with open_store(store_url) as store:
        assert [i.id for i in store.list_known_issues()] == ["KF-0", "KF-1", "KF-2", "KF-3"]
        assert len(store.import_runs()) == 4


def test_schema_from_a_newer_knownfix_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    with open_store(url) as store, store.write() as conn:
        conn.execute(text(f"UPDATE {migrate.VERSION_TABLE} SET version_num = '9999'"))
    with pytest.raises(StoreError, match="newer knownfix"):
        open_store(url)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://db/knownfix", "unsupported database 'mysql'"),
        ("definitely not a url", "invalid database URL"),
        ("postgresql://postgres:secret@127.0.0.1:1/knownfix", "127.0.0.1:1/knownfix"),
    ],
)
def test_bad_or_unreachable_store_is_one_clear_error(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message) as caught:
        open_store(url)
    assert "secret" not in str(caught.value)
    assert "\n" not in str(caught.value)


def test_unwritable_sqlite_folder_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot create"):
        open_store(f"sqlite:///{blocker / 'sub' / 'k.db'}")


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg"),
        ("postgres://u@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg"),
        ("sqlite:///x.db", "sqlite"),
    ],
)
def test_urls_are_normalised_to_psycopg3(given: str, driver: str) -> None:
    assert normalize_url(given).drivername == driver
