"""What the reader holds while a document streams in: the open path of headings and the issue
drafts found so far.

An :class:`OpenSection` is a heading not decided yet (its sub-sections may still arrive); a
:class:`FieldSection` is a heading named like a field (``## Symptoms``), whose sub-headings belong
to that field unless they turn out to be issues; a :class:`Found` is a draft and how it was found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from knownfix.core.docparse.assemble import Draft, merge
from knownfix.core.docparse.blocks import Block
from knownfix.core.docparse.fields import Field
from knownfix.core.docparse.sections import Node
from knownfix.core.docparse.siblings import Hopeful, Votes


@dataclass
class OpenSection:
    node: Node
    sub_fields: list[Field] = field(default_factory=list)
    children: int = 0
    issue_children: int = 0  # children that became issues: then this heading groups them
    in_field: bool = False  # under a heading named like a field: part of that field if no issue
    absorbed: list[Block] = field(default_factory=list)  # non-issue sub-sections, for meaning
    pending: list[tuple[int, str]] = field(default_factory=list)  # their notes, if none is used
    found_from: int = 0  # the first of ``found`` that may lie under this section
    # Notes of sub-sections read as part of one of its fields: reported if it is no issue.
    field_notes: list[tuple[int, str]] = field(default_factory=list)
    votes: Votes = field(default_factory=Votes)  # what its leaf sub-sections' headings say
    # What the meaning reader said of this section itself, for its parent's vote.
    title_named: bool | None = None
    weak: list[Found] = field(default_factory=list)
    hopeful: Hopeful | None = None
    troubled: bool = False  # no issue, but trouble: a problem left incomplete (``siblings.py``)

    @property
    def level(self) -> int:
        return self.node.level


@dataclass
class FieldSection:
    """A heading named like a field: deeper headings under it are part of that field, unless
    they turn out to be issues of their own: then it was a category heading (``## Errors``)."""

    level: int
    field: Field
    owner: OpenSection
    issue_children: int = 0


@dataclass
class Found:
    """An issue draft in the making and how it was found."""

    draft: Draft
    kind: str  # "matrix" | "keyed" | "section" | "entry"
    bulleted: bool = False
    claimed: bool = False  # a heading above it has read it as one of its sub-sections


def resolve_keyed(found: list[Found], note: Callable[[int, str], None]) -> list[Found]:
    """Merge ``### ID: Title`` sections into the matrix row (or earlier section) of that id;
    ``note`` reports a keyed section that is no issue."""
    by_id: dict[str, Found] = {}
    for item in found:
        if item.kind == "matrix" and item.draft.issue_id:
            by_id.setdefault(item.draft.issue_id, item)
    kept: list[Found] = []
    for item in found:
        issue_id = item.draft.issue_id or ""
        if item.kind != "keyed":
            kept.append(item)
        elif issue_id in by_id:
            merge(by_id[issue_id].draft, item.draft)
        elif item.draft.is_issue():
            by_id[issue_id] = item
            kept.append(item)
        else:
            note(item.draft.line, f"section for {issue_id} is not an issue: no row with that id "
                                  "in an issue matrix and no issue fields")
    return kept
