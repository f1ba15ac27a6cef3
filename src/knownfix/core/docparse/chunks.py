"""Stream a document as chunks of lines, so that memory is bounded by a section, not the file.

A chunk starts at a top-level heading (``#`` or ``##``) outside fenced code; splitting there never
changes how Markdown reads the text, because an ATX heading interrupts any open block. Chunks that
grow past a limit are split at the next heading of any level, then at a blank line, so that one
endless section cannot hold the whole file either.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from knownfix.core.docparse.cleanup import fix_mojibake

SOFT_LIMIT = 2_000  # lines: past this, split at any heading
HARD_LIMIT = 20_000  # lines: past this, split at a blank line outside fenced code
FRONT_MATTER_LIMIT = 500  # lines: an opening "---" not closed by then is not front matter

_LINE_END = re.compile(r"\r\n|\r|\n")
_TOP_HEADING = re.compile(r"^ {0,3}#{1,2}(?:[ \t]|$)")
_ANY_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_FENCE_OPEN = re.compile(r"^\s*(?P<mark>`{3,}|~{3,})(?P<info>.*)$")
_FENCE_CLOSE = re.compile(r"^\s*(?P<mark>`{3,}|~{3,})\s*$")


@dataclass
class Chunk:
    """Consecutive lines of the body; ``start`` is the 1-based number of the first one."""

    start: int
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FrontMatter:
    """The YAML between a leading ``---`` line and its closing ``---`` (or ``...``) line.

    ``end`` is 0 when nothing closed it: the lines are then read as Markdown instead.
    """

    start: int
    end: int
    text: str

    @property
    def closed(self) -> bool:
        return self.end > 0


def split_lines(raw: Iterable[str]) -> Iterator[str]:
    """Each input line as one or more lines ending in "\\n" (a lone CR also ends a line), a
    leading byte-order mark dropped."""
    first = True
    for piece in raw:
        if first:
            piece = piece.removeprefix("\ufeff")
            first = False
        parts = _LINE_END.split(piece)
        if parts and parts[-1] == "" and len(parts) > 1:
            parts.pop()
        for part in parts:
            yield part + "\n"


class _FenceTracker:
    """Knows whether the current line is inside fenced code (``` or ~~~, any indentation)."""

    def __init__(self) -> None:
        self.mark = ""

    def feed(self, line: str) -> bool:
        """Consume ``line``; return True if it was inside (or opened/closed) a fence."""
        if self.mark:
            close = _FENCE_CLOSE.match(line)
            if close and close["mark"][0] == self.mark[0] and len(close["mark"]) >= len(self.mark):
                self.mark = ""
            return True
        opened = _FENCE_OPEN.match(line)
        if opened and not (opened["mark"][0] == "`" and "`" in opened["info"]):
            self.mark = opened["mark"]
            return True
        return False


def read_chunks(
    raw: Iterable[str], repair: Callable[[], bool] = lambda: True
) -> Iterator[FrontMatter | Chunk]:
    """Yield the front matter (if any) and then the body as chunks, in order.

    Body lines get their mojibake repaired while ``repair()`` says so: the caller turns it off
    after the front matter shows knownfix's own format, which is kept exactly as written.
    """
    lines = split_lines(raw)
    number = 0
    pending: list[str] = []
    first = next(lines, None)
    if first is None:
        return
    number = 1
    if first.strip() == "---":
        body: list[str] = []
        for line in lines:
            number += 1
            if line.strip() in {"---", "..."}:
                yield FrontMatter(start=1, end=number, text="".join(body))
                break
            body.append(line)
            if len(body) >= FRONT_MATTER_LIMIT:
                pending = [first, *body]
                break
        else:
            pending = [first, *body]
        if pending:
            yield FrontMatter(start=1, end=0, text="")
    else:
        pending = [first]
    yield from _chunk_body(pending, lines, number - len(pending) + 1, repair)


def _chunk_body(
    pending: list[str], rest: Iterator[str], start: int, repair: Callable[[], bool]
) -> Iterator[Chunk]:
    fences = _FenceTracker()
    chunk = Chunk(start=start)
    number = start - 1

    def stream() -> Iterator[str]:
        yield from pending
        yield from rest

    for raw_line in stream():
        line = fix_mojibake(raw_line) if repair() else raw_line
        number += 1
        in_fence = fences.feed(line)
        if chunk.lines and not in_fence and _starts_chunk(line, len(chunk.lines)):
            yield chunk
            chunk = Chunk(start=number)
        chunk.lines.append(line)
    if chunk.lines:
        yield chunk


def _starts_chunk(line: str, size: int) -> bool:
    if _TOP_HEADING.match(line):
        return True
    if size >= SOFT_LIMIT and _ANY_HEADING.match(line):
        return True
    return size >= HARD_LIMIT and not line.strip()
