"""Inline tokens → text, in two flavours.

``plain``: what a reader sees, code spans unwrapped — used for symptoms (literal error strings that
matching compares with logs) and titles. ``lite``: light Markdown that keeps code spans and links
but drops emphasis — used for prose (root cause, resolution), where the backticks tell a reader
what is a command or an identifier.
"""

from __future__ import annotations

from knownfix.core.docparse.blocks import Inline

_BREAKS = frozenset({"softbreak", "hardbreak"})


def plain(inline: Inline) -> str:
    """The visible text of ``inline``: code spans unwrapped, links reduced to their text, a soft
    line break read as the space it renders as."""
    out: list[str] = []
    for token in inline:
        kind = token.type
        if kind in {"text", "code_inline", "html_inline", "text_special"}:
            out.append(token.content)
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("\n")
        elif kind == "image":
            out.append(token.content)
    return "".join(out)


def lite(inline: Inline) -> str:
    """Light Markdown for ``inline``: code spans keep their backticks, links their targets."""
    out: list[str] = []
    href_stack: list[str | None] = []
    for token in inline:
        kind = token.type
        if kind in {"text", "html_inline", "text_special"}:
            out.append(token.content)
        elif kind == "code_inline":
            out.append(code_span(token.content, token.markup))
        elif kind in _BREAKS:
            out.append("\n")
        elif kind == "image":
            out.append(token.content)
        elif kind == "link_open":
            href = str(token.attrs.get("href", ""))
            if token.markup == "autolink":
                out.append("<")
                href_stack.append(None)
            else:
                out.append("[")
                href_stack.append(href)
        elif kind == "link_close":
            target = href_stack.pop() if href_stack else None
            out.append(">" if target is None else f"]({target})")
    return "".join(out)


def code_span(content: str, markup: str = "`") -> str:
    """A code span that reads back as ``content`` (pads when it starts/ends with a backtick)."""
    run = len(markup) if markup and set(markup) == {"`"} else 1
    while "`" * run in content:
        run += 1
    ticks = "`" * run
    needs_pad = content.startswith("`") or content.endswith("`") or (
        content.startswith(" ") and content.endswith(" ") and content.strip(" ") != ""
    )
    pad = " " if needs_pad else ""
    return f"{ticks}{pad}{content}{pad}{ticks}"


def split_at_breaks(inline: Inline) -> list[Inline]:
    """One inline list per source line; each line after the first starts with its break token."""
    lines: list[Inline] = [[]]
    for token in inline:
        if token.type in _BREAKS:
            lines.append([token])
        else:
            lines[-1].append(token)
    return lines


def is_only_code(inline: Inline) -> bool:
    """True when ``inline`` is one code span, give or take surrounding whitespace."""
    meaningful = [t for t in inline if not (t.type == "text" and not t.content.strip())]
    return len(meaningful) == 1 and meaningful[0].type == "code_inline"


def strip_inline(inline: Inline) -> Inline:
    """``inline`` without leading breaks and empty/whitespace text tokens."""
    start = 0
    while start < len(inline) and (
        inline[start].type in _BREAKS
        or (inline[start].type == "text" and not inline[start].content.strip())
    ):
        start += 1
    return inline[start:]
