"""The miner's clusters (internal to the miner): a template and a size, merged by union-find.

A cluster's template is its tokens and the whitespace before each. An :class:`Entry` records a
template as it was when indexed; :mod:`.index` files entries so that lines find them.
"""

from __future__ import annotations

from typing import NamedTuple

from knownfix.core.logtemplates.matching import ChunkMatcher, chunk_matchers, chunks
from knownfix.core.logtemplates.tokenize import VARIABLE, render

DELIMITERS = frozenset("=:,;|()[]{}\"'")

SiblingKey = tuple[int, int, int, int]
"""Token count, blanked position, and hashes of the tokens before and after it."""


class TemplateMatch(NamedTuple):
    """Where a line went: its cluster, the cluster's current template, and whether it is new."""

    cluster_id: str
    template: str
    is_new: bool


class Cluster(NamedTuple):
    """A template and how many lines it has seen."""

    id: str
    template: str
    size: int


class Node:
    """One cluster. ``parent`` is set once it has been merged into another (union-find)."""

    __slots__ = ("number", "id", "tokens", "spaces", "size", "parent", "entry", "_text", "_match")

    def __init__(self, number: int, tokens: tuple[str, ...], spaces: tuple[bool, ...]) -> None:
        self.number = number
        self.id = f"T{number}"
        self.tokens = tokens
        self.spaces = spaces
        self.size = 0
        self.parent: Node | None = None
        self.entry: Entry | None = None  # the index entry of the current template
        self._text: str | None = None
        self._match: TemplateMatch | None = None

    def template(self) -> str:
        if self._text is None:
            self._text = render(self.tokens, self.spaces)
        return self._text

    def matched(self) -> TemplateMatch:
        """What ``add`` or ``match`` says of a line in this cluster (made once per template)."""
        if self._match is None:
            self._match = TemplateMatch(self.id, self.template(), False)
        return self._match

    def words(self) -> int:
        """How many constant words (not variables, not delimiters) the template has."""
        return sum(1 for t in self.tokens if t != VARIABLE and t not in DELIMITERS)

    def set_template(self, tokens: tuple[str, ...], spaces: tuple[bool, ...]) -> None:
        self.tokens = tokens
        self.spaces = spaces
        self._text = None
        self._match = None


class Entry:
    """A template as it was when indexed, and the cluster it led to.

    Entries outlive template changes and merges: a line that fitted a template once fits its
    entry forever, and the entry's cluster (through :func:`root`) is where the line went.
    """

    __slots__ = ("tokens", "spaces", "node", "keys", "_matchers", "_chunks")

    def __init__(self, node: Node) -> None:
        self.tokens = node.tokens
        self.spaces = node.spaces
        self.node = node
        self.keys: list[SiblingKey] = []  # the sibling keys it is filed under while live
        self._matchers: tuple[ChunkMatcher, ...] | None = None
        self._chunks: tuple[str, ...] | None = None

    def matchers(self) -> tuple[ChunkMatcher, ...]:
        if self._matchers is None:
            self._matchers = chunk_matchers(self.tokens, self.spaces)
        return self._matchers

    def chunks(self) -> tuple[str, ...]:
        if self._chunks is None:
            self._chunks = chunks(self.tokens, self.spaces)
        return self._chunks

    def current(self) -> bool:
        """Whether this is the live template of a live cluster."""
        return self.node.entry is self and self.node.parent is None


def root(node: Node) -> Node:
    """The live cluster ``node`` was merged into (itself if live), compressing the path."""
    top = node
    while top.parent is not None:
        top = top.parent
    while node.parent is not None and node.parent is not top:
        node.parent, node = top, node.parent
    return top


def larger(best: Node | None, other: Node) -> Node:
    """The larger cluster; the older one when they are the same size."""
    if (
        best is None
        or other.size > best.size
        or (other.size == best.size and other.number < best.number)
    ):
        return other
    return best
