"""The streaming pass: find candidate lines at C speed and keep only the lines around them.

One RE2 pattern runs over each whole block of bytes; only the lines it hits are decoded and
classified by the ordered rules. Around every anchor the scanner keeps a window of lines (for the
block expansion later), plus the last lines of the log (the tail fallback). Everything else is
dropped as it streams by, so memory is bounded by :data:`MAX_KEPT_LINES`, not by the log size.
"""

from __future__ import annotations

import bisect
from collections import deque
from dataclasses import dataclass, field
from typing import NamedTuple

from knownfix.core.extract.baseline import BaselineIndex
from knownfix.core.extract.lines import clean_line, decode
from knownfix.core.extract.rules import RULES, RULESET, candidate_lines
from knownfix.core.extract.rules.base import LineRule
from knownfix.core.extract.rules.ci import STEP_OPENERS

BEFORE = 25
"""Lines kept above an anchor: room for a test header or the start of a traceback."""
AFTER = 60
"""Lines kept below an anchor: room for a stack trace or a caret under the code."""
SECTION_AFTER = 150
"""Lines kept below a section header (a failing test's name): its whole report, up to a point."""
NOISE_AFTER = 3
TAIL_LINES = 40
MAX_KEPT_LINES = 60_000
MAX_SEGMENT_LINES = 2_000
MAX_MARKERS = 20_000
MAX_PASSES = 64
"""Success lines remembered (the last ones): how the job ended is all they are asked."""
_PROTECT_FIRST, _PROTECT_LAST = 2, 8
_WINDOWED = frozenset({"error", "header", "summary"})
_MARKERS = frozenset({"step", "exit", "pass"})
"""Roles of lines kept apart from the windows of text: where steps start and end, how the job
ended; never evicted."""


class Anchor(NamedTuple):
    """A classified line: where it is, which rule classified it, and its cleaned text.

    A named tuple, not a frozen dataclass: a log makes one per candidate line, and a frozen
    dataclass pays a ``setattr`` per field for its immutability.
    """

    line: int
    rule: LineRule
    clean: str


@dataclass(slots=True)
class Segment:
    """A run of kept lines starting at line ``start`` (1-based), with the anchors inside it.

    Lines stay bytes until someone looks at them: most kept lines are never read.
    """

    start: int
    lines: list[bytes] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    best: float = 0.0

    @property
    def end(self) -> int:
        return self.start + len(self.lines) - 1


@dataclass(slots=True)
class ScanResult:
    """What the streaming pass kept: line segments, their anchors, CI markers, the line count."""

    segments: list[Segment]
    markers: list[Anchor]
    total_lines: int
    _start_cache: list[int] = field(default_factory=list)
    _last: Segment | None = None  # lines are read near each other: most reads hit it

    def line(self, number: int) -> bytes | None:
        """The kept raw bytes of line ``number``, or None where nothing was kept."""
        segment = self._last
        if segment is None or not 0 <= number - segment.start < len(segment.lines):
            index = bisect.bisect_right(self._starts(), number) - 1
            if index < 0:
                return None
            segment = self._last = self.segments[index]
        offset = number - segment.start
        return segment.lines[offset] if offset < len(segment.lines) else None

    def _starts(self) -> list[int]:
        if len(self._start_cache) != len(self.segments):
            self._start_cache[:] = [segment.start for segment in self.segments]
        return self._start_cache

    def anchors(self) -> list[Anchor]:
        """Every anchor in line order, CI markers included."""
        found = [a for segment in self.segments for a in segment.anchors] + self.markers
        return sorted(found, key=lambda anchor: anchor.line)


def _window(rule: LineRule) -> tuple[int, int]:
    """Lines to keep above and below a line this rule classified."""
    if rule.role in _WINDOWED:
        return BEFORE, SECTION_AFTER if rule.down == "section" else AFTER
    if rule.role == "exit":
        return BEFORE, 1  # the end of the failed step's output
    if rule.role == "step":
        return 0, 3  # the command that opens a step
    if rule.role == "closer":
        return BEFORE, 1  # the end of a failure's output
    return BEFORE, NOISE_AFTER


_WINDOWS: dict[str, tuple[int, int]] = {rule.name: _window(rule) for rule in RULES}



class _Classified:
    """Candidate lines decoded, cleaned and classified, by their bytes, for every log of the
    process: logs repeat their lines (a third of a CI log's candidate lines are repeats) and
    logs of one pipeline repeat each other's (nearly half of a LogChunks log's distinct
    candidate lines were in an earlier log). What a line gives depends on its bytes alone.
    Forgotten all at once past :data:`BUDGET` bytes (bounded memory, no bookkeeping per hit).
    """

    BUDGET = 8 << 20

    def __init__(self) -> None:
        self._lines: dict[bytes, tuple[str, str, LineRule | None]] = {}
        self._size = 0

    def known(self, data: bytes) -> tuple[str, str, LineRule | None] | None:
        """What :meth:`get` gave for ``data`` if still held, else None (nothing worked out)."""
        return self._lines.get(data)

    def get(self, data: bytes) -> tuple[str, str, LineRule | None]:
        known = self._lines.get(data)
        if known is None:
            if self._size > self.BUDGET:
                self._lines.clear()
                self._size = 0
            raw = decode(data)
            clean = clean_line(raw)
            known = self._lines[data] = (raw, clean, RULESET.classify(clean))
            self._size += len(data) + len(raw) + len(clean) + 200  # the entry's own overhead
        return known


CLASSIFIED = _Classified()


class Scanner:
    """Feed it normalized line blocks (see ``lines.iter_line_blocks``), then call ``finish``."""

    def __init__(self, baseline: BaselineIndex | None = None) -> None:
        self._baseline = baseline
        self._total = 0
        self._segments: list[Segment] = []
        self._markers: deque[Anchor] = deque(maxlen=MAX_MARKERS)
        self._passes: deque[Anchor] = deque(maxlen=MAX_PASSES)
        self._kept = 0
        self._kept_until = 0
        self._pending_until = 0
        self._recent: deque[bytes] = deque(maxlen=max(BEFORE, TAIL_LINES))

    def feed(self, block: bytes) -> None:
        """Scan one block of whole lines, each ending with ``\\n``."""
        base = self._total
        anchors, count = self._find_anchors(block, base)
        ranges = self._ranges(anchors, base, count)
        if ranges:
            lines = block.split(b"\n")
            recent = list(self._recent)
            for first, last in ranges:
                if first <= base:  # the start of the window lies in the previous block
                    stop = min(last, base)
                    offset = len(recent) - (base - first + 1)
                    self._keep_run(first, recent[offset : offset + stop - first + 1])
                    first = stop + 1
                if first <= last:
                    self._keep_run(first, lines[first - base - 1 : last - base])
            for anchor in anchors:
                self._attach(anchor)
        self._remember_recent(block, count)
        self._total = base + count
        if self._kept > MAX_KEPT_LINES:
            self._evict()

    def finish(self) -> ScanResult:
        """Keep the tail of the log and hand over everything kept."""
        first_tail = max(self._kept_until + 1, self._total - TAIL_LINES + 1, 1)
        recent = list(self._recent)
        if first_tail <= self._total:
            self._keep_run(first_tail, recent[len(recent) - (self._total - first_tail + 1) :])
        markers = sorted([*self._markers, *self._passes], key=lambda anchor: anchor.line)
        return ScanResult(list(self._segments), markers, self._total)

    # -- internals ------------------------------------------------------------------------

    def _find_anchors(self, block: bytes, base: int) -> tuple[list[Anchor], int]:
        """The anchors of a block and its number of lines, counted in the same single pass."""
        anchors: list[Anchor] = []
        counted_to = 0
        line = base + 1
        classified = CLASSIFIED.get
        for start, end in candidate_lines(block):
            raw, clean, rule = classified(block[start:end])
            if rule is None or rule.role == "benign":
                continue
            line += block.count(b"\n", counted_to, start)  # only where an anchor needs it
            counted_to = start
            anchor = Anchor(line, rule, clean)
            if rule.role == "pass":
                self._passes.append(anchor)
            elif rule.role in _MARKERS:
                self._markers.append(anchor)
                if rule.role == "exit" or rule.name in STEP_OPENERS:
                    anchors.append(anchor)
            elif rule.role in _WINDOWED and self._baseline and self._baseline.seen(raw):
                continue
            else:
                anchors.append(anchor)
        return anchors, line - base - 1 + block.count(b"\n", counted_to)

    def _ranges(self, anchors: list[Anchor], base: int, count: int) -> list[tuple[int, int]]:
        """Merged line ranges to keep from this block (and the recent lines before it)."""
        wanted: list[tuple[int, int]] = []
        if self._pending_until > base:
            wanted.append((base + 1, self._pending_until))
        windows = _WINDOWS
        for line, rule, _ in anchors:
            before, after = windows[rule.name]
            wanted.append((line - before, line + after))
        if not wanted:
            return []
        self._pending_until = max(self._pending_until, max(last for _, last in wanted))
        floor = max(self._kept_until + 1, base + 1 - len(self._recent), 1)
        ceiling = base + count
        merged: list[tuple[int, int]] = []
        for first, last in sorted(wanted):
            first, last = max(first, floor), min(last, ceiling)
            if first > last:
                continue
            if merged and first <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], last))
            else:
                merged.append((first, last))
        return merged

    def _keep_run(self, first: int, lines: list[bytes]) -> None:
        """Keep consecutive lines numbered from ``first``, skipping those kept already."""
        if first <= self._kept_until:
            lines = lines[self._kept_until - first + 1 :]
            first = self._kept_until + 1
        while lines:
            last = self._segments[-1] if self._segments else None
            if last is None or first != last.end + 1 or len(last.lines) >= MAX_SEGMENT_LINES:
                last = Segment(first)
                self._segments.append(last)
            room = MAX_SEGMENT_LINES - len(last.lines)
            taken = lines[:room]
            last.lines.extend(taken)
            self._kept += len(taken)
            first += len(taken)
            self._kept_until = first - 1
            lines = lines[room:]

    def _attach(self, anchor: Anchor) -> None:
        if anchor.rule.role in _MARKERS:
            return  # kept apart in the markers, never evicted with a segment
        line = anchor.line
        for segment in reversed(self._segments):  # nearly always the last one
            if segment.start <= line:
                if line < segment.start + len(segment.lines):
                    segment.anchors.append(anchor)
                    if anchor.rule.weight > segment.best:
                        segment.best = anchor.rule.weight
                return

    def _remember_recent(self, block: bytes, count: int) -> None:
        keep = self._recent.maxlen or 0
        end = len(block) - 1  # the final \n
        found: list[bytes] = []
        while len(found) < min(keep, count):
            start = block.rfind(b"\n", 0, end) + 1
            found.append(block[start:end])
            end = start - 1
        self._recent.extend(reversed(found))

    def _evict(self) -> None:
        """Drop the weakest middle segments until a fifth of the budget is free again."""
        middle = self._segments[_PROTECT_FIRST:-_PROTECT_LAST]
        for segment in sorted(middle, key=lambda s: (s.best, s.start)):
            if self._kept <= MAX_KEPT_LINES * 4 // 5:
                break
            self._segments.remove(segment)
            self._kept -= len(segment.lines)
