"""Sub-sections that are causes or alternative fixes of their parent's problem.

``### Cause 1: The download URL is no longer valid`` under ``## Failed to download the port's
assets`` (or ``### Solution 2``, ``### Option A``, ``### Case 1``) may read as an issue of its
own, but what a failing log shows is the parent's problem: its heading and the error text it
quotes. When every sub-section is such a cause, they become one issue under the parent's heading
(``merge_causes``); when only some are, those inherit the parent's heading and errors
(``inherit_problem``), so the issue reads as the failure it belongs to and a log finds it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knownfix.core.docparse.assemble import Draft, Fix
from knownfix.core.docparse.blocks import Block
from knownfix.core.docparse.meaning.literals import is_error_literal
from knownfix.core.docparse.meaning.reading import read_blocks
from knownfix.core.docparse.meaning.titles import read_title

_ROLE_HEADING = re.compile(
    r"^\s*(?:(?:possible|probable|likely|common|root)\s+)?"
    r"(?:cause|reason|case|scenario|solution|fix|option|workaround|remedy)s?"
    r"\s*(?:#?\d+|[A-Za-z](?=\s*[:.)\-–—]))?\s*[:.)\-–—]\s*\S",
    re.IGNORECASE,
)
MAX_INHERITED = 4  # error lines taken from the parent


def is_role_heading(title: str) -> bool:
    """A heading that names its role under a parent problem ("Cause 1: …", "Solution B - …")."""
    return bool(_ROLE_HEADING.match(title))


def inherit_problem(parent_title: str, parent_blocks: Sequence[Block],
                    drafts: Sequence[Draft]) -> None:
    """Give each cause/solution sub-section issue its parent's heading and quoted errors."""
    children = [d for d in drafts if is_role_heading(d.title)]
    if not children:
        return
    inherited = [parent_title, *_errors(parent_blocks)]
    for draft in children:
        draft.title = f"{parent_title}: {draft.title}"
        draft.symptoms[:0] = [s for s in inherited if s not in draft.symptoms]


def merge_causes(parent_title: str, parent_line: int, parent_blocks: Sequence[Block],
                 drafts: Sequence[Draft]) -> Draft | None:
    """One issue for a problem heading whose sub-sections are all its causes or solutions and
    which gives no issue of its own: the parent's heading and errors, each cause's explanation
    as a root cause, each fix under its cause's name. None when they are not all causes, or the
    parent does not name a problem (a log cannot tell the causes apart: it shows the parent's
    failure, so one issue is the answer)."""
    if not drafts or not all(is_role_heading(d.title) for d in drafts):
        return None
    errors = _errors(parent_blocks)
    if not errors and read_title(parent_title).problem < 0.5:
        return None
    merged = Draft(title=parent_title, line=parent_line, symptoms=[parent_title, *errors])
    for draft in drafts:
        merged.symptoms += [s for s in draft.symptoms
                            if s not in merged.symptoms and not is_role_heading(s)]
        merged.root_cause += [draft.title, *draft.root_cause]
        merged.fixes += [Fix(label=draft.title, text=fix.text, steps=fix.steps)
                         for fix in draft.fixes]
        merged.mitigations += draft.mitigations
        merged.commands += [c for c in draft.commands if c not in merged.commands]
        merged.verification += [v for v in draft.verification if v not in merged.verification]
        merged.keys |= draft.keys
    return merged



def _errors(blocks: Sequence[Block]) -> list[str]:
    # Error text only: a command the parent names (`vcpkg install`) is context, not a symptom.
    literals = read_blocks(list(blocks), problem_known=True).literals
    return [text for text in literals if is_error_literal(text)][:MAX_INHERITED]
