"""The dashboard's small parts: the session codec and its key, safe redirect targets, and the
filters that put log text on a page."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape

from knownfix.core.records import Excerpt
from knownfix.core.report.kpis import DayCount
from knownfix.errors import ConfigError
from knownfix.settings import load_settings
from knownfix.web.dashboard.charts import occurrence_chart_markup
from knownfix.web.dashboard.rendering import excerpt_lines, highlight, printable
from knownfix.web.dashboard.route import local_target
from knownfix.web.dashboard.session import (
    KEY_FILE,
    MAX_AGE,
    Session,
    SessionCodec,
    csrf_ok,
    session_secret,
)

SECRET = b"s" * 32


def test_a_session_survives_the_round_trip() -> None:
    codec = SessionCodec(SECRET)
    session = Session.fresh("digest", "alice", "writer")
    assert codec.load(codec.dump(session)) == session
    anonymous = Session.fresh()
    assert codec.load(codec.dump(anonymous)) == anonymous


@pytest.mark.parametrize("value", [None, "", "garbage", "a.b.c", "e30.AAAA.BBBB"])
def test_malformed_cookies_are_no_session(value: str | None) -> None:
    assert SessionCodec(SECRET).load(value) is None


def test_another_key_or_an_old_cookie_is_no_session(monkeypatch: pytest.MonkeyPatch) -> None:
    value = SessionCodec(SECRET).dump(Session.fresh("digest", "alice", "writer"))
    assert SessionCodec(b"t" * 32).load(value) is None
    import itsdangerous.timed

    later = itsdangerous.timed.time.time() + MAX_AGE.total_seconds() + 5
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    assert SessionCodec(SECRET).load(value) is None


def test_csrf_check() -> None:
    session = Session.fresh()
    assert csrf_ok(session, session.csrf)
    assert not csrf_ok(session, None)
    assert not csrf_ok(session, "")
    assert not csrf_ok(session, session.csrf + "x")
    assert not csrf_ok(session, "é" * 10)
    assert Session.fresh().csrf != session.csrf


def test_the_key_file_is_made_once_and_private(tmp_path: Path) -> None:
    settings = load_settings({}, cwd=tmp_path)
    first = session_secret(settings)
    path = settings.home / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert session_secret(settings) == first
    assert len(first) >= 32
    assert not [p for p in settings.home.iterdir() if p.name.startswith(".session-key.")]


def test_a_configured_key_wins_and_must_be_long(tmp_path: Path) -> None:
    settings = load_settings({"KNOWNFIX_SECRET_KEY": "k" * 20}, cwd=tmp_path)
    assert session_secret(settings) == b"k" * 20
    assert not (settings.home / KEY_FILE).exists()
    with pytest.raises(ConfigError, match="too short"):
        session_secret(load_settings({"KNOWNFIX_SECRET_KEY": "short"}, cwd=tmp_path))


def test_a_broken_key_file_is_a_clear_error(tmp_path: Path) -> None:
    settings = load_settings({}, cwd=tmp_path)
    settings.home.mkdir()
    (settings.home / KEY_FILE).write_text("tiny\n")
    with pytest.raises(ConfigError, match="delete the file"):
        session_secret(settings)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_an_unwritable_home_says_what_to_set(tmp_path: Path) -> None:
    settings = load_settings({}, cwd=tmp_path)
    settings.home.mkdir()
    settings.home.chmod(0o500)
    try:
        with pytest.raises(ConfigError, match="KNOWNFIX_SECRET_KEY"):
            session_secret(settings)
    finally:
        settings.home.chmod(0o700)


def test_public_read_is_a_flag(tmp_path: Path) -> None:
    assert load_settings({"KNOWNFIX_PUBLIC_READ": "1"}, cwd=tmp_path).public_read is True
    assert load_settings({}, cwd=tmp_path).public_read is False
    with pytest.raises(ConfigError, match="KNOWNFIX_PUBLIC_READ must be true or false"):
        load_settings({"KNOWNFIX_PUBLIC_READ": "maybe"}, cwd=tmp_path)


@pytest.mark.parametrize(("target", "expected"), [
    ("/incidents/HIGH-001", "/incidents/HIGH-001"),
    ("/known-issues?q=a&category=b", "/known-issues?q=a&category=b"),
    ("//evil.example", "/"),
    ("/\\evil.example", "/"),
    ("https://evil.example/", "/"),
    ("javascript:alert(1)", "/"),
    ("incidents", "/"),
    ("/x\r\nSet-Cookie: a=b", "/"),
    ("/a\\b", "/"),
    ("", "/"),
    (None, "/"),
])
def test_only_local_targets_after_login(target: str | None, expected: str) -> None:
    assert local_target(target) == expected


def test_printable_drops_ansi_and_shows_control_bytes() -> None:
    assert printable("\x1b[31mred\x1b[0m text") == "red text"
    assert printable("bell\x07 nul\x00") == "bell\ufffd nul\ufffd"
    assert printable("tab\tkept") == "tab\tkept"
    assert printable(None) == ""


@given(st.text())
def test_highlight_never_lets_markup_through(text: str) -> None:
    html = str(highlight(text))
    stripped = html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped
    assert str(escape(printable(text).replace("**", ""))) == stripped


def test_highlight_marks_the_matched_words() -> None:
    assert str(highlight("a **<b>locate</b>** revision")) == (
        "a <mark>&lt;b&gt;locate&lt;/b&gt;</mark> revision")


def test_excerpt_lines_keep_log_line_numbers_and_mark_gaps() -> None:
    lines = excerpt_lines(Excerpt(spans=((3, 4), (9, 9)), text="a\n\x1b[1mb\x1b[0m\nc"))
    assert [(line.number, line.text, line.gap) for line in lines] == [
        (3, "a", False), (4, "b", False), (9, "c", True)]
    unmapped = excerpt_lines(Excerpt(spans=((1, 1),), text="junit message\nsecond line"))
    assert [line.number for line in unmapped] == [None, None]


def test_the_chart_escapes_severity_labels() -> None:
    daily = (DayCount(date(2025, 3, 1), (2,)),)
    chart = str(occurrence_chart_markup(daily, ("<script>alert(1)</script>",)))
    assert chart.startswith("<svg")
    assert "<script" not in chart
    assert "&lt;script&gt;" in chart
    assert occurrence_chart_markup((), ()) is None
