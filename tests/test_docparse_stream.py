"""Bounded memory: a large document is read section by section, never as one token list."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from knownfix.core.docparse import chunks, parse_markdown, reader, sections
from knownfix.core.docparse.blocks import Block


class Spy:
    """Wraps ``parse_blocks`` to record chunk sizes and how far the input had been read."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.read_at_call: list[int] = []
        self.read = 0
        self.real = sections.parse_blocks

    def __call__(self, lines: list[str], first_line: int) -> list[Block]:
        self.sizes.append(len(lines))
        self.read_at_call.append(self.read)
        return self.real(lines, first_line)

    def incidents(self, count: int) -> Iterator[str]:
        yield "# Incident log\n"
        for n in range(count):
            for line in (f"## {n}. Incident {n}\n", "\n", f"- **Symptom:** `error {n}`\n",
                         f"- **Fix:** restart worker {n}\n", "\n"):
                self.read += 1
                yield line


def test_many_sections_are_parsed_one_chunk_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    spy = Spy()
    monkeypatch.setattr(sections, "parse_blocks", spy)
    document = parse_markdown(spy.incidents(2000), "big.md")
    assert len(document.issues) == 2000
    assert max(spy.sizes) <= 6
    # Parsing starts long before the input is exhausted: the stream is consumed as it goes.
    assert spy.read_at_call[1] < 20


def test_one_endless_section_is_still_split(monkeypatch: pytest.MonkeyPatch) -> None:
    spy = Spy()
    monkeypatch.setattr(sections, "parse_blocks", spy)
    monkeypatch.setattr(chunks, "SOFT_LIMIT", 40)
    monkeypatch.setattr(chunks, "HARD_LIMIT", 80)
    body = ["# Notes\n"]
    body += [f"paragraph {n}\n\n" if n % 2 else f"### Part {n}\n" for n in range(600)]
    parse_markdown(body, "long.md")
    assert max(spy.sizes) <= 81


def test_fenced_code_is_never_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunks, "HARD_LIMIT", 5)
    fence = ["## Log\n", "**Symptom:**\n", "```\n"] + ["\n", "## not a heading\n"] * 10 + ["```\n"]
    document = parse_markdown(fence + ["**Fix:** restart\n"], "fence.md")
    (issue,) = document.issues
    assert issue.symptoms[0].count("## not a heading") == 10


def test_reports_of_skipped_parts_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_REPORTS", 5)
    document = parse_markdown([f"## Note {n}\nprose\n" for n in range(20)], "notes.md")
    assert len(document.skipped) == 6
    assert document.skipped[-1].reason == "15 more parts were not imported (reports stop at 5)"


def _chars(lines: list[str]) -> int:
    return sum(len(line) for line in lines)


class CharSpy(Spy):
    def __call__(self, lines: list[str], first_line: int) -> list[Block]:
        self.sizes.append(_chars(lines))
        return self.real(lines, first_line)


def test_a_huge_table_is_cut_under_its_repeated_header(monkeypatch: pytest.MonkeyPatch) -> None:
    spy = CharSpy()
    monkeypatch.setattr(sections, "parse_blocks", spy)
    monkeypatch.setattr(chunks, "MAX_CHARS", 2000)
    rows = ["# Status report\n", "## Issue status matrix\n",
            "| ID | Severity | Issue | Status |\n", "|---|---|---|---|\n"]
    rows += [f"| KF-{n:04d} | High | Thing {n} broke | Open |\n" for n in range(400)]
    document = parse_markdown(rows, "matrix.md")
    assert len(spy.sizes) > 5
    assert max(spy.sizes) <= 2000 + 200
    # Every row is read once, under the right line number, as if the table were never cut.
    assert [issue.id for issue in document.issues] == [f"KF-{n:04d}" for n in range(400)]
    assert [issue.source.line for issue in document.issues] == list(range(5, 405))


def test_table_rows_keep_their_text_not_tokens() -> None:
    from knownfix.core.docparse.blocks import Table, parse_blocks

    (table,) = parse_blocks(["| a | b |\n", "|---|---|\n", "| `x` | *y* | extra |\n"], 1)
    assert isinstance(table, Table)
    (row,) = table.rows
    assert set(row.__slots__) == {"line", "raw", "width", "env"}  # type: ignore[attr-defined]
    assert row.raw_cells == ["`x`", "*y*", "extra"]
    assert [[t.type for t in cell] for cell in row.cells] == [["code_inline"],
                                                              ["em_open", "text", "em_close"]]


def test_one_endless_paragraph_is_plain_text_and_cut_by_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The hardening issue's 1.2 MB of emphasis markers, scaled down with the limits.
    spy = CharSpy()
    monkeypatch.setattr(sections, "parse_blocks", spy)
    monkeypatch.setattr(chunks, "MAX_CHARS", 5000)
    document = parse_markdown(["# T\n", "\n"] + ["*_" * 40 + "\n"] * 1000, "emph.md")
    assert max(spy.sizes) <= 5000 + 100
    assert document.issues == []


def test_a_long_inline_text_is_one_plain_token() -> None:
    from knownfix.core.docparse.blocks import LONG_INLINE, Paragraph, parse_blocks

    (paragraph,) = parse_blocks(["*_" * LONG_INLINE + "\n"], 1)
    assert isinstance(paragraph, Paragraph)
    assert [t.type for t in paragraph.inline] == ["text"]
    assert paragraph.inline[0].content == "*_" * LONG_INLINE


def test_a_section_past_its_token_budget_keeps_its_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sections, "MAX_SECTION_TOKENS", 50)
    monkeypatch.setattr(chunks, "MAX_CHARS", 300)
    lines = ["## Notes\n", "\n"] + [f"- item *{n}* `code{n}`\n" for n in range(200)]
    (node,) = list(sections.iter_nodes(chunks.read_chunks(lines)))  # type: ignore[arg-type]
    weights = [sections.weight(block) for block in node.blocks]
    assert len(weights) > 10
    assert sum(weights) <= 50 + 2 * max(weights[:3])
    last = node.blocks[-1]
    assert isinstance(last, sections.Paragraph)
    assert "item 199 code199" in last.inline[0].content
