"""Known issues written for the matching tests: one document's entry in a line."""

from __future__ import annotations

from knownfix.core.records import KnownIssue, SourceRef


def issue(issue_id: str, path: str, title: str, symptoms: list[str], *,
          commands: list[str] | None = None, root_cause: str = "",
          resolution: str = "Follow the steps.") -> KnownIssue:
    """An issue imported from ``path`` (the document whose tool it is about)."""
    return KnownIssue(id=issue_id, title=title, symptoms=symptoms, root_cause=root_cause,
                      resolution=resolution, commands=commands or [],
                      source=SourceRef(path=path, line=1))
