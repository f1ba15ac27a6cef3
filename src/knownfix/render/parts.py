"""Phrases every triage renderer shares, so the text, GitHub and Markdown outputs agree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from knownfix.core.records import Excerpt, Match, TriageDecision

if TYPE_CHECKING:
    from knownfix.core.records import IncidentRef, TriageResult

EMPTY_EXCERPT = "(no failure lines found: the log is empty or has nothing that looks like one)"
GAP = "…"
"""Shown between two spans of an excerpt, where log lines were left out."""


def span_label(spans: tuple[tuple[int, int], ...]) -> str:
    """``line 7``, ``lines 24-40``, ``lines 3-5, 90-99``; ``no lines`` for none."""
    if not spans:
        return "no lines"
    parts = [str(a) if a == b else f"{a}-{b}" for a, b in spans]
    single = len(spans) == 1 and spans[0][0] == spans[0][1]
    return ("line " if single else "lines ") + ", ".join(parts)


def numbered_lines(excerpt: Excerpt) -> list[tuple[int | None, str]]:
    """The excerpt's lines with their log line numbers, and a numberless :data:`GAP` line
    between spans. No numbers at all where the text does not map one line to one line (a JUnit
    report's readable summary)."""
    lines = excerpt.text.split("\n") if excerpt.text else []
    numbers = [n for first, last in excerpt.spans for n in range(first, last + 1)]
    if len(numbers) != len(lines):
        return [(None, line) for line in lines]
    numbered: list[tuple[int | None, str]] = []
    for number, line in zip(numbers, lines, strict=True):
        previous = numbered[-1][0] if numbered else None
        if previous is not None and number != previous + 1:
            numbered.append((None, GAP))
        numbered.append((number, line))
    return numbered


def seen(count: int) -> str:
    """``seen once``, ``seen 4 times``."""
    return "seen once" if count == 1 else f"seen {count} times"


def incident_line(incident: IncidentRef) -> str:
    """``incident HIGH-004, seen 4 times`` (``new incident HIGH-004, seen once``)."""
    prefix = "new incident" if incident.new else "incident"
    return f"{prefix} {incident.id}, {seen(incident.count)}"


def decision_line(decision: TriageDecision) -> str:
    """``database / high, respond within 1 hour, escalate to Database on-call``."""
    parts = [f"{decision.category} / {decision.severity}"]
    if decision.response_time:
        parts.append(f"respond within {decision.response_time}")
    if decision.escalation:
        parts.append(f"escalate to {decision.escalation}")
    return ", ".join(parts)


def match_line(match: Match) -> str:
    """``KF-0012 Broken Alembic migration chain (score 0.93)``."""
    return f"{match.id} {match.title} (score {match.score:.2f})"


def no_failure_line(result: TriageResult) -> str:
    """``No failure found: the CI system says the job succeeded (log line 57: Job succeeded).``
    for a passing run, ``Empty log: nothing to triage.`` for an empty one."""
    if result.outcome == "empty":
        return "Empty log: nothing to triage."
    why = result.signature.reasons[0] if result.signature.reasons else "the job passed"
    evidence = result.excerpt.text.strip().splitlines()
    spans = result.excerpt.spans
    where = f"log line {spans[0][0]}: " if spans else ""
    said = f" ({where}{evidence[0].strip()})" if evidence else ""
    return f"No failure found: {why}{said}."


def verdict(result: TriageResult) -> str:
    """``known issue KF-0012: Broken Alembic migration chain`` or ``unknown failure: <title>``."""
    top = result.top
    if not result.failed:
        return no_failure_line(result)
    if result.known and top is not None:
        return f"known issue {top.id}: {top.title}"
    return f"unknown failure: {result.signature.title}"
