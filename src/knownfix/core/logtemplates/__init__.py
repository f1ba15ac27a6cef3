"""Log template mining: group application-log lines into templates, online, one generic setup.

    >>> miner = TemplateMiner()
    >>> miner.add("session opened for user alice by (uid=0)").template
    'session opened for user alice by (uid=<*>)'

- :func:`compile_header_format` cuts a line into header fields and its message (``Content``);
- :class:`TemplateMiner` learns templates from messages one at a time (no I/O; its state is
  plain JSON-able data);
- :func:`rarity` says how unusual a message is for what the miner has seen.

Cluster ids are ``T1``, ``T2`` … in order of first appearance. Templates only generalize as lines
arrive and clusters only merge (into the oldest), so an id stays valid; to give every line its
final template, learn all lines first and then ``match`` each (what ``knownfix logs cluster``
does).
"""

from __future__ import annotations

import math

from knownfix.core.logtemplates.clusters import Cluster, TemplateMatch
from knownfix.core.logtemplates.headers import HeaderFormat, HeaderSplit, compile_header_format
from knownfix.core.logtemplates.miner import MinerConfig, TemplateMiner
from knownfix.core.logtemplates.tokenize import VARIABLE

__all__ = [
    "VARIABLE",
    "Cluster",
    "HeaderFormat",
    "HeaderSplit",
    "MinerConfig",
    "TemplateMatch",
    "TemplateMiner",
    "compile_header_format",
    "rarity",
]


def rarity(miner: TemplateMiner, content: str) -> float:
    """How unusual ``content`` is, from 0 (its template is every line seen) to 1 (no template).

    The surprisal of the line's template, ``log(lines / size)``, scaled by the most a seen
    template can have, ``log(lines + 1)``; a line no template fits scores 1.0.
    """
    found = miner.match(content)
    if found is None or miner.lines == 0:
        return 1.0
    cluster = miner.cluster(found.cluster_id)
    size = max(cluster.size if cluster is not None else 0, 1)
    return min(1.0, math.log(max(miner.lines, size) / size) / math.log(miner.lines + 1))
