"""Finding clusters fast, however many there are (internal to the miner).

A line can only fit a template whose constant parts it repeats at the same places. So each
template is filed under one of its constant parts, its *anchor* (the one shared by the fewest
templates filed so far): looking up the line's part at every position finds every template it
may fit, without scanning the others. The same holds for chunks (the text between whitespace) at the
chunk level. Templates without any constant part are few and always looked at.

Merges use a third index, by *sibling key*: a template with one word blanked out (hashed), which
gathers the clusters that differ at that one position only.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from knownfix.core.logtemplates.clusters import (
    DELIMITERS,
    Entry,
    Node,
    SiblingKey,
    larger,
    root,
)
from knownfix.core.logtemplates.matching import (
    chunk_matchers,
    chunks,
    fits_chunks,
    fits_tokens,
    literal_chunks,
)
from knownfix.core.logtemplates.tokenize import VARIABLE

MAX_SIBLING_TOKENS = 256
"""Templates longer than this never merge by sibling key (they still merge by covering)."""

Parts = Sequence[str | None]
"""A template's parts (tokens or chunks): the constant text, or None where it varies."""


class AnchorIndex:
    """Entries filed by part count, anchor position and anchor text."""

    def __init__(self) -> None:
        self._anchored: dict[tuple[int, int], dict[str, list[Entry]]] = {}
        self._bare: dict[int, list[Entry]] = {}  # templates with no constant part
        self._filed: dict[int, list[Entry]] = {}  # id(entry) -> the bucket it is in

    def add(self, parts: Parts, entry: Entry) -> None:
        """File ``entry`` under its constant part with the fewest entries so far (ties: the
        last one), so that no bucket grows with the number of templates."""
        bucket: list[Entry] | None = None
        count = len(parts)
        for position in range(count - 1, -1, -1):
            text = parts[position]
            if text is not None:
                candidate = self._anchored.setdefault((count, position), {}).setdefault(text, [])
                if bucket is None or len(candidate) < len(bucket):
                    bucket = candidate
                    if not bucket:
                        break
        if bucket is None:
            bucket = self._bare.setdefault(count, [])
        bucket.append(entry)
        self._filed[id(entry)] = bucket

    def remove(self, entry: Entry) -> None:
        self._filed.pop(id(entry)).remove(entry)

    def entries(self) -> Iterator[Entry]:
        for by_text in self._anchored.values():
            for bucket in by_text.values():
                yield from bucket
        for bucket in self._bare.values():
            yield from bucket

    def fitting(self, line: Sequence[str]) -> Iterator[Entry]:
        """Entries whose anchor ``line`` repeats: every template the line may fit."""
        count = len(line)
        yield from self._bare.get(count, ())
        for position, text in enumerate(line):
            by_text = self._anchored.get((count, position))
            if by_text is not None:
                yield from by_text.get(text, ())


class PostingIndex:
    """Live entries filed under every constant part (an inverted index), to find instances."""

    def __init__(self) -> None:
        self._postings: dict[tuple[int, int, str], dict[int, Entry]] = {}
        self._counts: dict[int, dict[int, Entry]] = {}

    def add(self, parts: Parts, entry: Entry) -> None:
        count = len(parts)
        self._counts.setdefault(count, {})[id(entry)] = entry
        for position, text in enumerate(parts):
            if text is not None:
                self._postings.setdefault((count, position, text), {})[id(entry)] = entry

    def remove(self, parts: Parts, entry: Entry) -> None:
        count = len(parts)
        del self._counts[count][id(entry)]
        for position, text in enumerate(parts):
            if text is not None:
                posting = self._postings[(count, position, text)]
                del posting[id(entry)]
                if not posting:
                    del self._postings[(count, position, text)]

    def covered(self, parts: Parts) -> list[Entry]:
        """Entries that repeat every constant part of ``parts``: the possible instances."""
        count = len(parts)
        shortest: dict[int, Entry] | None = None
        for position, text in enumerate(parts):
            if text is not None:
                posting = self._postings.get((count, position, text))
                if posting is None:
                    return []
                if shortest is None or len(posting) < len(shortest):
                    shortest = posting
        if shortest is None:
            shortest = self._counts.get(count, {})
        return list(shortest.values())


def token_parts(tokens: Sequence[str]) -> list[str | None]:
    return [None if token == VARIABLE else token for token in tokens]


def chunk_parts(entry: Entry) -> list[str | None]:
    return literal_chunks(entry.tokens, entry.spaces)


class ClusterIndex:
    """Every template a cluster ever had, for fits; the live ones, for merges."""

    def __init__(self, min_shared_words: int) -> None:
        self.min_shared_words = min_shared_words
        self._tokens = AnchorIndex()  # every entry, token level
        self._chunks = AnchorIndex()  # every entry with enough words, chunk level
        self._live_tokens = PostingIndex()
        self._live_chunks = PostingIndex()
        self.siblings: dict[SiblingKey, list[Node]] = {}

    def add(self, node: Node, crowded: int = 0) -> list[SiblingKey]:
        """Index the current template of the live cluster ``node``.

        Returns the sibling keys whose group now has at least ``crowded`` clusters (none if 0).
        """
        entry = node.entry = Entry(node)
        parts = chunk_parts(entry)
        self._file(entry, parts)
        self._live_tokens.add(token_parts(entry.tokens), entry)
        self._live_chunks.add(parts, entry)
        entry.keys = list(self.sibling_keys(node))
        full: list[SiblingKey] = []
        for key in entry.keys:
            group = self.siblings.setdefault(key, [])
            group.append(node)
            if crowded and len(group) >= crowded:
                full.append(key)
        return full

    def add_past(self, node: Node, tokens: tuple[str, ...], spaces: tuple[bool, ...]) -> None:
        """Index a template ``node`` had before (when a saved state is read back)."""
        entry = Entry(node)
        entry.tokens, entry.spaces = tokens, spaces
        self._file(entry, chunk_parts(entry))

    def _file(self, entry: Entry, parts: Parts) -> None:
        self._tokens.add(token_parts(entry.tokens), entry)
        if self.trusted_for_chunks(entry.tokens):
            self._chunks.add(parts, entry)

    def past(self) -> Iterator[Entry]:
        """The entries of templates that are no longer live."""
        return (entry for entry in self._tokens.entries() if not entry.current())

    def retire(self, node: Node) -> None:
        """``node``'s template is about to change or the cluster to merge: it stops being live.

        Its entry stays findable for the lines that fitted it.
        """
        entry = node.entry
        if entry is None:
            return
        self._live_tokens.remove(token_parts(entry.tokens), entry)
        self._live_chunks.remove(chunk_parts(entry), entry)
        for key in entry.keys:
            group = self.siblings[key]
            group.remove(node)
            if not group:
                del self.siblings[key]
        entry.keys = []

    def trusted_for_chunks(self, tokens: tuple[str, ...]) -> bool:
        """Whether a template has the constant words to take lines chunk by chunk.

        ``<*>...`` would take any ``word...``: only a template with ``min_shared_words``
        constant words is trusted to say what a chunk's structure may be.
        """
        words = sum(1 for t in tokens if t != VARIABLE and t not in DELIMITERS)
        return words >= self.min_shared_words

    def sibling_keys(self, node: Node) -> Iterator[SiblingKey]:
        """One key per constant word of the template, with that word blanked out.

        A key holds hashes of the tokens before and after the word (linear time for the whole
        template); a group is checked token by token before it is merged (see ``siblings_of``).
        """
        if node.words() <= self.min_shared_words:
            return  # too little left besides the blanked word to call it a template
        tokens = node.tokens
        count = len(tokens)
        if count > MAX_SIBLING_TOKENS:
            return  # keep huge lines cheap
        before = [0] * (count + 1)
        for index, token in enumerate(tokens):
            before[index + 1] = hash((before[index], token))
        after = 0
        keys: list[SiblingKey] = []
        for index in range(count - 1, -1, -1):
            token = tokens[index]
            if token != VARIABLE and token not in DELIMITERS:
                keys.append((count, index, before[index], after))
            after = hash((token, after))
        yield from reversed(keys)

    def siblings_of(self, node: Node, key: SiblingKey) -> list[Node]:
        """The clusters filed under ``key`` whose templates equal ``node``'s but at its word."""
        index = key[1]
        tokens = node.tokens
        return [
            other
            for other in self.siblings.get(key, ())
            if other.tokens[:index] == tokens[:index]
            and other.tokens[index + 1 :] == tokens[index + 1 :]
        ]

    def fitting(self, tokens: tuple[str, ...], spaces: tuple[bool, ...]) -> Node | None:
        """The largest cluster ``tokens`` fits, token by token or else chunk by chunk."""
        best: Node | None = None
        for entry in self._tokens.fitting(tokens):
            if fits_tokens(tokens, entry.tokens):
                best = larger(best, root(entry.node))
        if best is not None:
            return best
        line = chunks(tokens, spaces)
        for entry in self._chunks.fitting(line):
            if fits_chunks(line, entry.matchers()):
                best = larger(best, root(entry.node))
        return best

    def instances(self, tokens: tuple[str, ...], spaces: tuple[bool, ...]) -> list[Node]:
        """The live clusters whose template is an instance of this one (token or chunk level)."""
        found: dict[int, Node] = {}
        for entry in self._live_tokens.covered(token_parts(tokens)):
            if fits_tokens(entry.tokens, tokens):
                found[id(entry.node)] = entry.node
        if self.trusted_for_chunks(tokens):
            candidates = [
                entry
                for entry in self._live_chunks.covered(literal_chunks(tokens, spaces))
                if id(entry.node) not in found
            ]
            matchers = chunk_matchers(tokens, spaces) if candidates else ()
            for entry in candidates:
                if fits_chunks(entry.chunks(), matchers):
                    found[id(entry.node)] = entry.node
        return list(found.values())
