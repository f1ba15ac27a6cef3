"""The log's lines around the excerpt, for a policy decision that found no evidence in it.

Logs are streamed, never held whole; :class:`RecentBlocks` passes the byte blocks through and
keeps the last :data:`KEEP_BYTES` of them (counting the lines of the blocks it lets go), so the
lines around an excerpt in the last few MiB of any log can be read again after extraction, in
bounded memory. Line numbers are extraction's: lines end at ``\\n``, ``\\r\\n`` or a lone
``\\r`` (:func:`~knownfix.core.extract.lines.iter_line_blocks` cuts the kept bytes).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence

from knownfix.core.extract.lines import decode, iter_line_blocks
from knownfix.core.policy.wider import window_lines
from knownfix.core.records import Excerpt
from knownfix.core.secrets.redact import redact

KEEP_BYTES = 4 << 20
"""Bytes of the log's end kept: a failure is usually near the end; an excerpt earlier in a
larger log is decided on its own lines."""


class RecentBlocks:
    """Passes byte blocks through, keeping the last :data:`KEEP_BYTES` of them."""

    def __init__(self, chunks: Iterable[bytes], keep_bytes: int = KEEP_BYTES) -> None:
        self.chunks = chunks
        self.keep_bytes = keep_bytes
        self._kept: deque[bytes] = deque()
        self._size = 0
        self._dropped_lines = 0  # complete lines in the blocks let go
        self._after_cr = False  # the last block let go ended in \r (maybe half of \r\n)

    def __iter__(self) -> Iterator[bytes]:
        for block in self.chunks:
            if block:
                self._keep(block)
            yield block

    def _keep(self, block: bytes) -> None:
        self._kept.append(block)
        self._size += len(block)
        while self._size - len(self._kept[0]) >= self.keep_bytes:
            old = self._kept.popleft()
            self._size -= len(old)
            self._dropped_lines += _line_ends(old, self._after_cr)
            self._after_cr = old.endswith(b"\r")

    def lines(self, ranges: Sequence[tuple[int, int]]) -> list[str] | None:
        """The text of the log lines in ``ranges`` (1-based, inclusive, in order), or None when
        one of them starts before the kept bytes (or in the line they start inside of)."""
        if not ranges or (self._dropped_lines or self._after_cr) and (
                ranges[0][0] <= self._dropped_lines + 1):
            return None
        # Start at the last kept block whose first whole line is not after the window's.
        blocks, number, after_cr = list(self._kept), self._dropped_lines, self._after_cr
        start = 0
        for index, block in enumerate(blocks[:-1]):
            ends = _line_ends(block, after_cr)
            if number + ends + 1 >= ranges[0][0]:
                break
            number, after_cr, start = number + ends, block.endswith(b"\r"), index + 1
        data = b"".join(blocks[start:])
        if after_cr and data.startswith(b"\n"):
            data = data[1:]  # the second half of a \r\n whose \r is in a block left out
        wanted = iter(ranges)
        low, high = next(wanted)
        found: list[str] = []
        for block in iter_line_blocks((data,)):
            count = block.count(b"\n")
            if number + count < low:
                number += count
                continue
            for raw in block.split(b"\n")[:count]:
                number += 1
                while number > high:
                    following = next(wanted, None)
                    if following is None:
                        return found
                    low, high = following
                if number >= low:
                    found.append(decode(raw))
        return found


def _line_ends(block: bytes, after_cr: bool) -> int:
    """Line ends in ``block`` (``\\n``, ``\\r\\n``, a lone ``\\r``); a ``\\n`` right after the
    previous block's last ``\\r`` ends no new line."""
    ends = block.count(b"\n") + block.count(b"\r") - block.count(b"\r\n")
    return ends - 1 if after_cr and block.startswith(b"\n") else ends


def around_excerpt(recent: RecentBlocks, excerpt: Excerpt,
                   line_numbers: tuple[int, ...] | None) -> str | None:
    """The redacted log lines around the excerpt (:func:`window_lines`), or None where its
    lines are not the log's (a JUnit report's message) or were not kept."""
    if line_numbers is None or not excerpt.spans:
        return None
    lines = recent.lines(window_lines(excerpt.spans))
    return None if lines is None else redact("\n".join(lines))
