"""How much an excerpt says about its failure, and what else groups it when it says nothing.

An excerpt is *weak* when none of its lines is an error message a title rule recognises
(summaries and warnings aside): it holds only what a build tool or CI system prints around any
failure (boilerplate such as ``The command "npm test" exited with 1.`` or ``make: *** [lint]
Error 2``, summaries such as ``npm ERR! Test failed.  See above for more details.``, asides such
as an echoed ``$ make lint``, frames), other output (``added 200 packages in 3.2s``) or
warnings. That happens when extraction missed the failure's own lines. Until strategy
:data:`STEP_SINCE` such an excerpt was fingerprinted from its summaries alone, or, all
boilerplate, from nothing at all: every such excerpt of a repository was one incident, whichever
command had failed. From that strategy on, the failed step joins a weak excerpt's fingerprints:
its command and closing lines as extraction found them in the whole log (``LogReading.step``),
normalized. Which command, task or target failed is all such an excerpt can say, and a rerun of
the same failure runs the same command.

The step comes from the log, not from the excerpt, so a boilerplate line cut into the excerpt
or left out still moves no fingerprint; and an excerpt with one line that says what failed is
grouped by its lines alone, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from knownfix.core.signature.line_rule import TITLE, LineRule

__all__ = ["STEP_SINCE", "is_weak", "step_keys"]

STEP_SINCE = "2026-12-12"
"""From this strategy on, the failed step joins a weak excerpt's fingerprints."""

# Tagged so that a step's line never equals a message's parts in the loose hash.
_STEP_TAG = "step\x1e"


class _Classified(Protocol):
    @property
    def rule(self) -> LineRule | None: ...
    @property
    def kind(self) -> str: ...


# A warning alone fails no build: an excerpt of warnings missed the error that did.
_NOT_FAILURES = frozenset({"warning"})


def _says_what(line: _Classified) -> bool:
    """A line a title rule recognises as an error message: not a summary, not a warning."""
    rule = line.rule
    return (
        line.kind == TITLE
        and rule is not None
        and not rule.summary
        and (rule.name not in _NOT_FAILURES)
    )


def is_weak(lines: Sequence[_Classified], version: str) -> bool:
    """True when no line of the excerpt says what failed (see the module docstring)."""
    return version >= STEP_SINCE and not any(_says_what(line) for line in lines)


def step_keys(step: str, normalize: Callable[[str], str]) -> list[str]:
    """The failed step's lines, normalized like excerpt lines, each once, in order."""
    keys = (normalize(raw) for raw in step.splitlines())
    return [_STEP_TAG + key for key in dict.fromkeys(keys) if key]
