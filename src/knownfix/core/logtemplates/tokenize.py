"""Split a log message into tokens and mark the obvious variables, with one generic rule set.

A message becomes a tuple of tokens: words, the delimiters ``= : , ; | ( ) [ ] { } "`` (kept as
tokens of their own, so ``uid=0`` and ``(uid=0)`` keep their shape) and :data:`VARIABLE` for a
part that is obviously variable. Whitespace is not a token; ``spaces[i]`` says whether whitespace
came before token ``i``, which is enough to print a template the way the lines looked.

What counts as obviously variable (the rules are data, in order, compiled once):

1. whole shapes found before splitting (:data:`SHAPE_RULES`): URLs, UUIDs, IPv4 (with port),
   colon-separated hex (IPv6, MAC addresses, times), host names with a port or a well-known top
   level domain, file paths, and English dates with month or weekday names;
2. any token that contains a digit (numbers, hex ids, ``node-12``, ``blk_-123``);
3. the literals ``true``, ``false`` and ``null`` (in any case): they are values;
4. a word glued to a preceding ``=`` (``name=android``) and a quoted text right after ``=``
   (``tag="View Lock"``): the value of a key.

Then runs of variables that touch (``<*>:<*>``, ``<*> <*>``) collapse into one, so a value that
spans several tokens (a date, a list of numbers) does not change the token count; a unit after a
number (``12 KB``, ``<1 sec``) and a converted quantity in parentheses (``12 bytes (0.1 KB)``)
belong to the value, and an empty pair of brackets holds an (empty) value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

VARIABLE = "<*>"
"""The token that stands for a variable part, as in the Loghub templates."""


@dataclass(frozen=True)
class ShapeRule:
    """A named regular expression for a variable shape that has delimiters or no digit.

    Shapes never contain whitespace, so they are looked for inside each whitespace-separated
    chunk. ``needs`` lists texts (from :data:`HINTS`) that every match contains: a chunk without
    them skips the rule, which only saves time. A shape with a digit and no delimiter needs no
    rule: any such token is a variable anyway.
    """

    name: str
    pattern: str
    needs: tuple[str, ...]


HINTS = ("://", ":", ".", "/", ":\\")

# Common generic and country top level domains; two-letter codes that are also everyday
# abbreviations in log keys (id, in, is, it, no, to ...) are left out on purpose.
_TLDS = (
    "com|net|org|edu|gov|mil|int|info|biz|io|co|local|localdomain|lan|internal|arpa|"
    "cn|hk|tw|jp|kr|uk|de|fr|nl|ru|br|au|ca|ch|se|pl|cz|eu|us|es|be|at|dk|fi"
)

SHAPE_RULES: tuple[ShapeRule, ...] = (
    ShapeRule("url", r"\b[A-Za-z][A-Za-z0-9+.-]{1,15}://[^\"'<>]*", ("://",)),
    # IPv6, MAC addresses, clock times, byte dumps: hex groups joined by two or more colons.
    ShapeRule(
        "hex-colon",
        r"(?<![\w:])(?=[0-9a-fA-F:]*[0-9a-fA-F])[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,}"
        r"(?:[.,]\d+)?(?![\w:])",
        (":",),
    ),
    ShapeRule("host-port", r"(?<![\w.-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+:\d{1,5}\b", (":", ".")),
    ShapeRule("host", r"(?<![\w.-])(?:[A-Za-z0-9-]+\.)+(?:" + _TLDS + r")(?![\w.-])", (".",)),
    # A colon ends a path when a space or the end follows: "loading /a/b: failed".
    ShapeRule("path", r"(?<![\w./-])~?\.{0,2}/(?:[^\"'<>()\[\]{},;|:]|:(?=\S))*", ("/",)),
    ShapeRule("windows-path", r"(?<![\w./-])[A-Za-z]:\\[^\"'<>()\[\]{},;|]*", (":\\",)),
)

MONTHS = frozenset(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec")
)
WEEKDAYS = frozenset(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
TIME_ZONES = frozenset(
    ("UTC", "GMT", "Z", "PST", "PDT", "MST", "MDT", "CST", "CDT", "EST", "EDT", "CET", "CEST")
    + ("BST", "IST", "JST")
)
"""Words that belong to a date or time next to a number (``Sun Jul 10 03:55:15 PDT 2005``)."""

VALUE_WORDS = frozenset(
    case(word) for word in ("true", "false", "null") for case in (str.lower, str.title, str.upper)
)
"""Words that are values wherever they appear (in lower, title or upper case)."""

UNITS = frozenset(
    ("B", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "kB", "bytes")
    + ("ms", "us", "ns", "s", "sec", "secs", "min", "mins")
)
"""Units that, after a number, are part of the value (``12 KB``, ``<1 sec``)."""

_SENTINEL = "\x00"  # stands for a masked shape until the tokens are classified


def _union(hints: int) -> re.Pattern[str] | None:
    """The rules a chunk with these hints (a bit per :data:`HINTS` entry) can match, as one."""
    rules = [
        rule for rule in SHAPE_RULES if all(hints >> HINTS.index(need) & 1 for need in rule.needs)
    ]
    if not rules:
        return None
    return re.compile("|".join(f"(?:{rule.pattern})" for rule in rules))


_UNIONS = tuple(_union(hints) for hints in range(1 << len(HINTS)))
_HAS_DIGIT = re.compile(r"[\d\x00]")
# The pieces of a chunk: delimiters and the runs between them. A quote only splits at a word
# edge, so "can't" stays one word while 'US' loses its quotes; two or more dots split too.
_PIECES = re.compile(
    r"[=:,;|()\[\]{}\"]|(?<![A-Za-z])'|'(?![A-Za-z])|\.{2,}"
    r"|(?:[^=:,;|()\[\]{}\"'.]|(?<=[A-Za-z])'(?=[A-Za-z])|\.(?!\.))+"
)
# A quoted value right after "=" (key="a b", key='x'), escaped quotes allowed, bounded length.
_QUOTED_VALUE = re.compile(r"""(?<==)(?:"(?:[^"\\]|\\.){0,1000}"|'[^']{0,1000}')""")
_SPLITS = re.compile(r"[=:,;|()\[\]{}\"']|\.\.")  # a chunk without these is one token
_DELIMITERS = frozenset("=:,;|()[]{}\"'")
# Delimiters that may sit inside one value without breaking it: "1:2", "a,b".
_JOINERS = frozenset({":", ",", ";", "|"})
_CLOSING = {")": "(", "]": "[", "}": "{"}


def mask_shapes(chunk: str) -> str:
    """``chunk`` with every :data:`SHAPE_RULES` match replaced by one placeholder character."""
    hints = 0
    for bit, hint in enumerate(HINTS):
        if hint in chunk:
            hints |= 1 << bit
    union = _UNIONS[hints]
    return chunk if union is None else union.sub(_SENTINEL, chunk)


class TokenizedLine(NamedTuple):
    """A message as tokens (variables already masked) and the whitespace before each token."""

    tokens: tuple[str, ...]
    spaces: tuple[bool, ...]


def tokenize(content: str) -> TokenizedLine:
    """Split ``content`` into tokens, masking obvious variables and collapsing touching ones."""
    tokens: list[str] = []
    spaces: list[bool] = []
    quantities: list[int] = []  # indexes of variables that took a unit
    spaced = False
    if '="' in content or "='" in content:
        content = _QUOTED_VALUE.sub(_mask_quoted, content)
    for chunk in content.split():
        if chunk.isalpha():  # the common case: a plain word
            if chunk in VALUE_WORDS:
                _variable(tokens, spaces, spaced)
            elif chunk in UNITS and spaced and tokens and tokens[-1] == VARIABLE:
                quantities.append(len(tokens) - 1)  # "12 KB": the unit is part of the value
            else:
                tokens.append(chunk)
                spaces.append(spaced)
        elif _SPLITS.search(chunk) is None:
            # One token. With a digit it is a value whatever shape it has; without, a shape
            # (a host or a path) still makes it one.
            if _HAS_DIGIT.search(chunk) is not None or _SENTINEL in mask_shapes(chunk):
                _variable(tokens, spaces, spaced)
            elif chunk in UNITS and spaced and tokens and tokens[-1] == VARIABLE:
                quantities.append(len(tokens) - 1)
            else:
                tokens.append(chunk)
                spaces.append(spaced)
        else:
            _pieces(tokens, spaces, quantities, _PIECES.findall(mask_shapes(chunk)), spaced)
        spaced = True
    return TokenizedLine(tuple(tokens), tuple(spaces))


def _mask_quoted(found: re.Match[str]) -> str:
    quote = found.group()[0]
    return quote + _SENTINEL + quote


def _variable(tokens: list[str], spaces: list[bool], spaced: bool) -> None:
    """Append a variable, merging it with the variable (or date words) just before it."""
    if spaced and tokens and spaces[-1]:
        # "Sun Jul 10", "03:55:15 PDT 2005": date words next to a number are the date.
        if tokens[-1] in MONTHS:
            del tokens[-1]
            spaced = spaces.pop()
            if tokens and tokens[-1] in WEEKDAYS and spaced:
                del tokens[-1]
                spaced = spaces.pop()
        elif tokens[-1] in TIME_ZONES and len(tokens) > 1 and tokens[-2] == VARIABLE:
            del tokens[-1], spaces[-1]
    if tokens and tokens[-1] == VARIABLE and spaced:
        return  # "<*> <*>": one value
    if (
        len(tokens) > 1
        and tokens[-2] == VARIABLE
        and tokens[-1] in _JOINERS
        and not spaced
        and not spaces[-1]
    ):
        del tokens[-1], spaces[-1]  # "<*>:<*>": one value
        return
    tokens.append(VARIABLE)
    spaces.append(spaced)


def _pieces(
    tokens: list[str], spaces: list[bool], quantities: list[int], pieces: list[str], spaced: bool
) -> None:
    """Append the pieces of one chunk: words, values and delimiters with nothing between."""
    after_equals = False
    for piece in pieces:
        if piece in _DELIMITERS or piece[0] == ".":
            opening = _CLOSING.get(piece)
            if (
                opening is not None
                and len(tokens) > 2
                and tokens[-2] == opening
                and tokens[-1] == VARIABLE
                and len(tokens) - 3 in quantities
                and spaces[-2]
            ):
                # "12 bytes (0.1 KB)": the converted quantity belongs to the value.
                del tokens[-2:], spaces[-2:]
            else:
                tokens.append(piece)
                spaces.append(spaced)
            after_equals = piece == "="
        else:
            if after_equals or piece in VALUE_WORDS or _HAS_DIGIT.search(piece) is not None:
                _variable(tokens, spaces, spaced)
            elif spaced and piece in UNITS and tokens and tokens[-1] == VARIABLE:
                quantities.append(len(tokens) - 1)
            else:
                tokens.append(piece)
                spaces.append(spaced)
            after_equals = False
        spaced = False


def render(tokens: tuple[str, ...] | list[str], spaces: tuple[bool, ...]) -> str:
    """Join tokens back into text, with one space where the line had whitespace."""
    parts: list[str] = []
    for index, token in enumerate(tokens):
        if index and spaces[index]:
            parts.append(" ")
        parts.append(token)
    return "".join(parts)
