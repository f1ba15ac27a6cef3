"""Lists in one entry's text: what a list is (the problem's symptoms, its causes, the fix's
steps, checks), decided by what its items say. Split from ``reading`` (which walks the blocks
in order) as the reader's list half; it keeps the same state (``out``, ``fixing`` …)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from knownfix.core.docparse.blocks import Block, Fence, ListBlock, Paragraph, Quote
from knownfix.core.docparse.commands import split_commands
from knownfix.core.docparse.content import block_text, fence_text, item_text
from knownfix.core.docparse.inline import plain
from knownfix.core.docparse.meaning.cues import seeks_help, sentence_cues, sentences, text_cues
from knownfix.core.docparse.meaning.literals import (
    LABEL_LEAD,
    fence_kind,
    literals_of,
    output_lines,
)

if TYPE_CHECKING:
    from knownfix.core.docparse.meaning.reading import Reading


class ListReading:
    """The list half of the entry reader (``reading._Reader``)."""

    out: Reading
    fixing: bool
    has_problem: bool
    sticky: str
    aside: str

    # The reader's own: read one block (a list of labelled items reads each as text).
    block: Callable[[Block, str], str]

    # -- lists -----------------------------------------------------------------------------
    def listing(self, block: ListBlock, lead: str) -> None:
        lead = "problem" if lead == "printed" else lead
        items = [item_text(item, fences=False) for item in block.items]
        items = [i for i in items if i]
        if not items:
            return
        out = self.out
        if self.sticky == "aside":
            out.asides.setdefault(self.aside, []).append(block_text(block))
            return
        lead = lead or self.sticky
        role = lead if lead and lead != "neutral" else self._list_role(items, block.ordered)
        if role == "problem" and not self.sticky and (
            self._list_role(items, block.ordered) == "remedy"
        ):
            role = "remedy"  # "Things to check if you get X:" then instructions: the fix
        if (role in {"cause", "neutral"} or (role == "problem" and not lead)) and (
            self.has_problem and _each_instructs(items)
        ):
            # "Two possibilities:" — each item a cause followed by what to do about it; so is
            # a list of cases of a problem already named, each with its own way out ("**WSL2**:
            # the clock drifts … One good workaround is to …", "**VPN**: … you'll need to …").
            role = "remedy"
        if role == "problem" and not lead and _labelled_items(items):
            # "- Background: docker runs out of space …", "- Possible workaround: …" and its
            # steps: each item says what it is, so each is read as the text it labels.
            for item in block.items:
                inner = ""
                for child in item.blocks:
                    inner = self.block(child, inner)
            return
        nested = [f for item in block.items for f in _fences(item.blocks)]
        if role == "problem":
            self.has_problem = True
            out.found_problem(1.0 if lead == "problem" else max(
                text_cues(item.split("\n", 1)[0]).problem for item in items))
            for item in block.items:
                for paragraph in (b for b in item.blocks if isinstance(b, Paragraph)):
                    text = plain(paragraph.inline).strip()
                    literals = literals_of(paragraph.inline)
                    for literal in literals:
                        out.add_literal(literal)
                    if not literals and text:
                        out.statements.append(text)
            for fence in nested:
                for line in output_lines(fence_text(fence)):
                    out.add_literal(line)
        elif role == "cause":
            out.causes.append(block_text(block, fences=False))
        elif role == "verify":
            out.verification.extend(items)
        elif role == "diagnose":
            out.diagnosis.append(block_text(block))
            for fence in nested:
                out.commands.extend(split_commands(fence_text(fence), fence.info))
        elif role == "context":
            out.context.append(block_text(block))
        elif role == "remedy" or self.fixing:
            self.fixing = True
            out.remedy.append(block_text(block, fences=True, numbered=block.ordered))
            out.steps.extend(items)
            out.remedy_score += max(1.0, sum(text_cues(i).remedy for i in items) / 2)
            for fence in nested:
                if fence_kind(fence) == "commands":
                    out.commands.extend(split_commands(fence_text(fence), fence.info))
        else:
            out.explanation.append(block_text(block))

    def _list_role(self, items: list[str], ordered: bool) -> str:
        # An item is what its first sentence does ("Create an issue … Try to include logs").
        per_item = [text_cues((sentences(i.split("\n", 1)[0]) or [""])[0]) for i in items]
        half = len(items) / 2
        remedies = sum(1 for c in per_item if c.remedy > 0 and c.remedy >= c.problem)
        problems = sum(1 for c in per_item if c.problem > 0 and c.remedy == 0)
        causes = sum(1 for c in per_item if c.cause > 0 and c.remedy == 0)
        if remedies >= half and remedies:
            return "remedy"
        if problems > half and not self.fixing:
            return "problem"
        if causes > half:
            return "cause"
        if ordered and self.has_problem and not any(seeks_help(i) for i in items):
            return "remedy"
        return "neutral"


def is_outline(block: ListBlock) -> bool:
    """A bullet alone that nests a list or a code block under its text: an outline. (Lists
    of several such items stay lists: read block by block, their nested points became
    symptoms and their fixes lost their shape, measured on the development parts.)"""
    return not block.ordered and len(block.items) == 1 and any(
        isinstance(child, (ListBlock, Fence)) for child in block.items[0].blocks[1:])


def _labelled_items(items: list[str]) -> bool:
    """Whether most of a list's items (two or more) open with a label ("Background: …")."""
    return len(items) >= 2 and sum(1 for i in items if LABEL_LEAD.match(i)) * 2 > len(items)


def _each_instructs(items: list[str]) -> bool:
    """Whether most items instruct somewhere, not only in their first sentence."""
    instructing = sum(1 for item in items if any(
        sentence_cues(s.replace("`", "")).instructions for s in sentences(item)))
    return instructing * 2 > len(items)


def _fences(blocks: list[Block]) -> list[Fence]:
    found: list[Fence] = []
    for block in blocks:
        if isinstance(block, Fence):
            found.append(block)
        elif isinstance(block, ListBlock):
            for item in block.items:
                found += _fences(item.blocks)
        elif isinstance(block, Quote):
            found += _fences(block.blocks)
    return found
