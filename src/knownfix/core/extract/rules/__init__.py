"""All line rules, in order, and the one scan pattern that finds the lines worth classifying.

Order matters: CI markers first, then each family's boilerplate before its real errors, and the
generic failure words last. :data:`SCAN` is a case-insensitive RE2 pattern over raw bytes: it only
has to find every line some rule could classify (a superset), at C speed over whole blocks.
"""

from __future__ import annotations

import re
from typing import Any

from knownfix.core.extract import hsscan
from knownfix.core.extract.rules import (
    benign,
    ci,
    generic,
    js,
    jvm,
    linters,
    markers,
    native,
    packages,
    python,
    success,
    system,
    testing,
    xunit,
)
from knownfix.core.extract.rules.base import LineRule, RuleSet

try:  # google-re2 is a declared dependency; plain re keeps the core importable without it.
    import re2 as _re2
except ImportError:  # pragma: no cover - exercised only where re2 is missing
    _re2 = None

_FAMILIES = (
    ci,
    success,
    markers,
    benign,
    system,
    js,
    jvm,
    native,
    packages,
    linters,
    python,
    testing,
    xunit,
    generic,
)

RULES: tuple[LineRule, ...] = tuple(rule for family in _FAMILIES for rule in family.RULES)
RULESET = RuleSet.compile(RULES)
SCAN_TERMS: tuple[str, ...] = tuple(term for family in _FAMILIES for term in family.SCAN_TERMS)
"""Case-insensitive; none may match across a line end (both scan engines rely on it)."""
SCAN_SOURCE = "(?i)(?:" + "|".join(SCAN_TERMS) + ")"


def _compile_scan(source: str) -> Any:
    if _re2 is not None:
        options = _re2.Options()
        options.max_mem = 64 << 20
        return _re2.compile(source.encode(), options=options)
    return re.compile(source.encode())


SCAN = _compile_scan(SCAN_SOURCE)


def candidate_lines(block: bytes) -> list[tuple[int, int]]:
    """(start, end) byte offsets of each line of ``block`` a scan term hits, in order; ``end``
    is the offset of the line's ``\\n`` (blocks end with one, see ``iter_line_blocks``).

    Scans with Hyperscan where it is installed (see ``hsscan``), else with :data:`SCAN`.
    """
    fast = _fast_lines()
    return fast(block) if fast is not None else re2_candidate_lines(block)


_fast: hsscan.HyperscanLines | None = None
_fast_failed = False


def _fast_lines() -> hsscan.HyperscanLines | None:
    """The Hyperscan scanner, compiled (or loaded from its cache) on first use."""
    global _fast, _fast_failed
    if not hsscan.available():
        return None
    if _fast is None and not _fast_failed:
        try:
            _fast = hsscan.compile_terms(SCAN_TERMS)
        except Exception:  # noqa: BLE001 - any failure of the optional engine falls back
            _fast_failed = True
    return _fast


def re2_candidate_lines(block: bytes) -> list[tuple[int, int]]:
    """:func:`candidate_lines` with :data:`SCAN` (RE2, or Python's re without it).

    Skips to the next line after a hit, so a line full of failure words costs one search. The
    RE2 wrapper builds a Python match object per hit; its compiled regexp's ``Match`` returns
    bare spans at a third of the cost, so it is used where present (``finditer`` otherwise).
    """
    low_level = getattr(SCAN, "_regexp", None)
    anchor = getattr(getattr(_re2, "_Anchor", None), "UNANCHORED", None)
    size = len(block)
    found: list[tuple[int, int]] = []
    pos = 0
    if low_level is not None and anchor is not None:
        match, find, rfind = low_level.Match, block.find, block.rfind
        while pos < size:
            hit = match(anchor, block, pos, size)[0][0]
            if hit < 0:
                break
            end = find(b"\n", hit)
            if end < 0:
                end = size
            found.append((rfind(b"\n", 0, hit) + 1, end))
            pos = end + 1
        return found
    for hit in SCAN.finditer(block):
        if hit.start() >= pos:
            end = block.find(b"\n", hit.start())
            if end < 0:
                end = size
            found.append((block.rfind(b"\n", 0, hit.start()) + 1, end))
            pos = end + 1
    return found


__all__ = [
    "RULES",
    "RULESET",
    "SCAN",
    "SCAN_TERMS",
    "LineRule",
    "RuleSet",
    "candidate_lines",
    "re2_candidate_lines",
]
