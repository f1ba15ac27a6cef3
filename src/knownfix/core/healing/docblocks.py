"""Playbooks written in a known issue's own document, as a fenced ``playbook`` block:

    ## KF-0012: Web tier stops answering
    ...
    ```playbook
    steps:
      - run: ["scripts/restart-web.sh"]
    verify:
      http: http://127.0.0.1:8765/health
    ```

The block belongs to the known issue whose section holds it: the last issue of that document
whose source line is at or before the block. It is read apart from the importer (markdown-it's
fence tokens and their lines), so importing is not changed by it; the importer keeps the block
as one of the issue's commands, as it does for any fenced code.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt

PLAYBOOK_INFO = "playbook"


@dataclass(frozen=True, slots=True)
class PlaybookBlock:
    issue_id: str
    text: str
    line: int  # 1-based line of the block's first YAML line


@functools.cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark")


def playbook_blocks(markdown: str, issues: Sequence[tuple[str, int]]) -> list[PlaybookBlock]:
    """The ``playbook`` fences of a document, each with the issue (id, source line) it sits
    under; blocks before the first issue belong to none and are left out."""
    ordered = sorted(issues, key=lambda pair: pair[1])
    blocks: list[PlaybookBlock] = []
    for token in _parser().parse(markdown):
        if token.type != "fence" or token.map is None:
            continue
        words = token.info.split()
        if not words or words[0].lower() != PLAYBOOK_INFO:
            continue
        fence_line = token.map[0] + 1
        owner = None
        for issue_id, line in ordered:
            if line <= fence_line:
                owner = issue_id
        if owner is not None:
            blocks.append(PlaybookBlock(owner, token.content, fence_line + 1))
    return blocks
