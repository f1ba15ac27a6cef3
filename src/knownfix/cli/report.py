"""``knownfix report``: the status report as Markdown (stdout), HTML or PDF (a file)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from knownfix.cli.state import get_state


class ReportFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to the root app."""
    app.command("report")(report)


def report(
    ctx: typer.Context,
    fmt: Annotated[
        ReportFormat | None,
        typer.Option("--format", "-f", help="md (default), html or pdf; else the --output suffix.",
                     case_sensitive=False, show_default=False),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write ('-' for stdout). Default: stdout "
                     "for md, knownfix-report.html / .pdf here otherwise.", show_default=False),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="The report's title.")] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only incidents and occurrences since a date "
                     "(2025-03-01, 2025-03-01T08:00Z) or a span back from now (24h, 30d, 2w)."),
    ] = None,
) -> None:
    """Write a status report: summary, issue matrix, troubleshooting index and KPIs.

    Example: knownfix report --format html --output status.html --since 30d
    """
    from datetime import UTC, datetime

    from knownfix.core.report.model import parse_since
    from knownfix.services import checks_config, reports

    now = datetime.now(UTC)
    start = parse_since(since, now) if since is not None else None
    kind = reports.report_format(fmt.value if fmt else None, output)
    target = output if output is not None else reports.default_output(kind)
    state = get_state(ctx)
    checks_file = checks_config.optional_checks_file(state.settings)
    checks = checks_config.read_checks_file(checks_file) if checks_file else None
    model = reports.build_report(state.store(), title=title, since=start, now=now,
                                 checks=checks)
    if target is None or str(target) == "-":
        content = reports.render_report(model, kind)
        typer.echo(content, nl=False)
        return
    written = reports.write_report(model, kind, target)
    beside = "".join(f" (chart: {path})" for path in written.extra)
    typer.echo(f"wrote {written.path}{beside}", err=True)
