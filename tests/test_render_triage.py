"""Triage renderers (github, markdown, text) against golden files, on hand-built results.

Hand-built so that improving extraction or matching never churns these files. Regenerate after
an intended change with ``KNOWNFIX_UPDATE_GOLDEN=1 pytest tests/test_render_triage.py`` and read
the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from knownfix.core.records import (
    Excerpt,
    IncidentRef,
    Match,
    Signature,
    TriageDecision,
    TriageResult,
)
from knownfix.render.github import (
    escape_data,
    escape_property,
    job_summary,
    render_github,
    workflow_command,
)
from knownfix.render.markdown import code_block, code_span, escape, render_markdown
from knownfix.render.parts import numbered_lines, span_label
from knownfix.render.text import render_text

GOLDEN = Path(__file__).parent / "data" / "triage" / "render"

ALEMBIC = Match(
    id="KF-0012",
    title="Broken Alembic migration chain",
    score=0.934,
    reasons=(
        "symptom 'Can't locate revision' ~ excerpt line 3",
        "exception type CommandError",
    ),
    resolution="1. Find the last good revision with `alembic history`.\n"
    "2. Stamp it: `alembic stamp <rev>`.",
    verification=("alembic current", "alembic upgrade head"),
)
OTHER = Match("KF-0003", "Database unreachable | flaky", 0.31, ("shared terms: db",), "", ())


def known_result() -> TriageResult:
    return TriageResult(
        source="ci/logs/migrate, job:42.log",
        excerpt=Excerpt(
            spans=((24, 26), (30, 30)),
            text="Traceback (most recent call last):\n  File \"env.py\", line 87\n"
            "alembic.util.exc.CommandError: Can't locate revision identified by 'f00d'\n"
            "ERROR: 100% of migrations failed",
        ),
        signature=Signature(
            title="alembic.util.exc.CommandError: Can't locate revision identified by '<hex>'",
            fingerprint="3f9a0c1d2e4b5a69",
            loose_fingerprint="77aa00bb11cc22dd",
            version="2026-11-22",
        ),
        decision=TriageDecision("database", "high", "1 hour", "Database on-call", "db-migration"),
        known=True,
        matches=(ALEMBIC, OTHER),
        incident=IncidentRef("HIGH-004", new=False, count=4),
    )


def unknown_result() -> TriageResult:
    return TriageResult(
        source="-",
        excerpt=Excerpt(
            spans=((7, 9),),
            text="FAIL: test_total [`fmt` | <b>bold</b>]\n```\nexpected 3, got 4\r",
        ),
        signature=Signature(
            title="FAIL: test_total [`fmt` | <b>bold</b>]",
            fingerprint="0000111122223333",
            loose_fingerprint="4444555566667777",
            version="2026-11-22",
        ),
        decision=TriageDecision("test", "medium", None, None),
        known=False,
        matches=(OTHER,),
        incident=None,
    )


def empty_result() -> TriageResult:
    return TriageResult(
        source="empty.log",
        excerpt=Excerpt(spans=(), text=""),
        signature=Signature("(empty excerpt)", "e3b0c44298fc1c14", "b5f82261ee877f43", "v"),
        decision=TriageDecision("unknown", "medium", "4 hours", None),
        known=False,
        matches=(),
        incident=IncidentRef("MED-001", new=True, count=1),
    )


RESULTS = {"known": known_result, "unknown": unknown_result, "empty": empty_result}


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("KNOWNFIX_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
    assert actual == path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_markdown_golden(name: str) -> None:
    check_golden(f"{name}.md", render_markdown(RESULTS[name]()))


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_text_golden(name: str) -> None:
    check_golden(f"{name}.txt", render_text(RESULTS[name](), width=100))


def test_github_commands_golden() -> None:
    results = [factory() for factory in RESULTS.values()]
    check_golden("annotations.txt", render_github(results))


def test_github_summary_golden() -> None:
    check_golden("summary.md", job_summary([factory() for factory in RESULTS.values()]))


def test_workflow_command_shape_and_escaping() -> None:
    command = workflow_command(known_result())
    head, _, message = command.partition("::knownfix")
    assert head == (
        "::error file=ci/logs/migrate%2C job%3A42.log,line=24,"
        "title=Known issue KF-0012%3A Broken Alembic migration chain"
    )
    assert "\n" not in command
    assert "%0A" in message
    assert "100%25 of migrations" not in message  # a known issue shows the fix, not the log
    unknown = workflow_command(unknown_result())
    assert unknown.startswith("::error title=Unknown failure%3A FAIL%3A test_total")
    assert "file=" not in unknown  # stdin has no file to point at
    assert "got 4%0D" in unknown


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("100%", "100%25", "100%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("x: y, z", "x: y, z", "x%3A y%2C z"),
        ("%0A", "%250A", "%250A"),
        ("::set-env name=X::1", "::set-env name=X::1", "%3A%3Aset-env name=X%3A%3A1"),
    ],
)
def test_github_escaping_table(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain words", "plain words"),
        ("a | b", r"a \| b"),
        ("<script>", r"\<script\>"),
        ("**bold** _x_", r"\*\*bold\*\* \_x\_"),
        ("two\nlines", "two lines"),
    ],
)
def test_markdown_escape_table(text: str, expected: str) -> None:
    assert escape(text) == expected


def test_code_block_and_span_cannot_be_closed_from_inside() -> None:
    assert code_block("a ``` b").startswith("````\n")
    assert code_block("a ``` b").endswith("\n````")
    assert code_span("x`y") == "``x`y``"
    assert code_span("`edge`") == "`` `edge` ``"


def test_numbered_lines_mark_gaps_and_skip_numbers_when_lines_do_not_map() -> None:
    excerpt = Excerpt(((3, 4), (9, 9)), "a\nb\nc")
    assert numbered_lines(excerpt) == [(3, "a"), (4, "b"), (None, "…"), (9, "c")]
    assert numbered_lines(Excerpt(((1, 40),), "FAILURE: t\nmsg")) == [(None, "FAILURE: t"),
                                                                      (None, "msg")]
    assert numbered_lines(Excerpt((), "")) == []


@pytest.mark.parametrize(
    ("spans", "label"),
    [((), "no lines"), (((7, 7),), "line 7"), (((3, 5), (9, 9)), "lines 3-5, 9")],
)
def test_span_label(spans: tuple[tuple[int, int], ...], label: str) -> None:
    assert span_label(spans) == label


def test_text_keeps_log_markup_literal() -> None:
    rendered = render_text(unknown_result())
    assert "[`fmt` | <b>bold</b>]" in rendered
    assert "UNKNOWN" in rendered
    assert "seen" not in rendered  # not recorded: no incident line
    assert "seen 4 times" in render_text(known_result())
