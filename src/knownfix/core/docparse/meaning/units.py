"""A section's blocks → the entries written inside it, when it holds more than one.

Three ways teams put several problems under one heading, all found here by what the text looks
like rather than by a fixed layout:

* **leads** — a list item or paragraph that opens with bold text (``- **Setup failed with error
  0x80070005**``, ``**Q: Why is the build slow?**``) or with quoted error text (`` `EACCES` … ``):
  the lead is the entry's title, the rest of the item (or the blocks up to the next lead) its body;
* **questions** — ``Q:`` / ``A:`` paragraphs;
* **disclosures** — HTML ``<details><summary>problem</summary> answer </details>`` blocks ("Click
  each issue for its solutions"): the summary is the title, the disclosed text the body;
* **prose** — paragraphs that open by stating a problem ("If you see `x509: …`", "When the
  daemon fails with …"): each starts an entry once the one before it has given its fix
  (:mod:`knownfix.core.docparse.meaning.prose_units`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from knownfix.core.docparse.blocks import (
    Block,
    Fence,
    Html,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    parse_blocks,
)
from knownfix.core.docparse.cleanup import collapse_spaces, strip_decoration
from knownfix.core.docparse.inline import plain, strip_inline
from knownfix.core.docparse.meaning.literals import is_error_literal, literals_of
from knownfix.core.docparse.meaning.titles import read_title
from knownfix.core.docparse.rules import field_key

MAX_TITLE = 120
MAX_LEAD = 200  # a longer bold paragraph is emphasised prose, not a title
# Bold words that open admonitions and asides, never an entry of their own.
_ASIDE = re.compile(
    r"^(?:notes?|tips?|hints?|warning|caution|important|info|example|examples|see also|update"
    r"|edit|nb|n\.b\.|todo|danger|attention|remember|reminder|aside|tl;?dr|summary)\W*$",
    re.IGNORECASE,
)
ASIDE_PREFIX = re.compile(r"^(?:notes?|important|warning|tip|caution|nb)\s*[:!-]\s*",
                           re.IGNORECASE)
_QUESTION_LEAD = re.compile(r"^\s*(?:q|question)\s*[:.)]\s*", re.IGNORECASE)
_ANSWER_LEAD = re.compile(r"^\s*(?:a|answer)\s*[:.)]\s*", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[\s:.\-–—|]+")
_SUMMARY = re.compile(r"<summary[^>]*>(.*?)</summary\s*>(.*)", re.IGNORECASE | re.DOTALL)
_DETAILS_END = re.compile(r"</details\s*>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
# "… check for the following symptoms.": the list after it names one problem per item.
_ANNOUNCES_SYMPTOMS = re.compile(
    r"\bthe following (?:\w+ )?(?:symptoms|problems|issues|errors|failures)\s*[.:]?\s*$",
    re.IGNORECASE)
# ", [#4474][].", " (#410 (comment))", ", #25": an issue tracker reference closing a line.
_TRAILING_REFERENCE = re.compile(
    r"[,;]?\s*\(?\[?#\d+[^\]\n]{0,40}\]?(?:\[[^\]\n]*\])?\)?\.?\s*$")


@dataclass
class Unit:
    """One entry candidate: its title, where it starts, the inline title (for quoted error text),
    its blocks and how it was found ("section", "lead", "question" or "prose"; "symptom": a
    lead of a list the text announces as problems)."""

    title: str
    line: int
    kind: str
    title_inline: Inline = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


def text_token(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _trim_separator(rest: Inline) -> Inline:
    tokens = strip_inline(rest)
    if tokens and tokens[0].type == "text":
        trimmed = _SEPARATOR.sub("", tokens[0].content)
        tokens = [text_token(trimmed), *tokens[1:]] if trimmed else tokens[1:]
    return strip_inline(tokens)


def split_lead(inline: Inline) -> tuple[Inline, Inline] | None:
    """``(lead, rest)`` when a line opens with bold text or a quoted error; else None."""
    tokens = strip_inline(inline)
    if not tokens:
        return None
    first = tokens[0]
    if first.type == "strong_open":
        end = next((j for j in range(1, len(tokens)) if tokens[j].type == "strong_close"), None)
        if end is None or end == 1:
            return None
        return tokens[1:end], _trim_separator(tokens[end + 1 :])
    if first.type == "code_inline" and is_error_literal(first.content):
        rest = tokens[1:]
        # "`EACCES: permission denied` when installing …": the sentence around the code is the
        # title; a lone code span followed by a separator is a lead on its own.
        if rest and rest[0].type == "text" and not _SEPARATOR.match(rest[0].content):
            return None
        return tokens[:1], _trim_separator(rest)
    return None


def lead_title(lead: Inline) -> str:
    """A lead's text as a title: decoration, a ``Q:`` prefix and a trailing colon dropped."""
    text = collapse_spaces(strip_decoration(plain(lead)))
    text = _QUESTION_LEAD.sub("", text).rstrip(":").strip()
    return text


def is_entry_lead(lead: Inline) -> bool:
    """Whether a bold (or quoted) lead names a problem: not a field label, not "Note"."""
    text = lead_title(lead)
    raw = plain(lead).strip()
    if not text or len(text) > MAX_LEAD or _ASIDE.match(text) or field_key(text.rstrip(":")):
        return False
    if _QUESTION_LEAD.match(raw):
        return True
    reading = read_title(text)
    return (reading.problem > 0 or bool(literals_of(lead))) and not reading.topic


def _paragraph(line: int, inline: Inline) -> list[Block]:
    return [Paragraph(line=line, inline=inline)] if plain(inline).strip() else []


def split_leads(blocks: list[Block]) -> tuple[list[Block], list[Unit]]:
    """The blocks before the first lead, and the entries that open with a lead (see the module
    docstring), in order."""
    units: list[Unit] = []
    intro: list[Block] = []
    current: Unit | None = None
    announced = False  # the paragraph before says the list after it names problems
    for block in blocks:
        if isinstance(block, ListBlock) and announced and _lead_list(block, announced=True):
            current = _list_units(block, units, current, announced=True)
            continue
        announced = isinstance(block, Paragraph) and bool(
            _ANNOUNCES_SYMPTOMS.search(plain(block.inline).strip()))
        if isinstance(block, Html):
            disclosed = _disclosure(block)
            if disclosed is not None:
                current = disclosed
                units.append(current)
                continue
            if current is not None and current.kind == "disclosure" and _DETAILS_END.search(
                block.content
            ):
                current = None  # what follows the closed block is not part of its answer
                continue
        if isinstance(block, Paragraph):
            lead = split_lead(block.inline)
            if lead is not None and is_entry_lead(lead[0]):
                current = Unit(lead_title(lead[0]), block.line, "lead", list(lead[0]),
                               _paragraph(block.line, lead[1]))
                units.append(current)
                continue
            question = _question(block)
            if question is not None:
                current = question
                units.append(current)
                continue
        if isinstance(block, ListBlock) and _lead_list(block):
            current = _list_units(block, units, current)
            continue
        if current is not None:
            current.blocks.append(block)
        elif not units:
            intro.append(block)
    return intro, units


def _disclosure(block: Html) -> Unit | None:
    """A ``<details><summary>…</summary>`` block whose summary names a problem: the summary is
    the title (its quoted errors kept), text after it in the same HTML block the body's start."""
    found = _SUMMARY.search(block.content)
    if found is None:
        return None
    summary = collapse_spaces(_TAG.sub(" ", found.group(1)))
    if not summary:
        return None
    title_blocks = parse_blocks([summary + "\n"], block.line)
    if not title_blocks or not isinstance(title_blocks[0], Paragraph):
        return None
    inline = title_blocks[0].inline
    text = lead_title(inline)
    if _ASIDE.match(text) or field_key(text.rstrip(":")) or read_title(text).topic:
        return None  # a disclosed note or a topic ("More details"), not an entry
    # Whether the summary names a problem is judged like any entry (it may not: "Any issue on
    # Windows." over a support statement); the block stays one unit either way.
    offset = block.content[: found.start(2)].count("\n")
    rest = _DETAILS_END.split(found.group(2))[0]
    body_lines = [_TAG.sub("", line) for line in rest.splitlines(keepends=True)]
    body = parse_blocks(body_lines, block.line + offset) if "".join(body_lines).strip() else []
    return Unit(lead_title(inline), block.line, "disclosure", list(inline), body)


def _question(paragraph: Paragraph) -> Unit | None:
    """A ``Q: …`` paragraph (its answer may follow after ``A:`` in the same paragraph). Inline
    HTML around the marker (``<a class="anchor" …>**Q**</a>.``) is page furniture."""
    tokens = [t for t in paragraph.inline if t.type != "html_inline"]
    text = plain(tokens).lstrip()
    if not _QUESTION_LEAD.match(text):
        return None
    first, _, rest = text.partition("\n")
    title = collapse_spaces(_QUESTION_LEAD.sub("", first))
    if not title:
        return None
    unit = Unit(title, paragraph.line, "question", tokens)
    answer = _ANSWER_LEAD.sub("", rest).strip()
    if answer:
        unit.blocks.append(Paragraph(line=paragraph.line + 1, inline=[text_token(answer)]))
    return unit


def _item_lead(item: ListItem, *, in_list: bool,
               announced: bool = False) -> tuple[Inline, Inline] | None:
    if not item.blocks or not isinstance(item.blocks[0], Paragraph):
        return None
    first = item.blocks[0].inline
    lead = split_lead(first)
    if lead is None and in_list and _nests_below(item):
        # "- `Write-Output` is broken in Windows PowerShell 5.1, [#3991]." over "  - Please try
        # removing …": in a list of several, a line that states a problem and nests what to do
        # about it is a lead as a whole, bold or not (a known-issues list). A bullet alone that
        # nests its log and its fix is an outline of one section (reading.py), not a list.
        lead = (_without_reference(first), [])
    if lead is not None and announced and _labels_item(lead[0]):
        return lead  # "**Cluster split brain**:" in a list announced as symptoms
    return lead if lead is not None and is_entry_lead(lead[0]) else None


def _labels_item(lead: Inline) -> bool:
    """A bold lead that can title an entry: not a field label or an aside, not a paragraph."""
    text = lead_title(lead)
    return bool(text) and len(text) <= MAX_LEAD and not _ASIDE.match(text) and not field_key(
        text.rstrip(":"))


def _nests_below(item: ListItem) -> bool:
    """An item whose own line is followed, inside it, by a nested list or a code block."""
    return any(isinstance(block, (ListBlock, Fence)) for block in item.blocks[1:])


def _without_reference(inline: Inline) -> Inline:
    """A line without its trailing tracker reference (", [#4474][].", " (#410)"): where the
    problem was reported, not what it is."""
    tokens = strip_inline(inline)
    if tokens and tokens[-1].type == "text":
        trimmed = _TRAILING_REFERENCE.sub("", tokens[-1].content)
        tokens = [*tokens[:-1], text_token(trimmed)] if trimmed.strip() else tokens[:-1]
    return strip_inline(tokens)


def _lead_list(block: ListBlock, *, announced: bool = False) -> bool:
    several = len(block.items) > 1
    leads = sum(1 for item in block.items
                if _item_lead(item, in_list=several, announced=announced) is not None)
    return leads > 0 and leads * 2 >= len(block.items)


def _list_units(block: ListBlock, units: list[Unit], current: Unit | None, *,
                announced: bool = False) -> Unit | None:
    """Add one unit per lead item; other items join the unit before them. Returns the unit that
    takes the blocks after the list: the last one, only when its item had nothing under it."""
    for item in block.items:
        lead = _item_lead(item, in_list=len(block.items) > 1, announced=announced)
        if lead is None:
            stray = ListBlock(line=item.line, ordered=block.ordered, start=block.start,
                              items=[item])
            if current is not None:
                current.blocks.append(stray)
            continue
        paragraph = item.blocks[0]
        kind = "symptom" if announced else "lead"
        current = Unit(lead_title(lead[0]), paragraph.line, kind, list(lead[0]),
                       _paragraph(paragraph.line, lead[1]) + list(item.blocks[1:]))
        units.append(current)
    if current is not None and current.blocks:
        return None
    return current
