"""The occurrences-over-time chart: daily counts stacked by severity, drawn with matplotlib.

Uses the object-oriented API on a bare :class:`~matplotlib.figure.Figure` with the Agg canvas:
no pyplot, so no global figure state, no GUI backend and nothing left open between reports.
Output is deterministic (fixed SVG ids, no creation date) so the same data gives the same bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from knownfix.core.report.kpis import DayCount

if TYPE_CHECKING:
    from matplotlib.axes import Axes

SEVERITY_COLOURS: dict[str, str] = {
    "Critical": "#b42318",
    "High": "#e8590c",
    "Medium": "#d4a017",
    "Warning": "#a3a31c",
    "Low": "#3b82c4",
    "Info": "#7c8ea3",
    "Unrated": "#b8bec6",
}
OTHER_COLOURS = ("#6d5bd0", "#2f9e77", "#c2418a", "#5c6b7a")
_PROLOGUE = re.compile(r"\A(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?", re.IGNORECASE)
_RC: dict[Any, Any] = {
    "svg.hashsalt": "knownfix",  # stable element ids: the same report renders the same bytes
    "svg.fonttype": "none",  # text stays text: smaller, selectable, searchable in the PDF
    "font.family": ["DejaVu Sans", "sans-serif"],
    "font.size": 9.0,
}


def occurrence_chart(
    daily: Sequence[DayCount], severities: Sequence[str], *, image_format: str = "svg"
) -> bytes:
    """The chart as SVG or PNG bytes; ``daily`` must hold at least one day."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import date2num
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=(7.2, 2.6), dpi=100, layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        days = [float(date2num(d.day)) for d in daily]  # type: ignore[no-untyped-call]
        bottom = [0] * len(daily)
        width = 0.8 if len(daily) > 1 else 0.5
        for n, severity in enumerate(severities):
            # Only the days with a count: a zero-height bar still paints a hairline.
            shown = [i for i, d in enumerate(daily) if d.counts[n]]
            axes.bar([days[i] for i in shown], [daily[i].counts[n] for i in shown],
                     width=width, bottom=[bottom[i] for i in shown], label=severity,
                     color=_colour(severity, n), linewidth=0)
            bottom = [b + d.counts[n] for b, d in zip(bottom, daily, strict=True)]
        axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
        axes.set_ylabel("occurrences per day")
        axes.grid(axis="y", color="#e3e6ea", linewidth=0.8)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.tick_params(length=0)
        figure.autofmt_xdate(rotation=0, ha="center")
        _format_dates(axes, len(daily))
        axes.legend(loc="upper left", frameon=False, ncols=max(len(severities), 1),
                    bbox_to_anchor=(0, 1.14), fontsize=8.5, handlelength=1.0)
        buffer = io.BytesIO()
        metadata = {"Date": None} if image_format == "svg" else {"Software": None}
        figure.savefig(buffer, format=image_format, metadata=metadata,
                       dpi=150 if image_format == "png" else "figure")
    return buffer.getvalue()


def inline_svg(svg: bytes) -> str:
    """SVG bytes as markup to put inside HTML: no XML prologue or DOCTYPE."""
    return _PROLOGUE.sub("", svg.decode("utf-8")).strip()


def _colour(severity: str, n: int) -> str:
    return SEVERITY_COLOURS.get(severity, OTHER_COLOURS[n % len(OTHER_COLOURS)])


def _format_dates(axes: Axes, days: int) -> None:
    """Readable day ticks: a handful of dates whatever the span."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(minticks=2, maxticks=8)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    formatter = ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_formatter(formatter)
    if days == 1:  # one bar would fill the whole width
        low, high = axes.get_xlim()
        axes.set_xlim(low - 1, high + 1)
