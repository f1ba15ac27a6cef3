"""From a raw log to its excerpt: scan, grow blocks, score, pick, trim to the line budget.

:func:`read_log` also says how the job ended (``outcome``) and what the failed step ran
(``steps``): a passing run has no failure to extract.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from knownfix.core.extract.baseline import BaselineIndex
from knownfix.core.extract.blocks import Block, join_neighbours
from knownfix.core.extract.companions import (
    failed_task_output,
    failure_list,
    gist,
    overlaps,
    runner_up,
)
from knownfix.core.extract.lines import iter_line_blocks, strip_ansi
from knownfix.core.extract.outcome import Verdict, judge_outcome
from knownfix.core.extract.rules.ci import KILLED_EXITS
from knownfix.core.extract.scan import Scanner
from knownfix.core.extract.scoring import (
    STRONG,
    WORDY,
    Scored,
    candidate_blocks,
    failed_steps,
    score_blocks,
)
from knownfix.core.extract.steps import step_facts
from knownfix.core.extract.view import LogView
from knownfix.core.records import Excerpt
from knownfix.core.text.decoding import looks_binary

EMPTY = Excerpt(spans=(), text="")
TEXT_CHUNK = 1 << 20
TAIL_FALLBACK = 20
"""Lines of the log's end shown when nothing else is known."""
STEP_FALLBACK = 10
"""Last lines of the failed step shown when no rule says why it failed."""
SHORT_STEP = 25
"""A failed step with at most this many lines of output is shown whole, unless a rule is sure."""
VAGUE = 3.0
"""A block whose best line is weaker than this only says "error": the step's end says more."""
MAX_LATER = 2
"""Blocks of later failed steps shown at most (the most specific ones)."""
MAX_STEPS = 32
"""Later failed steps looked at (the last ones): a log of a thousand failed commands stays fast."""
RESERVE = 8
"""Lines of the budget kept for each block after the best one."""
ABOVE_STRONGEST = 2
"""Lines kept above a block's most specific line when the block is cut to the budget."""
_COMMANDS = frozenset({"shell_command", "docker_step"})
"""Step markers that echo a command inside a step: the output after the last one is its own."""
MIN_ECHO = 12
"""Characters a failure message needs before it is looked for in the commands that echo it."""
ECHO_LOOK_BACK = 400
"""Lines above a step's last output line searched for the command that echoes it."""
_ECHOES = ("$ ", "+ ")
_BINARY_SNIFF = 8192


@dataclass(frozen=True, slots=True)
class LogReading:
    """What one read of a log found: how the job ended, the lines that explain its failure
    (for a passing run, the line that says it passed) and the failed step's facts."""

    excerpt: Excerpt
    verdict: Verdict
    step: str = ""


def read_log(
    chunks: Iterable[bytes], *, baseline: BaselineIndex | None = None, max_lines: int = 40
) -> LogReading:
    """How the job of a raw log (a stream of byte blocks) ended and, when it failed, the few
    lines that explain why and what the failed step ran. Streams in bounded memory."""
    scanner = Scanner(baseline)
    stream = _refuse_binary(iter(chunks))
    if stream is None:  # not text: nothing can say the job passed
        return LogReading(EMPTY, Verdict("failed", None, "not a text log"))
    for block in iter_line_blocks(stream):
        scanner.feed(block)
    view = LogView(scanner.finish())
    verdict = judge_outcome(view)
    if verdict.outcome != "failed":
        return LogReading(_evidence(view, verdict), verdict)
    chosen, steps = _choose(view, baseline) if view.total else ([], [])
    if not chosen:
        return LogReading(EMPTY, verdict)
    first = chosen[0].first
    step = next((s for s in steps if s[0] < first < s[1]), steps[0])
    return LogReading(
        _render(view, chosen, max(1, max_lines)), verdict,
        step_facts(view, step, _first_failure_line(chosen[0])),
    )


_FAILURE_ROLES = frozenset({"error", "header", "summary"})


def _first_failure_line(block: Block) -> int:
    """The block's first line that reports the failure. The context above it can hold the
    command echoed just before (a short output's block reaches back over Buildkite's
    ``$ npm run lint`` to the agent's ``$ git checkout``): that command ran when it failed.
    When no line of the block reports one (a step that printed no error before its exit),
    the block's last line: the command echoed last in it ran then."""
    return min((a.line for a in block.anchors if a.rule.role in _FAILURE_ROLES),
               default=block.last)


def extract_excerpt(
    chunks: Iterable[bytes], *, baseline: BaselineIndex | None = None, max_lines: int = 40
) -> Excerpt:
    """The few lines of a raw log (a stream of byte blocks) that explain its failure.

    Streams in bounded memory; binary or empty input, and a passing run, give an empty excerpt.
    """
    reading = read_log(chunks, baseline=baseline, max_lines=max_lines)
    return reading.excerpt if reading.verdict.outcome == "failed" else EMPTY


def _evidence(view: LogView, verdict: Verdict) -> Excerpt:
    """The line that says the job passed, as an excerpt (nothing for an empty log)."""
    if verdict.line is None:
        return EMPTY
    text = next((a.clean for a in view.anchors if a.line == verdict.line), None)
    if text is None:
        text = view.clean(verdict.line) or ""
    return Excerpt(spans=((verdict.line, verdict.line),), text=text.strip())


def extract_excerpt_from_text(
    text: str, *, baseline: BaselineIndex | None = None, max_lines: int = 40
) -> Excerpt:
    """:func:`extract_excerpt` for a log already in memory as text."""
    data = text.encode("utf-8", "surrogatepass")
    chunks = (data[i : i + TEXT_CHUNK] for i in range(0, len(data), TEXT_CHUNK))
    return extract_excerpt(chunks, baseline=baseline, max_lines=max_lines)


def _choose(
    view: LogView, baseline: BaselineIndex | None
) -> tuple[list[Block], list[tuple[int, int]]]:
    """The block that explains the failure (and a close runner-up), or a fallback.

    A confident block (a specific rule, inside the failed step) wins; else a short failed
    step's whole output; else the best block in the step unless it only says failure words;
    else the step's last lines (from the best block's first line when that block runs into
    them); else the best block anywhere; else the log's last lines. A thin best block is
    joined by the blocks beside it (:func:`~knownfix.core.extract.blocks.join_neighbours`).
    When the runner-up in the step scores within :data:`CLOSE_CALL` of the best, both are
    shown: the reader decides a close call better than a coin flip. When more than one step
    failed, the most specific blocks of the later ones are shown too (:func:`_later_failures`).
    Returns the blocks and the failed steps.
    """
    steps = failed_steps(view)
    blocks = candidate_blocks(view, steps)
    chosen = _choose_in(view, score_blocks(view, blocks, steps[0]), steps[0], baseline)
    if chosen:
        # A thin best block is joined by its neighbours; a runner-up among them is shown once.
        best = join_neighbours(view, chosen[0], blocks)
        chosen = [best] + [b for b in chosen[1:] if not overlaps(b, best)]
    return chosen + _later_failures(view, blocks, steps[1:], chosen), steps


def _later_failures(
    view: LogView, blocks: list[Block], steps: list[tuple[int, int]], chosen: list[Block]
) -> list[Block]:
    """The best block of each later failed step that says something new, the most specific
    :data:`MAX_LATER` of them (ties: the later step).

    CI runners such as Travis go on after a failed command; the later failure (the tests after
    the linter) is as often the one a reader is after.
    """
    found: list[Scored] = []
    starts = [block.first for block in blocks]
    for first, end in steps[-MAX_STEPS:]:
        inside = blocks[bisect.bisect_right(starts, first) : bisect.bisect_left(starts, end)]
        ranked = score_blocks(view, inside, (first, end))
        shown = chosen + [scored.block for scored in found]
        if ranked and _says_more(ranked[0], shown):
            found.append(ranked[0])
    found.sort(key=lambda scored: (-scored.strength, -scored.block.first))
    return [scored.block for scored in found[:MAX_LATER]]


def _says_more(candidate: Scored, shown: list[Block]) -> bool:
    """True for a specific block in its step that overlaps and repeats none of ``shown``."""
    if candidate.place <= 0 or candidate.strength < WORDY:
        return False
    if any(overlaps(candidate.block, block) for block in shown):
        return False
    said = set().union(*(gist(block) for block in shown))
    return not gist(candidate.block) <= said


def _choose_in(
    view: LogView, ranked: list[Scored], step: tuple[int, int], baseline: BaselineIndex | None
) -> list[Block]:
    """The explaining block(s) of one failed step, by the order of :func:`_choose`.

    A step killed by a timeout or a signal (exit 124, 137, 143) without a specific block shows
    its exit line too: its output just stops, the exit says why.
    """
    best = ranked[0] if ranked else None
    chosen = _explain_step(view, ranked, step, baseline)
    exit_rule = view.rule_at.get(step[1])
    killed = exit_rule is not None and exit_rule.name in KILLED_EXITS
    if killed and (best is None or best.strength < STRONG or best.place <= 0):
        chosen.insert(0, Block(step[1], step[1]))
    return chosen


def _explain_step(
    view: LogView, ranked: list[Scored], step: tuple[int, int], baseline: BaselineIndex | None
) -> list[Block]:
    best = ranked[0] if ranked else None
    in_step = best is not None and best.place > 0
    if not (in_step and best is not None and best.strength >= STRONG):
        short = _short_step(view, step)
        if short is not None:
            return [short]
    if in_step and best is not None and best.strength >= VAGUE:
        close = runner_up(best, ranked[1:])
        chosen = [best.block] + ([close.block] if close is not None else [])
        listed = failure_list(ranked, chosen)
        chosen += [listed] if listed is not None else []
        told = failed_task_output(view, ranked, chosen)
        return chosen + ([told] if told is not None else [])
    fallback = _step_output(view, step, baseline)
    if fallback is not None and in_step and best is not None and overlaps(best.block, fallback):
        # The vague block runs into the step's last lines: it is where they begin.
        fallback = Block(min(best.block.first, fallback.first), fallback.last, best.block.anchors)
    if fallback is not None:
        echo = _echoing_command(view, step, fallback.last)
        if echo is not None and echo.last < fallback.first:
            return [fallback, echo]
        return [fallback]
    if step[1] > view.total:
        # No exit line at all (an unknown runner, a truncated log): the log's end, where it
        # stopped, says more than its first vague failure word.
        fallback = _tail(view, baseline)
    fallback = (fallback or (best.block if best else None) or _tail(view, baseline)
                or _tail(view, baseline, walls=True))
    return [fallback] if fallback is not None else []


def _refuse_binary(chunks: Iterator[bytes]) -> Iterator[bytes] | None:
    """The same stream, or None when its first bytes look binary (not a log; a few stray NULs
    in text, like Jenkins' remoting preamble, do not count)."""
    head: list[bytes] = []
    size = 0
    for chunk in chunks:
        head.append(chunk)
        size += len(chunk)
        if size >= _BINARY_SNIFF:
            break
    if looks_binary(b"".join(chunk[:_BINARY_SNIFF] for chunk in head)[:_BINARY_SNIFF]):
        return None

    def replay() -> Iterator[bytes]:
        yield from head
        yield from chunks

    return replay()


def _short_step(view: LogView, step: tuple[int, int]) -> Block | None:
    """All output of the failed step, when that is only a few lines: all of it is the story."""
    first, end = step
    if end > view.total or first == 0 or end - first - 1 > SHORT_STEP:
        return None
    lines = [
        n
        for n in range(first + 1, end)
        if (text := view.clean(n)) is not None and text.strip() and not view.is_wall(n)
    ]
    if not lines or any(view.clean(n) is None for n in range(first + 1, end)):
        return None
    # Output after the step's last inner command ("Step 4/9 : RUN ...", "+ cmd") is its own.
    inner = [a.line for a in view.anchors if a.rule.name in _COMMANDS and first < a.line < end]
    if inner:
        lines = [n for n in lines if n > inner[-1]] or lines
    return Block(min(lines), max(lines))


def _step_output(
    view: LogView, step: tuple[int, int], baseline: BaselineIndex | None
) -> Block | None:
    """The last output lines of the failed step, when no rule found anything in it."""
    first, end = step
    if end > view.total:
        return None
    return _last_lines(view, range(end - 1, first, -1), STEP_FALLBACK, baseline)


def _echoing_command(view: LogView, step: tuple[int, int], last: int) -> Block | None:
    """The command echoed in the step whose own text holds the step's last output line.

    A script that fails on purpose prints its own message ("cmd || (echo 'Please commit the
    generated files'; exit 1)"): the command says what was checked, the message only that it
    failed.
    """
    message = (view.clean(last) or "").strip()
    if len(message) < MIN_ECHO:
        return None
    commands = {
        a.line for a in view.anchors if a.rule.name in _COMMANDS and step[0] < a.line < last
    }
    # A tool's own echo of the script it runs (yarn's and npm's "$ cmd") has no rule: any
    # kept line shaped like an echoed command counts.
    for number in range(last - 1, max(step[0], last - ECHO_LOOK_BACK), -1):
        text = view.clean(number) or ""
        if (number in commands or text.startswith(_ECHOES)) and message in text:
            return Block(number, number)
    return None


def _tail(view: LogView, baseline: BaselineIndex | None, *, walls: bool = False) -> Block | None:
    """The last non-blank lines before the end, when no rule found anything. With ``walls``,
    commands and boilerplate count too: a log of nothing else ("$ make" / "make: *** [all]
    Error 2") still shows what it says rather than an empty excerpt."""
    return _last_lines(view, range(view.total, 0, -1), TAIL_FALLBACK, baseline, walls=walls)


def _last_lines(
    view: LogView, numbers: range, count: int, baseline: BaselineIndex | None, *,
    walls: bool = False,
) -> Block | None:
    """The block of the first ``count`` lines of ``numbers`` (walked backwards) that say
    something: not blank, not a wall (unless ``walls``), not in the passing run; it stops where
    nothing was kept."""
    wanted: list[int] = []
    for number in numbers:
        text = view.clean(number)
        if text is None:
            break
        if not text.strip() or (view.is_wall(number) and not walls):
            continue
        if baseline is not None and baseline.seen(view.raw(number) or ""):
            continue
        wanted.append(number)
        if len(wanted) >= count:
            break
    if not wanted:
        return None
    return Block(min(wanted), max(wanted))


def _render(view: LogView, blocks: list[Block], max_lines: int) -> Excerpt:
    """The blocks' lines in log order; the budget goes to the blocks by rank.

    Each block after the first keeps up to :data:`RESERVE` lines of the budget, so a long best
    block never crowds out the runner-up (nor a long runner-up the best block).
    """
    spans: list[tuple[int, int]] = []
    budget = max_lines
    for index, block in enumerate(blocks):
        reserved = sum(min(RESERVE, later.size) for later in blocks[index + 1 :])
        allowed = min(budget, max(1, budget - reserved))
        if allowed <= 0:
            break
        kept = _trim(block, allowed)
        spans.extend(kept)
        budget -= sum(last - first + 1 for first, last in kept)
    spans.sort()
    lines = [strip_ansi(view.raw(n) or "") for first, last in spans for n in range(first, last + 1)]
    return Excerpt(spans=tuple(spans), text="\n".join(lines))


def _trim(block: Block, budget: int) -> list[tuple[int, int]]:
    """The block's lines within the budget.

    A long test report keeps its head (the test's name) and its tail (the assertion and where
    it failed); anything else keeps its head (the error and the innermost frames), unless its
    most specific line lies beyond that: then the lines from just above that line.
    """
    if block.size <= budget:
        return [(block.first, block.last)]
    if any(a.rule.down == "section" for a in block.anchors) and budget >= 8:
        head = budget // 4
        return [
            (block.first, block.first + head - 1),
            (block.last - (budget - head) + 1, block.last),
        ]
    strongest = max(block.anchors, key=lambda a: (a.rule.weight, -a.line), default=None)
    first = block.first
    if strongest is not None and strongest.line > block.first + budget - 1:
        first = min(strongest.line - min(ABOVE_STRONGEST, budget - 1), block.last - budget + 1)
    return [(first, first + budget - 1)]
