"""Sub-sections that are causes or alternative fixes of their parent's problem.

``### Cause 1: The download URL is no longer valid`` under ``## Failed to download the port's
assets`` (or ``### Solution 2``, ``### Option A``, ``### Case 1``) becomes an issue of its own,
but what a failing log shows is the parent's problem: its heading and the error text it quotes.
Such sub-sections inherit both, so the issue reads as the failure it belongs to and a log of that
failure finds it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knownfix.core.docparse.assemble import Draft
from knownfix.core.docparse.blocks import Block
from knownfix.core.docparse.meaning.reading import is_error_literal, read_blocks

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
    # Error text only: a command the parent names (`vcpkg install`) is context, not a symptom.
    literals = read_blocks(list(parent_blocks), problem_known=True).literals
    errors = [text for text in literals if is_error_literal(text)][:MAX_INHERITED]
    inherited = [parent_title, *errors]
    for draft in children:
        draft.title = f"{parent_title}: {draft.title}"
        draft.symptoms[:0] = [s for s in inherited if s not in draft.symptoms]
