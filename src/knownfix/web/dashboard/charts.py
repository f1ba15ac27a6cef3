"""The overview's occurrences-per-day chart: the status report's own chart, inline SVG.

Drawing with matplotlib takes a good part of a second, so the markup is kept for the latest
few distinct data sets: a dashboard refreshed every minute draws again only when a count moved.
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup

from knownfix.core.report.kpis import DayCount
from knownfix.reports.charts import inline_svg, occurrence_chart

CACHED_CHARTS = 8


def occurrence_chart_markup(
    daily: tuple[DayCount, ...], severities: tuple[str, ...]
) -> Markup | None:
    """The chart of ``daily`` (counts per severity) as inline SVG; None with no day to draw."""
    if not daily:
        return None
    return _chart(daily, severities)


@lru_cache(maxsize=CACHED_CHARTS)
def _chart(daily: tuple[DayCount, ...], severities: tuple[str, ...]) -> Markup:
    svg = occurrence_chart(daily, severities, image_format="svg")
    # Drawn by matplotlib from severity labels and dates; it holds no log text.
    return Markup(inline_svg(svg))
