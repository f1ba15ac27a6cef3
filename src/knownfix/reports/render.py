"""Render a :class:`~knownfix.core.report.model.ReportModel` as Markdown, HTML or PDF.

Markdown and HTML come from Jinja2 templates under ``templates/``; the PDF is the HTML laid out
by WeasyPrint (the ``pdf`` extra), imported only when a PDF is asked for. The chart is an inline
SVG in HTML and PDF; Markdown links to a PNG the caller writes beside the file (see
:func:`chart_png`).
"""

from __future__ import annotations

import re
import warnings
from datetime import datetime
from functools import lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from knownfix.core.report.model import ReportModel
from knownfix.core.report.text import format_duration, shorten
from knownfix.errors import ConfigError
from knownfix.reports.charts import inline_svg, occurrence_chart

FORMATS = ("md", "html", "pdf")
PDF_INSTALL_HINT = "PDF reports need WeasyPrint: pip install 'knownfix[pdf]'"
_CODE_SPAN = re.compile(r"(`[^`]*`)")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def render_markdown(model: ReportModel, *, chart_image: str | None = None) -> str:
    """The report as Markdown; ``chart_image`` is the chart's file name, linked when given."""
    text = _environment("md").get_template("report.md.j2").render(
        model=model, chart_image=chart_image
    )
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"


def render_html(model: ReportModel) -> str:
    """The report as one self-contained HTML page: inline CSS, the chart as inline SVG."""
    chart = None
    if model.kpis.daily:
        svg = occurrence_chart(model.kpis.daily, model.kpis.severities, image_format="svg")
        chart = Markup(inline_svg(svg))  # drawn by matplotlib from our labels
    css = resources.files("knownfix.reports").joinpath("templates/report.css").read_text("utf-8")
    return _environment("html").get_template("report.html.j2").render(
        model=model, chart=chart, css=Markup(css)  # our own stylesheet
    )


def render_pdf(model: ReportModel) -> bytes:
    """The report as PDF (the HTML laid out by WeasyPrint); ConfigError if it is missing."""
    try:
        with warnings.catch_warnings():
            # Said once per process at import on systems without libharfbuzz-subset; PDFs are
            # fine without it, and a warning turned error must not stop the report.
            warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
            from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: WeasyPrint without pango/cairo
        raise ConfigError(f"{PDF_INSTALL_HINT} ({_first_line(error)})") from None
    pdf = HTML(string=render_html(model), base_url=None).write_pdf()
    if pdf is None:  # only None when given a target to write to
        raise ConfigError("WeasyPrint produced no PDF")
    return bytes(pdf)


def chart_png(model: ReportModel) -> bytes | None:
    """The occurrences chart as PNG for a Markdown report; None when there is nothing to draw."""
    if not model.kpis.daily:
        return None
    return occurrence_chart(model.kpis.daily, model.kpis.severities, image_format="png")


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


@lru_cache(maxsize=2)
def _environment(kind: str) -> Environment:
    env = Environment(
        loader=PackageLoader("knownfix.reports", "templates"),
        autoescape=kind == "html",
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        short=shorten,
        when=_when,
        duration=format_duration,
        pct=lambda value: f"{value:.0f}%",
        counted=_counted,
    )
    if kind == "html":
        env.filters.update(code=_html_code, severity_class=css_name, status_class=css_name)
    else:
        env.filters.update(md=_markdown_text, cell=_markdown_cell, codespan=_markdown_code)
    return env


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "—"


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _markdown_text(text: str) -> str:
    """User text for Markdown: an HTML-like ``<tag`` outside code spans is escaped as ``\\<``.

    Without it a renderer would swallow ``<module>`` in an error message as an unknown tag.
    """
    parts = _CODE_SPAN.split(text)
    return "".join(p if n % 2 else _TAG_START.sub(r"\\<", p) for n, p in enumerate(parts))


def _markdown_cell(text: str | None, width: int | None = None) -> str:
    """User text for a Markdown table cell: one line, shortened, pipes escaped."""
    value = " ".join((text or "").split())
    if width is not None:
        value = shorten(value, width)
    return _markdown_text(value).replace("|", "\\|")


def _markdown_code(text: str) -> str:
    """Literal text as one Markdown code span, fenced with more backticks than it holds."""
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _html_code(text: str) -> Markup:
    """User text for HTML: escaped, with `backtick` spans shown as <code>."""
    parts = _CODE_SPAN.split(text)
    html = "".join(
        f"<code>{escape(p[1:-1])}</code>" if n % 2 else str(escape(p)) for n, p in enumerate(parts)
    )
    return Markup(html)  # every part escaped above


def css_name(text: str) -> str:
    """A label as a CSS class suffix: "In progress" → "in-progress"."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "none"


__all__ = ["FORMATS", "chart_png", "css_name", "render_html", "render_markdown", "render_pdf"]
