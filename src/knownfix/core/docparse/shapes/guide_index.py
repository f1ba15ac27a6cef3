"""Guide indexes: ``**[Title](guide.md)**`` entries, each followed by labelled bullets
(Problem, Root Cause, Solution, Impact), grouped under category headings."""

from __future__ import annotations

from knownfix.core.docparse import rules as r
from knownfix.core.docparse.assemble import Draft, apply_field
from knownfix.core.docparse.fields import Entry

SHAPE = "guide-index"
LINK = "Link"  # extra key for the guide an entry points to


def entry_drafts(entries: list[Entry], category: str) -> tuple[list[Draft], list[tuple[int, str]]]:
    """Issues from index entries (category = the heading they sit under) and skipped entries."""
    drafts: list[Draft] = []
    skipped: list[tuple[int, str]] = []
    for entry in entries:
        draft = Draft(title=entry.title, line=entry.line)
        for item in entry.fields:
            apply_field(draft, item)
        if not draft.is_issue():
            skipped.append(
                (entry.line, f"index entry {entry.title!r} has no issue fields "
                             "(Problem, Root Cause, Solution …) under it")
            )
            continue
        if entry.href:
            draft.extra[LINK] = entry.href
        if category:
            draft.meta.setdefault(r.CATEGORY, category)
        drafts.append(draft)
    return drafts, skipped
