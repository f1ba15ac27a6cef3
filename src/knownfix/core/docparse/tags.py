"""Tags and markers that span lines or stand alone, for the line-by-line markup stripper.

* MDX: a JSX component tag written over several lines (``<Tabs`` / ``  values={[…]}>``) and an
  ``import { A,`` / ``} from '…'`` statement over several lines: read until the tag or the
  statement closes (braces balanced), every line of it blank.
* HTML headings (``<h3 id="x">Error: …</h3>``): the heading they render as, an ATX heading.
* Lines that are only presentational HTML with no text (``<a name="faq"></a>``, ``<div
  align="center">``, ``<img …>``, ``<br/>``): blank. CommonMark reads such a line as the start of
  an HTML block that runs to the next blank line, swallowing the heading or text below it.
* Doxygen alias blocks (``@tabs{`` … ``@tab{Linux | ```bash`` … ``}``): the markers go, their
  content is dedented so that fences inside still open and close.
* Lone markers of table-of-contents and include extensions (``[TOC]``, ``[[toc]]``,
  ``--8<-- "file.md"``): blank.
"""

from __future__ import annotations

import re

from knownfix.core.docparse.containers import dedent

MAX_SPAN = 60  # lines a multi-line tag or statement may run before we stop waiting for its end

_JSX_START = re.compile(r"^\s*<[A-Z][\w.]*(?=[\s>/]|$)")
_ESM_START = re.compile(r"^(?:import\s*\{|export\s+(?:const|let|var|default|function)\b)")
_HTML_HEADING = re.compile(r"^[ ]{0,3}<h(?P<level>[1-6])\b[^>]*>(?P<text>.*?)</h(?P=level)\s*>\s*$",
                           re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^<>]*>")
_BOX_OPEN = re.compile(r"<(?:aside|div|section|article|details|figure)\b[^<>]*>", re.IGNORECASE)
_BOX_CLOSE = re.compile(r"</(?:aside|div|section|article|details|figure)\s*>", re.IGNORECASE)
_WRAPPER_LINE = re.compile(
    r"^\s*(?:</?(?:a|div|p|span|center|section|article|picture|source|br|img|hr|figure|kbd)"
    r"\b[^<>]*>\s*)+$",
    re.IGNORECASE,
)
_DOXYGEN_OPEN = re.compile(r"^\s*@[A-Za-z]\w*\{(?P<inner>[^\n]*)$")
_LONE_MARKER = re.compile(
    r"^\s*(?:\[TOC\]|\[\[_?toc_?\]\]|\$\{toc\}|--8<--\s*[\"'][^\"'\n]*[\"']|\{!\s*[^!\n]+!\})\s*$",
    re.IGNORECASE,
)


# Highlight blocks of Jekyll and Hugo are code fences by another name.
_HIGHLIGHT_OPEN = re.compile(
    r"^\s*(?:\{%-?\s*highlight\s+(?P<jl>[\w+#.-]+)[^%]*-?%\}"
    r"|\{\{[<%]\s*highlight\s+\"?(?P<hl>[\w+#.-]+)\"?[^{}]*[>%]\}\})\s*$"
)
_HIGHLIGHT_CLOSE = re.compile(
    r"^\s*(?:\{%-?\s*endhighlight\s*-?%\}|\{\{[<%]\s*/highlight\s*[>%]\}\})\s*$"
)
_SHORTCODE_START = re.compile(r"^\s*\{\{[<%]")


def highlight_fence(line: str) -> str | None:
    """The fence line a highlight tag stands for (``{% highlight bash %}`` → "```bash")."""
    opened = _HIGHLIGHT_OPEN.match(line)
    if opened:
        return "```" + (opened["jl"] or opened["hl"] or "") + "\n"
    return "```\n" if _HIGHLIGHT_CLOSE.match(line) else None


def starts_shortcode(line: str) -> bool:
    """A Hugo shortcode whose parameters run over several lines (``{{< figure`` …)."""
    return bool(_SHORTCODE_START.match(line)) and ">}}" not in line and "%}}" not in line


def ends_shortcode(line: str) -> bool:
    return ">}}" in line or "%}}" in line


def braces_balance(text: str, depth: int = 0) -> int:
    """``depth`` plus the bracket depth (``{[(``) that ``text`` leaves open, quotes aside."""
    quote = ""
    for char in text:
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'`":
            quote = char
        elif char in "{[(":
            depth += 1
        elif char in "}])":
            depth = max(depth - 1, 0)
    return depth


def jsx_tag_open(line: str, depth: int = 0) -> int | None:
    """Where a JSX tag spread over lines stands after ``line``: None when it closed on this line,
    else the brace depth still open (0: waiting for the ``>``)."""
    quote = ""
    for char in line:
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'" and depth == 0:
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == ">" and depth == 0:
            return None
    return depth


def starts_jsx_tag(line: str) -> bool:
    """A line that opens a JSX component tag without closing it (``<Tabs`` then attributes)."""
    found = _JSX_START.match(line)
    return found is not None and jsx_tag_open(line[found.end():]) is not None


def starts_esm(line: str) -> bool:
    """A line that opens an MDX import/export statement left open (``import {`` then names)."""
    return bool(_ESM_START.match(line)) and braces_balance(line) > 0


def html_heading(line: str) -> tuple[int, str] | None:
    """``(level, ATX line)`` for a line that is one HTML heading, else None."""
    found = _HTML_HEADING.match(line)
    if found is None:
        return None
    text = " ".join(_ANY_TAG.sub(" ", found["text"]).split())
    if not text:
        return None
    level = int(found["level"])
    return level, "#" * level + " " + text + "\n"


def box_depth(line: str, depth: int) -> int:
    """``depth`` of HTML boxes (``<aside>``, ``<div>``, ``<details>``) open after ``line``: a
    heading inside one is a callout's title (mdBook's ``<aside><h1>Warning</h1>``), no section."""
    if "<" not in line:
        return depth
    return max(depth + len(_BOX_OPEN.findall(line)) - len(_BOX_CLOSE.findall(line)), 0)


def is_wrapper_line(line: str) -> bool:
    """A line of presentational HTML tags only, no text (an anchor, a centring div, an image)."""
    return "<" in line and bool(_WRAPPER_LINE.match(line))


def is_lone_marker(line: str) -> bool:
    """A table-of-contents or include marker alone on its line."""
    return bool(_LONE_MARKER.match(line))


def doxygen_open(line: str) -> str | None:
    """For ``@name{`` (a Doxygen alias block opening): the text it carries on its line ("" when
    none; ``@tab{Linux | ```bash`` carries the fence opener), else None."""
    found = _DOXYGEN_OPEN.match(line)
    if found is None:
        return None
    inner = found["inner"]
    if "|" in inner:
        inner = inner.split("|", 1)[1]
    return inner.strip()


def doxygen_body(line: str) -> str:
    """A line inside a Doxygen alias block, dedented (its fences must close at column 0)."""
    return dedent(line, 4)
