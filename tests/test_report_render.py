"""Rendering the status report: golden Markdown, HTML with the matrix and an inline SVG chart,
and a PDF checked by rasterising its first page.

Set ``KNOWNFIX_UPDATE_GOLDEN=1`` to rewrite ``tests/data/report/golden.md`` after a deliberate
change (then read the diff).
"""

from __future__ import annotations

import io
import json
import os
import re
import warnings
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import IN_CI
from knownfix.core.records import Incident, KnownIssue, Occurrence
from knownfix.core.report.model import ReportModel, build_report
from knownfix.reports.charts import inline_svg, occurrence_chart
from knownfix.reports.render import chart_png, render_html, render_markdown, render_pdf

DATA = Path(__file__).parent / "data" / "report"
GOLDEN = DATA / "golden.md"
TITLE = "CI platform status"
_TIMES = ("first_seen", "last_seen", "sla_due_at", "resolved_at")


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def load_dataset(title: str = TITLE) -> ReportModel:
    """The fixed dataset (written for these tests, in the store's shapes) as a report model."""
    data: dict[str, Any] = json.loads((DATA / "dataset.json").read_text(encoding="utf-8"))
    issues = [KnownIssue.from_dict(item) for item in data["known_issues"]]
    incidents = [Incident(**{**item, **{k: _when(item[k]) for k in _TIMES}})
                 for item in data["incidents"]]
    occurrences = [Occurrence(**{**item, "received_at": _when(item["received_at"])})
                   for item in data["occurrences"]]
    now = _when(data["now"])
    assert now is not None
    return build_report(issues, incidents, occurrences, now=now, title=title)


@pytest.fixture(scope="module")
def model() -> ReportModel:
    return load_dataset()


def test_markdown_matches_golden(model: ReportModel) -> None:
    text = render_markdown(model, chart_image="report-occurrences.png")
    if os.environ.get("KNOWNFIX_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_markdown_sections_and_escaping(model: ReportModel) -> None:
    text = render_markdown(model)
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings == ["Executive summary", "Issue status matrix", "Troubleshooting index",
                        "KPIs"]
    assert "![" not in text  # no image without a file beside the report
    assert "| MED-003 | Medium | Type check fails on path alias \\| imports |" in text
    assert "KF-0011" not in text  # retired
    assert "by \\<hex>" in text  # would vanish as an HTML tag otherwise
    rows = [line for line in text.splitlines() if line.startswith("| CRIT-002 | Critical | Runner")]
    assert len(rows) == 1
    assert "…" in rows[0]


def test_markdown_tables_have_as_many_cells_as_headers(model: ReportModel) -> None:
    lines = render_markdown(model).splitlines()
    for n, line in enumerate(lines):
        if line.startswith("| ---"):
            width = _cells(line)
            rows = [row for row in lines[n - 1:] if row.startswith("|")]
            block = rows[: next((i for i, r in enumerate(rows[1:], 1)
                                 if not lines[n - 1 + i].startswith("|")), len(rows))]
            assert all(_cells(row) == width for row in block), block


def _cells(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line)) - 1


def test_empty_store_renders_a_report_saying_there_is_nothing_yet() -> None:
    empty = build_report([], [], [], now=datetime(2025, 1, 1))
    text = render_markdown(empty)
    assert text.startswith("# Known issues status report\n")
    assert "Nothing to report yet" in text
    assert "knownfix import docs/" in text
    html = render_html(empty)
    assert "Nothing to report yet" in html
    assert "<svg" not in html
    assert chart_png(empty) is None


def test_html_has_the_matrix_table_and_an_inline_svg_chart(model: ReportModel) -> None:
    html = render_html(model)
    assert html.startswith("<!DOCTYPE html>")
    matrix = re.search(r'<table class="matrix">(.*?)</table>', html, re.S)
    assert matrix is not None
    headers = re.findall(r"<th>(.*?)</th>", matrix.group(1))
    assert headers == ["ID", "Severity", "Issue", "Status", "Self-Healing", "Root Cause",
                       "Solution"]
    assert matrix.group(1).count("<tr>") == 1 + len(model.matrix)
    assert re.search(r'<figure class="chart">\s*<svg[^>]*xmlns="http://www.w3.org/2000/svg"', html)
    assert "<?xml" not in html
    assert "<!DOCTYPE svg" not in html
    assert "Critical" in re.search(r"<svg.*</svg>", html, re.S).group(0)  # type: ignore[union-attr]
    assert "<code>tsconfig.json</code>" in html  # `code` spans become <code>
    assert "Type check fails on path alias | imports" in html


def test_html_escapes_user_text() -> None:
    hostile = KnownIssue(id="X-1", title="<script>alert(1)</script>", severity="<b>bold</b>",
                         root_cause="`<img src=x onerror=alert(1)>`", category="<i>cat</i>")
    html = render_html(build_report([hostile], [], [], now=datetime(2025, 1, 1)))
    assert "<script>alert" not in html
    assert "<img src" not in html
    assert "<i>cat" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<code>&lt;img src=x onerror=alert(1)&gt;</code>" in html


def test_chart_bytes_are_deterministic_and_well_formed(model: ReportModel) -> None:
    kpis = model.kpis
    first = occurrence_chart(kpis.daily, kpis.severities, image_format="svg")
    assert first == occurrence_chart(kpis.daily, kpis.severities, image_format="svg")
    svg = inline_svg(first)
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    png = chart_png(model)
    assert png is not None
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_chart_of_a_single_day() -> None:
    from knownfix.core.report.kpis import DayCount

    svg = occurrence_chart([DayCount(datetime(2025, 1, 1).date(), (2,))], ("Unrated",))
    assert b"<svg" in svg


# --- PDF ----------------------------------------------------------------------------------------


def _require_weasyprint() -> None:
    """Skip (outside CI) when WeasyPrint cannot be imported; under CI it must be there."""
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
            import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        message = f"WeasyPrint cannot be imported ({error}); install knownfix[pdf]"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def pdf(model: ReportModel) -> bytes:
    _require_weasyprint()
    return render_pdf(model)


def test_pdf_first_page_renders_with_content(pdf: bytes) -> None:
    pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 is part of the pdf extra")
    assert pdf.startswith(b"%PDF-")
    document = pdfium.PdfDocument(pdf)
    try:
        assert len(document) >= 2
        page = document[0]
        width, height = page.get_size()
        assert width == pytest.approx(595.3, abs=1)
        assert height == pytest.approx(841.9, abs=1)
        image = page.render(scale=1).to_pil().convert("L")
        png = io.BytesIO()
        image.save(png, format="PNG")
        assert png.getvalue().startswith(b"\x89PNG")
        assert abs(image.size[0] - width) <= 1
        assert abs(image.size[1] - height) <= 1
        histogram = image.histogram()
        ink = sum(histogram[:200]) / (image.size[0] * image.size[1])
        assert 0.02 < ink < 0.6, ink  # text and tiles, neither blank nor a solid block
        text = page.get_textpage().get_text_range()
        assert TITLE in text
        assert "Executive summary" in text
        assert "Issue status matrix" in text
        everything = "".join(document[n].get_textpage().get_text_range()
                             for n in range(len(document)))
        assert "Troubleshooting index" in everything
        assert "KPIs" in everything
        assert "occurrences per day" in everything  # chart text kept as text (SVG fonttype none)
    finally:
        document.close()


def test_pdf_without_weasyprint_is_a_clear_error(
    model: ReportModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from knownfix.errors import ConfigError

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import now raises ImportError
    with pytest.raises(ConfigError, match=r"pip install 'knownfix\[pdf\]'"):
        render_pdf(model)
