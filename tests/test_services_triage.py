"""The triage service end to end on SQLite: shape, redaction, dedup, history, inputs."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from knownfix.core.policy import load_policy
from knownfix.core.records import KnownIssue, ParsedDocument, SignatureRules, SourceRef
from knownfix.errors import InputError
from knownfix.services.triage import (
    STDIN,
    TriageResult,
    TriageSession,
    exit_status,
    log_chunks,
    open_triage,
    triage_source,
)
from knownfix.settings import Settings, load_settings
from knownfix.storage.repository import Store, open_store

DATA = Path(__file__).parent / "data" / "triage"

KB = [
    KnownIssue(
        id="KF-0012",
        title="Broken Alembic migration chain",
        symptoms=["alembic.util.exc.CommandError: Can't locate revision identified by"],
        signature=SignatureRules(contains=["Can't locate revision identified by"]),
        root_cause="A migration file was deleted after it ran.",
        resolution="1. Find the last good revision\n2. alembic stamp it",
        resolution_steps=["Find the last good revision", "alembic stamp it"],
        verification=["alembic current"],
        source=SourceRef("docs/db.md", 3),
    ),
    KnownIssue(
        id="KF-0020",
        title="Runner out of disk",
        symptoms=["No space left on device"],
        resolution="Prune the docker cache.",
        verification=["df -h"],
        source=SourceRef("docs/runner.md", 1),
    ),
]


@pytest.fixture
def settings(project: Path) -> Settings:
    return load_settings()


@pytest.fixture
def store(project: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{project / '.knownfix' / 'knownfix.db'}")
    opened.import_documents([ParsedDocument("docs/kb.md", "knownfix", KB)], doc_keys=["kb"])
    yield opened
    opened.close()


@pytest.fixture
def session(store: Store, settings: Settings) -> TriageSession:
    return open_triage(store, settings)


def run(session: TriageSession, name: str, *, record: bool = True) -> TriageResult:
    return session.triage_file(str(DATA / name), record=record)


def test_result_has_the_design_json_shape(session: TriageSession) -> None:
    data = json.loads(json.dumps(run(session, "migrate.log").to_dict()))
    assert set(data) == {"source", "outcome", "excerpt", "signature", "triage", "known",
                         "matches", "incident"}
    assert data["outcome"] == "failed"
    assert data["source"] == str(DATA / "migrate.log")
    assert set(data["excerpt"]) == {"spans", "text"}
    assert all(isinstance(s, list) and len(s) == 2 for s in data["excerpt"]["spans"])
    assert {"title", "fingerprint", "version"} <= set(data["signature"])
    assert set(data["triage"]) == {"category", "severity", "response_time", "escalation"}
    assert data["known"] is True
    assert set(data["matches"][0]) == {"id", "title", "score", "reasons", "resolution",
                                       "verification"}
    assert data["matches"][0]["id"] == "KF-0012"
    assert data["matches"][0]["verification"] == ["alembic current"]
    assert data["incident"] == {"id": data["incident"]["id"], "new": True, "count": 1}
    assert "Can't locate revision identified by 'a1b2c3d4e5f6'" in data["excerpt"]["text"]


def test_the_same_failure_again_joins_its_incident(session: TriageSession, store: Store) -> None:
    first = run(session, "migrate.log")
    again = run(session, "migrate-again.log")
    assert first.incident is not None
    assert again.incident is not None
    assert (again.incident.id, again.incident.new, again.incident.count) == (
        first.incident.id, False, 2)
    assert first.signature.loose_fingerprint == again.signature.loose_fingerprint
    other = run(session, "disk.log")
    assert other.incident is not None
    assert other.incident.id != first.incident.id
    incident = store.get_incident(first.incident.id)
    assert incident.known_issue_id == "KF-0012"
    assert incident.id.startswith("HIGH-")  # the default policy: a database failure is high
    assert incident.sla_due_at is not None


def test_secrets_are_masked_before_anything_sees_them(session: TriageSession,
                                                       store: Store) -> None:
    result = run(session, "secret.log")
    dumped = json.dumps(result.to_dict())
    assert "hunter2secret" not in dumped
    assert "[REDACTED:url-password]" in result.excerpt.text
    assert result.incident is not None
    stored = store.list_occurrences(result.incident.id)
    assert "hunter2secret" not in stored[0].excerpt_text
    assert "hunter2secret" not in store.get_incident(result.incident.id).title


def test_no_record_and_no_store_record_nothing(session: TriageSession, store: Store,
                                               settings: Settings) -> None:
    assert run(session, "migrate.log", record=False).incident is None
    assert store.list_incidents() == []
    bare = open_triage(None, settings)
    result = bare.triage_file(str(DATA / "disk.log"))
    assert result.incident is None
    assert result.known is False  # no knowledge base
    assert result.decision.category == "disk"


@pytest.mark.parametrize(
    "content", [b"", b"\n   \r\n\t\n", b"\xef\xbb\xbf", b"\xff\xfe \x00\n\x00"],
    ids=["empty", "blank", "bom-only", "utf16-blank"],
)
def test_empty_or_blank_log_is_an_input_error_and_records_nothing(
    session: TriageSession, store: Store, tmp_path: Path, content: bytes
) -> None:
    log = tmp_path / "empty.log"
    log.write_bytes(content)
    with pytest.raises(InputError, match=r"empty\.log: empty input"):
        session.triage_file(str(log))
    assert store.list_incidents() == []


def test_a_hand_link_makes_the_next_occurrence_known_through_history(
    session: TriageSession, store: Store, settings: Settings, tmp_path: Path
) -> None:
    log = tmp_path / "worker.log"
    log.write_text("Traceback (most recent call last):\n  File \"w.py\", line 3\n"
                   "RuntimeError: Event loop is closed\n")
    first = session.triage_file(str(log))
    assert first.known is False
    assert first.incident is not None
    store.link_known_issue(first.incident.id, "KF-0020")
    later = open_triage(store, settings).triage_file(str(log))
    assert later.known is True
    assert later.matches[0].id == "KF-0020"
    assert any("fingerprint seen before" in reason for reason in later.matches[0].reasons)


def test_the_session_learns_links_as_it_goes(session: TriageSession) -> None:
    result = run(session, "migrate.log")
    assert session.history[result.signature.loose_fingerprint] == "KF-0012"


def test_junit_reports_are_recognised(session: TriageSession) -> None:
    result = run(session, "report.xml")
    assert result.excerpt.text.startswith("FAILURE: tests.test_billing.test_credit_note")
    assert result.signature.title == "AssertionError: credit total is <num>"


def test_utf16_log_reads_like_utf8(session: TriageSession, tmp_path: Path) -> None:
    utf16 = tmp_path / "utf16.log"
    utf16.write_bytes((DATA / "disk.log").read_text("utf-8").encode("utf-16"))
    wide = session.triage_file(str(utf16), record=False)
    plain = run(session, "disk.log", record=False)
    assert (wide.excerpt, wide.signature.fingerprint) == (plain.excerpt,
                                                          plain.signature.fingerprint)


def test_stray_bom_bytes_do_not_garble_the_log(session: TriageSession, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.log"
    damaged.write_bytes(b"\xff\xfe" + (DATA / "disk.log").read_bytes())
    result = session.triage_file(str(damaged), record=False)
    plain = run(session, "disk.log", record=False)
    assert result.signature.fingerprint == plain.signature.fingerprint
    assert result.excerpt.spans == plain.excerpt.spans


def test_a_large_log_streams_and_keeps_line_numbers(session: TriageSession,
                                                    tmp_path: Path) -> None:
    noise = b"".join(b"compiling module %d of 40000 ... ok\n" % n for n in range(40000))
    big = tmp_path / "big.log"
    big.write_bytes(noise + (DATA / "disk.log").read_bytes())
    assert big.stat().st_size > 1 << 20
    result = session.triage_file(str(big), record=False)
    no_space = 40000 + 6
    assert any(first <= no_space <= last for first, last in result.excerpt.spans)
    assert "No space left on device" in result.excerpt.text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.log", None, "missing.log: no such file"),
        ("folder", "dir", "folder: is a directory"),
        ("core.bin", b"\x7fELF\x00\x00\x01", "core.bin: binary file, not text"),
    ],
)
def test_unreadable_inputs_are_one_clear_error(
    tmp_path: Path, name: str, content: bytes | str | None, message: str
) -> None:
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    with pytest.raises(InputError, match=message), log_chunks(str(path)):
        pass


def test_stdin_is_read_in_blocks(session: TriageSession) -> None:
    stream = io.BytesIO((DATA / "disk.log").read_bytes())
    with log_chunks(STDIN, stdin=stream) as chunks:
        result = session.triage(STDIN, chunks, record=False)
    assert result.source == "-"
    assert "No space left on device" in result.excerpt.text


def test_hints_and_source_reach_the_policy(store: Store) -> None:
    from knownfix.core.match import MatchIndex

    policy = load_policy(
        "version: 1\nname: team\nrules:\n"
        "  - name: github-disk\n"
        "    when: {any_regex: ['no space left'], hint: {ci: github}}\n"
        "    then: {category: runner-disk, severity: critical, escalation: Runner admins}\n"
    )
    index = MatchIndex.build(store.list_known_issues())
    log = (DATA / "disk.log").read_bytes()
    now = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    hinted = triage_source(store, "disk.log", [log], policy=policy, match_index=index,
                           hints={"ci": "github"}, now=now)
    plain = triage_source(store, "disk.log", [log], policy=policy, match_index=index,
                          record=False)
    assert (hinted.decision.category, hinted.decision.severity) == ("runner-disk", "critical")
    assert plain.decision.category != "runner-disk"
    assert hinted.incident is not None
    assert hinted.incident.id == "CRIT-001"
    assert store.list_occurrences()[0].received_at == now


def _silent_npm_job(script: str, command: str, seconds: str) -> bytes:
    """A Travis job whose npm script failed without a word of its own."""
    return (
        f"$ npm ci\r\nadded 200 packages in {seconds}s\r\n$ npm run {script}\r\n\r\n"
        f"> shop@1.0.0 {script} /home/travis/build/o/shop\r\n> {command}\r\n\r\n"
        f"npm ERR! code ELIFECYCLE\r\nnpm ERR! errno 1\r\nnpm ERR! shop@1.0.0 {script}: "
        f"`{command}`\r\nnpm ERR! Exit status 1\r\n\r\n"
        f"The command \"npm run {script}\" exited with 1.\r\n\r\n"
        "Done. Your build exited with 1.\r\n"
    ).encode()


def test_a_weak_excerpt_is_grouped_by_the_failed_step_too(store: Store) -> None:
    # Extraction finds no line of the failure here: the excerpt is the same for both scripts, so
    # only the failed step (its command and closing lines) tells the two failures apart.
    from knownfix.core.match import MatchIndex

    index, policy = MatchIndex.build([]), load_policy("version: 1\nname: team\nrules: []\n")

    def triage(log: bytes) -> TriageResult:
        return triage_source(store, "job.log", [log], policy=policy, match_index=index,
                             history={}, scope="o/shop")

    test = triage(_silent_npm_job("test", "jest --ci", "3.2"))
    lint = triage(_silent_npm_job("lint", "eslint .", "3.2"))
    rerun = triage(_silent_npm_job("test", "jest --ci", "41.7"))
    assert test.incident is not None
    assert lint.incident is not None
    assert rerun.incident is not None
    assert "of the failed step (weak excerpt)" in test.signature.reasons[2]
    assert lint.incident.id != test.incident.id
    assert (rerun.incident.id, rerun.incident.new) == (test.incident.id, False)


def test_baseline_lines_are_not_the_failure(store: Store, settings: Settings,
                                            tmp_path: Path) -> None:
    passing = tmp_path / "passing.log"
    passing.write_text("$ make artifacts\nbuilding wheel for orders (pyproject.toml)\n")
    session = open_triage(store, settings, baseline=str(passing))
    assert session.baseline is not None
    result = session.triage_file(str(DATA / "disk.log"), record=False)
    assert "No space left on device" in result.excerpt.text
    with pytest.raises(InputError, match="nope.log: no such file"):
        open_triage(store, settings, baseline=str(tmp_path / "nope.log"))


def test_exit_status_table(session: TriageSession) -> None:
    known = run(session, "migrate.log", record=False)
    unknown = run(session, "report.xml", record=False)
    assert known.known
    assert not unknown.known
    assert exit_status([]) == 0
    assert exit_status([known]) == 0
    assert exit_status([known, unknown]) == 1
    assert exit_status([unknown, InputError("x")]) == 2
