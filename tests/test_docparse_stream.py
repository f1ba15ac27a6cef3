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
