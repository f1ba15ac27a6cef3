"""Fingerprint strategy versions: dated, ordered; each rule says since (and until) which.

A rule or behaviour added by a strategy carries ``since`` (the strategy's date); one it retires
carries ``until``. Computing a signature *as of* an older version replays that strategy exactly,
so an incident an older version opened can still be found (``compat_loose_fingerprints``).
"""

from __future__ import annotations

VERSIONS: tuple[str, ...] = (
    "2026-12-06", "2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10",
    "2026-12-11", "2026-12-12",
)
"""Every strategy still replayed, oldest first; the last is the current one."""

CURRENT = VERSIONS[-1]


def active(since: str, until: str, version: str) -> bool:
    """True when a rule added ``since`` and retired ``until`` belongs to ``version``."""
    return (not since or since <= version) and (not until or version < until)
