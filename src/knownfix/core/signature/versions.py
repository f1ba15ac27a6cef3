"""Fingerprint strategy versions: dated, ordered; each rule says since (and until) which.

A rule or behaviour added by a strategy carries ``since`` (the strategy's date); one it retires
carries ``until``. Computing a signature *as of* an older version replays that strategy exactly,
so an incident an older version opened can still be found (``compat_loose_fingerprints``).
"""

from __future__ import annotations

VERSIONS: tuple[str, ...] = (
    "2026-12-06", "2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10",
    "2026-12-11", "2026-12-12", "2026-12-13",
)
"""Every strategy still replayed, oldest first; the last is the current one."""

CURRENT = VERSIONS[-1]

# What some strategies changed in how the title and loose fingerprint are built
# (:mod:`knownfix.core.signature.fingerprint` asks ``since <= version``).
QUOTED_IN_LOOSE_SINCE = "2026-12-07"
"""From this strategy on, quoted values of the title always join the loose fingerprint: they
say *what* failed ("No module named 'yaml'" and "… 'requests'" are two incidents)."""

NAMED_SINCE = "2026-12-09"
"""From this strategy on, the loose fingerprint keeps what says *where* a failure is: the failing
test's name whenever the excerpt names one (not only under a short message: "TypeError: could
not interpret data type" in two tests is two failures), and the file an error line points at
(``a.c:3:1: error: …`` and ``b.c:9:2: error: …`` are two failures even with one message)."""

WEAK_TITLES_SINCE = "2026-12-11"
"""From this strategy on, a title that only *holds* a failure word (the ``error-words`` and
``warning`` rules: "^ Warning: codespell identified likely spelling errors", "Latexmk: … failed")
is generic like a summary: it says that something went wrong, the lines around it say what."""

LOCATED_FRAMES_SINCE = "2026-12-13"
"""From this strategy on, a stack frame that names its source file before the method (.NET's
``File.cs(445,0): at Ns.Type.Method()``) is a frame, not a context line: one run of a failure
prints it and the next does not, so under a generic title it split reruns."""


def active(since: str, until: str, version: str) -> bool:
    """True when a rule added ``since`` and retired ``until`` belongs to ``version``."""
    return (not since or since <= version) and (not until or version < until)
