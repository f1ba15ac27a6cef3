"""The people-facing triage view: one Rich panel per input.

It shows the failing lines with their line numbers, the signature's title, the triage decision,
the top match with its fix and verification commands, and the incident ("seen 4 times"). Log
and doc text always enters as :class:`rich.text.Text`, never as markup, so a ``[red]`` in a log
stays literal.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from knownfix.render.fit import elide_left
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

MAX_REASONS = 3
MAX_OTHERS = 3
_TITLE_FRAME = 6


def triage_panel(result: TriageResult) -> RenderableType:
    """The Rich panel for one triage result."""
    if not result.failed:
        body = Text(no_failure_line(result), style="bold green")
        return _VerdictPanel(result, body)
    parts: list[RenderableType] = [
        _label("Failure", span_label(result.excerpt.spans)),
        _excerpt(result),
        Text(""),
        _field("Signature", result.signature.title),
        _field("Triage", decision_line(result.decision)),
    ]
    top = result.top
    if top is not None and result.known:
        parts += [Text(""), _field("Known issue", match_line(top), style="bold green")]
        parts += [Text(f"  why: {reason}", style="dim") for reason in top.reasons[:MAX_REASONS]]
        if top.resolution.strip():
            parts += [Text("Fix", style="bold"), _indented(top.resolution)]
        if top.verification:
            parts.append(Text("Verify", style="bold"))
            parts += [Text(f"  $ {command}") for command in top.verification]
    else:
        parts += [Text(""), Text("Unknown failure: no known issue matches confidently.",
                                 style="bold yellow")]
    others = result.matches[1:] if result.known else result.matches
    if others:
        label = "Other candidates" if result.known else "Closest known issues"
        parts.append(Text(label, style="bold"))
        parts += [Text(f"  {match_line(m)}", style="dim") for m in others[:MAX_OTHERS]]
    if result.incident is not None:
        parts += [Text(""), _field("Incident", incident_line(result.incident), style="bold")]
    return _VerdictPanel(result, Group(*parts))


class _VerdictPanel:
    """The panel, titled for the width it is printed in: the verdict first and never cut, then
    as much of the source as fits (its end: the file name)."""

    def __init__(self, result: TriageResult, body: RenderableType) -> None:
        self.result = result
        self.body = body

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        status, good = _status(self.result)
        source = self.result.source if self.result.source != "-" else "<stdin>"
        # Rich keeps the title off the corners and pads it with a space each side.
        room = options.max_width - _TITLE_FRAME - status.cell_len - 1
        title = Text.assemble(status, " ", elide_left(source, room)) if room > 0 else status
        yield Panel(self.body, title=title, title_align="left",
                    border_style="green" if good else "yellow")


def _status(result: TriageResult) -> tuple[Text, bool]:
    """The verdict badge, and whether it is good news (green) or asks for work (yellow)."""
    if result.outcome == "passed":
        return Text(" PASSED ", style="bold black on green"), True
    if result.outcome == "empty":
        return Text(" EMPTY ", style="bold black on yellow"), False
    if result.known:
        return Text(" KNOWN ", style="bold black on green"), True
    return Text(" UNKNOWN ", style="bold black on yellow"), False


def render_text(result: TriageResult, *, width: int = 100) -> str:
    """The panel as plain text (no colours), e.g. for tests and logs."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False,
                      force_terminal=False)
    console.print(triage_panel(result))
    return buffer.getvalue()


def _label(name: str, value: str) -> Text:
    return Text.assemble((name, "bold"), (f" ({value})", "dim"))


def _field(name: str, value: str, *, style: str = "") -> Text:
    return Text.assemble((f"{name}: ", "bold"), (value, style))


def _excerpt(result: TriageResult) -> RenderableType:
    lines = numbered_lines(result.excerpt)
    if not lines:
        return Text(f"  {EMPTY_EXCERPT}", style="italic")
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="dim", no_wrap=True)
    table.add_column(overflow="fold")
    for number, line in lines:
        table.add_row("" if number is None else str(number), Text(line.expandtabs(4)))
    return table


def _indented(value: str) -> Text:
    return Text("\n".join(f"  {line}".rstrip() for line in value.strip("\n").splitlines()))
