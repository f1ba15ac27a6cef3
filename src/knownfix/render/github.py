"""GitHub Actions output: one ``::error`` workflow command per input, and a job summary.

    ::error file=build.log,line=24,title=Known issue KF-12: Broken Alembic chain::<message>

The annotation points at the first failing line of the log. Every value is escaped the way the
runner unescapes it (``%`` → ``%25``, ``\\r`` → ``%0D``, ``\\n`` → ``%0A``, and in properties
also ``:`` → ``%3A``, ``,`` → ``%2C``), so log text can never end the command early or start a
new one. The job summary (Markdown, for ``$GITHUB_STEP_SUMMARY``) has a table of the inputs and
the report of each.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from knownfix.render.markdown import code_span, escape, render_markdown
from knownfix.render.parts import EMPTY_EXCERPT, decision_line, incident_line, no_failure_line

if TYPE_CHECKING:
    from knownfix.core.records import TriageResult

MESSAGE_EXCERPT_LINES = 12


def escape_data(text: str) -> str:
    """A workflow command's message, escaped."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value, escaped."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(result: TriageResult) -> str:
    """The ``::error`` line for one triage result (no trailing newline); a ``::notice`` for a
    log without a failure."""
    properties: list[tuple[str, str]] = []
    if result.source != "-":
        properties.append(("file", result.source))
        if result.excerpt.spans:
            properties.append(("line", str(result.excerpt.spans[0][0])))
    top = result.top
    if not result.failed:
        properties.append(("title", "No failure found" if result.outcome == "passed"
                           else "Empty log"))
        rendered = ",".join(f"{name}={escape_property(value)}" for name, value in properties)
        return f"::notice {rendered}::{escape_data('knownfix: ' + no_failure_line(result))}"
    if result.known and top is not None:
        title = f"Known issue {top.id}: {top.title}"
    else:
        title = f"Unknown failure: {result.signature.title}"
    properties.append(("title", title))
    rendered = ",".join(f"{name}={escape_property(value)}" for name, value in properties)
    return f"::error {rendered}::{escape_data(_message(result))}"


def _message(result: TriageResult) -> str:
    lines: list[str] = []
    top = result.top
    if result.known and top is not None:
        lines.append(f"knownfix: this is {top.id} {top.title} (score {top.score:.2f}).")
        if top.resolution.strip():
            lines += ["Fix:", top.resolution.strip()]
        if top.verification:
            lines += ["Verify:", *(f"$ {command}" for command in top.verification)]
    else:
        lines.append("knownfix: unknown failure (no known issue matches confidently).")
        excerpt = result.excerpt.text.split("\n") if result.excerpt.text else [EMPTY_EXCERPT]
        lines += excerpt[:MESSAGE_EXCERPT_LINES]
        if len(excerpt) > MESSAGE_EXCERPT_LINES:
            lines.append(f"… ({len(excerpt) - MESSAGE_EXCERPT_LINES} more lines)")
    lines.append(f"Triage: {decision_line(result.decision)}.")
    if result.incident is not None:
        lines.append(f"Incident: {incident_line(result.incident)}.")
    return "\n".join(lines)


def render_github(results: Sequence[TriageResult]) -> str:
    """The workflow commands for every result, one per line."""
    return "".join(workflow_command(result) + "\n" for result in results)


def job_summary(results: Sequence[TriageResult]) -> str:
    """A Markdown job summary: a table of the inputs, then each input's report."""
    known = sum(1 for r in results if r.failed and r.known)
    clean = sum(1 for r in results if not r.failed)
    lines = [
        "## knownfix triage",
        "",
        f"{len(results)} log(s): {known} known issue(s), {len(results) - known - clean} unknown"
        + (f", {clean} without a failure." if clean else "."),
        "",
        "| log | result | triage | incident |",
        "|---|---|---|---|",
    ]
    for result in results:
        top = result.top
        if not result.failed:
            verdict = f"✅ {escape(no_failure_line(result))}"
        elif result.known and top is not None:
            verdict = f"✅ {escape(top.id)} {escape(top.title)}"
        else:
            verdict = f"❌ unknown: {escape(result.signature.title)}"
        incident = escape(incident_line(result.incident)) if result.incident else "not recorded"
        # Inside a table even a code span needs its pipes escaped; escape() already does it.
        source = code_span("stdin" if result.source == "-" else result.source).replace("|", "\\|")
        row = [source, verdict, escape(decision_line(result.decision)), incident]
        lines.append("| " + " | ".join(row) + " |")
    body = "\n".join(lines) + "\n"
    return body + "".join("\n" + render_markdown(result, heading="###") for result in results)
