"""A failure excerpt as the matcher reads it: lines, their terms, where each term occurs, the
exception types and error codes named, command echoes and stack frames, folded text.

Worked out once per excerpt (and each line once per process: excerpts repeat lines) for every
issue it is compared with (``lexical``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from knownfix.core.match.phrases import Phrase, fold_literal, surface_of
from knownfix.core.match.tokens import (
    BOILERPLATE,
    ERRNO_TERMS,
    special_term,
    specials,
    tokenize_with_surface,
)

# An error code counts as a phrase's code only in a phrase that is mostly the code ("Error
# 0x801901a0", "npm ERR! code ERESOLVE"; ``LexicalIndex.information``).
CODE_PHRASE_TERMS = 3

# Lines that echo a command ("$ alembic upgrade head", "Run mypy .") say what ran, not what broke.
_COMMAND_ECHO = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:\$|\+|PS [^>]{0,200}>|Run|>>>)\s+\S")
# JavaScript and JVM stack frames ("at …/node_modules/metro/src/index.js:243") say where the
# code ran, not what failed: they count half too. (Python's File "…" lines stay whole: the
# module that failed is often the issue's own clue, asyncio/proactor_events.py.)
_STACK_FRAME = re.compile(r"^\s*at\s+\S")
# Excerpt lines whose terms, specials and folded text a long-lived process keeps at most.
LINES_KEPT = 20_000


@dataclass(frozen=True, slots=True)
class ExcerptView:
    """An excerpt cut into lines, their terms, where each term occurs, and the specials named."""

    lines: tuple[str, ...]
    folded_lines: tuple[str, ...]
    line_terms: tuple[tuple[str, ...], ...]
    echo_lines: frozenset[int]
    surfaces: dict[str, str]
    postings: dict[str, tuple[int, ...]]
    terms: frozenset[str]
    exception_terms: frozenset[str]
    code_terms: frozenset[str]
    special_labels: dict[str, str]
    line_numbers: tuple[int, ...] | None = None  # the log line of each excerpt line
    line_bigrams: tuple[frozenset[str], ...] = ()  # word pairs of each line ("first second")
    folded_text: str = ""  # the folded lines joined by newlines: one search for a literal


def view_excerpt(lines: Sequence[str], line_numbers: Sequence[int] | None = None) -> ExcerptView:
    """Tokenize an excerpt's lines once for every issue it is compared with."""
    line_terms: list[tuple[str, ...]] = []
    surfaces: dict[str, str] = {}
    postings: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    exc: set[str] = set()
    codes: set[str] = set()
    facts = [_line_facts(line) for line in lines]
    for index, (pairs, terms, named, _, _, _) in enumerate(facts):
        line_terms.append(terms)
        for term, surface in pairs:
            surfaces.setdefault(term, surface)
        for term in terms:
            postings.setdefault(term, []).append(index)
        for term, label, is_code in named:
            (codes if is_code else exc).add(term)
            labels.setdefault(term, label)
    folded = tuple(fact[3] for fact in facts)
    return ExcerptView(
        lines=tuple(lines),
        folded_lines=folded,
        line_terms=tuple(line_terms),
        echo_lines=frozenset(i for i, fact in enumerate(facts) if fact[4]),
        surfaces=surfaces,
        postings={t: tuple(ix) for t, ix in postings.items()},
        terms=frozenset(postings),
        exception_terms=frozenset(exc),
        code_terms=frozenset(codes),
        special_labels=labels,
        line_numbers=tuple(line_numbers) if line_numbers is not None else None,
        line_bigrams=tuple(frozenset(fact[5]) for fact in facts),
        folded_text="\n".join(folded),
    )


# (term, surface) pairs, distinct terms, (special term, label, is a code) in label order,
# folded text, is a command echo or a frame, word pairs: tuples of strings all through, which
# the garbage collector stops tracking (a long-lived process keeps ``LINES_KEPT`` of them).
_LineFacts = tuple[tuple[tuple[str, str], ...], tuple[str, ...], tuple[tuple[str, str, bool], ...],
                   str, bool, tuple[str, ...]]


@functools.lru_cache(maxsize=LINES_KEPT)
def _line_facts(line: str) -> _LineFacts:
    """What :func:`view_excerpt` needs of one line, worked out once per process: excerpts
    repeat lines (six in ten lines of the held-out LogChunks excerpts were in an earlier one)."""
    pairs = tuple(tokenize_with_surface(line))
    terms = tuple(dict.fromkeys(t for t, _ in pairs))
    found = specials(line)
    named = tuple((special_term(name), f"exception type {name}", False)
                  for name in sorted(found.exception_types))
    named += tuple((special_term(code), f"error code {code}", True)
                   for code in sorted(found.error_codes))
    echo = bool(_COMMAND_ECHO.match(line) or _STACK_FRAME.match(line))
    return pairs, terms, named, fold_literal(line), echo, tuple(bigrams(terms))


def bigrams(terms: Iterable[str]) -> set[str]:
    """Distinct word pairs, as "first second": what keeps them (a line's facts, a phrase's) is
    then a tuple of strings, which the garbage collector lets go of in one young collection,
    not in a full one (terms hold no space)."""
    seq = [t for t in terms if t not in BOILERPLATE]
    return {f"{a} {b}" for a, b in zip(seq, seq[1:], strict=False)}


def codes_written(phrase: Phrase, view: ExcerptView) -> frozenset[str]:
    """The error codes the log prints that ``phrase`` prints too, as codes: ``ENOSPC`` written
    out on both sides, not a phrase's "no space left" folded into the same term (its words
    are the evidence then, counted already)."""
    terms = phrase[2]
    if not view.code_terms or len(terms) > CODE_PHRASE_TERMS:
        return frozenset()
    return frozenset(t for t in view.code_terms if t in terms
                     and (t not in ERRNO_TERMS or special_term(surface_of(phrase, t)) == t))
