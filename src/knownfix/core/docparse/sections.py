"""Chunks of lines → a stream of sections: each heading with the blocks directly under it.

A ``Node`` holds only its own blocks (up to the next heading of any level), so the reader can
decide about one small piece at a time; the nesting is given by ``level`` and rebuilt by the
reader with a stack. Text before the first heading is a level-0 node.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from markdown_it.token import Token

from knownfix.core.docparse.blocks import (
    Block,
    Heading,
    Inline,
    ListBlock,
    Paragraph,
    Quote,
    parse_blocks,
)
from knownfix.core.docparse.chunks import Chunk
from knownfix.core.docparse.cleanup import collapse_spaces, strip_decoration
from knownfix.core.docparse.ids import strip_numbering
from knownfix.core.docparse.inline import plain


@dataclass
class Node:
    """A heading (or the text before the first one) and the blocks up to the next heading."""

    level: int
    title: str
    line: int
    inline: Inline = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


def heading_title(inline: Inline) -> str:
    """A heading's text as a title: no emoji decoration, no "3." numbering, single spaces, no
    inline HTML (``## <a name="failure-logs"></a> Locate failure logs``: an anchor)."""
    text = [t for t in inline if t.type != "html_inline"]
    return strip_numbering(collapse_spaces(strip_decoration(plain(text))))


MAX_SECTION_TOKENS = 50_000
"""Inline tokens one section keeps (about 15 MB); past them, the section's further paragraphs,
lists and quotes are kept as plain text (their words stay, their emphasis, links and list
structure go), so a section of a million emphasis markers or list items cannot hold gigabytes
until it ends."""


def iter_nodes(chunks: Iterable[Chunk]) -> Iterator[Node]:
    """Sections in document order; a section may continue across chunk boundaries."""
    current = Node(level=0, title="", line=1)
    tokens = 0
    for chunk in chunks:
        for block in parse_blocks(chunk.lines, chunk.start):
            if isinstance(block, Heading):
                if current.level > 0 or current.blocks:
                    yield current
                current = Node(
                    level=block.level,
                    title=heading_title(block.inline),
                    line=block.line,
                    inline=block.inline,
                )
                tokens = 0
            else:
                if current.level == 0 and not current.blocks:
                    current.line = block.line
                if tokens > MAX_SECTION_TOKENS:
                    block = flatten(block)
                tokens += weight(block)
                current.blocks.append(block)
    if current.level > 0 or current.blocks:
        yield current


def weight(block: Block) -> int:
    """How many inline tokens ``block`` holds (its paragraphs' and list items', nested)."""
    if isinstance(block, Paragraph):
        return len(block.inline)
    if isinstance(block, ListBlock):
        return sum(weight(inner) for item in block.items for inner in item.blocks)
    if isinstance(block, Quote):
        return sum(weight(inner) for inner in block.blocks)
    return 0


def flatten(block: Block) -> Block:
    """``block`` with its text kept as one plain-text token: a paragraph, list or quote becomes
    a paragraph of its words (list items one per line); other blocks stay as they are."""
    if isinstance(block, Paragraph | ListBlock | Quote):
        return Paragraph(line=block.line, inline=[Token("text", "", 0, content=_text(block))])
    return block


def _text(block: Block) -> str:
    if isinstance(block, Paragraph):
        return plain(block.inline)
    if isinstance(block, ListBlock):
        return "\n".join(" ".join(_text(inner) for inner in item.blocks) for item in block.items)
    if isinstance(block, Quote):
        return "\n".join(_text(inner) for inner in block.blocks)
    return ""
