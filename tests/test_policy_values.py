"""Severities (normalised, ranked) and response times (parsed into SLA durations)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knownfix.core.policy import (
    SEVERITIES,
    normalize_severity,
    response_time_to_timedelta,
    severity_rank,
)

SEVERITY_CASES = [
    ("Critical", "critical"), ("🔴 CRITICAL", "critical"), ("P0", "critical"),
    ("sev1", "critical"), ("Blocker", "critical"), ("High", "high"), ("major", "high"),
    ("🟡 Medium", "medium"), ("moderate", "medium"), ("Warning", "warning"), ("warn", "warning"),
    ("Low", "low"), ("minor", "low"), ("Info", "info"), ("informational", "info"),
    ("", None), (None, None), ("spicy", None), ("42", None),
]


@pytest.mark.parametrize(("text", "expected"), SEVERITY_CASES)
def test_normalize_severity(text: str | None, expected: str | None) -> None:
    assert normalize_severity(text) == expected


def test_severity_rank_orders_most_urgent_first() -> None:
    ranks = [severity_rank(name) for name in SEVERITIES]
    assert ranks == sorted(ranks, reverse=True)
    assert severity_rank("Critical") > severity_rank("Warning") > severity_rank("Low")
    assert severity_rank("nonsense") == 0


RESPONSE_CASES = [
    ("Immediate", timedelta(0)),
    ("immediately", timedelta(0)),
    ("ASAP", timedelta(0)),
    ("< 30 minutes", timedelta(minutes=30)),
    ("15 minutes", timedelta(minutes=15)),
    ("15m", timedelta(minutes=15)),
    ("1 hour", timedelta(hours=1)),
    ("2 hours", timedelta(hours=2)),
    ("1.5 hours", timedelta(hours=1.5)),
    ("2h", timedelta(hours=2)),
    ("half an hour", timedelta(minutes=30)),
    ("2-4 hours", timedelta(hours=4)),
    ("1 to 2 days", timedelta(days=2)),
    ("Within one day", timedelta(days=1)),
    ("1 business day", timedelta(days=1)),
    ("Next business day", timedelta(days=1)),
    ("1 week", timedelta(weeks=1)),
    ("Next sprint", timedelta(days=14)),
    ("Same day", timedelta(hours=8)),
    ("", None),
    (None, None),
    ("When convenient", None),
    ("Best effort", None),
    ("99999999999 weeks", None),
]


@pytest.mark.parametrize(("text", "expected"), RESPONSE_CASES)
def test_response_time_to_timedelta(text: str | None, expected: timedelta | None) -> None:
    assert response_time_to_timedelta(text) == expected


@given(st.text(max_size=60))
def test_response_time_parser_never_raises(text: str) -> None:
    result = response_time_to_timedelta(text)
    assert result is None or result >= timedelta(0)
