"""The light readers (SQLite, PostgreSQL): they read what the store reads, and leave to the store
whatever is not a plain read of a current store (a new or old schema, a stale or corrupt index,
writes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text, update

from knownfix.core.records import KnownIssue, ParsedDocument, SignatureRules, SourceRef
from knownfix.errors import StoreError
from knownfix.storage import match_index as match_store
from knownfix.storage.incident_record import NewOccurrence
from knownfix.storage.match_tables import match_index
from knownfix.storage.pg_reader import PgReader, conninfo
from knownfix.storage.reads import VERSION_TABLE
from knownfix.storage.repository import Store, open_store
from knownfix.storage.sqlite_reader import SqliteReader, open_triage_store, sqlite_file


def issue(issue_id: str, title: str, symptom: str, **extra: object) -> KnownIssue:
    return KnownIssue(id=issue_id, title=title, symptoms=[symptom],
                      signature=SignatureRules(contains=[symptom]),
                      root_cause="The service restarted.", resolution="Restart it.",
                      verification=["make check"], tags=["ci"], source=SourceRef("docs/a.md", 3),
                      **extra)  # type: ignore[arg-type]


ISSUES = [
    issue("KF-1", "Disk full", "No space left on device", extra={"Owner": "ops"}),
    issue("KF-2", "Redis down", "Error 111 connecting to redis:6379", severity="high"),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    location = (f"sqlite:///{tmp_path / 'kb.db'}" if request.param == "sqlite"
                else str(request.getfixturevalue("postgres_url")))
    with open_store(location) as store:
        store.import_documents([ParsedDocument("docs/a.md", "numbered-sections", ISSUES)],
                               doc_keys=["docs/a.md"])
        store.record_occurrence(NewOccurrence(
            source="ci.log", title="disk full", fingerprint="s1", loose_fingerprint="l1",
            fingerprint_version="v", excerpt_text="No space left on device", category="infra",
            severity="high", known_issue_id="KF-1"))
    return location


def reader_of(url: str) -> SqliteReader | PgReader:
    opened = open_triage_store(url)
    assert isinstance(opened, PgReader if url.startswith("postgresql") else SqliteReader)
    return opened


def test_postgresql_reads_as_sqlalchemy_read_it(url: str) -> None:
    """The store's PostgreSQL reads on psycopg itself (JSON as text, the blob in binary, one
    statement) give what the same statements gave through SQLAlchemy."""
    ids = ["KF-2", "KF-1", "KF-404"]
    with open_store(url) as store, store.read() as conn:
        light = sorted(match_store.read_prepared(conn, ids), key=lambda s: s.issue.id)
        plain = sorted(match_store.read_prepared_text(conn, ids), key=lambda s: s.issue.id)
        index, index_text = match_store._fresh(conn), match_store.fresh_text(conn)
        assert match_store.read_prepared(conn, []) == []
    assert [s.issue.id for s in light] == ["KF-1", "KF-2"]
    assert light == plain
    assert light[1].issue.signature.contains == ["Error 111 connecting to redis:6379"]
    assert light[0].issue.extra == {"Owner": "ops"}
    assert index is not None
    assert index_text is not None
    assert index.to_bytes() == index_text.to_bytes()


def test_the_reader_reads_what_the_store_reads(url: str) -> None:
    reader = reader_of(url)
    with open_store(url) as store:
        assert reader.match_index().to_bytes() == store.match_index().to_bytes()
        assert reader.fingerprint_links() == store.fingerprint_links() == {"l1": "KF-1"}
        ids = ["KF-2", "KF-1", "KF-404"]
        mine = sorted(reader.get_prepared_issues(ids), key=lambda s: s.issue.id)
        theirs = sorted(store.get_prepared_issues(ids), key=lambda s: s.issue.id)
    assert mine == theirs
    assert [s.issue.id for s in mine] == ["KF-1", "KF-2"]
    assert mine[0].terms is not None
    assert mine[0].prepared is not None
    assert mine[0].issue.updated_at is not None
    assert mine[0].issue.updated_at.tzinfo is not None
    assert reader._full is None  # nothing needed the full store
    reader.close()


def test_stale_stored_forms_are_left_out_as_the_store_leaves_them(url: str) -> None:
    with open_store(url) as store, store.write() as conn:
        conn.execute(text("UPDATE match_issue_terms SET stamp = 'old' WHERE issue_id = 'KF-2'"))
    reader = reader_of(url)
    found = {s.issue.id: s for s in reader.get_prepared_issues(["KF-1", "KF-2"])}
    assert found["KF-2"].terms is None
    assert found["KF-2"].prepared is None
    assert found["KF-1"].terms is not None
    reader.close()


@pytest.mark.parametrize("spoil", ["stale", "format", "corrupt", "missing"])
def test_an_index_it_cannot_trust_is_rebuilt_by_the_store(url: str, spoil: str) -> None:
    with open_store(url) as store, store.write() as conn:
        change = update(match_index)
        if spoil == "stale":
            conn.execute(change.values(import_run=0))
        elif spoil == "format":
            conn.execute(change.values(format="knownfix-match-index/1999-01-01"))
        elif spoil == "corrupt":
            conn.execute(change.values(data=b"KFMI" + b"\0" * 40))
        else:
            conn.execute(match_index.delete())
    reader = reader_of(url)
    assert reader.match_index().issue_ids == ("KF-1", "KF-2")
    assert reader._full is not None  # the store rebuilt it, under its write lock
    reader.close()
    again = reader_of(url)
    assert again.match_index().issue_ids == ("KF-1", "KF-2")
    assert again._full is None  # and saved it: the next process reads it as it is
    again.close()


def test_writes_go_to_the_store(url: str) -> None:
    reader = reader_of(url)
    recorded = reader.record_occurrence(NewOccurrence(
        source="ci.log", title="redis", fingerprint="s2", loose_fingerprint="l2",
        fingerprint_version="v", excerpt_text="Error 111", category="infra", severity="high",
        known_issue_id="KF-2"))
    assert recorded.new
    assert reader.fingerprint_links() == {"l1": "KF-1", "l2": "KF-2"}
    reader.close()


def test_a_store_it_cannot_read_as_is_is_opened_by_the_store(tmp_path: Path, url: str) -> None:
    new = f"sqlite:///{tmp_path / 'new' / 'kb.db'}"
    opened = open_triage_store(new)  # no file yet: the store creates and migrates it
    assert isinstance(opened, Store)
    opened.close()
    assert isinstance(open_triage_store(new), SqliteReader)  # now it is at the head
    with open_store(url) as store, store.write() as conn:
        conn.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '9999'"))
    with pytest.raises(StoreError, match="newer knownfix"):  # the store's verdict, not a read
        open_triage_store(url)


@pytest.mark.parametrize(("url", "path"), [
    ("sqlite:////tmp/kb.db", "/tmp/kb.db"),
    ("sqlite:///kb.db", "kb.db"),
    ("sqlite://", None),
    ("sqlite:///:memory:", None),
    ("sqlite:///kb.db?mode=ro", None),
    ("sqlite:///my%20kb.db", None),
    ("postgresql://u@h/db", None),
])
def test_only_plain_sqlite_file_urls_are_read_directly(url: str, path: str | None) -> None:
    assert sqlite_file(url) == (Path(path) if path else None)


@pytest.mark.parametrize(("url", "info"), [
    ("postgresql://u@h/db", "postgresql://u@h/db"),
    ("postgresql+psycopg://u:p@h:5433/db", "postgresql://u:p@h:5433/db"),
    ("postgres://u@h/db?options=-csearch_path%3Ds", "postgresql://u@h/db?options=-csearch_path%3Ds"),
    ("postgresql+psycopg2://u@h/db", None),
    ("sqlite:///kb.db", None),
])
def test_postgresql_urls_read_directly_are_libpq_uris(url: str, info: str | None) -> None:
    assert conninfo(url) == info


def test_an_unreachable_postgresql_store_is_left_to_the_store() -> None:
    with pytest.raises(StoreError):  # the full store's clear line, not a psycopg traceback
        open_triage_store("postgresql://nobody@127.0.0.1:1/none")


def test_a_failed_postgresql_read_is_a_store_error_without_the_password(url: str) -> None:
    reader = reader_of(url)
    if not isinstance(reader, PgReader):
        reader.close()
        return
    with pytest.raises(StoreError, match="nowhere") as raised:
        reader._run(lambda conn: conn.execute("SELECT 1 FROM nowhere"))
    assert "password" not in str(raised.value)
    assert str(raised.value).startswith("store postgresql://")
    reader.close()
