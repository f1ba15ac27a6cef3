"""Tables and titles fit the terminal: the verdict and ids stay whole at any width."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from knownfix.core.records import Excerpt, Signature, TriageDecision, TriageResult
from knownfix.render.fit import ELLIPSIS, Column, FitTable, elide_left
from knownfix.render.text import triage_panel

LONG_PATH = "/tmp/" + "x" * 120 + "/knownfix/examples/logs/alembic-missing-revision.log"
WIDTHS = (20, 40, 80, 100, 200)


def printed(renderable: object, width: int) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, force_terminal=False).print(renderable)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "text", "width", "expected"),
    [
        ("fits", "build.log", 20, "build.log"),
        ("exact", "build.log", 9, "build.log"),
        ("keeps the end", "/a/b/c/build.log", 12, "…c/build.log"),
        ("one cell", "build.log", 1, ELLIPSIS),
        ("no room", "build.log", 0, ""),
        ("wide characters", "/日志/构建.log", 7, "…建.log"),
    ],
)
def test_elide_left(name: str, text: str, width: int, expected: str) -> None:
    assert elide_left(text, width) == expected, name


@given(st.text(max_size=80), st.integers(min_value=0, max_value=90))
def test_elide_left_fits_and_keeps_the_end(text: str, width: int) -> None:
    shown = elide_left(text, width)
    assert cell_len(shown) <= max(width, 0)
    if cell_len(text) <= width:
        assert shown == text
    elif width > 1:
        assert shown.startswith(ELLIPSIS)
        assert text.endswith(shown[1:])


def result(known: bool, source: str) -> TriageResult:
    return TriageResult(
        source=source,
        excerpt=Excerpt(spans=((3, 3),), text="OSError: [Errno 28] No space left on device"),
        signature=Signature("OSError: [Errno <num>] No space left on device", "a" * 16,
                            "b" * 16, "2026-12-06"),
        decision=TriageDecision("disk", "high"),
        known=known,
        matches=(),
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("known", [True, False])
def test_the_verdict_is_never_cut_whatever_the_path(width: int, known: bool) -> None:
    first = printed(triage_panel(result(known, LONG_PATH)), width).splitlines()[0]
    verdict = " KNOWN " if known else " UNKNOWN "
    assert verdict in first
    assert cell_len(first) <= width
    if width >= 60:
        assert first.rstrip("─╮ ").endswith("alembic-missing-revision.log")


def test_stdin_is_named_and_short_sources_are_whole() -> None:
    assert "<stdin>" in printed(triage_panel(result(False, "-")), 80).splitlines()[0]
    assert " UNKNOWN  build.log " in printed(triage_panel(result(False, "build.log")), 80)


def incidents_table() -> FitTable:
    table = FitTable([
        Column("id", whole=True), Column("status", drop=2, whole=True),
        Column("count", drop=3, whole=True), Column("last seen", drop=5, whole=True),
        Column("known issue", drop=4), Column("title", least=30),
    ])
    table.add_row("MED-012", "investigating", "4", "2026-12-07 10:19", "KF-0012",
                  "alembic.util.exc.CommandError: Can't locate revision identified by '<hex>'")
    table.add_row("CRIT-1042", "open", "1", "2026-12-07 10:19", "—", "npm ERR! code ERESOLVE")
    return table


@pytest.mark.parametrize("width", WIDTHS)
def test_ids_stay_whole_and_less_important_columns_go_first(width: int) -> None:
    table = incidents_table()
    shown = printed(table, width)
    if width >= 40:
        assert " MED-012 " in shown
        assert " CRIT-1042 " in shown
    else:  # too narrow for both: the id folds, every character kept
        first_column = "".join(line.split("│")[1].strip() for line in shown.splitlines()
                               if line.startswith("│"))
        assert "MED-012" in first_column
        assert "CRIT-1042" in first_column
    assert all(cell_len(line) <= width for line in shown.splitlines())
    headers = [table.columns[i].header for i in table.kept_columns(width)]
    assert headers[0] == "id"
    if width >= 200:
        assert headers == ["id", "status", "count", "last seen", "known issue", "title"]
    if width == 80:
        assert headers == ["id", "status", "count", "title"]
    if "last seen" in headers:
        assert "known issue" in headers, "a column dropped before a more important one"


def test_a_path_column_keeps_the_file_name() -> None:
    table = FitTable([Column("received", drop=1, whole=True), Column("source", path=True),
                      Column("first line", drop=2)])
    table.add_row("2026-12-07 10:19", LONG_PATH, "Traceback (most recent call last):")
    for width in (40, 80):
        assert "alembic-missing-revision.log" in printed(table, width)


def test_a_row_must_fill_every_column() -> None:
    with pytest.raises(ValueError, match="2 cells for 3 columns"):
        FitTable([Column("a"), Column("b"), Column("c")]).add_row("x", "y")

