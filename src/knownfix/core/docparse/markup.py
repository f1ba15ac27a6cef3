"""Site-generator markup, stripped line by line before Markdown is read.

Documentation sites run Markdown through a template engine first: Jekyll/Liquid
(``{% include copy-clipboard.html %}``, ``{% raw %}``), Hugo shortcodes (``{{< note >}}``,
``{{% warning %}}``), Hugo's TOML front matter (``+++``), kramdown attribute lists
(``{: .note}``), heading ids (``## Title {#custom-id}``), MkDocs admonitions (``!!! note``),
Docusaurus containers (``:::tip``) and MDX: ``import``/``export`` lines, lone JSX component tags
(``<Tabs>``, ``<TabItem value="npm">``, ``</Aside>``, ``<DontEditWarning />``) and JSX comments
(``{/* … */}``); inline component tags go and their text stays. A reader of the rendered page
never sees them, so the importer does not either. A line that is only markup becomes an empty
line, so line numbers stay those of the file; fenced code is left alone except for lines that
are a lone tag.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from knownfix.core.docparse.chunks import _FenceTracker

_LIQUID = re.compile(r"\{%-?\s*[a-zA-Z_][^%]{0,500}?-?%\}")
_SHORTCODE = re.compile(r"\{\{[<%]\s*/?\s*[\w./-]+(?:[^{}]{0,500}?)\s*[>%]\}\}")
_LONE_TAG = re.compile(
    r"^\s*(?:\{%-?\s*[a-zA-Z_][^%]{0,500}?-?%\}|\{\{[<%]\s*/?\s*[\w./-]+[^{}]{0,500}?[>%]\}\}"
    r"|\{:\s*[^}]{0,200}\}|:::\s*[\w-]*.{0,80}|!!!\s*\w+.{0,120}|\?\?\?\+?\s*\w+.{0,120})\s*$"
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
_HEADING_ID = re.compile(r"^(\s{0,3}#{1,6}\s.*?)\s*\{#[\w:.-]+\}\s*$")
_KRAMDOWN_IAL = re.compile(r"\{:\s*[^}]{0,200}\}")
_CODE_SPAN = re.compile(r"(`+[^`]*`+)")
# Admonition bodies are indented four spaces (MkDocs) — read them as the text they are.
_ADMONITION = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s*(\w+)")
# Admonition kinds whose body is what the failure prints (MkDocs Material's failure/fail/
# missing, bug, error): a plain body is kept indented, a code block, so the reader sees
# printed output, not prose ("!!! error" then "    --skip-update cannot be specified …").
_PRINTED_KINDS = frozenset({"error", "failure", "fail", "missing", "bug"})
_FENCE_OPEN = re.compile(r"^\s{0,3}(?:```|~~~)")


def strip_site_markup(lines: Iterable[str]) -> Iterator[str]:
    """Each line (ending in "\\n") with template markup removed; the count of lines is kept."""
    fences = _FenceTracker()
    toml_front = False
    admonition = ""  # "", or the open admonition's body: "text" or "printed" (an error kind)
    printed: bool | None = None  # whether the open body stays indented (a code block)
    for number, line in enumerate(lines, start=1):
        if number == 1 and line.strip() == "+++":
            toml_front = True
            yield "\n"
            continue
        if toml_front:
            toml_front = line.strip() != "+++"
            yield "\n"
            continue
        if admonition and line.startswith(("    ", "\t")):
            # An admonition's body, fenced code included: text, not an indented code block.
            # A tab is four columns (output pasted into the body keeps its tabs); a body line
            # left indented would leave the body's fence unclosed and swallow the page.
            body = line[4:] if line.startswith("    ") else line[1:]
            if printed is None:  # the body's first line decides: its own fence, or plain text
                printed = admonition == "printed" and not _FENCE_OPEN.match(body)
            if not printed:
                line = body
        elif admonition and line.strip():
            admonition = ""
        was_open = bool(fences.mark)
        in_fence = fences.feed(line)
        if in_fence and was_open:
            # Inside code only a line that is nothing but a tag goes ({% raw %}, {{< /tab >}}).
            yield "\n" if _is_lone_template_tag(line) else line
            continue
        if _MDX_ESM.match(line.rstrip("\n")) or _JSX_TAG.match(line) or _JSX_COMMENT.match(line):
            yield "\n"
            continue
        if _LONE_TAG.match(line):
            kind = _ADMONITION.match(line)
            admonition = "" if kind is None else (
                "printed" if kind.group(1).casefold() in _PRINTED_KINDS else "text")
            printed = None
            yield "\n"
            continue
        yield _strip_inline_markup(line)


def _is_lone_template_tag(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and (
        bool(_LIQUID.fullmatch(stripped)) or bool(_SHORTCODE.fullmatch(stripped))
    )


def _strip_inline_markup(line: str) -> str:
    if "{" not in line and not _JSX_INLINE.search(line):
        return line
    heading = _HEADING_ID.match(line.rstrip("\n"))
    if heading:
        line = heading.group(1) + "\n"
    # Code spans keep their text: `{% load static %}` in a Django doc is what the user types.
    parts = _CODE_SPAN.split(line)
    for index in range(0, len(parts), 2):
        part = _SHORTCODE.sub("", parts[index])
        part = _LIQUID.sub("", part)
        part = _JSX_INLINE.sub("", part)  # <ReadMore>text</ReadMore>: the text stays
        parts[index] = _KRAMDOWN_IAL.sub("", part)
    return "".join(parts)
