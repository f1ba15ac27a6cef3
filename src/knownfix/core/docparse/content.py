"""A field's blocks → the text, items, steps and commands a known issue stores.

The text forms are light Markdown (see ``inline.lite``) written so that rendering them back into a
document and reading them again gives the same text: the canonical format relies on it.
"""

from __future__ import annotations

from collections.abc import Iterator

from knownfix.core.docparse.blocks import (
    Block,
    Fence,
    Heading,
    Html,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Rule,
    Table,
)
from knownfix.core.docparse.inline import lite, plain

VERBATIM = "verbatim"  # fence info that means "this is the field's text, exactly"


def fence_text(fence: Fence) -> str:
    """The code of a fence without its final line end."""
    return fence.content[:-1] if fence.content.endswith("\n") else fence.content


def fence_markdown(info: str, code: str) -> str:
    """A fence that reads back as ``code`` (longer than any backtick run inside)."""
    ticks = "```"
    while ticks in code:
        ticks += "`"
    return f"{ticks}{info}\n{code}\n{ticks}" if code else f"{ticks}{info}\n{ticks}"


def _indent(text: str, width: int) -> str:
    pad = " " * width
    return "\n".join(pad + line if line else line for line in text.split("\n"))


def format_list(items: list[str], *, ordered: bool, start: int = 1) -> str:
    """Items as a Markdown list; continuation lines indented under their marker."""
    out: list[str] = []
    for index, item in enumerate(items):
        marker = f"{start + index}." if ordered else "-"
        body = _indent(item, len(marker) + 1).lstrip(" ") if item else ""
        out.append(f"{marker} {body}".rstrip())
    return "\n".join(out)


def block_text(block: Block, *, fences: bool = True, numbered: bool = False) -> str:
    """One block as light Markdown. ``fences=False`` leaves code out (it went to commands);
    ``numbered`` writes every list as numbered steps."""
    if isinstance(block, Paragraph):
        return lite(block.inline).strip()
    if isinstance(block, ListBlock):
        items = [item_text(item, fences=fences) for item in block.items]
        return format_list(items, ordered=block.ordered or numbered, start=block.start)
    if isinstance(block, Fence):
        return fence_markdown(block.info, fence_text(block)) if fences else ""
    if isinstance(block, Table):
        return _table_text(block)
    if isinstance(block, Quote):
        inner = blocks_text(block.blocks, fences=fences)
        return "\n".join(f"> {line}".rstrip() for line in inner.split("\n"))
    if isinstance(block, Heading):
        return lite(block.inline).strip()
    if isinstance(block, Html):
        return block.content.strip()
    if isinstance(block, Rule):
        return ""
    return ""


def item_text(item: ListItem, *, fences: bool = True) -> str:
    """A list item's text: its paragraphs and nested lists, one after the other."""
    parts = [block_text(b, fences=fences) for b in item.blocks]
    return "\n".join(p for p in parts if p)


def blocks_text(blocks: list[Block], *, fences: bool = True, numbered: bool = False) -> str:
    """Blocks as light Markdown, separated by blank lines."""
    parts = [block_text(b, fences=fences, numbered=numbered) for b in blocks]
    return "\n\n".join(p for p in parts if p)


def _table_text(table: Table) -> str:
    header = [plain(cell).strip() for cell in table.header]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in table.rows:
        lines.append("| " + " | ".join(plain(cell).strip() for cell in row.cells) + " |")
    return "\n".join(lines)


def fences_in(blocks: list[Block]) -> Iterator[Fence]:
    """Every fence in ``blocks``, nested ones included, in document order."""
    for block in blocks:
        if isinstance(block, Fence):
            yield block
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from fences_in(item.blocks)
        elif isinstance(block, Quote):
            yield from fences_in(block.blocks)


def top_list_items(blocks: list[Block]) -> Iterator[ListItem]:
    """The items of the lists directly in ``blocks`` (not nested ones)."""
    for block in blocks:
        if isinstance(block, ListBlock):
            yield from block.items


def plain_items(blocks: list[Block]) -> Iterator[tuple[str, Block | ListItem]]:
    """Plain-text items for list-like fields (symptoms): each list item (nested ones too), each
    paragraph, each fence's code. Yields the text and where it came from."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield plain(block.inline).strip(), block
        elif isinstance(block, ListBlock):
            for item in block.items:
                own = [b for b in item.blocks if isinstance(b, Paragraph)]
                for paragraph in own:
                    yield plain(paragraph.inline).strip(), item
                yield from plain_items([b for b in item.blocks if not isinstance(b, Paragraph)])
        elif isinstance(block, Fence):
            yield fence_text(block), block
        elif isinstance(block, Quote):
            yield from plain_items(block.blocks)
