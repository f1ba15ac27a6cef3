"""Small text helpers of the status report: one-line summaries, shortening, ordering, timestamps.

Pure and separate from :mod:`knownfix.core.report.model` so that the renderers (Jinja filters)
and the model share one definition of "the first line" and "shortened with an ellipsis".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone

from knownfix.core.policy.values import SEVERITIES, normalize_severity

UNCATEGORIZED = "Uncategorized"
UNRATED = "Unrated"
ELLIPSIS = "…"
NOT_AVAILABLE = "n/a"
SCAN_LIMIT = 64 * 1024
"""Characters of an excerpt searched for timestamps: excerpts are short, hostile ones are not."""

_LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_DIGITS = re.compile(r"(\d+)")
# ISO 8601 with a zone (Z, +02:00, +0200, +02): GitHub Actions prefixes every line with one.
# Timestamps without a zone are left out: their offset from UTC is unknown.
_TIMESTAMP = re.compile(
    r"(?<!\d)(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?"
    r" ?(Z|[+-]\d{2}(?::?\d{2})?)(?![\w:])"
)


def one_line(text: str) -> str:
    """The first non-empty line of ``text`` without its list marker, spaces collapsed.

    A lead-in that ends with a colon ("Steps:") takes the next line along, so the line says
    something on its own.
    """
    taken: list[str] = []
    for line in text.splitlines():
        stripped = " ".join(_LIST_MARKER.sub("", line).split())
        if not stripped:
            continue
        taken.append(stripped)
        if not stripped.endswith(":") or len(taken) == 2:
            break
    return " ".join(taken)


def shorten(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` characters at a word boundary, ending in an ellipsis."""
    if len(text) <= width:
        return text
    cut = text[: max(width - 1, 1)]
    space = cut.rfind(" ")
    if space >= width * 0.6:
        cut = cut[:space]
    if cut.count("`") % 2:  # the cut fell inside a code span: end before it, not inside it
        cut = cut[: cut.rfind("`")]
    return cut.rstrip(" ,;:.-–—(") + ELLIPSIS


def natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key that orders numbers by value: CI-2 before CI-10."""
    parts = _DIGITS.split(text.casefold())
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p)


def bucket_of(text: str, rules: Sequence[tuple[str, re.Pattern[str]]]) -> str | None:
    """The label of the rule matching earliest in ``text`` (ties: rule order), or None."""
    lowered = text.casefold()
    best: tuple[int, int] | None = None
    label: str | None = None
    for order, (name, pattern) in enumerate(rules):
        found = pattern.search(lowered)
        if found and (best is None or (found.start(), order) < best):
            best, label = (found.start(), order), name
    return label


def timestamps(text: str) -> list[datetime]:
    """Every zone-qualified ISO 8601 timestamp in ``text`` (impossible dates left out)."""
    found: list[datetime] = []
    for match in _TIMESTAMP.finditer(text[:SCAN_LIMIT]):
        year, month, day, hour, minute, second, fraction, zone = match.groups()
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        try:
            found.append(datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second), micro,
                tzinfo=_zone(zone),
            ))
        except ValueError:
            continue
    return found


def _zone(text: str) -> timezone:
    if text == "Z":
        return UTC
    digits = text[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
    return timezone(-offset if text[0] == "-" else offset)


def detection_delay(excerpt: str, received_at: datetime) -> timedelta | None:
    """``received_at`` minus the failure's own time: the latest timestamp in the excerpt.

    Timestamps after ``received_at`` (a quoted future date, a skewed clock) are ignored; an
    excerpt with no usable timestamp gives None.
    """
    before = [moment for moment in timestamps(excerpt) if moment <= received_at]
    return received_at - max(before) if before else None


def format_duration(value: timedelta | None) -> str:
    """A duration for people: "45 s", "12 min", "3 h 5 min", "2 d 4 h"; None is "n/a"."""
    if value is None:
        return NOT_AVAILABLE
    seconds = int(value.total_seconds())
    sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        text = f"{days} d {hours} h" if hours else f"{days} d"
    elif hours:
        text = f"{hours} h {minutes} min" if minutes else f"{hours} h"
    elif minutes:
        text = f"{minutes} min"
    else:
        text = f"{secs} s"
    return sign + text


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def severity_label(text: str | None) -> str:
    """A severity for display: canonical ones title-cased, unknown text kept, none "Unrated"."""
    canonical = normalize_severity(text)
    if canonical:
        return canonical.title()
    cleaned = one_line(text or "")
    return cleaned or UNRATED


def severity_order(label: str) -> tuple[int, str]:
    """Sort key of a severity label: most urgent first, unknown labels next, "Unrated" last."""
    lowered = label.lower()
    if lowered in SEVERITIES:
        return (SEVERITIES.index(lowered), "")
    return (len(SEVERITIES) + (label == UNRATED), lowered)
