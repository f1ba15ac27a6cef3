"""The parts of an error message the loose fingerprint keeps: its plain words, the names in it
and its quoted values. Numbers, masks and punctuation are dropped, so a better masking rule or
another run's values do not move them (see :mod:`knownfix.core.signature.fingerprint`).
"""

from __future__ import annotations

import re

from knownfix.core.signature.message_words import IDENTIFIER_INSIDE, IDENTIFIER_TOKEN
from knownfix.core.signature.versions import CURRENT

__all__ = ["LITERAL_QUOTES_SINCE", "LOOSE_MAX_WORDS", "MASKED", "identifiers", "plain_words",
           "quoted_values"]

LITERAL_QUOTES_SINCE = "2026-12-08"
"""From this strategy on, a quoted value is a literal: it keeps its case (``'Runhyve'`` and
``'runhyve'`` are two lines of a file, two failures), and the quoted values of every other error
line join the loose fingerprint as the title's do."""

LOOSE_MAX_WORDS = 12
QUOTED_MAX = 200

QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`']*[`']|‘[^’]*’|“[^”]*”")
MASKED = re.compile(r"<[a-z]{1,20}>|\[REDACTED:[a-z0-9-]{1,60}\]")
_PLAIN_WORD = re.compile(r"[A-Za-z][a-z]+")
_WORD_EDGES = ".,:;!?()[]{}"
_IDENTIFIER = re.compile(IDENTIFIER_TOKEN)
_IDENTIFIER_INSIDE = re.compile(IDENTIFIER_INSIDE)
_IDENTIFIER_EDGES = "._:;#/\\@+-"
_LETTER = re.compile(r"[A-Za-z]")
# A bracket or semicolon standing alone in a message is what the message is about (a parser's
# unexpected or missing token); it stays in the loose fingerprint like a word.
_SYMBOL_WORDS = frozenset("()[]{};")


def plain_words(message: str) -> list[str]:
    """The message's ordinary words: no quoted values, identifiers, numbers or masks."""
    words = []
    for token in QUOTED.sub(" ", message).split():
        if token in _SYMBOL_WORDS:  # "Unexpected token (" and "… token )" are two failures
            words.append(token)
            continue
        token = token.strip(_WORD_EDGES)
        if _PLAIN_WORD.fullmatch(token):
            words.append(token.lower())
    return words[:LOOSE_MAX_WORDS]


def identifiers(message: str) -> list[str]:
    """Unquoted identifier-like tokens of a message, lower case; a path gives its last part."""
    found = []
    for token in _IDENTIFIER.findall(QUOTED.sub(" ", MASKED.sub(" ", message))):
        token = token.strip(_IDENTIFIER_EDGES)
        if "/" in token:
            token = token.rsplit("/", 1)[-1]
        if _LETTER.search(token) and (_IDENTIFIER_INSIDE.search(token) or token.endswith("=")):
            found.append(token.lower())
    return found[:LOOSE_MAX_WORDS]


def quoted_values(message: str, version: str = CURRENT) -> list[str]:
    """The quoted values of a message with a letter in them, spaces collapsed (lower-cased before
    :data:`LITERAL_QUOTES_SINCE`)."""
    values = []
    cased = version >= LITERAL_QUOTES_SINCE
    for quoted in QUOTED.findall(MASKED.sub(" ", message)):
        inner = " ".join(quoted[1:-1].split())
        inner = inner if cased else inner.lower()
        if inner and len(inner) <= QUOTED_MAX and _LETTER.search(inner):
            values.append(inner)
    return values
