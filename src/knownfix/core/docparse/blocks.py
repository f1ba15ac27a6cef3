"""markdown-it token stream → a small tree of blocks with absolute line numbers.

The rest of the importer works on these blocks (paragraphs, lists, fences, tables …) rather than on
flat tokens, so that "the list right after a bold label" is a question about neighbours, not about
token indices. Inline content stays as markdown-it tokens: code spans must survive verbatim.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, Union

from markdown_it import MarkdownIt
from markdown_it.token import Token

Inline = list[Token]


@dataclass(slots=True)
class Heading:
    line: int
    level: int
    inline: Inline


@dataclass(slots=True)
class Paragraph:
    line: int
    inline: Inline


@dataclass(slots=True)
class ListItem:
    line: int
    blocks: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class ListBlock:
    line: int
    ordered: bool
    start: int
    items: list[ListItem] = field(default_factory=list)


@dataclass(slots=True)
class Fence:
    line: int
    info: str
    content: str


@dataclass(slots=True)
class TableRow:
    """A body row: its line as written; ``cells`` padded or cut to the header's ``width``.

    Only the line is kept: the cells are split and parsed when asked for, so a table of
    100,000 rows costs its text, not a million markdown-it tokens held until its section ends.
    """

    line: int
    raw: str
    width: int
    env: dict[str, Any]  # markdown-it's environment of the chunk (link reference definitions)

    @property
    def raw_cells(self) -> list[str]:
        """The cells as written (GFM: unescaped pipes separate cells)."""
        return split_row(self.raw)

    @property
    def cells(self) -> list[Inline]:
        """Each cell's inline tokens, padded with empty cells or cut to the header's width."""
        raw = self.raw_cells[: self.width]
        return [_inline(text, self.env) for text in raw] + [[]] * (self.width - len(raw))


@dataclass(slots=True)
class Table:
    line: int
    header: list[Inline]
    rows: list[TableRow] = field(default_factory=list)


@dataclass(slots=True)
class Quote:
    line: int
    blocks: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class Rule:
    line: int


@dataclass(slots=True)
class Html:
    line: int
    content: str


Block = Union[Heading, Paragraph, ListBlock, Fence, Table, Quote, Rule, Html]  # noqa: UP007

_PIPE = re.compile(r"(?<!\\)\|")


@functools.cache
def _parser() -> MarkdownIt:
    # Built on first use (no import-time work); CommonMark plus GitHub tables.
    return MarkdownIt("commonmark").enable("table")


@functools.cache
def _block_parser() -> MarkdownIt:
    # Blocks only: inline content is parsed where a block is built (_inline), and a table's
    # body cells only when they are read.
    return MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])


LONG_INLINE = 20_000
"""Inline text longer than this (a paragraph of 20,000 characters) is read as plain text: its
markup is not interpreted, so 1 MB of ``*_*_`` cannot become a million emphasis tokens."""


def _inline(text: str, env: dict[str, Any]) -> Inline:
    """The inline tokens of ``text``, as markdown-it's own pass would give them."""
    if len(text) > LONG_INLINE:
        return [Token("text", "", 0, content=text)]
    tokens = _parser().parseInline(text, env)
    return (tokens[0].children or []) if tokens else []


def parse_blocks(lines: list[str], first_line: int) -> list[Block]:
    """Parse ``lines`` (one chunk) into blocks whose ``line`` is 1-based in the whole document."""
    env: dict[str, Any] = {}
    tokens = _block_parser().parse("".join(lines), env)
    builder = _Builder(tokens, lines, first_line, env)
    return builder.blocks(None)


def split_row(text: str) -> list[str]:
    """The cells of a raw table row as written (GFM: unescaped pipes separate cells)."""
    body = text.strip()
    body = body.removeprefix("|")
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [cell.strip() for cell in _PIPE.split(body)]


class _Builder:
    """Recursive descent over the flat token list (open/close pairs nest)."""

    def __init__(
        self, tokens: list[Token], lines: list[str], first_line: int, env: dict[str, Any]
    ) -> None:
        self.tokens = tokens
        self.lines = lines
        self.offset = first_line
        self.env = env
        self.i = 0

    def inline_at(self, index: int) -> Inline:
        return _inline(self.tokens[index].content, self.env)

    def line_of(self, token: Token) -> int:
        return self.offset + (token.map[0] if token.map else 0)

    def blocks(self, close: str | None) -> list[Block]:
        out: list[Block] = []
        while self.i < len(self.tokens):
            token = self.tokens[self.i]
            if close is not None and token.type == close:
                self.i += 1
                return out
            block = self.block(token)
            if block is not None:
                out.append(block)
        return out

    def block(self, token: Token) -> Block | None:
        kind = token.type
        line = self.line_of(token)
        if kind == "heading_open":
            inline = self.inline_at(self.i + 1)
            self.i += 3
            return Heading(line=line, level=int(token.tag[1:]), inline=inline)
        if kind == "paragraph_open":
            inline = self.inline_at(self.i + 1)
            self.i += 3
            return Paragraph(line=line, inline=inline)
        if kind in {"bullet_list_open", "ordered_list_open"}:
            return self.list_block(token, line)
        if kind in {"fence", "code_block"}:
            self.i += 1
            return Fence(line=line, info=token.info.strip(), content=token.content)
        if kind == "table_open":
            return self.table(line)
        if kind == "blockquote_open":
            self.i += 1
            return Quote(line=line, blocks=self.blocks("blockquote_close"))
        if kind == "hr":
            self.i += 1
            return Rule(line=line)
        if kind == "html_block":
            self.i += 1
            return Html(line=line, content=token.content)
        self.i += 1  # a stray close token or something we do not model
        return None

    def list_block(self, token: Token, line: int) -> ListBlock:
        ordered = token.type == "ordered_list_open"
        close = "ordered_list_close" if ordered else "bullet_list_close"
        start = int(token.attrs.get("start", 1) or 1) if ordered else 1
        result = ListBlock(line=line, ordered=ordered, start=start)
        self.i += 1
        while self.i < len(self.tokens):
            item = self.tokens[self.i]
            if item.type == close:
                self.i += 1
                break
            if item.type == "list_item_open":
                self.i += 1
                result.items.append(
                    ListItem(line=self.line_of(item), blocks=self.blocks("list_item_close"))
                )
            else:
                self.i += 1
        return result

    def table(self, line: int) -> Table:
        header: list[Inline] = []
        rows: list[TableRow] = []
        row_line = line
        in_head = False
        self.i += 1
        while self.i < len(self.tokens):
            token = self.tokens[self.i]
            self.i += 1
            if token.type == "table_close":
                break
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open":
                row_line = self.line_of(token)
            elif token.type == "inline" and in_head:
                header.append(_inline(token.content, self.env))
            elif token.type == "tr_close" and not in_head:
                raw = self.lines[row_line - self.offset] if row_line >= self.offset else ""
                rows.append(TableRow(line=row_line, raw=raw, width=len(header), env=self.env))
        return Table(line=line, header=header, rows=rows)
