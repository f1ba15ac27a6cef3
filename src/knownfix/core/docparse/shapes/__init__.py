"""Document shapes, told apart by structure (what the reader found), never by file name.

``SHAPE_RULES`` is ordered: the first rule whose test holds names the document's shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# Labels (normalized) that engineering-issue write-ups use and incident logs do not.
ENGINEERING_LABELS = frozenset({"issue summary", "context / when it occurred",
                                "root cause analysis", "resolution / fix applied",
                                "preventive measures or lessons learned", "lessons learned"})


@dataclass
class DocStats:
    """What a document turned out to contain."""

    knownfix_front_matter: bool = False
    matrix_issues: int = 0
    policy_rows: int = 0
    entry_issues: int = 0
    section_issues: int = 0
    bullet_sections: int = 0  # issue sections whose fields are labelled bullets
    labels: set[str] = field(default_factory=set)


def _bulleted(stats: DocStats) -> bool:
    return stats.bullet_sections > 0 and stats.bullet_sections * 2 >= stats.section_issues


SHAPE_RULES: tuple[tuple[str, Callable[[DocStats], bool]], ...] = (
    ("knownfix", lambda s: s.knownfix_front_matter),
    ("status-report", lambda s: s.matrix_issues > 0),
    ("triage-runbook", lambda s: s.policy_rows > 0),
    ("guide-index", lambda s: s.entry_issues > 0 and s.entry_issues >= s.section_issues),
    ("engineering-issues", lambda s: _bulleted(s) and bool(s.labels & ENGINEERING_LABELS)),
    ("incident-log", _bulleted),
    ("generic", lambda s: True),
)


def detect_shape(stats: DocStats) -> str:
    """The name of the first shape rule that ``stats`` satisfies."""
    return next(name for name, test in SHAPE_RULES if test(stats))
