"""Chunks of lines → a stream of sections: each heading with the blocks directly under it.

A ``Node`` holds only its own blocks (up to the next heading of any level), so the reader can
decide about one small piece at a time; the nesting is given by ``level`` and rebuilt by the
reader with a stack. Text before the first heading is a level-0 node.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from knownfix.core.docparse.blocks import Block, Heading, Inline, parse_blocks
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
    """A heading's text as a title: no emoji decoration, no "3." numbering, single spaces."""
    return strip_numbering(collapse_spaces(strip_decoration(plain(inline))))


def iter_nodes(chunks: Iterable[Chunk]) -> Iterator[Node]:
    """Sections in document order; a section may continue across chunk boundaries."""
    current = Node(level=0, title="", line=1)
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
            else:
                if current.level == 0 and not current.blocks:
                    current.line = block.line
                current.blocks.append(block)
    if current.level > 0 or current.blocks:
        yield current
