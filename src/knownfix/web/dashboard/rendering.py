"""Templates of the dashboard: one Jinja2 environment, autoescaped, and the filters pages use.

Log text is data: every value reaches the page through autoescaping, and the few filters that
build markup (:func:`highlight`) escape each piece themselves first. ANSI colour codes and other
control characters are taken out before display, so a log cannot restyle or garble the page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from knownfix.core.extract.lines import strip_ansi
from knownfix.core.records import HIGHLIGHT, Excerpt
from knownfix.core.report.kpis import past_sla
from knownfix.core.report.text import as_utc, format_duration, severity_label
from knownfix.reports.render import css_name

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# C0 and C1 controls except tab and newline: shown as the replacement character.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class ExcerptLine:
    """One line of an excerpt as shown: its log line number (None if unknown) and its text.

    ``gap`` is True on the first line after lines that were left out of the excerpt.
    """

    number: int | None
    text: str
    gap: bool = False


def excerpt_lines(excerpt: Excerpt) -> list[ExcerptLine]:
    """The excerpt's lines with the log line each came from, marking skipped stretches."""
    texts = excerpt.text.split("\n")
    numbers: Sequence[int | None] | None = excerpt.line_numbers()
    if numbers is None:
        numbers = [None] * len(texts)
    shown: list[ExcerptLine] = []
    previous: int | None = None
    for number, text in zip(numbers, texts, strict=True):
        gap = number is not None and previous is not None and number > previous + 1
        shown.append(ExcerptLine(number, printable(text), gap))
        previous = number
    return shown


def printable(text: str | None) -> str:
    """``text`` without ANSI escape sequences, other control characters shown as U+FFFD."""
    return _CONTROLS.sub("\N{REPLACEMENT CHARACTER}", strip_ansi(text or ""))


def highlight(snippet: str) -> Markup:
    """A search snippet with its ``**marked**`` words in ``<mark>``; every part escaped."""
    parts = printable(snippet).split(HIGHLIGHT)
    return Markup("".join(
        f"<mark>{escape(part)}</mark>" if n % 2 else str(escape(part))
        for n, part in enumerate(parts)
    ))


def when(moment: datetime | None) -> str:
    return as_utc(moment).strftime("%Y-%m-%d %H:%M UTC") if moment else "—"


def iso(moment: datetime | None) -> str:
    return as_utc(moment).isoformat() if moment else ""


def ago(moment: datetime | None, now: datetime | None = None) -> str:
    """How long ago (or, for a future moment, in how long): "5 min ago", "in 2 h"."""
    if moment is None:
        return "—"
    delta = (now or datetime.now(UTC)) - as_utc(moment)
    if delta < timedelta():
        return f"in {format_duration(-delta)}"
    if delta < timedelta(seconds=60):
        return "just now"
    return f"{format_duration(delta)} ago"


def query(base: str, params: dict[str, Any], **changes: Any) -> str:
    """``base`` with the non-empty ``params`` (updated by ``changes``) as its query string;
    the first page is left implicit."""
    merged = {**params, **changes}
    kept = {k: v for k, v in merged.items()
            if v not in (None, "") and not (k == "page" and v == 1)}
    return f"{base}?{urlencode(kept)}" if kept else base


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        printable=printable,
        highlight=highlight,
        when=when,
        iso=iso,
        ago=ago,
        duration=format_duration,
        severity=severity_label,
        css=lambda text: css_name(text or ""),
        excerpt_lines=excerpt_lines,
        past_sla=past_sla,
        pct=lambda value: f"{100 * value:.0f}%",
    )
    env.globals.update(query=query)
    return env
