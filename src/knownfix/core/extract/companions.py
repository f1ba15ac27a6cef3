"""What is shown beside the block that explains a failed step.

A close runner-up (the reader decides a close call better than a coin flip), the test run's
list of its failed tests, and the output of the task a build tool's report names: each says
something the best block does not.
"""

from __future__ import annotations

import re

from knownfix.core.extract.blocks import Block
from knownfix.core.extract.rules.jvm import FAILURE_LISTS
from knownfix.core.extract.scoring import Scored
from knownfix.core.extract.view import LogView

CLOSE_CALL = 1.0
"""A runner-up this close to the best block's score is shown too (tuned on LogChunks dev)."""
_VARIABLE = re.compile(r"0x[0-9a-fA-F]+|\d+")
_FAILED_TASK = re.compile(r"Execution failed for task '([^']+)'")


def runner_up(best: Scored, others: list[Scored]) -> Scored | None:
    """The next block in the failed step if it scores almost as well and says something new.

    A block that only repeats the best one (the same failure printed again in a summary, with
    other numbers) is a duplicate, not a runner-up.
    """
    said = gist(best.block)
    for other in others:
        if other.score < best.score - CLOSE_CALL:
            return None
        if other.place > 0 and not gist(other.block) <= said:
            return other
    return None


def failure_list(ranked: list[Scored], chosen: list[Block]) -> Block | None:
    """The test run's list of its failed tests in the failed step, when it is not shown yet.

    Surefire reports each failed test where its class ran, often hundreds of lines before the
    run's ``Results`` list them all by name; the first report says why, the list says which.
    """
    for scored in ranked:
        block = scored.block
        if scored.place <= 0 or not any(a.rule.name in FAILURE_LISTS for a in block.anchors):
            continue
        if not any(overlaps(block, other) for other in chosen):
            return block
    return None


def failed_task_output(view: LogView, ranked: list[Scored], chosen: list[Block]) -> Block | None:
    """The output of the task Gradle's shown report names (``Execution failed for task
    ':api:compileJava'.`` under ``* What went wrong:``), when it is a candidate block not shown.

    The report often only points back (``> api has errors, 4 errors were reported``); the task's
    own output, under its header (``> Task :api:compileJava``, or glued to it in old Gradle),
    says what they were.
    """
    task = next(
        (
            found.group(1)
            for block in chosen
            for anchor in block.anchors
            if anchor.rule.name == "gradle_what"
            for number in (anchor.line + 1, anchor.line + 2)
            if (found := _FAILED_TASK.search(view.clean(number) or ""))
        ),
        None,
    )
    if task is None:
        return None
    heads = (task, f"> Task {task}")
    for scored in ranked:
        block = scored.block
        if scored.place <= 0 or any(overlaps(block, other) for other in chosen):
            continue
        if block.size == 1 and (view.clean(block.first) or "").startswith(heads):
            continue  # the task's header alone ("> Task :app:compileJava FAILED"): no output
        if any((view.clean(n) or "").startswith(heads) for n in (block.first - 1, block.first)):
            return block
    return None


def gist(block: Block) -> set[str]:
    """What a block's anchor lines say, numbers and hex ids masked."""
    return {_VARIABLE.sub("0", anchor.clean).strip() for anchor in block.anchors}


def overlaps(one: Block, other: Block) -> bool:
    return one.first <= other.last and other.first <= one.last
