"""Entries written as prose inside one section: paragraphs that open by stating a problem ("If you
see `x509: …`", "When the daemon fails with …") each start an entry once the one before it has
given its fix; the paragraph's first sentence is the entry's title."""

from __future__ import annotations

import re

from markdown_it.token import Token

from knownfix.core.docparse.assemble import Draft
from knownfix.core.docparse.blocks import Block, Fence, Inline, ListBlock, Paragraph
from knownfix.core.docparse.cleanup import collapse_spaces
from knownfix.core.docparse.inline import plain
from knownfix.core.docparse.meaning.cues import (
    opens_with_condition,
    problem_strength,
    sentences,
    starts_with_problem,
    text_cues,
)
from knownfix.core.docparse.meaning.literals import literals_of
from knownfix.core.docparse.meaning.titles import TitleReading
from knownfix.core.docparse.meaning.units import ASIDE_PREFIX, MAX_TITLE, Unit, text_token


def opens_problem(paragraph: Paragraph) -> bool:
    """A paragraph whose first sentence states a problem ("If you see …", a quoted error)."""
    text = plain(paragraph.inline).strip()
    first = sentences(text)[:1]
    if not first:
        return False
    if starts_with_problem(text):
        return True
    if _printed_condition(paragraph):
        return True  # "When the server logs `x509: …`, …": the condition is a printed error
    cues = text_cues(first[0])
    return bool(literals_of(paragraph.inline)) and cues.problem > 0 and cues.remedy == 0


def _printed_condition(paragraph: Paragraph) -> Inline:
    """The first sentence of a paragraph that opens with a condition quoting printed error text,
    as inline tokens; empty otherwise."""
    first = _first_sentence(paragraph.inline)
    if not opens_with_condition(plain(first).strip()) or not literals_of(first):
        return []
    return first


def _first_sentence(inline: Inline) -> Inline:
    """The tokens of an inline run up to the end of its first sentence (code spans whole)."""
    out: Inline = []
    for token in inline:
        if token.type == "text" and re.search(r"[.!?](?:\s|$)", token.content):
            out.append(text_token(re.split(r"(?<=[.!?])(?:\s|$)", token.content, maxsplit=1)[0]))
            break
        out.append(token)
    return out


def introduces_output(paragraph: Paragraph, following: Block | None) -> bool:
    """A paragraph that names a failure and hands over to its output ("… with the following
    error message:" and then the message in a code block)."""
    text = plain(paragraph.inline).strip()
    return (isinstance(following, Fence) and text.endswith(":")
            and problem_strength(text) >= 1.0 and text_cues(text).instructions == 0)


def split_prose(blocks: list[Block]) -> list[Unit]:
    """Entries that open with a problem sentence; a new one starts once the current has a fix."""
    units: list[Unit] = []
    current: Unit | None = None
    fixed = False
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if isinstance(block, Paragraph) and (current is None or fixed) and (
            opens_problem(block) or introduces_output(block, following)
        ):
            # A condition that quotes printed text ("When the server logs `x509: …`") keeps its
            # first sentence as the title's inline, so that the quote counts as the error.
            printed = [] if starts_with_problem(plain(block.inline)) else _printed_condition(block)
            title = (collapse_spaces(literals_of(printed)[0])[:MAX_TITLE] if printed
                     else prose_title(block))
            current = Unit(title, block.line, "prose", printed, [block])
            units.append(current)
            fixed = text_cues(plain(block.inline)).remedy > 0
            continue
        if current is None:
            continue
        current.blocks.append(block)
        if isinstance(block, (Fence, ListBlock)) or (
            isinstance(block, Paragraph) and text_cues(plain(block.inline)).remedy > 0
        ):
            fixed = True
    return units


# Words that tie a paragraph to the one before ("As such, …", "However, …"): what follows them
# is the sentence's own subject.
_CONNECTIVE = re.compile(
    r"^(?:as such|but|however|therefore|thus|conversely|instead|otherwise|similarly|also"
    r"|additionally|in addition|for example|for instance|note that|finally|then|so)\s*,\s*",
    re.IGNORECASE)


def prose_title(paragraph: Paragraph) -> str:
    """A title for an entry written as prose: its quoted error, else its first sentence."""
    literals = literals_of(paragraph.inline)
    if literals and problem_strength(literals[0]) > 0:
        return collapse_spaces(literals[0])[:MAX_TITLE]
    # Tags are markup, not the title's words (unless the paragraph is nothing else).
    text = plain([t for t in paragraph.inline if t.type != "html_inline"]).strip() or plain(
        paragraph.inline)
    first = sentences(collapse_spaces(text))[0]
    first = ASIDE_PREFIX.sub("", first)
    tied = _CONNECTIVE.sub("", first, count=1)  # "As such, …", "But, …": no title
    if tied and tied != first:
        first = tied[:1].upper() + tied[1:]
    first = re.split(r"(?<=\w)[,;:]\s", first, maxsplit=1)[0].rstrip(".:")
    if len(first) <= MAX_TITLE:
        return first
    return first[: MAX_TITLE - 1].rsplit(" ", 1)[0] + "…"


def retitle_opening(drafts: list[Draft], heading: str, reading: TitleReading,
                    first_line: int) -> None:
    """A prose entry that opens its section is titled by the section's heading when its own
    first clause names no problem: "When installing Livewire, you may run into error messages
    like the following:" under "## Multiple instances of Alpine" is about that heading, and
    "When installing Livewire" is only when it happens. (Lines stay; only the title moves.)"""
    if not first_line or reading.topic or reading.howto or reading.question:
        return
    heading = heading.strip().rstrip(":").strip()
    for draft in drafts:
        if draft.line == first_line and heading and problem_strength(draft.title) == 0 and (
            draft.title not in draft.symptoms
        ):
            draft.title = heading


# A heading wholly in one pair of quotes: `"What's my login password?"`.
_WRAPPED = re.compile(r'^\s*(?:"([^"\n]+)"|“([^”\n]+)”)\s*$')


def unquoted_question(unit: Unit) -> Unit:
    """A heading written as a quoted question (``#### "What's my login password?"``, as some FAQs
    title every entry) is the question itself, not a quoted message: a program prints messages,
    a reader asks questions. Decided by the quoted text's form, a sentence ending in "?", so a
    quoted message (``"Filesystem is slow"``) stays framed as the problem."""
    match = _WRAPPED.match(unit.title)
    inner = next((g for g in match.groups() if g), "") if match else ""
    if not inner.rstrip().endswith("?") or len(inner.split()) < 3:
        return unit
    inline = [t for t in unit.title_inline if t.type != "text" or t.content.strip()]
    if not inline or inline[0].type != "text" or inline[-1].type != "text":
        return unit
    first = Token("text", "", 0, content=inline[0].content.lstrip().lstrip('"“'))
    last_content = (first.content if len(inline) == 1 else inline[-1].content).rstrip()
    last = Token("text", "", 0, content=last_content.rstrip('"”'))
    body = [last] if len(inline) == 1 else [first, *inline[1:-1], last]
    return Unit(inner.strip(), unit.line, unit.kind, body, unit.blocks)
