"""The values a triage decision carries: severities (normalised) and response times (parsed).

Policies keep what people wrote ("Critical", "🔴 High", "Next sprint") for display; the code
compares and schedules with the canonical forms computed here.
"""

from __future__ import annotations

import re
from datetime import timedelta

SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "warning", "low", "info")
"""Canonical severities, most urgent first (a runbook's "Warning" sits between medium and low)."""

_SEVERITY_SYNONYMS: dict[str, str] = {
    "critical": "critical", "crit": "critical", "blocker": "critical", "fatal": "critical",
    "emergency": "critical", "p0": "critical", "sev0": "critical", "sev1": "critical",
    "high": "high", "major": "high", "urgent": "high", "p1": "high", "sev2": "high",
    "medium": "medium", "med": "medium", "moderate": "medium", "normal": "medium",
    "p2": "medium", "sev3": "medium",
    "warning": "warning", "warn": "warning",
    "low": "low", "minor": "low", "p3": "low", "sev4": "low",
    "info": "info", "informational": "info", "information": "info", "trivial": "info",
    "notice": "info", "p4": "info", "sev5": "info",
}
_WORD = re.compile(r"[a-z]+\d?")


def normalize_severity(text: str | None) -> str | None:
    """The canonical severity of ``text`` ("🔴 Critical" → "critical"), or None if unknown."""
    if not text:
        return None
    for word in _WORD.findall(text.lower()):
        if word in _SEVERITY_SYNONYMS:
            return _SEVERITY_SYNONYMS[word]
    return None


def severity_rank(text: str | None) -> int:
    """Urgency of a severity for sorting: critical is highest, unknown severities rank 0."""
    canonical = normalize_severity(text)
    return len(SEVERITIES) - SEVERITIES.index(canonical) if canonical else 0


NEXT_SPRINT = timedelta(days=14)
"""What "Next sprint" means for SLA due times: the common two-week sprint."""

_UNITS: dict[str, timedelta] = {
    "s": timedelta(seconds=1), "sec": timedelta(seconds=1), "second": timedelta(seconds=1),
    "m": timedelta(minutes=1), "min": timedelta(minutes=1), "minute": timedelta(minutes=1),
    "h": timedelta(hours=1), "hr": timedelta(hours=1), "hour": timedelta(hours=1),
    "d": timedelta(days=1), "day": timedelta(days=1),
    "business day": timedelta(days=1), "working day": timedelta(days=1),
    "w": timedelta(weeks=1), "wk": timedelta(weeks=1), "week": timedelta(weeks=1),
    "sprint": NEXT_SPRINT, "month": timedelta(days=30),
}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "thirty": 30,
    "half an": 0.5, "half a": 0.5,
}
_IMMEDIATE = re.compile(r"\b(?:immediate(?:ly)?|now|asap|at once|right away)\b")
_NEXT = re.compile(r"\bnext\s+(sprint|business day|working day|day|week|month)\b")
_SAME_DAY = re.compile(r"\b(?:same|this)\s+day\b|\bend of (?:the )?day\b|\beod\b")
_UNIT = (
    r"(business day|working day|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|"
    r"weeks?|wks?|w|sprints?|months?)"
)
_AMOUNT = (
    r"(\d+(?:\.\d+)?|half an|half a|an|a|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|twelve|fifteen|thirty)"
)
# An optional range ("1-2 hours", "1 to 2 days") keeps its upper bound: an SLA is a promise.
_DURATION = re.compile(
    rf"\b{_AMOUNT}(?:\s*(?:-|–|—|to)\s*{_AMOUNT})?\s*{_UNIT}\b"
)


def _unit(text: str) -> timedelta:
    if text in _UNITS:
        return _UNITS[text]
    return _UNITS[text.rstrip("s")]


def _amount(text: str) -> float:
    return float(_NUMBER_WORDS[text]) if text in _NUMBER_WORDS else float(text)


def response_time_to_timedelta(text: str | None) -> timedelta | None:
    """How long a response time allows: "Immediate" → 0, "< 30 minutes" → 30 min, else None.

    Ranges keep their upper bound ("1-2 hours" → 2 h), "Next sprint" is 14 days, "Next business
    day" is 1 day, "Same day" is 8 hours; text with no duration in it gives None (no SLA).
    """
    if not text:
        return None
    lowered = " ".join(text.lower().split())
    if _IMMEDIATE.search(lowered):
        return timedelta(0)
    found = _DURATION.search(lowered)
    if found:
        low, high, unit = found.groups()
        try:
            return _amount(high or low) * _unit(unit)
        except OverflowError:  # "99999999999 weeks": no usable due time
            return None
    following = _NEXT.search(lowered)
    if following:
        return _unit(following.group(1))
    if _SAME_DAY.search(lowered):
        return timedelta(hours=8)
    return None
