"""Template conformance for troubleshooting documents (``knownfix lint``).

Errors: front matter that is not valid YAML, a signature regex that is unsafe (not RE2, not
linear-time, too large), TODO placeholders left from ``knownfix new``, and — in knownfix's own
format — an issue without symptoms, root cause, resolution or verification.

Warnings: unknown front matter keys, table rows that do not fit their header, sections that
would be skipped on import (with the reason), mojibake in knownfix's own format (imported
verbatim, so not repaired), and missing fields in documents of other shapes: those are imported
as they are, so lint says what they lack without failing the build.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from knownfix.core.docparse.cleanup import fix_mojibake
from knownfix.core.docparse.ids import derive_id, doc_key_from_path
from knownfix.core.docparse.reader import read_document
from knownfix.core.records import KnownIssue

ERROR = "error"
WARNING = "warning"

# (attribute, how the template names it): what every issue must say.
REQUIRED: tuple[tuple[str, str], ...] = (
    ("symptoms", "Symptoms"),
    ("root_cause", "Root cause"),
    ("resolution", "Resolution"),
    ("verification", "Verification"),
)
_PLACEHOLDER = re.compile(r"(?:^|\n)\s*(?:[-*]\s+|\d+[.)]\s+)?TODO:")


@dataclass(frozen=True)
class LintProblem:
    """One finding: where (path, 1-based line), what, and how bad ("error" or "warning")."""

    path: str
    line: int
    message: str
    severity: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


def _has(issue: KnownIssue, attribute: str) -> bool:
    if attribute == "resolution":
        return bool(issue.resolution.strip() or issue.resolution_steps)
    value = getattr(issue, attribute)
    return bool(value.strip()) if isinstance(value, str) else bool(value)


def _texts(issue: KnownIssue) -> Iterable[tuple[str, str]]:
    """Every text an author writes, with the name of its field."""
    for name in ("title", "root_cause", "resolution", "prevention", "category", "severity",
                 "status", "self_healing", "response_time", "escalation"):
        value = getattr(issue, name)
        if value:
            yield name, str(value)
    for name in ("symptoms", "resolution_steps", "commands", "verification", "tags"):
        for item in getattr(issue, name):
            yield name, item
    for item in issue.signature.contains + issue.signature.regex:
        yield "signature", item
    for label, value in issue.extra.items():
        yield label, value


def _issue_problems(
    issue: KnownIssue, path: str, doc_key: str, canonical: bool
) -> list[LintProblem]:
    line = issue.source.line if issue.source else 1
    found: list[LintProblem] = []
    missing = [name for attribute, name in REQUIRED if not _has(issue, attribute)]
    if missing:
        found.append(LintProblem(
            path, line, f"issue {issue.id} ({issue.title!r}) has no {', '.join(missing)}",
            ERROR if canonical else WARNING,
        ))
    placeholders = sorted({name for name, text in _texts(issue) if _PLACEHOLDER.search(text)})
    if placeholders:
        found.append(LintProblem(
            path, line, f"issue {issue.id} still has TODO placeholders in: "
                        f"{', '.join(placeholders)}; replace them with what you know",
            ERROR,
        ))
    if canonical:
        damaged = sorted({name for name, text in _texts(issue) if fix_mojibake(text) != text})
        if damaged:
            found.append(LintProblem(
                path, line, f"issue {issue.id} has text that looks like mojibake (UTF-8 read as "
                            f"cp1252, e.g. 'â€“' for '–') in: {', '.join(damaged)}; knownfix's "
                            "own format is imported exactly as written, so fix the file",
                WARNING,
            ))
    if canonical and issue.id == derive_id(doc_key, issue.title):
        found.append(LintProblem(
            path, line, f"issue has no id in its front matter; it gets {issue.id!r}, which "
                        "changes if the file or the title is renamed",
            WARNING,
        ))
    return found


def lint_markdown(lines: Iterable[str], path: str) -> list[LintProblem]:
    """Check one Markdown document against knownfix's template (see the module docstring)."""
    doc_key = doc_key_from_path(path)
    document, problems = read_document(lines, path, doc_key)
    canonical = document.shape == "knownfix"
    found = [LintProblem(path, p.line, p.message, p.severity) for p in problems]
    for issue in document.issues:
        found.extend(_issue_problems(issue, path, doc_key, canonical))
    found.sort(key=lambda p: (p.line, p.severity != ERROR))
    return found
