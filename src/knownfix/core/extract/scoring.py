"""Score the candidate blocks and pick the one that explains the failure.

A block scores by its strongest line (an exception beats a line that merely says "error"), a
little by its other strong lines, and by where it sits: inside the step that failed first (the
output between the step's command and its non-zero exit), just above failure boilerplate, and
early in that step (the first failure, not the cascade after it). Blocks after the failed step
(cleanup, cache uploads) lose.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from knownfix.core.extract.blocks import Block, grow, grow_down, merge
from knownfix.core.extract.rules.ci import STEP_OPENERS
from knownfix.core.extract.rules.jvm import REPORT_FOLLOWS
from knownfix.core.extract.view import LogView

_EXPLAINING = ("error", "header", "summary")
_LOG_ENDS = frozenset({"travis_done", "jenkins_finished"})
"""Markers a CI system prints when the job ran to its end."""

IN_STEP = 4.0
"""Bonus for a block inside the failed step: more than any rule weight difference but one."""
AFTER_STEP = -2.0
"""Malus for a block after the failed step's exit (cleanup, cache upload, after_failure)."""
NEAR_CLOSER = 1.0
"""Bonus for a weak block just above failure boilerplate ("npm ERR! code ELIFECYCLE")."""
STRONG = 5.0
"""Rule weight from which a line is specific enough to trust (an exception, a test failure)."""
CROWDED = 300
"""Above this many anchors a log is crowded: only anchors of weight >= WORDY are grown."""
WORDY = 4.0
SUPPORT = 0.03
"""Score per other distinct strong line of a block: a tie breaker, never more."""
CONTENT = 0.5
"""Bonus for a block that says more than one line (a failure with its message or frames)."""
PASSED_UNIT = -(IN_STEP + 2.0)
"""Malus for a block its test class's tally, right under it, says passed: the tests logged it
(a stack trace a passing test provoked on purpose); it is no failure, wherever it sits."""
_PASSED_TALLY = re.compile(
    # Surefire's and Ant's tally of one test class (the run's total has no "Time elapsed")
    r"^\s*(?:\[\w+\] )*Tests run: \d+, Failures: 0, Errors: 0,(?: Skipped: \d+,)? Time elapsed: "
)
TALLY_REACH = 1
"""Non-blank lines under a block searched for its test class's tally (the next one: after a
"Running X" line the tally is another class's)."""


@dataclass(frozen=True, slots=True)
class Scored:
    """A block with its score and the parts the score came from (for explanations and tests)."""

    block: Block
    score: float
    strength: float
    place: float


def candidate_blocks(view: LogView, steps: list[tuple[int, int]] | None = None) -> list[Block]:
    """Anchors grown into their blocks, touching blocks merged.

    Outside the failed steps only strong anchors are grown: a weak one there can never win.
    An anchor inside the block grown so far only grows downwards (its top is inside already).
    """
    steps = steps or [failing_step(view)]
    explaining = [a for a in view.anchors if a.rule.role in _EXPLAINING]
    if len(explaining) > CROWDED:
        # A log full of failure words: grow only the telling ones, or analysis time explodes.
        explaining = [a for a in explaining if a.rule.weight >= WORDY]
    blocks: list[Block] = []
    reach = 0
    for anchor in explaining:
        if anchor.rule.weight < STRONG and not any(a < anchor.line < b for a, b in steps):
            continue
        if anchor.line <= reach:
            block = Block(anchor.line, grow_down(view, anchor), [anchor])
        else:
            block = grow(view, anchor)
        reach = max(reach, block.last)
        blocks.append(block)
    return merge(view, blocks)


def failing_step(view: LogView) -> tuple[int, int]:
    """Lines (exclusive bounds) of the step that failed first: after its opener, before its exit.

    The exit is the first non-zero exit line; without one, the first failure boilerplate
    ("npm ERR! code ELIFECYCLE") that no report of why follows (:data:`REPORT_FOLLOWS`);
    without either, the whole log is the step.
    """
    exits = [a.line for a in view.anchors if a.rule.role == "exit"]
    if not exits:
        exits = [
            a.line
            for a in view.anchors
            if a.rule.role == "closer" and a.rule.name not in REPORT_FOLLOWS
        ]
    if not exits:
        return 0, view.total + 1
    openers = [a.line for a in view.anchors if a.rule.name in STEP_OPENERS]
    return _opened_at(view, openers, exits[0], 0), exits[0]


def failed_steps(view: LogView) -> list[tuple[int, int]]:
    """Every step that exited non-zero, in order, bounded like :func:`failing_step`.

    CI runners such as Travis go on with the next command after one fails, so a log can hold
    several failed steps; a step never reaches back over the exit of the one before. A log
    cut off after its last exit (the job was killed, the log truncated; no "Done. Your build
    exited" line) ends with one more step that never got to report its exit.
    """
    exits = [a.line for a in view.anchors if a.rule.role == "exit"]
    openers = [a.line for a in view.anchors if a.rule.name in STEP_OPENERS]
    cut_off = (
        bool(exits)
        and bool(openers)
        and openers[-1] > exits[-1]
        and not any(a.rule.name in _LOG_ENDS for a in view.anchors)
    )
    if len(exits) < 2 and not cut_off:
        return [failing_step(view)]
    steps: list[tuple[int, int]] = []
    previous = 0
    for end in exits:
        steps.append((_opened_at(view, openers, end, previous), end))
        previous = end
    if cut_off:
        steps.append((openers[-1], view.total + 1))
    return steps


def _opened_at(view: LogView, openers: list[int], end: int, floor: int) -> int:
    """The opener of the step that exits at ``end`` (never above ``floor``).

    A step that printed nothing (a check: "grep -q 'TEST COMPLETE, 0 failed' raw.log") failed
    on the output of the step before it: that step's output is taken in.
    """
    index = bisect.bisect_left(openers, end) - 1
    first = max(openers[index] if index >= 0 else 0, floor)
    if index >= 1 and first > floor and _silent(view, first, end):
        first = max(openers[index - 1], floor)
    return first


def _silent(view: LogView, first: int, end: int) -> bool:
    """True when every line between a step's opener and its exit is blank or a marker."""
    for number in range(first + 1, end):
        text = view.clean(number)
        if text is None:
            return False
        if text.strip() and not view.is_wall(number):
            return False
    return True


def score_blocks(
    view: LogView, blocks: list[Block], step: tuple[int, int] | None = None
) -> list[Scored]:
    """Blocks with scores, best first (ties: the earlier block)."""
    step = step or failing_step(view)
    closers = [a.line for a in view.anchors if a.rule.role in ("closer", "exit")]
    scored = [_score(view, block, step, closers) for block in blocks]
    # Ties go to the earlier block: the first failure, not the cascade after it.
    return sorted(scored, key=lambda s: (-s.score, s.block.first))


def _score(view: LogView, block: Block, step: tuple[int, int], closers: list[int]) -> Scored:
    weights = sorted(
        (a.rule.weight for a in block.anchors if a.rule.role in _EXPLAINING), reverse=True
    )
    distinct = {a.clean for a in block.anchors if a.rule.weight >= 4}
    strength = weights[0] + SUPPORT * min(10, max(0, len(distinct) - 1)) if weights else 0.0
    place = _place(block, step)
    score = strength + place + (CONTENT if _has_body(view, block) else 0.0)
    if strength < STRONG:
        score += _near_closer(view, block, closers)
    if _tallied_as_passed(view, block):
        score += PASSED_UNIT
    score -= 0.002 * max(0, block.size - 40)
    return Scored(block, score, strength, place)


def _has_body(view: LogView, block: Block) -> bool:
    """True when the block says more than one line: a failure with its message or frames."""
    content = 0
    for number in range(block.first, min(block.last, block.first + 3) + 1):
        text = view.clean(number)
        if text is not None and text.strip():
            content += 1
    return content >= 2


def _tallied_as_passed(view: LogView, block: Block) -> bool:
    """True when the tally of a test class that passed follows the block within a line or two."""
    seen = 0
    for number in range(block.last + 1, min(block.last + 1 + 2 * TALLY_REACH, view.total + 1)):
        text = view.clean(number)
        if text is None:
            return False
        if not text.strip():
            continue
        if _PASSED_TALLY.match(text):
            return True
        seen += 1
        if seen >= TALLY_REACH:
            return False
    return False


def _place(block: Block, step: tuple[int, int]) -> float:
    """Bonus for sitting in the step that failed; a malus for anything after its exit."""
    first, end = step
    if block.first > first and block.last < end:
        return IN_STEP
    if block.first >= end:
        return AFTER_STEP
    return 0.0


def _near_closer(view: LogView, block: Block, closers: list[int]) -> float:
    """Bonus when failure boilerplate follows the block within a few non-blank lines."""
    index = bisect.bisect_right(closers, block.last)
    if index == len(closers):
        return 0.0
    between = 0
    for number in range(block.last + 1, closers[index]):
        text = view.clean(number)
        if text is None:
            return 0.0
        if text.strip():
            between += 1
            if between > 3:
                return 0.0
    return NEAR_CLOSER
