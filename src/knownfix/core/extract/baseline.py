"""A passing run's lines, normalized and hashed, so that a failing run's noise can be ignored.

A line of the failing log whose normalized form also occurs in the passing log of the same job is
not the failure (``--baseline PASSING_LOG``). Normalization masks what differs between two runs of
one job: numbers, hex ids, UUIDs, timestamps, durations, temporary paths, ANSI codes. The index is
a set of 64-bit hashes, built in one streaming pass; it never holds the log itself.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from knownfix.core.extract.lines import iter_line_blocks, strip_ansi

MAX_BASELINE_LINES = 1_000_000
"""Distinct normalized lines remembered at most (about 70 MB); later new lines are not added."""

# Named, ordered masks; none of them crosses a line end, so a whole block can be masked at once
# and give exactly what masking each line alone gives.
_MASKS: tuple[tuple[str, str, str], ...] = (
    (
        "prefix_timestamp",
        r"(?m)^(?:\[?\d{4}-\d\d-\d\d[T ][\d:.,]+(?:Z|[+-]\d\d:?\d\d)?\]?[ \t]?)+",
        "",
    ),
    (
        "uuid",
        r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b",
        "<uuid>",
    ),
    (
        "timestamp",
        r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?",
        "<ts>",
    ),
    ("clock", r"\b\d\d?:\d\d:\d\d(?:[.,]\d+)?\b", "<time>"),
    (
        "tmp_path",
        r"(?:/tmp|/var/folders|/private/var|[A-Za-z]:\\Temp|/home/\w+/\.cache)/[^\s'\":]*",
        "<tmp>",
    ),
    ("hex", r"\b0x[0-9a-fA-F]+\b|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b", "<hex>"),
    (
        "duration",
        r"\b\d+(?:\.\d+)?[ \t]?(?:ms|µs|us|ns|s|sec|secs|seconds?|m|min|mins|minutes?|h)\b",
        "<dur>",
    ),
    ("number", r"\d+(?:[.,]\d+)*", "0"),
    ("spaces", r"[ \t]+", " "),
)
_COMPILED = tuple((name, re.compile(pattern), repl) for name, pattern, repl in _MASKS)


def normalize_text(text: str) -> str:
    """Mask run-specific parts of ``text`` (one line or many) for baseline comparison."""
    text = strip_ansi(text)
    for _name, regex, repl in _COMPILED:
        text = regex.sub(repl, text)
    return text


def _digest(line: str) -> int:
    data = line.strip().encode("utf-8", "replace")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


@dataclass(slots=True)
class BaselineIndex:
    """Hashes of the normalized lines of a passing log."""

    hashes: set[int] = field(default_factory=set)
    lines_read: int = 0
    full: bool = False

    def seen(self, line: str) -> bool:
        """True if ``line`` (raw or cleaned) also occurs, normalized, in the passing log."""
        return bool(self.hashes) and _digest(normalize_text(line)) in self.hashes

    def __len__(self) -> int:
        return len(self.hashes)


def build_baseline(chunks: Iterable[bytes]) -> BaselineIndex:
    """Index a passing log of the same job (streamed, near-linear, bounded memory)."""
    index = BaselineIndex()
    for block in iter_line_blocks(chunks):
        text = normalize_text(block.decode("utf-8", "replace"))
        lines = text.split("\n")
        lines.pop()  # every block ends with a line end
        index.lines_read += len(lines)
        if index.full:
            continue
        for line in lines:
            if line.strip():
                index.hashes.add(_digest(line))
        if len(index.hashes) >= MAX_BASELINE_LINES:
            index.full = True
    return index
