"""Site-generator markup, stripped line by line before Markdown is read.

Documentation sites run Markdown through a template engine first: Jekyll/Liquid
(``{% include copy-clipboard.html %}``, ``{% raw %}``), Hugo shortcodes (``{{< note >}}``,
``{{% warning %}}``), Hugo's TOML front matter (``+++``), kramdown / attr_list attribute lists
(``{: .note}``, ``## Title {: #abi3}``, ``![](a.png){ width="300" }``), heading ids
(``## Title {#custom-id}``), containers (MkDocs admonitions, collapsibles and content tabs,
Docusaurus / VitePress ``:::`` containers, GitHub alerts: one model, ``containers.py``), Doxygen
alias blocks, table-of-contents markers, and MDX: ``import``/``export`` statements, JSX component
tags (``<Tabs>``, ``<TabItem value="npm">``, ``</Aside>``, ``<DontEditWarning />``, a ``<Tabs``
whose attributes run over several lines) and JSX comments (``{/* … */}``); inline component tags go
and their text stays. A reader of the rendered page never sees them, so the importer does not
either. A line that is only markup becomes an empty line, so line numbers stay those of the file;
fenced code is left alone except for lines that are a lone tag.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from knownfix.core.docparse import tags
from knownfix.core.docparse.chunks import _FenceTracker
from knownfix.core.docparse.containers import (
    Opener,
    dedent,
    heading_for,
    indentation,
    is_closing_colons,
    read_component,
    read_myst,
    read_opener,
    unquote,
)

_LIQUID = re.compile(r"\{%-?\s*[a-zA-Z_][^%]{0,500}?-?%\}")
_SHORTCODE = re.compile(r"\{\{[<%]\s*/?\s*[\w./-]+(?:[^{}]{0,500}?)\s*[>%]\}\}")
_LONE_TAG = re.compile(
    r"^\s*(?:\{%-?\s*[a-zA-Z_][^%]{0,500}?-?%\}|\{\{[<%]\s*/?\s*[\w./-]+[^{}]{0,500}?[>%]\}\}"
    r"|\{:\s*[^}]{0,200}\})\s*$"
)
# MDX: ES module lines (outside code) and JSX components, which are capitalised where HTML
# tags are not; the Markdown between a component's tags is page text and stays.
_MDX_ESM = re.compile(
    r"^(?:import\s+(?:[\w*{}\s,$]+\s+from\s+)?['\"][^'\"]+['\"]|export\s+(?:const|let|default"
    r"|function|\{))[^\n]{0,500}$"
)
_JSX_TAG = re.compile(r"^\s*(?:</?[A-Z][\w.]*(?:\s[^<>]{0,500}?)?\s*/?>\s*)+$")
_JSX_INLINE = re.compile(r"</?[A-Z][\w.]*(?:\s[^<>]{0,500}?)?\s*/?>")
_JSX_COMMENT = re.compile(r"^\s*\{/\*.{0,500}?\*/\}\s*$")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)")
# An attribute list: only #id, .class and key=value tokens between braces (kramdown's ``{: …}``,
# attr_list's ``{ #id .class }``, Pandoc's ``{#id}``). ``{answer}`` or ``{{ x }}`` are not.
_ATTR = r"""(?:[#.][\w:-]+|[\w-]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s}"']+))"""
_ATTR_LIST = re.compile(r"[ \t]*\{:?[ \t]*" + _ATTR + r"(?:[ \t]+" + _ATTR + r")*[ \t]*\}")
_KRAMDOWN_IAL = re.compile(r"\{:\s*[^}]{0,200}\}")
_CODE_SPAN = re.compile(r"(`+[^`]*`+)")
_MYST_OPTION = re.compile(r"^\s*:[\w-]+:(?:\s.*)?$")


@dataclass(slots=True)
class _Body:
    """An open indented container (MkDocs): its body is indented ``columns`` columns."""

    columns: int
    printed: bool  # an untitled error body: what the failure prints, kept as a code block
    decided: bool = False  # whether the body's first line has been seen


class _State:
    """What the stripper remembers between lines."""

    def __init__(self) -> None:
        self.fences = _FenceTracker()
        self.bodies: list[_Body] = []  # open MkDocs containers, innermost last
        self.quoted = False  # inside an alert's quoted body
        self.section_level = 0  # level of the last real heading: container titles go below it
        self.waiting = ""  # "jsx" / "esm": a tag or statement spread over lines is still open
        self.depth = 0  # its open brace depth
        self.span = 0  # lines it has run
        self.doxygen = 0  # open Doxygen alias blocks
        self.boxes = 0  # open HTML boxes (<aside>, <div>, <details>)
        # Open JSX components (MDX): Markdown inside them may be indented (MDX has no indented
        # code), so their content is dedented by the indentation of its first line.
        self.components: list[_Body] = []
        self.tag_text = ""  # the lines of a JSX tag spread over lines, so far
        self.myst: list[str] = []  # closing marks of open MyST directive fences
        self.highlight = False  # inside a Jekyll/Hugo highlight block (a fence by another name)


def strip_site_markup(lines: Iterable[str]) -> Iterator[str]:
    """Each line (ending in "\\n") with template markup removed; the count of lines is kept."""
    state = _State()
    toml_front = False
    for number, line in enumerate(lines, start=1):
        if number == 1 and line.strip() == "+++":
            toml_front = True
            yield "\n"
            continue
        if toml_front:
            toml_front = line.strip() != "+++"
            yield "\n"
            continue
        yield _strip_line(line, state)


def _strip_line(line: str, state: _State) -> str:
    if state.waiting:
        return _wait(line, state)
    if state.doxygen:
        line = tags.doxygen_body(line)
    if state.components and line.strip():
        component = state.components[-1]
        if not component.decided:
            component.decided, component.columns = True, indentation(line)
        line = dedent(line, component.columns)
    line = _in_body(line, state)
    if not state.fences.mark or state.highlight:
        fence = tags.highlight_fence(line)
        if fence is not None and (fence != "```\n" or state.highlight):
            state.highlight = fence != "```\n"
            line = fence
    if not state.fences.mark:
        myst = _myst_line(line, state)
        if myst is not None:
            return myst
    was_open = bool(state.fences.mark)
    in_fence = state.fences.feed(line)
    if in_fence and was_open:
        # Inside code only a line that is nothing but a tag goes ({% raw %}, {{< /tab >}}).
        return "\n" if _is_lone_template_tag(line) else line
    if in_fence:
        return line
    return _outside_code(line, state)


def _in_body(line: str, state: _State) -> str:
    """``line`` as the text of the containers it sits in (dedented, unquoted)."""
    if state.quoted:
        unquoted = unquote(line)
        if unquoted is None:
            state.quoted = False
        else:
            line = unquoted
    if not state.bodies or state.fences.mark and not line.strip():
        return line
    if line.strip():
        # A line indented less than a body ends that body (blank lines do not).
        depth = indentation(line)
        while state.bodies and depth < state.bodies[-1].columns:
            state.bodies.pop()
    if not state.bodies:
        return line
    body = state.bodies[-1]
    if line.strip() and not body.decided:  # the first line decides: its own fence, or plain text
        body.decided = True
        body.printed = body.printed and not _opens_fence(dedent(line, body.columns))
    if body.printed:
        return dedent(line, body.columns - 4)
    return dedent(line, body.columns) if line.strip() else "\n"


def _opens_fence(line: str) -> bool:
    return line.lstrip(" ").startswith(("```", "~~~"))


def _outside_code(line: str, state: _State) -> str:
    heading = _ATX.match(line)
    if heading:
        state.section_level = len(heading.group(1))
        return _strip_inline_markup(line)
    opened = read_opener(line)
    if opened is not None:
        return _open_container(opened, state)
    if is_closing_colons(line):
        return "\n"
    carried = tags.doxygen_open(line)
    if carried is not None:
        if tags.braces_balance("{" + carried) > 0:
            state.doxygen += 1
        else:
            carried = carried.removesuffix("}")
        state.fences.feed(carried + "\n")
        return carried + "\n" if carried else "\n"
    if state.doxygen and line.strip() == "}":
        state.doxygen -= 1
        return "\n"
    boxes, state.boxes = state.boxes, tags.box_depth(line, state.boxes)
    html = tags.html_heading(line)
    if html is not None:
        if boxes:  # a callout's title inside an HTML box: decoration, like an admonition's
            return "\n"
        state.section_level = html[0]
        return html[1]
    if tags.starts_shortcode(line):
        state.waiting, state.span = "shortcode", 0
        return "\n"
    if tags.starts_jsx_tag(line) or tags.starts_esm(line):
        state.waiting = "jsx" if line.lstrip().startswith("<") else "esm"
        state.tag_text = line
        state.depth = (tags.braces_balance(line) if state.waiting == "esm"
                       else tags.jsx_tag_open(line) or 0)
        state.span = 0
        return "\n"
    if _JSX_TAG.match(line):
        _count_components(line, state)
        return _component_title(line, state)
    if (_MDX_ESM.match(line.rstrip("\n")) or _JSX_COMMENT.match(line)
            or tags.is_wrapper_line(line) or tags.is_lone_marker(line) or _LONE_TAG.match(line)):
        return "\n"
    return _strip_inline_markup(line)


def _myst_line(line: str, state: _State) -> str | None:
    """A MyST directive fence's opening or closing line, rewritten; None for any other line."""
    if state.myst and line.strip() == state.myst[-1]:
        state.myst.pop()
        return "\n"
    if state.myst and _MYST_OPTION.match(line):
        return "\n"  # ":class: dropdown": the directive's options
    found = read_myst(line)
    if found is None:
        return None
    mark, opened, content = found
    state.myst.append(mark)
    if opened.names_problem and opened.indent == 0:
        return heading_for(opened.title, state.section_level)
    return content + "\n" if content else "\n"


def _open_container(opened: Opener, state: _State) -> str:
    if opened.style == "indented":
        # A container nested in a body: its body is deeper than the enclosing one's, raw.
        base = state.bodies[-1].columns if state.bodies else 0
        state.bodies.append(_Body(base + opened.indent + 4, opened.printed))
    elif opened.style == "quoted":
        state.quoted = True
    if opened.names_problem and opened.indent == 0:
        return heading_for(opened.title, state.section_level)
    return "\n"


def _wait(line: str, state: _State) -> str:
    """A line of a JSX tag or an ESM statement spread over lines: blank, and is it done?"""
    state.span += 1
    if state.waiting == "shortcode":
        if tags.ends_shortcode(line) or state.span >= tags.MAX_SPAN:
            state.waiting = ""
        return "\n"
    if state.waiting == "esm":
        state.depth = tags.braces_balance(line, state.depth)
        done = state.depth == 0
    else:
        still = tags.jsx_tag_open(line, state.depth)
        done = still is None
        state.depth = still or 0
    out = "\n"
    if state.waiting == "jsx":
        state.tag_text += line
        if done and not line.rstrip().endswith("/>"):
            state.components.append(_Body(0, False))
            out = _component_title(state.tag_text, state)
    if done or state.span >= tags.MAX_SPAN:
        state.waiting = ""
    return out


def _component_title(tag: str, state: _State) -> str:
    """The heading a titled collapsible component stands for (``<Accordion title="Why…">``)."""
    opened = read_component(tag)
    if opened is not None and opened.names_problem and opened.indent == 0:
        return heading_for(opened.title, state.section_level)
    return "\n"


def _count_components(line: str, state: _State) -> None:
    """Open and close the JSX components of a line of tags (``<TabItem value="a">``)."""
    for tag in _JSX_INLINE.findall(line):
        if tag.startswith("</"):
            if state.components:
                state.components.pop()
        elif not tag.endswith("/>"):
            state.components.append(_Body(0, False))


def _is_lone_template_tag(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and (
        bool(_LIQUID.fullmatch(stripped)) or bool(_SHORTCODE.fullmatch(stripped))
    )


def _strip_inline_markup(line: str) -> str:
    if "{" not in line and not _JSX_INLINE.search(line):
        return line
    # Code spans keep their text: `{% load static %}` in a Django doc is what the user types.
    parts = _CODE_SPAN.split(line)
    for index in range(0, len(parts), 2):
        part = _SHORTCODE.sub("", parts[index])
        part = _LIQUID.sub("", part)
        part = _JSX_INLINE.sub("", part)  # <ReadMore>text</ReadMore>: the text stays
        part = _ATTR_LIST.sub("", part)
        parts[index] = _KRAMDOWN_IAL.sub("", part)
    stripped = "".join(parts)
    if _ATX.match(stripped):  # "## Title {#id}" loses its id and the spaces before it
        stripped = stripped.rstrip() + "\n" if line.endswith("\n") else stripped.rstrip()
    return stripped
