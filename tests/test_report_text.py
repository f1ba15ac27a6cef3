"""Text helpers of the report: first lines, shortening, natural order, timestamps, durations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knownfix.core.report.text import (
    detection_delay,
    format_duration,
    natural_key,
    one_line,
    severity_label,
    shorten,
    timestamps,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("\n\n  \n", ""),
        ("Default heap too small\n\n- Production builds", "Default heap too small"),
        ("1. Restore the file.\n2. Upgrade.", "Restore the file."),
        ("- a   spaced\tline", "a spaced line"),
        ("  * star item", "star item"),
        ("Steps:\n1. Find the package.\n2. Upgrade it.", "Steps: Find the package."),
        ("Steps:\n\nNotes:\nthird", "Steps: Notes:"),
        ("3) Third", "Third"),
        ("2025-03-01 is a date", "2025-03-01 is a date"),
    ],
)
def test_one_line(text: str, expected: str) -> None:
    assert one_line(text) == expected


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("short", 10, "short"),
        ("exactly ten", 11, "exactly ten"),
        ("Tests start before the database container accepts", 30, "Tests start before the…"),
        ("Run `npx playwright install --with-deps` now", 30, "Run…"),
        ("Use `make` then `make install` after", 24, "Use `make` then…"),
        ("abcdefghijklmnopqrstuvwxyz", 10, "abcdefghi…"),
        ("Ends with a comma, and more words", 19, "Ends with a comma…"),
    ],
)
def test_shorten(text: str, width: int, expected: str) -> None:
    assert shorten(text, width) == expected


@given(st.text(), st.integers(min_value=2, max_value=200))
def test_shorten_keeps_within_width_and_starts_like_the_text(text: str, width: int) -> None:
    short = shorten(text, width)
    assert len(short) <= width
    if short != text:
        assert short.endswith("…")
        assert text.startswith(short[:-1])
        assert short.count("`") % 2 == 0  # never ends inside a code span


@given(st.text())
def test_one_line_is_one_line(text: str) -> None:
    line = one_line(text)
    assert line == line.strip()
    assert len(line.splitlines()) <= 1


def test_natural_key_orders_numbers_by_value() -> None:
    ids = ["CI-10", "ci-2", "CI-1", "CRIT-001", "KF-0010", "KF-9", "x"]
    assert sorted(ids, key=natural_key) == ["CI-1", "ci-2", "CI-10", "CRIT-001", "KF-9",
                                           "KF-0010", "x"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-14T08:50:00Z x", [datetime(2025, 3, 14, 8, 50, tzinfo=UTC)]),
        ("2025-03-14T08:50:00.1234567Z x",
         [datetime(2025, 3, 14, 8, 50, 0, 123456, tzinfo=UTC)]),
        ("2025-03-14 08:50:00,5 +0200",
         [datetime(2025, 3, 14, 8, 50, 0, 500000, tzinfo=timezone(timedelta(hours=2)))]),
        ("at 2025-03-14T08:50:00-05", [datetime(2025, 3, 14, 13, 50, tzinfo=UTC)]),
        ("2025-03-14T08:50:00 no zone", []),
        ("2025-02-30T08:50:00Z impossible day", []),
        ("2025-03-14T08:50:00+99:00 impossible zone", []),
        ("12025-03-14T08:50:00Z glued to a digit", []),
        ("2025-03-14T08:50:00Zulu glued to a word", []),
    ],
)
def test_timestamps(text: str, expected: list[datetime]) -> None:
    assert timestamps(text) == expected


def test_detection_delay_uses_the_latest_timestamp_not_after_receipt() -> None:
    received = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
    text = "2025-03-14T08:00:00Z start\n2025-03-14T08:55:00Z fail\n2030-01-01T00:00:00Z quoted"
    assert detection_delay(text, received) == timedelta(minutes=5)
    assert detection_delay("no time here", received) is None
    assert detection_delay("2030-01-01T00:00:00Z only later", received) is None


@given(st.text(alphabet=st.sampled_from("0123456789-:TZ+., x\n"), max_size=120))
def test_detection_delay_never_raises_and_is_never_negative(text: str) -> None:
    delay = detection_delay(text, datetime(2025, 3, 14, tzinfo=UTC))
    assert delay is None or delay >= timedelta()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "n/a"),
        (timedelta(0), "0 s"),
        (timedelta(seconds=45), "45 s"),
        (timedelta(minutes=12, seconds=59), "12 min"),
        (timedelta(hours=3), "3 h"),
        (timedelta(hours=3, minutes=5), "3 h 5 min"),
        (timedelta(days=2), "2 d"),
        (timedelta(days=2, hours=4, minutes=30), "2 d 4 h"),
        (timedelta(minutes=-90), "-1 h 30 min"),
    ],
)
def test_format_duration(value: timedelta | None, expected: str) -> None:
    assert format_duration(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("critical", "Critical"), ("🔴 High", "High"), ("P2", "Medium"), ("", "Unrated"),
     (None, "Unrated"), ("Spicy\nhot", "Spicy")],
)
def test_severity_label(text: str | None, expected: str) -> None:
    assert severity_label(text) == expected
