"""Signature regexes that cannot hang knownfix: RE2 syntax, linear time, bounded size.

Known-issue signatures come from documents anyone can edit, and they run against every log. A
backtracking engine can take exponential time on ``(a+)+$``; RE2 cannot, because it has no
backreferences or lookarounds. We compile with RE2 only (never a fallback to ``re``), cap the
pattern length and the compiled program size, and explain a rejection in words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import re2

from knownfix.errors import PolicyError

MAX_PROGRAM_SIZE = 10_000  # RE2 instructions; ordinary error patterns need well under 500
MAX_MEMORY = 8 << 20  # bytes RE2 may use for one compiled pattern


@dataclass(frozen=True)
class _Unsupported:
    """A construct RE2 rejects, and how to say so."""

    name: str
    pattern: re.Pattern[str]


# Perl features that need backtracking. Checked first so that the message names the feature
# instead of quoting RE2's terse "invalid perl operator".
_UNSUPPORTED: tuple[_Unsupported, ...] = (
    _Unsupported("lookahead (?=…) / (?!…)", re.compile(r"\(\?[=!]")),
    _Unsupported("lookbehind (?<=…) / (?<!…)", re.compile(r"\(\?<[=!]")),
    _Unsupported("backreference \\1 … \\9", re.compile(r"(?<!\\)(?:\\\\)*\\[1-9]")),
    _Unsupported("named backreference (?P=name) / \\k<name>", re.compile(r"\(\?P=|\\k<")),
    _Unsupported("atomic group (?>…)", re.compile(r"\(\?>")),
    _Unsupported("possessive quantifier (*+, ++, ?+)", re.compile(r"(?<!\\)[*+?}]\+")),
    _Unsupported("conditional (?(…)…)", re.compile(r"\(\?\(")),
    _Unsupported("recursion (?R) / (?1)", re.compile(r"\(\?(?:R|[0-9]+)\)")),
)


def _options() -> Any:
    options = re2.Options()
    options.max_mem = MAX_MEMORY
    options.log_errors = False  # RE2 would print every rejected pattern to stderr
    return options


def _rejection(pattern: str, max_length: int) -> tuple[str | None, Any]:
    if not pattern:
        return "empty regex: it would match every log", None
    if len(pattern) > max_length:
        return f"regex is {len(pattern)} characters long; the limit is {max_length}", None
    for feature in _UNSUPPORTED:
        if feature.pattern.search(pattern):
            return (
                f"regex uses a {feature.name}, which needs backtracking; signature regexes must "
                "run in linear time (RE2 syntax)",
                None,
            )
    try:
        compiled = re2.compile(pattern, _options())
    except re2.error as error:
        detail = error.args[0] if error.args else error
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        return f"regex does not compile under RE2: {detail}", None
    size = int(compiled.programsize)
    if size > MAX_PROGRAM_SIZE:
        return (
            f"regex compiles to {size} RE2 instructions; the limit is {MAX_PROGRAM_SIZE} "
            "(simplify counted repetitions like {1000})",
            None,
        )
    return None, compiled


def check_regex(pattern: str, *, max_length: int = 1000) -> str | None:
    """None when ``pattern`` is a safe signature regex, else a message saying what is wrong."""
    message, _ = _rejection(pattern, max_length)
    return message


def compile_linear(pattern: str, *, max_length: int = 1000) -> Any:
    """Compile ``pattern`` with RE2 (linear time); raises PolicyError with the reason if unsafe."""
    message, compiled = _rejection(pattern, max_length)
    if message is not None:
        raise PolicyError(f"{message}: {pattern[:80]!r}")
    return compiled
