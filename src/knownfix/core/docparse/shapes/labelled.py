"""Headed sections with labelled fields: incident logs, engineering-issue write-ups, runbook
guides and anything written the same way. One section with enough issue fields is one issue;
any other section is reported with the reason it is not one.
"""

from __future__ import annotations

import re

from knownfix.core.docparse.assemble import Draft, apply_field
from knownfix.core.docparse.blocks import Block, Fence, Rule
from knownfix.core.docparse.content import blocks_text
from knownfix.core.docparse.fields import Field
from knownfix.core.docparse.rules import ISSUE_KEYS

NOTES = "Notes"  # extra key for an issue's unlabelled text
_TEMPLATE = re.compile(r"\btemplates?\b", re.IGNORECASE)
_FIELD_HINT = "Symptom, Root cause, Resolution, Verification …"


def section_draft(title: str, line: int, fields: list[Field], loose: list[Block]) -> Draft:
    """A draft from a section's fields; its unlabelled text is kept as notes if it is an issue."""
    draft = Draft(title=title, line=line)
    for item in fields:
        apply_field(draft, item)
    if draft.is_issue():
        draft.add_extra(NOTES, blocks_text([b for b in loose if not isinstance(b, Rule)]))
    return draft


def is_template(title: str) -> bool:
    """A section that tells how to write entries ("Future Troubleshooting Template")."""
    return bool(_TEMPLATE.search(title))


def skip_reason(
    draft: Draft, blocks: list[Block], children: int, other_tables: list[list[str]]
) -> str:
    """Why a section is not an issue, in words a doc owner can act on."""
    reasons: list[str] = []
    blocks = [b for b in blocks if not isinstance(b, Rule)]
    issue_labels = [label for label, key in _labelled(draft) if key]
    if is_template(draft.title):
        reasons.append("a template for writing new entries")
    elif not blocks and not draft.labels:
        if children:
            reasons.append(
                f"a heading that groups {children} section(s); no issue fields of its own"
            )
        else:
            reasons.append("an empty section")
    elif len(issue_labels) == 1:
        reasons.append(
            f"only one issue field ({issue_labels[0]}); an issue needs a symptom, cause or fix "
            "and at least one more field"
        )
    elif issue_labels:
        reasons.append(
            f"its fields ({', '.join(issue_labels)}) lack a symptom, root cause or fix"
        )
    elif draft.labels:
        shown = ", ".join(dict.fromkeys(draft.labels[:6]))
        reasons.append(f"its labelled fields ({shown}) are not issue fields ({_FIELD_HINT})")
    elif blocks and all(isinstance(b, Fence) for b in blocks):
        reasons.append(f"only code blocks, no labelled issue fields ({_FIELD_HINT})")
    elif not other_tables:
        reasons.append(f"no labelled issue fields ({_FIELD_HINT})")
    for columns in other_tables:
        reasons.append(
            f"a table (columns: {', '.join(columns)}) that is neither an issue matrix nor a "
            "response matrix"
        )
    return "; ".join(reasons)


def _labelled(draft: Draft) -> list[tuple[str, bool]]:
    from knownfix.core.docparse.rules import field_key

    return [(label, field_key(label) in ISSUE_KEYS) for label in dict.fromkeys(draft.labels)]
