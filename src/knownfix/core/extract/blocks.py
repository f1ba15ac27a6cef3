"""Grow each anchor into the complete block it belongs to, then merge touching blocks.

An exception line grows up to its traceback header and down over its frames; a compiler error
grows down over its source line and caret; a test header grows down over its whole section. The
growth never crosses a CI step, an exit line, boilerplate or a line the scan did not keep.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knownfix.core.extract.rules.base import LineRule
from knownfix.core.extract.scan import Anchor
from knownfix.core.extract.view import LogView, indent

UP_LIMIT = 25
DOWN_LIMIT = 60
SECTION_LIMIT = 150
MERGE_GAP = 1
THIN = 2
"""A block of at most this many lines says too little alone: its neighbours are joined to it."""
NEIGHBOUR_GAP = 2
"""Lines (of any kind but walls) a thin block's neighbour may lie away from it."""
COUNTED_LINES = 10
"""Lines above a thin count of failures ("Detected 2 broken links") taken as what it counts."""

# A count of failures: "logged 102 error(s)", "Detected 1 broken links", "3 problems".
_COUNTS = re.compile(
    r"\b\d+ (?:\w+ )?(?:errors?|error\(s\)|failures?|failed|problems?|broken|issues?"
    r"|violations?|offen[cs]es?)\b",
    re.IGNORECASE,
)

# A rule line without words ("=====", "- - - -"): it ends a report section.
_BANNER = re.compile(r"^\s*(?=.*[=_\-*#~])[=_\-*#~+ ]{8,}$")


@dataclass(slots=True)
class Block:
    """Lines ``first``..``last`` (inclusive) and the anchors that made them."""

    first: int
    last: int
    anchors: list[Anchor] = field(default_factory=list)

    @property
    def size(self) -> int:
        return self.last - self.first + 1


def grow(view: LogView, anchor: Anchor) -> Block:
    """The block an anchor stands for."""
    return Block(_grow_up(view, anchor), grow_down(view, anchor), [anchor])


def merge(view: LogView, blocks: list[Block]) -> list[Block]:
    """Merge blocks that overlap, touch, or are apart by one blank line, in line order."""
    merged: list[Block] = []
    for block in sorted(blocks, key=lambda b: (b.first, b.last)):
        if merged and _joinable(view, merged[-1], block):
            top = merged[-1]
            top.last = max(top.last, block.last)
            top.anchors.extend(block.anchors)
        else:
            merged.append(Block(block.first, block.last, list(block.anchors)))
    return merged


def join_neighbours(view: LogView, block: Block, blocks: list[Block]) -> Block:
    """A thin block (a one-line summary, an error without its message) with the candidate
    blocks next to it, chained up and down across at most :data:`NEIGHBOUR_GAP` lines that no
    wall separates; the block itself when it is not thin or has no such neighbour.

    A tool often closes a list of specific errors with one line that counts them (``logged 102
    error(s)``, ``Detected 1 broken links``) or prints an exception's location and message as
    separate weak lines around one strong one: alone, that line is the same for every failure.
    A count with no candidate block above it takes the paragraph above it: what it counts
    (``[404] http://localhost:5422``) is often no failure word at all.
    """
    if block.size > THIN:
        return block
    first, last, anchors = block.first, block.last, list(block.anchors)
    ordered = sorted(blocks, key=lambda b: b.first)
    for other in reversed(ordered):  # upwards, nearest first
        if other.last < first and _near(view, other.last, first):
            first = other.first
            anchors.extend(other.anchors)
    for other in ordered:  # downwards, nearest first
        if other.first > last and _near(view, last, other.first):
            last = other.last
            anchors.extend(other.anchors)
    if first == block.first and any(_COUNTS.search(a.clean) for a in block.anchors):
        first = _counted_above(view, first)
    if (first, last) == (block.first, block.last):
        return block
    return Block(first, last, sorted(anchors, key=lambda a: a.line))


def _counted_above(view: LogView, first: int) -> int:
    """The first line of the paragraph just above line ``first`` (over at most two blank lines,
    at most :data:`COUNTED_LINES` lines, never across a wall): what a count of failures counts."""
    number, top, blanks, taken = first - 1, first, 0, 0
    while taken < COUNTED_LINES:
        text = view.clean(number)
        if text is None or view.is_wall(number):
            break
        if not text.strip():
            blanks += 1
            if blanks > 2 or taken:
                break
        else:
            top, taken = number, taken + 1
        number -= 1
    return top


def _near(view: LogView, above: int, below: int) -> bool:
    """True when lines ``above`` and ``below`` are at most :data:`NEIGHBOUR_GAP` lines apart
    with no wall between them."""
    gap = range(above + 1, below)
    return len(gap) <= NEIGHBOUR_GAP and not any(view.is_wall(n) for n in gap)


def _joinable(view: LogView, top: Block, block: Block) -> bool:
    if block.first <= top.last:
        return True
    if block.first == top.last + 1:
        return True
    gap = range(top.last + 1, block.first)
    if len(gap) > MERGE_GAP:
        return False
    return all((text := view.clean(n)) is not None and not text.strip() for n in gap)


def _grow_up(view: LogView, anchor: Anchor) -> int:
    mode = anchor.rule.up
    first = anchor.line
    if mode == "none":
        return first
    if mode == "header":
        header = _header_above(view, anchor)
        if header is not None:
            return header
    if mode == "chain":
        return _chained_above(view, anchor)
    width = indent(anchor.clean)
    number = anchor.line - 1
    steps = 0
    while number > 0 and steps < 3:
        text = view.clean(number)
        if text is None or view.is_wall(number):
            break
        if not text.strip():
            above = view.clean(number - 1)
            if above is not None and above.strip() and view.double_spaced(anchor.line):
                number -= 1
                continue
            break
        rule = view.rule_at.get(number)
        if rule is not None and rule.role == "error":
            break
        if not (indent(text) < width or text.rstrip().endswith(":")):
            break
        first = number
        width = indent(text)
        steps += 1
        if width == 0:
            break
        number -= 1
    return first


def _chained_above(view: LogView, anchor: Anchor) -> int:
    """Up over blank lines and the tail of the message above, to the line of its anchor."""
    number = _skip_blanks_up(view, anchor.line - 1)
    first = anchor.line
    for _ in range(6):
        text = view.clean(number)
        if text is None or not text.strip() or view.is_wall(number):
            break
        first = number
        if number in view.rule_at:
            break
        number -= 1
    return first


def _skip_blanks_up(view: LogView, number: int) -> int:
    for _ in range(3):
        text = view.clean(number)
        if text is None or text.strip():
            break
        number -= 1
    return number


def _header_above(view: LogView, anchor: Anchor) -> int | None:
    """The nearest header line above within reach, if nothing walls it off."""
    blanks = 0
    for number in range(anchor.line - 1, max(anchor.line - UP_LIMIT, 0), -1):
        if view.is_wall(number):
            return None
        rule = view.rule_at.get(number)
        if rule is not None and rule.role == "header":
            return number
        text = view.clean(number) or ""
        blanks = blanks + 1 if not text.strip() else 0
        if blanks >= 2 and (blanks >= 3 or not view.double_spaced(anchor.line)):
            return None
    return None


def grow_down(view: LogView, anchor: Anchor) -> int:
    """The last line of the block below an anchor."""
    mode = anchor.rule.down
    last = anchor.line
    if mode == "none":
        return last
    width = indent(anchor.clean)
    limit = anchor.line + (SECTION_LIMIT if mode == "section" else DOWN_LIMIT)
    number = anchor.line + 1
    while number <= limit:
        text, wall, shape = view.info(number)
        if text is None or wall:
            break
        if not text.strip():
            after = _skip_blanks(view, number)
            run = after - number
            if mode == "section" and run <= 3:
                number = after
                continue
            if mode == "para" and run == 1 and view.double_spaced(anchor.line):
                number = after
                continue
            if mode in ("cont", "traceback") and run <= 2 and _continues(view, after, width):
                number = after
                continue
            if mode in ("cont", "traceback", "para") and run <= 2 and _announces(view, last):
                # "could not find compatible versions for pod X:" / "" / "  In Podfile:"
                following = view.shape(after)
                if following is not None and following[0] > 0:
                    width, number = min(width, following[0]), after
                    continue
            break
        rule = view.rule_at.get(number)
        if mode == "section":
            if _BANNER.match(text) and number > anchor.line + 1:
                break
            if rule is not None and rule.role == "summary":
                break
            if rule is not None and rule.role == "header" and rule is anchor.rule:
                break
        elif mode in ("cont", "traceback") and not _fits(shape, width):
            if shape is not None and shape[0] > 0 and _announces(view, last):
                # What a line ending in a colon announces follows it, indented, though less
                # than the line itself.
                width, last = shape[0], number
                number += 1
                continue
            if mode == "traceback" and indent(text) <= width and not rule_is_header(rule):
                # A traceback ends with its exception line, whatever its name; then its message.
                mode, width, last = "cont", indent(text), number
                number += 1
                continue
            break
        last = number
        number += 1
    return last


def _announces(view: LogView, number: int) -> bool:
    """True for a line that ends with a colon: what it announces is on the lines below."""
    return (view.clean(number) or "").rstrip().endswith(":")


def rule_is_header(rule: LineRule | None) -> bool:
    """True for a line that opens a new failure (a new traceback, a test's name)."""
    return rule is not None and rule.role == "header"


def _skip_blanks(view: LogView, number: int) -> int:
    """The first line at or after ``number`` that is not blank (or not kept)."""
    while (text := view.clean(number)) is not None and not text.strip():
        number += 1
    return number


def _continues(view: LogView, number: int, width: int) -> bool:
    """True if the line continues a message indented by ``width``: deeper, a frame or a caret,
    or a sibling in an indented list (frames printed one per line at one depth)."""
    return _fits(view.info(number)[2], width)


def _fits(shape: tuple[int, bool] | None, width: int) -> bool:
    """:func:`_continues` for a line whose shape is known already."""
    return shape is not None and (shape[0] > width or shape[1] or (width > 0 and shape[0] == width))
