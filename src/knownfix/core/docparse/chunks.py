"""Stream a document as chunks of lines, so that memory is bounded by a chunk, not the file.

A chunk starts at a top-level heading (``#`` or ``##``) outside fenced code; splitting there never
changes how Markdown reads the text, because an ATX heading interrupts any open block. Chunks that
grow past a limit (lines or characters) are split at the next heading of any level, then at a
blank line, then at any line outside fenced code, so that one endless section, table or paragraph
cannot hold the whole file either.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from knownfix.core.docparse.cleanup import fix_mojibake

SOFT_LIMIT = 2_000  # lines: past this, split at any heading
HARD_LIMIT = 20_000  # lines: past this, split at a blank line outside fenced code
FRONT_MATTER_LIMIT = 500  # lines: an opening "---" not closed by then is not front matter
# markdown-it holds a token list of about 100 bytes per byte of a table or of inline markup,
# so chunks are bounded by size too: past SOFT_CHARS split at any heading, past HARD_CHARS at a
# blank line, past MAX_CHARS at the next line outside fenced code (a table goes on in the next
# chunk under a repeat of its header). A document's memory is then bounded by MAX_CHARS, not by
# its longest section (a 100,000-row table took 900 MB).
SOFT_CHARS = 32 << 10
HARD_CHARS = 64 << 10
MAX_CHARS = 128 << 10

_LINE_END = re.compile(r"\r\n|\r|\n")
_TOP_HEADING = re.compile(r"^ {0,3}#{1,2}(?:[ \t]|$)")
_ANY_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_FENCE_OPEN = re.compile(r"^\s*(?P<mark>`{3,}|~{3,})(?P<info>.*)$")
_FENCE_CLOSE = re.compile(r"^\s*(?P<mark>`{3,}|~{3,})\s*$")
_TABLE_DELIMITER = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")


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


class _TableTracker:
    """Remembers the header of the table the last lines belong to, to repeat it after a cut."""

    def __init__(self) -> None:
        self.previous = ""
        self.header: tuple[str, str] | None = None

    def feed(self, line: str, in_fence: bool) -> None:
        if in_fence or "|" not in line or not line.strip():
            self.header = None
        elif self.header is None and _TABLE_DELIMITER.match(line) and "|" in self.previous:
            self.header = (self.previous, line)
        self.previous = line if not in_fence else ""


def _chunk_body(
    pending: list[str], rest: Iterator[str], start: int, repair: Callable[[], bool]
) -> Iterator[Chunk]:
    fences = _FenceTracker()
    table = _TableTracker()
    chunk = Chunk(start=start)
    chars = 0
    number = start - 1

    def stream() -> Iterator[str]:
        yield from pending
        yield from rest

    for raw_line in stream():
        line = fix_mojibake(raw_line) if repair() else raw_line
        number += 1
        in_fence = fences.feed(line)
        if chunk.lines and not in_fence and _starts_chunk(line, len(chunk.lines), chars):
            yield chunk
            chunk, chars = Chunk(start=number), 0
            if table.header is not None and "|" in line and line.strip():
                # The table goes on: markdown-it needs its header again; the two repeated lines
                # are numbered as the two rows before, so every row keeps its own line number.
                chunk = Chunk(start=number - 2, lines=list(table.header))
        table.feed(line, in_fence)
        chunk.lines.append(line)
        chars += len(line)
    if chunk.lines:
        yield chunk


def _starts_chunk(line: str, size: int, chars: int) -> bool:
    if _TOP_HEADING.match(line):
        return True
    if (size >= SOFT_LIMIT or chars >= SOFT_CHARS) and _ANY_HEADING.match(line):
        return True
    if (size >= HARD_LIMIT or chars >= HARD_CHARS) and not line.strip():
        return True
    return chars >= MAX_CHARS
