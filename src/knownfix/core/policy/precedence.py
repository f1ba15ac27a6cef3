"""How the rules that match one failure compete: order, position, and a summary's cause.

The first rule that matches decides; rules marked ``earliest_wins`` compete on where their
evidence stands (the first failure, not what follows from it); and a ``summary`` (a test run's
closing count, a build's ``Failed to compile.``, a step that ran a linter) yields to a
``cause`` (a crash signal, a database error, a resource limit, a refused connection, a budget)
that stands in its message or before it: the summary says a stage failed, the cause why.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knownfix.core.policy.rules import EncodedFacts, FailureFacts, Rule


class Flags:
    """A prefilter's lazy flags (one per rule; None: every rule may match), kept as they are
    asked for: a decision and the look for a cause under a summary read them twice, and each
    group of patterns searches the text once."""

    __slots__ = ("_flags", "_known")

    def __init__(self, flags: Iterator[bool] | None) -> None:
        self._flags = flags
        self._known: list[bool] = []

    def __getitem__(self, index: int) -> bool:
        if self._flags is None:
            return True
        while len(self._known) <= index:
            self._known.append(next(self._flags))
        return self._known[index]


def winner(rules: Sequence[Rule], facts: FailureFacts, encoded: EncodedFacts, possible: Flags,
           *, causes_only: bool = False) -> Rule | None:
    """The rule that decides (None: the policy's default), with ``causes_only`` among the
    rules marked ``cause`` alone."""
    chosen = _first(rules, facts, encoded, possible, causes_only=causes_only)
    if chosen is None or causes_only or not chosen.when.summary:
        return chosen
    cause = _first(rules, facts, encoded, possible, causes_only=True)
    # a summary says a stage failed; the cause that made it fail, printed before the summary
    # (or in its message), says why. A cause after it is a later command's failure: Travis
    # runs every script command, and the tests that failed first made the job red.
    if cause is None or cause.then.category == chosen.then.category or (
            cause.evidence_message(encoded) > chosen.evidence_message(encoded)):
        return chosen
    return cause


def only_summary(rules: Sequence[Rule], facts: FailureFacts, encoded: EncodedFacts,
                 rule: Rule) -> bool:
    """Whether the summary ``rule`` is all the text says of its category: no rule of the same
    category that is not a summary finds evidence in it (``Failed to compile.`` alone, not over
    a compiler's ``error:`` line)."""
    return rule.when.summary and not any(
        other.then.category == rule.then.category and not other.when.summary
        and (other.when.any_regex or other.when.all_regex or other.when.contains)
        and other.check(facts, encoded)[0] for other in rules)


def _first(rules: Sequence[Rule], facts: FailureFacts, encoded: EncodedFacts, possible: Flags,
           *, causes_only: bool) -> Rule | None:
    best: tuple[int, Rule] | None = None
    for index, rule in enumerate(rules):
        if causes_only and not rule.when.cause:
            continue
        if not possible[index] or not rule.check(facts, encoded)[0]:
            continue
        if not rule.when.earliest_wins:
            # the competition ends at the first unmarked rule that matches (its kind of
            # evidence was ordered after the winner on purpose)
            return best[1] if best is not None else rule
        message = rule.evidence_message(encoded)
        if best is None or message < best[0]:
            best = (message, rule)
    return best[1] if best is not None else None
