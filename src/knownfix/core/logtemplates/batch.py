"""Two passes over a log: learn every line, then give each line its final template.

Templates generalize as lines arrive, so the template a line got when it was learned may not be
the one it ends up in. Reading the lines twice (learn, then match) gives every line its final
template and cluster. The lines come from the caller (files, stdin, lists): nothing here reads.

Each string is one line, with or without its ending (``\\n``, ``\\r\\n`` or ``\\r``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from knownfix.core.logtemplates.headers import HeaderFormat
from knownfix.core.logtemplates.miner import TemplateMiner


class LineTemplate(NamedTuple):
    """The final template of one line: 1-based line number, cluster id and template text."""

    line: int
    cluster: str
    template: str


def messages(lines: Iterable[str], header: HeaderFormat | None = None) -> Iterator[str]:
    """The message of each line: its ``Content`` under ``header``, else the line itself."""
    for line in lines:
        text = line.rstrip("\r\n")
        yield header.split(text).content if header is not None else text


def learn_lines(
    miner: TemplateMiner, lines: Iterable[str], header: HeaderFormat | None = None
) -> int:
    """Add every line's message to ``miner`` (the first pass); return how many lines there were."""
    count = 0
    for content in messages(lines, header):
        miner.add(content)
        count += 1
    return count


def assign_lines(
    miner: TemplateMiner, lines: Iterable[str], header: HeaderFormat | None = None
) -> Iterator[LineTemplate]:
    """The final template of each line (the second pass, over the same lines).

    A line the miner has not learned (the input changed between the passes) is learned now.
    """
    for number, content in enumerate(messages(lines, header), start=1):
        found = miner.match(content) or miner.add(content)
        yield LineTemplate(number, found.cluster_id, found.template)
