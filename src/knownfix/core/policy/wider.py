"""A weak decision looks at the lines around the excerpt before it stands.

The policy reads the excerpt: the few lines extraction kept. On a long CI log the lines that say
what kind of failure it was are sometimes just outside it: markdownlint's findings under the
one parse error an ``npm test`` step's excerpt holds, Taskcluster's ``max_run_time exceeded``
two lines under the excerpt's last one. When the excerpt names no evidence of its own — the
policy's default answered, or a rule that reads only the failed step's command (``npm test`` is
a test step, whatever failed in it) — the policy decides again on a bounded window: the
excerpt's lines and the :data:`WIDER_LINES` log lines above and below each of its spans
(:func:`window_lines`). Its answer counts only when a rule found evidence in that text
(``any_regex``, ``all_regex`` or ``contains``); otherwise the excerpt's decision stands.

The excerpt's own evidence always ranks first: a rule that matched the excerpt's text is never
overridden, so a word further away cannot change a decision the failure's own lines made, and
a stray word farther than the window from the failure is never read.

A decision made on a summary alone (a rule marked ``summary``: a test run's closing count,
webpack's ``Failed to compile.``) is weak too, in one way: the window may name the cause the
summary reports (webpack's ``asset size limit`` under ``Failed to compile.``), and only a rule
marked ``cause`` may then override it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from knownfix.core.policy.rules import FailureFacts, Policy, Rule
from knownfix.core.records import TriageDecision

WIDER_LINES = 40
"""Log lines read above and below each span of the excerpt (tuned on the development parts:
25 and 60 found about as much; the window is bounded whatever the log's size)."""


def reads_text(rule: Rule | None) -> bool:
    """Whether ``rule`` decides on evidence in the failure text (not only the failed step's
    command, the title, the source or hints)."""
    if rule is None:
        return False
    when = rule.when
    return bool(when.any_regex or when.all_regex or when.contains)


def window_lines(spans: Sequence[tuple[int, int]], total: int | None = None,
                 radius: int = WIDER_LINES) -> list[tuple[int, int]]:
    """The line ranges (1-based, inclusive, merged, in order) of the window around ``spans``:
    each span widened by ``radius`` lines both ways, within ``1 … total``."""
    ranges: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        low = max(1, first - radius)
        high = last + radius if total is None else min(total, last + radius)
        if ranges and low <= ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], high))
        else:
            ranges.append((low, high))
    return ranges


def decide_wider(policy: Policy, facts: FailureFacts,
                 window: Callable[[], str | None]) -> TriageDecision:
    """The policy's decision on ``facts``; when it is weak (the default, or a rule that reads no
    failure text), the decision on the text ``window()`` gives (the redacted lines around the
    excerpt, asked for only then; None when they cannot be had) if a rule finds evidence there.
    """
    decision = policy.decide(facts)
    rule = policy.rule(decision.rule) if decision.rule else None
    if not reads_text(rule):
        return _on_window(policy, facts, decision, window)
    if rule is None or not policy.only_summary(facts, rule):
        return decision
    text = window()
    if not text or text == facts.text:
        return decision
    # a summary (a closing count, `Failed to compile.`) says a stage failed, not why; a cause
    # just outside the excerpt names why, and nothing else overrides the summary
    cause = policy.winner(replace(facts, text=text), causes_only=True)
    if cause is None or cause.then.category == decision.category:
        return decision
    return cause.then


def _on_window(policy: Policy, facts: FailureFacts, decision: TriageDecision,
               window: Callable[[], str | None]) -> TriageDecision:
    """A decision without evidence in the text, made again on the window (see above)."""
    text = window()
    if not text or text == facts.text:
        return decision
    wider = policy.decide(replace(facts, text=text))
    found = policy.rule(wider.rule) if wider.rule else None
    if found is None or not reads_text(found) or found.when.summary:
        # a summary near the excerpt says some stage failed, not that this one failed of it
        # (partest's `!! 753 - neg/t742.scala [compilation failed]` is a test's result)
        return decision
    return wider
