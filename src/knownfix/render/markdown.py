"""A Markdown report of one triage result (also the body of the GitHub job summary).

Log text goes into fenced code blocks whose fence is longer than any run of backticks inside,
and one-line values are escaped, so a log can never break out of its block or inject markup.
Resolution steps are the team's own Markdown (from their docs) and are kept as written, except
that a link to a ``javascript:`` or other unsafe scheme is made inert.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from knownfix.core.text.mdlinks import neutralize_links
from knownfix.render.parts import (
    EMPTY_EXCERPT,
    decision_line,
    incident_line,
    match_line,
    no_failure_line,
    numbered_lines,
    span_label,
)

if TYPE_CHECKING:
    from knownfix.core.records import TriageResult

MAX_REASONS = 5
MAX_OTHERS = 4
# What can start markup in the middle of a line (GFM); "(", "!" and friends only matter after
# a "[" or at a line's start, and neither can happen here.
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_BACKTICKS = re.compile(r"`+")


def escape(text: str) -> str:
    """One line of plain text made inert in Markdown (line breaks become spaces)."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def code_block(text: str, language: str = "") -> str:
    """``text`` in a fenced block that nothing inside can close."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def code_span(text: str) -> str:
    """``text`` as inline code, whatever backticks it holds."""
    text = " ".join(text.split())
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def render_markdown(result: TriageResult, *, heading: str = "###") -> str:
    """The report for one input: verdict, triage, incident, excerpt, fix, verification."""
    top = result.top
    known = result.known and top is not None
    source = "stdin" if result.source == "-" else result.source
    if not result.failed:
        return (f"{heading} ✅ {escape(no_failure_line(result))}\n\n"
                f"- **Log:** {code_span(source)} ({span_label(result.excerpt.spans)})\n")
    if known and top is not None:
        title = f"{heading} ✅ Known issue {escape(top.id)}: {escape(top.title)}"
    else:
        title = f"{heading} ❌ Unknown failure: {escape(result.signature.title)}"
    lines = [
        title,
        "",
        f"- **Log:** {code_span(source)} ({span_label(result.excerpt.spans)})",
        f"- **Signature:** {escape(result.signature.title)} "
        f"({code_span(result.signature.fingerprint)})",
        f"- **Triage:** {escape(decision_line(result.decision))}",
    ]
    if result.incident is not None:
        lines.append(f"- **Incident:** {escape(incident_line(result.incident))}")
    lines += ["", "**Failure excerpt**", "", _excerpt_block(result)]
    if known and top is not None:
        lines += ["", f"**Fix** (score {top.score:.2f})", ""]
        lines.append(top.resolution.strip() or "_No resolution written for this known issue._")
        if top.verification:
            lines += ["", "**Verify**", "", code_block("\n".join(top.verification), "bash")]
        if top.reasons:
            lines += ["", "**Why this match**", ""]
            lines += [f"- {escape(reason)}" for reason in top.reasons[:MAX_REASONS]]
    others = result.matches[1:] if known else result.matches
    if others:
        label = "Other candidates" if known else "Closest known issues (not confident)"
        lines += ["", f"**{label}**", ""]
        lines += [f"- {escape(match_line(m))}" for m in others[:MAX_OTHERS]]
    # The resolution is the team's Markdown, kept as written, but never a live javascript: link.
    return neutralize_links("\n".join(lines) + "\n")


def _excerpt_block(result: TriageResult) -> str:
    lines = numbered_lines(result.excerpt)
    if not lines:
        return f"_{EMPTY_EXCERPT}_"
    width = max(len(str(n)) for n, _ in lines if n is not None) if lines[0][0] else 0
    if width:
        text = "\n".join(f"{'' if n is None else n:>{width}} | {line}" for n, line in lines)
    else:
        text = "\n".join(line for _, line in lines)
    return code_block(text, "text")
