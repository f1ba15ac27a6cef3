"""Labelled fields → a known issue under construction (a ``Draft``) → a ``KnownIssue``.

Where each label goes is decided here, in one place: symptoms stay literal, a fix's numbered list
becomes its steps and its fences become commands, a mitigation stands in for a missing resolution,
a follow-up counts as prevention, and every label without a field of its own lands in ``extra``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knownfix.core.docparse import rules as r
from knownfix.core.docparse.blocks import Block, Fence, Inline, ListBlock, Paragraph, Quote
from knownfix.core.docparse.cleanup import clean_word_value, collapse_spaces, strip_decoration
from knownfix.core.docparse.commands import language, split_commands
from knownfix.core.docparse.content import (
    VERBATIM,
    block_text,
    blocks_text,
    fence_text,
    item_text,
    plain_items,
    top_list_items,
)
from knownfix.core.docparse.fields import Field
from knownfix.core.docparse.inline import is_only_code, lite, plain
from knownfix.core.docparse.meaning.cues import opens_with_instruction, sets_up
from knownfix.core.docparse.meaning.literals import fence_kind, printed_lines, prompted_commands
from knownfix.core.docparse.yamltext import parse_signature
from knownfix.core.records import KnownIssue, SignatureRules, SourceRef

_QUOTES_ERROR = re.compile(
    r"`|\"[^\"]+\"|\b(error|exception|fail\w*|crash\w*|denied|refused|missing|not found|"
    r"warning|timed? ?out|cannot|can't|unable)\b",
    re.IGNORECASE,
)
CONTEXT = "Context"  # extra key for the commands that set up or reproduce a failure
RESOLUTION_LABEL = "Resolution"
# Fields that describe; a fix written at their end is moved to the resolution.
_DESCRIPTIVE = frozenset({r.SYMPTOMS, r.ROOT_CAUSE, r.SUMMARY, r.CONTEXT, r.IMPACT})
_WORD_VALUES = frozenset({r.STATUS, r.SELF_HEALING, r.SEVERITY})
_META = frozenset({r.SEVERITY, r.STATUS, r.CATEGORY, r.RESPONSE_TIME, r.ESCALATION,
                   r.SELF_HEALING})


@dataclass
class Fix:
    """A resolution or mitigation as read: text, numbered steps, and the label it came under."""

    label: str
    text: str
    steps: list[str]


@dataclass
class Draft:
    """A known issue being read; fields accumulate, ``finish`` makes the record."""

    title: str
    line: int
    issue_id: str | None = None
    symptoms: list[str] = field(default_factory=list)
    root_cause: list[str] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)
    mitigations: list[Fix] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    verification: list[str] = field(default_factory=list)
    prevention: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    signature: SignatureRules = field(default_factory=SignatureRules)
    keys: set[str] = field(default_factory=set)
    labels: list[str] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)

    def is_issue(self) -> bool:
        """Enough to be an issue: a symptom, cause or fix, plus one more issue field."""
        content = self.keys & r.ISSUE_KEYS
        return bool(content & r.CORE_KEYS) and len(content) >= 2

    def add_extra(self, label: str, text: str) -> None:
        if not text:
            return
        self.extra[label] = f"{self.extra[label]}\n\n{text}" if label in self.extra else text


def clean_label(label: str) -> str:
    return collapse_spaces(strip_decoration(label))


def apply_field(draft: Draft, item: Field) -> None:
    """Put one labelled field where it belongs in ``draft``."""
    label = clean_label(item.label)
    draft.labels.append(label)
    if item.key is not None:
        draft.keys.add(item.key)
    blocks = _take_signatures(draft, item.blocks)
    key = item.key
    if key in _DESCRIPTIVE and item.origin != "heading":
        blocks, trailing = split_trailing_fix(blocks)
        if trailing:
            draft.fixes.append(_fix(RESOLUTION_LABEL, [], trailing))
            draft.commands.extend(_fence_commands(trailing))
            draft.keys.add(r.RESOLUTION)
    if key == r.SYMPTOMS:
        draft.symptoms.extend(_symptoms(item.inline, blocks, draft))
    elif key == r.SUMMARY:
        text = _prose(item.inline, blocks)
        draft.add_extra(label, text)
        if text and _QUOTES_ERROR.search(text):
            draft.symptoms.extend(_symptoms(item.inline, blocks, draft))
    elif key == r.ROOT_CAUSE:
        _append(draft.root_cause, _prose(item.inline, blocks))
    elif key in {r.RESOLUTION, r.MITIGATION}:
        fix = _fix(label, item.inline, blocks)
        draft.commands.extend(_fence_commands(blocks))
        (draft.fixes if key == r.RESOLUTION else draft.mitigations).append(fix)
    elif key in {r.COMMANDS, r.VERIFICATION}:
        target = draft.commands if key == r.COMMANDS else draft.verification
        target.extend(_command_items(item.inline, blocks))
    elif key == r.DIAGNOSIS:
        draft.commands.extend(_fence_commands(blocks))
        draft.add_extra(label, _prose(item.inline, blocks, fences=False))
    elif key == r.PREVENTION:
        _append(draft.prevention, _prose(item.inline, blocks))
    elif key == r.TAGS:
        value = _value(item.inline, blocks)
        draft.tags.extend(t.strip() for t in value.split(",") if t.strip())
    elif key in _META:
        value = _value(item.inline, blocks)
        if key in _WORD_VALUES:
            value = clean_word_value(value)
        if value:
            draft.meta.setdefault(key, value)
    elif key == r.SIGNATURE:
        draft.add_extra(label, _prose(item.inline, blocks))
    else:
        draft.add_extra(label, _prose(item.inline, blocks))


def split_trailing_fix(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """A bold label takes every block up to the next label. When those blocks turn from
    describing to instructing (``**Cause:** … `` then "Open UDP 8472, then restart the pods:"),
    the instruction and what follows it are the fix, not more of the cause."""
    for index, block in enumerate(blocks):
        if isinstance(block, Paragraph) and opens_with_instruction(plain(block.inline)):
            return blocks[:index], blocks[index:]
    return blocks, []


def _append(parts: list[str], text: str) -> None:
    if text:
        parts.append(text)


def _take_signatures(draft: Draft, blocks: list[Block]) -> list[Block]:
    """Read ```signature fences into the draft; return the other blocks."""
    rest: list[Block] = []
    for block in blocks:
        if isinstance(block, Fence) and language(block.info) == "signature":
            rules, problems = parse_signature(fence_text(block), block.line)
            draft.signature.contains.extend(rules.contains)
            draft.signature.regex.extend(rules.regex)
            draft.problems.extend(problems)
        else:
            rest.append(block)
    return rest


def _verbatim(inline: Inline, blocks: list[Block]) -> str | None:
    """The text of a lone ```verbatim fence (how knownfix writes text Markdown would alter)."""
    if len(blocks) == 1 and isinstance(blocks[0], Fence) and not plain(inline).strip():
        fence = blocks[0]
        if language(fence.info) == VERBATIM:
            return fence_text(fence)
    return None


def _prose(inline: Inline, blocks: list[Block], *, fences: bool = True) -> str:
    verbatim = _verbatim(inline, blocks)
    if verbatim is not None:
        return verbatim
    parts = [lite(inline).strip(), blocks_text(blocks, fences=fences)]
    return "\n\n".join(p for p in parts if p)


def _value(inline: Inline, blocks: list[Block]) -> str:
    parts = [plain(inline)] + [plain(b.inline) for b in blocks if isinstance(b, Paragraph)]
    return collapse_spaces(" ".join(parts))


def _symptoms(inline: Inline, blocks: list[Block], draft: Draft) -> list[str]:
    """Symptom lines as written. In a console transcript only what the tool printed is a
    symptom; the commands that reproduce it (``$ ip addr``) are kept as context."""
    out = [plain(inline).strip()] if plain(inline).strip() else []
    for text, source in plain_items(blocks):
        if not text:
            continue
        kind = fence_kind(source) if isinstance(source, Fence) else ""
        if isinstance(source, Paragraph) and text.endswith(":") and sets_up(text):
            draft.add_extra(CONTEXT, text)  # "To see it, run from a debug pod:"
        elif kind == "transcript":
            draft.add_extra(CONTEXT, "\n".join(prompted_commands(text)))
            out.extend(printed_lines(text))
        elif kind == "commands" and prompted_commands(text) and not printed_lines(text):
            draft.add_extra(CONTEXT, "\n".join(prompted_commands(text)))  # only "$ ip addr"
        else:
            out.append(text)
    return out


def _fix(label: str, inline: Inline, blocks: list[Block]) -> Fix:
    verbatim = _verbatim(inline, blocks)
    if verbatim is not None:
        return Fix(label=label, text=verbatim, steps=[])
    steps = [item_text(item, fences=False) for item in top_list_items(blocks)]
    parts = [lite(inline).strip()] + [block_text(b, fences=False, numbered=True) for b in blocks]
    return Fix(label=label, text="\n\n".join(p for p in parts if p), steps=[s for s in steps if s])


def _fence_commands(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Fence) and language(block.info) != VERBATIM:
            out.extend(split_commands(fence_text(block), block.info))
        elif isinstance(block, ListBlock):
            for entry in block.items:
                out.extend(_fence_commands(entry.blocks))
        elif isinstance(block, Quote):
            out.extend(_fence_commands(block.blocks))
    return out


def _command_items(inline: Inline, blocks: list[Block]) -> list[str]:
    """Commands and checks: fenced commands one by one, a lone code span as its command,
    other text as written (leading ✅-style marks dropped)."""
    out: list[str] = []
    if plain(inline).strip():
        out.append(_inline_item(inline))
    for block in blocks:
        if isinstance(block, Fence) and language(block.info) == VERBATIM:
            out.append(fence_text(block))
        elif isinstance(block, Fence):
            out.extend(split_commands(fence_text(block), block.info))
        elif isinstance(block, Paragraph):
            out.append(_inline_item(block.inline))
        elif isinstance(block, ListBlock):
            for entry in block.items:
                out.extend(_command_items([], entry.blocks))
        elif isinstance(block, Quote):
            out.extend(_command_items([], block.blocks))
    return [item for item in out if item]


def _inline_item(inline: Inline) -> str:
    if is_only_code(inline):
        return plain(inline).strip()
    return strip_decoration(lite(inline).strip())


def merge(into: Draft, other: Draft) -> None:
    """Enrich ``into`` with what ``other`` says (a detail section for a matrix row)."""
    for symptom in other.symptoms:
        if symptom not in into.symptoms:
            into.symptoms.append(symptom)
    into.root_cause.extend(other.root_cause)
    into.fixes.extend(other.fixes)
    into.mitigations.extend(other.mitigations)
    into.commands.extend(other.commands)
    into.verification.extend(other.verification)
    into.prevention.extend(other.prevention)
    for key, value in other.meta.items():
        into.meta.setdefault(key, value)
    into.tags.extend(t for t in other.tags if t not in into.tags)
    for label, text in other.extra.items():
        into.add_extra(label, text)
    into.signature.contains.extend(other.signature.contains)
    into.signature.regex.extend(other.signature.regex)
    into.keys |= other.keys
    into.labels.extend(other.labels)
    into.problems.extend(other.problems)


def finish(draft: Draft, issue_id: str, path: str) -> KnownIssue:
    """The record: fixes joined into ``resolution``; a mitigation stands in when there is no fix."""
    fixes, others = draft.fixes, draft.mitigations
    if not fixes:
        fixes, others = draft.mitigations, []
    for fix in others:
        draft.add_extra(fix.label, fix.text)
    meta = draft.meta
    return KnownIssue(
        id=issue_id,
        title=draft.title,
        symptoms=list(dict.fromkeys(draft.symptoms)),
        signature=draft.signature,
        root_cause="\n\n".join(draft.root_cause),
        resolution="\n\n".join(f.text for f in fixes if f.text),
        resolution_steps=[step for f in fixes for step in f.steps],
        commands=list(draft.commands),
        verification=list(draft.verification),
        prevention="\n\n".join(draft.prevention),
        category=meta.get(r.CATEGORY),
        severity=meta.get(r.SEVERITY),
        status=meta.get(r.STATUS),
        self_healing=meta.get(r.SELF_HEALING),
        response_time=meta.get(r.RESPONSE_TIME),
        escalation=meta.get(r.ESCALATION),
        tags=list(dict.fromkeys(draft.tags)),
        source=SourceRef(path=path, line=draft.line),
        extra=dict(draft.extra),
    )
