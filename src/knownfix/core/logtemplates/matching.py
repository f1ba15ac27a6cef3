"""When does a token sequence fit a template? Token by token, or chunk by chunk.

Token level: same number of tokens, every constant of the template equal, anything where the
template has ``<*>``. Chunk level (the fallback): a *chunk* is what lies between two runs of
whitespace; a template chunk with ``<*>`` in it matches any chunk of the line with the same
constant text around, the ``<*>`` standing for any text (or none, between brackets). So
``synchronized to <*>,``
takes ``synchronized to LOCAL(127.0.0.1),``, ``<*> error`` takes ``wpad:80 error`` and
``(<*>)`` takes ``()``: a value may have structure (or be empty) without making a new template.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from knownfix.core.logtemplates.tokenize import VARIABLE

_BRACKETS = {"(": ")", "[": "]", "{": "}", '"': '"', "'": "'"}


class Glob(NamedTuple):
    """A chunk pattern: constant texts with a variable between each two (``a<*>b<*>c``)."""

    literals: tuple[str, ...]
    least: tuple[int, ...]
    """The fewest characters each variable takes (0 inside brackets, else 1)."""

    def fits(self, text: str) -> bool:
        literals = self.literals
        first, last = literals[0], literals[-1]
        end = len(text) - len(last)
        if not text.startswith(first) or not text.endswith(last) or end < len(first):
            return False
        position = len(first)
        # Leftmost placement of each inner constant leaves the most room for the rest.
        for index in range(1, len(literals) - 1):
            found = text.find(literals[index], position + self.least[index - 1], end)
            if found < 0:
                return False
            position = found + len(literals[index])
        return end - position >= self.least[-1]


ChunkMatcher = str | Glob | None
"""A literal chunk, a pattern for a chunk with variables, or None for a lone ``<*>``."""


def fits_tokens(tokens: Sequence[str], template: Sequence[str]) -> bool:
    """True when every constant of ``template`` equals the token at its position."""
    if len(tokens) != len(template):
        return False
    for token, expected in zip(tokens, template, strict=True):
        if token != expected and expected != VARIABLE:
            return False
    return True


def chunks(tokens: Sequence[str], spaces: Sequence[bool]) -> tuple[str, ...]:
    """The whitespace-separated chunks of a token sequence, as text (variables as ``<*>``)."""
    out: list[str] = []
    current: list[str] = []
    for token, spaced in zip(tokens, spaces, strict=True):
        if spaced and current:
            out.append("".join(current))
            current = []
        current.append(token)
    if current:
        out.append("".join(current))
    return tuple(out)


def literal_chunks(tokens: Sequence[str], spaces: Sequence[bool]) -> list[str | None]:
    """Per chunk of a template: its text when constant, None when it holds a variable."""
    out: list[str | None] = []
    start = 0
    for end in range(1, len(tokens) + 1):
        if end == len(tokens) or spaces[end]:
            piece = tokens[start:end]
            out.append(None if VARIABLE in piece else "".join(piece))
            start = end
    return out


def chunk_matchers(tokens: Sequence[str], spaces: Sequence[bool]) -> tuple[ChunkMatcher, ...]:
    """One matcher per chunk of a template (see :data:`ChunkMatcher`)."""
    out: list[ChunkMatcher] = []
    current: list[str] = []
    for token, spaced in zip(tokens, spaces, strict=True):
        if spaced and current:
            out.append(_matcher(current))
            current = []
        current.append(token)
    if current:
        out.append(_matcher(current))
    return tuple(out)


def _matcher(chunk: list[str]) -> ChunkMatcher:
    if chunk == [VARIABLE]:
        return None
    if VARIABLE not in chunk:
        return "".join(chunk)
    literals: list[str] = []
    least: list[int] = []
    current: list[str] = []
    for index, token in enumerate(chunk):
        if token != VARIABLE:
            current.append(token)
            continue
        literals.append("".join(current))
        current = []
        inside = 0 < index < len(chunk) - 1 and _BRACKETS.get(chunk[index - 1]) == chunk[index + 1]
        least.append(0 if inside else 1)  # "(<*>)" also takes "()"
    literals.append("".join(current))
    return Glob(tuple(literals), tuple(least))


def fits_chunks(line: Sequence[str], template: Sequence[ChunkMatcher]) -> bool:
    """True when every chunk of ``line`` matches the template's chunk at its position."""
    if len(line) != len(template):
        return False
    for chunk, matcher in zip(line, template, strict=True):
        if matcher is None:
            continue
        if isinstance(matcher, str):
            if chunk != matcher:
                return False
        elif not matcher.fits(chunk):
            return False
    return True
