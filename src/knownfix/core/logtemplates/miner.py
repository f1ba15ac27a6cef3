"""The online template miner: lines arrive one at a time, templates only ever generalize.

Each message is tokenized (:mod:`.tokenize`), which already masks the obvious variables (numbers,
ids, addresses, paths, dates, ``key=value`` values). Then:

1. Identical token sequences share a cluster (dictionary hits: the fast path for almost every
   line of a real log).
2. A new sequence joins the largest cluster whose template it fits: token by token (same
   length, every constant equal, anything where the template has ``<*>``), or else chunk by
   chunk between whitespace (:mod:`.matching`: ``<*>,`` takes ``LOCAL(127.0.0.1),``).
3. Otherwise it starts a cluster; if its template has variables it takes over the clusters
   whose templates are instances of it.
4. A word position becomes a variable when ``variable_threshold`` (3) clusters have templates
   equal everywhere but there, with at least ``min_shared_words`` (2) other constant words:
   three users after ``session closed for user`` make the user a variable, while ``session
   opened``/``session closed`` stay two templates. Values that are Capitalized or UPPER-case
   words do not count (enumerations: ``GET``/``POST``, ``Started``/``Stopped``), and at the
   first position only compound names do (``com.apple.a``/``com.apple.b``, not verbs).

There is no similarity threshold and nothing per log type: these defaults are the one generic
configuration. Clusters only merge, into the oldest, and their ids are ``T1``, ``T2`` … in order
of first appearance, so an id once returned stays valid (it may come to name a more general
template: :meth:`TemplateMiner.cluster` resolves it). Because templates generalize as lines
arrive, learning every line first and then calling ``match`` gives each line its final
template (what ``knownfix logs cluster`` does).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import TypeVar

from knownfix.core.logtemplates.clusters import Cluster, Node, SiblingKey, TemplateMatch, root
from knownfix.core.logtemplates.index import ClusterIndex
from knownfix.core.logtemplates.state import STATE_VERSION, read_state
from knownfix.core.logtemplates.tokenize import VARIABLE, TokenizedLine, tokenize
from knownfix.errors import InputError

_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_Key = TypeVar("_Key", str, bytes, TokenizedLine)


@dataclass(frozen=True)
class MinerConfig:
    """The miner's only knobs; the defaults are the one generic configuration."""

    variable_threshold: int = 3
    """Clusters differing at one position that make the position a variable."""
    min_shared_words: int = 2
    """Constant words the merged clusters must share besides the varying position."""
    max_cached_lines: int = 100_000
    """Lines (and line shapes) remembered for the fast path: a cache, no effect on results."""

    def __post_init__(self) -> None:
        if self.variable_threshold < 2:
            raise InputError("miner config: variable_threshold must be at least 2")
        if self.min_shared_words < 0 or self.max_cached_lines < 1:
            raise InputError(
                "miner config: min_shared_words must be >= 0 and max_cached_lines >= 1"
            )


class TemplateMiner:
    """Groups log messages into templates, online; no I/O, state is plain data."""

    def __init__(self, config: MinerConfig | None = None) -> None:
        self.config = config or MinerConfig()
        self.lines = 0
        self._nodes: list[Node] = []
        self._index = ClusterIndex(self.config.min_shared_words)
        # Caches, from the cheapest key to the dearest: the line itself; its digit-blind form
        # (lines that differ only in digits tokenize alike: no rule asks which digit it is);
        # its tokens and spacing. Each maps to a cluster that may since have merged (root()).
        self._lines: dict[str, Node] = {}
        self._shapes: dict[bytes, Node] = {}
        self._patterns: dict[TokenizedLine, Node] = {}

    # -- public API -------------------------------------------------------------------------

    def add(self, content: str) -> TemplateMatch:
        """Learn one message and say which cluster it belongs to now."""
        self.lines += 1
        node = self._lines.get(content)
        if node is None:
            return self._add_new(content)
        if node.parent is not None:
            node = self._lines[content] = root(node)
        node.size += 1
        return node.matched()

    def match(self, content: str) -> TemplateMatch | None:
        """The cluster a message fits now, without learning from it; None if none fits."""
        node = self._lines.get(content) or self._shapes.get(_shape(content))
        if node is None:
            line = tokenize(content)
            node = self._patterns.get(line) or self._index.fitting(*line)
            if node is None:
                return None
        return root(node).matched()

    def templates(self) -> list[Cluster]:
        """Every current cluster, in order of first appearance."""
        return [Cluster(n.id, n.template(), n.size) for n in self._live()]

    def cluster(self, cluster_id: str) -> Cluster | None:
        """The current cluster behind ``cluster_id`` (merged ids give their new cluster)."""
        number = int(cluster_id[1:]) if cluster_id[1:].isdigit() else 0
        if not cluster_id.startswith("T") or not 1 <= number <= len(self._nodes):
            return None
        node = root(self._nodes[number - 1])
        return Cluster(node.id, node.template(), node.size)

    def to_state(self) -> dict[str, object]:
        """The miner as JSON-able data (no pickle); :meth:`from_state` reads it back."""
        return {
            "version": STATE_VERSION,
            "config": asdict(self.config),
            "lines": self.lines,
            "next_number": len(self._nodes) + 1,
            "clusters": [
                {
                    "number": n.number,
                    "tokens": list(n.tokens),
                    "spaces": [int(s) for s in n.spaces],
                    "size": n.size,
                }
                for n in self._live()
            ],
            "merged": [[n.number, root(n).number] for n in self._nodes if n.parent is not None],
            "past": [
                {
                    "number": e.node.number,
                    "tokens": list(e.tokens),
                    "spaces": [int(s) for s in e.spaces],
                }
                for e in self._index.past()
            ],
        }

    @classmethod
    def from_state(cls, state: dict[str, object]) -> TemplateMiner:
        """Rebuild a miner saved by :meth:`to_state`; raises InputError on malformed state."""
        saved = read_state(state)
        try:
            miner = cls(MinerConfig(**saved.config))
        except TypeError as error:
            raise InputError(f"template miner state: bad config: {error}") from None
        miner.lines = saved.lines
        miner._nodes = [Node(number, (), ()) for number in range(1, saved.next_number)]
        for number, tokens, spaces, size in saved.clusters:
            node = miner._nodes[number - 1]
            node.set_template(tokens, spaces)
            node.size = size
            miner._index.add(node)
        for number, into in saved.merged.items():
            miner._nodes[number - 1].parent = miner._nodes[into - 1]
        for number, tokens, spaces, _ in saved.past:
            miner._index.add_past(miner._nodes[number - 1], tokens, spaces)
        return miner

    # -- learning ---------------------------------------------------------------------------

    def _live(self) -> Iterator[Node]:
        return (n for n in self._nodes if n.parent is None)

    def _add_new(self, content: str) -> TemplateMatch:
        """``add`` for a line not seen verbatim before (the line count is already updated)."""
        shape = _shape(content)
        node = self._shapes.get(shape)
        is_new = False
        if node is None:
            line = tokenize(content)
            tokens, spaces = line
            node = self._patterns.get(line)
            if node is None:
                node = self._index.fitting(tokens, spaces)
                if node is None:
                    node = self._create(tokens, spaces)
                    is_new = node.number == len(self._nodes)
            self._remember(self._patterns, line, node)
            self._remember(self._shapes, shape, node)
        node = root(node)
        self._remember(self._lines, content, node)
        node.size += 1
        return TemplateMatch(node.id, node.template(), True) if is_new else node.matched()

    def _remember(self, cache: dict[_Key, Node], key: _Key, node: Node) -> None:
        if len(cache) >= self.config.max_cached_lines:
            cache.clear()  # a cache: forgetting costs time, never results
        cache[key] = node

    def _create(self, tokens: tuple[str, ...], spaces: tuple[bool, ...]) -> Node:
        """A new cluster for a line no template fits, merged with what it makes variable."""
        node = Node(len(self._nodes) + 1, tokens, spaces)
        self._nodes.append(node)
        crowded = self._index.add(node, self.config.variable_threshold)
        if VARIABLE in tokens and node.words() >= self.config.min_shared_words:
            # A new, more general template takes over the clusters it covers.
            covered = self._index.instances(tokens, spaces)
            if len(covered) > 1:
                node = self._absorb(covered, tokens, spaces)
                crowded = self._crowded(node)
        while crowded:
            node, crowded = self._merge_siblings(node, crowded)
        return node

    def _crowded(self, node: Node) -> list[SiblingKey]:
        threshold = self.config.variable_threshold
        siblings = self._index.siblings
        entry = node.entry
        keys = entry.keys if entry is not None else []
        return [key for key in keys if len(siblings.get(key, ())) >= threshold]

    def _merge_siblings(
        self, node: Node, crowded: list[SiblingKey]
    ) -> tuple[Node, list[SiblingKey]]:
        """Merge ``node`` with the siblings of the first crowded key whose values vary."""
        for key in crowded:
            index = key[1]
            group = self._index.siblings_of(node, key)
            if self._is_variable(index, group):
                general = node.tokens[:index] + (VARIABLE,) + node.tokens[index + 1 :]
                node = self._absorb(group, general, node.spaces)
                return node, self._crowded(node)
        return node, []

    def _is_variable(self, index: int, group: list[Node]) -> bool:
        """Whether the values of ``group`` at ``index`` look like a variable's values."""
        threshold = self.config.variable_threshold
        if len(group) < threshold:
            return False
        evidence = _compound_value if index == 0 else _variable_value
        return sum(1 for node in group if evidence(node.tokens[index])) >= threshold

    def _absorb(self, group: list[Node], tokens: tuple[str, ...], spaces: tuple[bool, ...]) -> Node:
        """Merge ``group`` and every cluster the new template covers into the oldest one."""
        members = {id(n): n for n in group}
        for other in self._index.instances(tokens, spaces):
            members[id(other)] = other
        survivor = min(members.values(), key=lambda n: n.number)
        for member in members.values():
            self._index.retire(member)
            if member is not survivor:
                member.parent = survivor
                survivor.size += member.size
                member.size = 0
        survivor.set_template(tokens, spaces)
        self._index.add(survivor)
        return survivor


def _shape(content: str) -> bytes:
    """The line with every digit made 0 (as UTF-8 bytes: translating bytes is much faster)."""
    return content.encode("utf-8", "surrogatepass").translate(_DIGITS_AS_ZERO)


_ENUM_WORD = re.compile(r"[A-Z][a-z]*(?:[A-Z][a-z]*)*|[A-Z][A-Z_]*")
_COMPOUND = re.compile(r"[^A-Za-z]")


def _variable_value(token: str) -> bool:
    """A value that may be a variable's: not a Capitalized or UPPER-case word.

    Capitalized and upper-case words in a message are, far more often than not, an enumeration
    (GET/POST, Started/Stopped, LOOKING/LEADING); user, host and file names are lower-case or
    compound.
    """
    return _ENUM_WORD.fullmatch(token) is None


def _compound_value(token: str) -> bool:
    """A value with punctuation inside (``com.apple.x``, ``user_dir``): a name, not a verb.

    The first word of a message is its verb or its subject's kind far more often than a
    variable, so only compound names make it one.
    """
    return _COMPOUND.search(token) is not None
