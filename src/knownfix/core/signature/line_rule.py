"""One line rule of fingerprinting: a named pattern giving an excerpt line its kind.

The kinds (``boilerplate``, ``frame``, ``aside``, ``title``) are described in
:mod:`knownfix.core.signature.fingerprint_rules`, which orders the rules.
"""

from __future__ import annotations

from dataclasses import dataclass

BOILERPLATE = "boilerplate"
FRAME = "frame"
ASIDE = "aside"
TITLE = "title"


@dataclass(frozen=True)
class LineRule:
    """A named pattern for one kind of excerpt line."""

    name: str
    kind: str
    pattern: str
    weight: int = 0
    family: str = "generic"
    since: str = ""  # the fingerprint strategy that added it (``versions``); "" = always
    until: str = ""  # the strategy that retired it
    # A title of this rule says only *that* a step failed (a wrapper's or a runner's summary):
    # the title is generic, so the excerpt's other lines say what failed (see fingerprint).
    summary: bool = False
