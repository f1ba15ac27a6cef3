"""Links in Markdown that would run code when clicked (``javascript:``, ``data:`` …), made inert.

knownfix writes Markdown holding text from docs and logs (reports, triage summaries, exported
docs), and a viewer may render it on a page that trusts it. Every place a link destination can
stand is found (``[x](dest)``, ``![x](dest)``, ``[ref]: dest``, ``<scheme:...>``, and ``href=``,
``src=`` … in raw HTML); a destination whose scheme is not in :data:`SAFE_SCHEMES` gets a ``#``
in front, which makes it a harmless fragment (``[x](#javascript:alert(1))``) and leaves the text
readable. The scheme is read the way a browser reads it: HTML entities decoded, backslash
escapes, white space and control characters dropped, case ignored.
"""

from __future__ import annotations

import html
import re

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "ftps"})
"""Schemes left live; a destination without a scheme (a relative link, ``#anchor``) is too."""

_DESTINATION = re.compile(
    r"\]\([ \t]*+<?"  # inline link or image: ](dest or ](<dest>
    r"|^[ ]{0,3}\[[^\]\n]{1,999}\]:[ \t]*+<?"  # reference definition: [ref]: dest
    r"|<(?=[A-Za-z][A-Za-z0-9+.-]{1,31}:)"  # autolink: <scheme:...>
    r"|(?i:\b(?:href|src|action|formaction|xlink:href|data|poster|background|srcset))"
    r"[ \t]*+=[ \t]*+[\"']?",  # raw HTML attribute
    re.MULTILINE,
)
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]{0,31}):")
_IGNORED = re.compile(r"[\x00-\x20\x7f\\]")  # what a browser drops before reading a scheme
_LOOKAHEAD = 96


def unsafe_scheme(destination: str) -> str | None:
    """The scheme of ``destination`` when it is not a safe one, else None."""
    head = html.unescape(destination[:_LOOKAHEAD])
    head = _IGNORED.sub("", head).lower()
    found = _SCHEME.match(head)
    if found is None or found.group(1) in SAFE_SCHEMES:
        return None
    return found.group(1)


def neutralize_links(markdown: str) -> str:
    """``markdown`` with every link to an unsafe scheme made a fragment link (``#javascript:…``).

    Fenced code blocks and code spans are left as written: nothing in them is a link, and they
    often quote logs, which must stay faithful.
    """
    if ":" not in markdown:
        return markdown
    return "".join(
        part if is_code else _neutralize_prose(part) for part, is_code in _split_code(markdown)
    )


def _neutralize_prose(text: str) -> str:
    parts: list[str] = []
    position = 0
    for found in _DESTINATION.finditer(text):
        start = found.end()
        if unsafe_scheme(text[start : start + _LOOKAHEAD]) is None:
            continue
        parts += [text[position:start], "#"]
        position = start
    if not parts:
        return text
    parts.append(text[position:])
    return "".join(parts)


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)


def _split_code(markdown: str) -> list[tuple[str, bool]]:
    """``markdown`` cut into (text, is_code) parts: fenced blocks and code spans are code."""
    parts: list[tuple[str, bool]] = []
    prose: list[str] = []
    fence = ""
    for line in markdown.splitlines(keepends=True):
        opened = _FENCE.match(line)
        if fence:
            parts.append((line, True))
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence) \
                    and not line[opened.end():].strip():
                fence = ""
            continue
        if opened and not (opened.group(1)[0] == "`" and "`" in line[opened.end():]):
            parts.extend(_spans(prose))
            prose = []
            fence = opened.group(1)
            parts.append((line, True))
            continue
        prose.append(line)
    parts.extend(_spans(prose))
    return parts


def _spans(lines: list[str]) -> list[tuple[str, bool]]:
    text = "".join(lines)
    parts: list[tuple[str, bool]] = []
    position = 0
    for span in _CODE_SPAN.finditer(text):
        parts += [(text[position : span.start()], False), (span.group(), True)]
        position = span.end()
    parts.append((text[position:], False))
    return [part for part in parts if part[0]]
