"""Headed sections with labelled fields: incident logs, engineering-issue write-ups, runbook
guides and anything written the same way. One section with enough issue fields is one issue;
any other section is reported with the reason it is not one.
"""

from __future__ import annotations

import re

from knownfix.core.docparse.assemble import Draft, apply_field
from knownfix.core.docparse.blocks import Block, Fence, Inline, Rule
from knownfix.core.docparse.content import blocks_text
from knownfix.core.docparse.fields import Field
from knownfix.core.docparse.meaning.compose import complete, symptoms_from_title
from knownfix.core.docparse.meaning.literals import literals_of
from knownfix.core.docparse.meaning.reading import read_blocks
from knownfix.core.docparse.meaning.titles import read_title
from knownfix.core.docparse.rules import ISSUE_KEYS

NOTES = "Notes"  # extra key for an issue's unlabelled text
_TEMPLATE = re.compile(r"\btemplates?\b", re.IGNORECASE)
_FIELD_HINT = "Symptom, Root cause, Resolution, Verification …"


def section_draft(title: str, line: int, fields: list[Field], loose: list[Block]) -> Draft:
    """A draft from a section's fields. If it is an issue, its unlabelled text fills the fields
    the labels left empty (a fix written as prose goes to the resolution, not to notes); what
    no field takes is kept as notes."""
    draft = Draft(title=title, line=line)
    for item in fields:
        apply_field(draft, item)
    if draft.is_issue():
        rest: list[Block] = [b for b in loose if not isinstance(b, Rule)]
        if rest and (not draft.fixes or not draft.root_cause or not draft.symptoms):
            unused = complete(draft, read_blocks(rest, problem_known=True))
            draft.add_extra(NOTES, "\n\n".join(unused))
        else:
            draft.add_extra(NOTES, blocks_text(rest))
    return draft


def complete_from_title(draft: Draft, title_inline: Inline) -> None:
    """The error text a heading quotes, or the alert it names, is the issue's first symptom;
    a heading that reads as the failure's message is one when nothing else is."""
    from_title = symptoms_from_title(draft.title, title_inline)
    if draft.symptoms and not (literals_of(title_inline) or read_title(draft.title).alert):
        return
    draft.symptoms[:0] = [s for s in from_title if s not in draft.symptoms]


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
