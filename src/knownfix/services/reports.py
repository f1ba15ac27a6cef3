"""Report use cases: build the status report from the store, render it, write it to a file.

    model = build_report(store, since=datetime(2025, 3, 1, tzinfo=UTC))
    written = write_report(model, "html", Path("status.html"))

A Markdown report written to a file gets its chart as a PNG beside it (``status-occurrences.png``
for ``status.md``), linked by a relative name so the pair can be moved together; on stdout the
chart is left out. Files are written whole or not at all (a temporary file, then a rename).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from knownfix.core.healing.config import DEFAULT_FALSE_POSITIVE_WINDOW, ChecksConfig
from knownfix.core.records import Occurrence
from knownfix.core.report.healing import HealingKpis, compute_healing_kpis
from knownfix.core.report.model import ReportModel
from knownfix.core.report.model import build_report as build_report_model
from knownfix.errors import InputError
from knownfix.storage.repository import Store

FORMATS = ("md", "html", "pdf")
_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}
CHART_SUFFIX = "-occurrences.png"


@dataclass(frozen=True, slots=True)
class WrittenReport:
    """Where a report went: the report file and any file written beside it (the chart)."""

    path: Path
    extra: tuple[Path, ...] = ()


def build_report(
    store: Store,
    *,
    title: str | None = None,
    since: datetime | None = None,
    now: datetime | None = None,
    checks: ChecksConfig | None = None,
) -> ReportModel:
    """The status report over the store's active known issues, incidents and occurrences,
    with the self-healing KPIs when playbooks or detectors have been at work (``checks``
    gives their targets and false-positive window)."""
    occurrences = store.list_occurrences(since=since)
    model = build_report_model(
        store.list_known_issues(),
        # Merged incidents are left out: their occurrences and counts moved to their target.
        store.list_incidents(),
        occurrences,
        now=now or datetime.now(UTC),
        since=since,
        title=title,
    )
    healing = healing_kpis(store, occurrences, since=since, checks=checks)
    return replace(model, healing=healing) if not healing.empty else model


def healing_kpis(
    store: Store,
    occurrences: Sequence[Occurrence],
    *,
    since: datetime | None = None,
    checks: ChecksConfig | None = None,
) -> HealingKpis:
    """The self-healing KPIs of the period (see :mod:`knownfix.core.report.healing`)."""
    from knownfix.storage import healing as runs

    window = checks.false_positive_window if checks else DEFAULT_FALSE_POSITIVE_WINDOW
    policies = {p.name: p.breaker for p in checks.playbooks} if checks else {}
    return compute_healing_kpis(
        runs.list_runs(store, since=since),
        runs.detections(store, since=since),
        occurrences,
        runs.breakers(store, policies),
        since=since, window=window, targets=checks.targets if checks else None,
    )


def report_format(fmt: str | None, output: str | os.PathLike[str] | None) -> str:
    """The format asked for, else the one the output file's suffix names, else Markdown."""
    if fmt is not None:
        value = fmt.strip().lower()
        if value not in FORMATS:
            raise InputError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")
        return value
    if output is not None and str(output) != "-":
        return _SUFFIXES.get(Path(output).suffix.lower(), "md")
    return "md"


def default_output(fmt: str) -> Path | None:
    """Where a report goes when no output is given: stdout for Markdown, a file otherwise."""
    return None if fmt == "md" else Path(f"knownfix-report.{fmt}")


def render_report(model: ReportModel, fmt: str, *, chart_image: str | None = None) -> str | bytes:
    """The report as text (md, html) or bytes (pdf)."""
    from knownfix.reports import render

    if fmt == "md":
        return render.render_markdown(model, chart_image=chart_image)
    if fmt == "html":
        return render.render_html(model)
    if fmt == "pdf":
        return render.render_pdf(model)
    raise InputError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")


def write_report(model: ReportModel, fmt: str, output: str | os.PathLike[str]) -> WrittenReport:
    """Render the report into ``output`` (folders created); a Markdown one gets its chart PNG."""
    from knownfix.reports.render import chart_png

    path = Path(output)
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a file name for the report")
    extra: list[Path] = []
    chart_name = None
    if fmt == "md":
        png = chart_png(model)
        if png is not None:
            chart = path.with_name(path.stem + CHART_SUFFIX)
            _write_atomic(chart, png)
            extra.append(chart)
            chart_name = chart.name
    content = render_report(model, fmt, chart_image=chart_name)
    _write_atomic(path, content.encode("utf-8") if isinstance(content, str) else content)
    return WrittenReport(path=path, extra=tuple(extra))


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise InputError(f"{path}: cannot write: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        # mkstemp makes the file private; a report is as readable as the file it replaces.
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise InputError(f"{path}: cannot write: {error.strerror or error}") from None
