"""Header formats: split a log line into header fields and the message (``Content``).

The format language is logparser's (the Loghub benchmark's ``log_format``)::

    <Date> <Time> <Pid> <Level> <Component>: <Content>
    \\[<Time>\\] \\[<Level>\\] <Content>
    <Month> <Date> <Time> <Host> <Component>(\\[<PID>\\])?: <Content>

``<Name>`` is a field (letters, digits and ``_``); the text between fields is a regular
expression in which a run of spaces stands for any run of whitespace. A field takes the shortest
text after which the rest of its part of the format matches, and ``<Content>``, which must come
last, takes the rest of the line. A line that does not fit the format goes whole as Content.

Unlike logparser, each field with the literal text after it is matched as an atomic group, so a
line that does not fit is rejected in linear time instead of backtracking through every way of
cutting it; and only the first :data:`MAX_HEADER_CHARS` characters are searched for a header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from knownfix.errors import InputError

CONTENT = "Content"
MAX_HEADER_CHARS = 1024
"""A header must end within this many characters of the start of the line."""

_PLACEHOLDER = re.compile(r"(<[^<>]*>)")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class HeaderSplit(NamedTuple):
    """A line cut in two: its header fields (empty if the line did not fit) and its message."""

    fields: dict[str, str]
    content: str


@dataclass(frozen=True)
class HeaderFormat:
    """A compiled header format; :func:`compile_header_format` builds it."""

    format: str
    fields: tuple[str, ...]
    """The header fields in order, ``Content`` excluded."""
    _regex: re.Pattern[str] = field(repr=False, compare=False)

    def split(self, line: str) -> HeaderSplit:
        """Cut ``line`` (surrounding whitespace ignored) into header fields and Content."""
        text = line.strip()
        found = self._regex.match(text[:MAX_HEADER_CHARS])
        if found is None:
            return HeaderSplit({}, text)
        values = {name: value or "" for name, value in found.groupdict().items()}
        return HeaderSplit(values, text[found.end() :])


def compile_header_format(fmt: str) -> HeaderFormat:
    """Compile a logparser-style header format; InputError says what is wrong with a bad one."""
    if not fmt.strip():
        raise InputError("header format is empty; it needs at least <Content>")
    pieces = _PLACEHOLDER.split(fmt)
    names = pieces[1::2]
    for placeholder in names:
        name = placeholder[1:-1]
        if not _NAME.fullmatch(name):
            raise InputError(
                f"header format: bad field name {placeholder}; use letters, digits and _ "
                "(for example <Date> or <Pid>)"
            )
    names = [placeholder[1:-1] for placeholder in names]
    if CONTENT not in names:
        raise InputError("header format has no <Content> field (the message part of the line)")
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise InputError(f"header format: field <{duplicates[0]}> appears more than once")
    if names[-1] != CONTENT or pieces[-1].strip():
        raise InputError("header format must end with <Content>: the message is the line's rest")
    parts = [
        ("field", piece[1:-1]) if index % 2 else ("text", re.sub(" +", r"\\s+", piece))
        for index, piece in enumerate(pieces[:-2])
    ]
    regex = _atomic_segments(parts)
    try:
        compiled = re.compile(regex, re.DOTALL)
    except re.error as error:
        raise InputError(
            f"header format: the text between fields is not a valid pattern ({error})"
        ) from None
    if compiled.match("") is not None and names != [CONTENT]:
        raise InputError("header format: the fields must be separated by some text")
    return HeaderFormat(fmt, tuple(names[:-1]), compiled)


def _atomic_segments(parts: list[tuple[str, str]]) -> str:
    """``^`` and one atomic group per field with the text after it (see the module doc)."""
    segments: list[str] = []
    current = ""
    for kind, value in parts:
        if kind == "field" and current and _balanced(current):
            segments.append(current)
            current = ""
        current += f"(?P<{value}>.*?)" if kind == "field" else value
    if current:
        segments.append(current)
    return "^" + "".join(f"(?>{segment})" for segment in segments)


def _balanced(regex: str) -> bool:
    """Whether ``regex`` stands alone (its groups close), so a segment may end after it."""
    try:
        re.compile(regex)
    except re.error:
        return False
    return True
