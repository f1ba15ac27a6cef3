"""Labelled fields of a section: bold labels in bullets and paragraphs, ``Label:`` lines.

Three ways teams write a field, all read here:

* a bullet that starts with a bold label: ``- **Root Cause:** text`` (colon inside or after);
* a paragraph that starts with one — ``**Symptoms:**`` — whose content is the blocks that follow
  (the list, fences …) up to the next label, rule or heading;
* a plain ``Symptom: text`` line, only for labels that name a known field.

Guide indexes add *entries*: a bold link paragraph (``**[Title](guide.md)**``) followed by its own
labelled bullets. Sub-headings named like fields are joined by the section reader (``reader.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from knownfix.core.docparse import rules as r
from knownfix.core.docparse.blocks import Block, Inline, ListBlock, ListItem, Paragraph, Rule
from knownfix.core.docparse.inline import plain, split_at_breaks, strip_inline
from knownfix.core.docparse.rules import field_key

_MAX_LABEL = 60
_PLAIN_LABEL = re.compile(r"^([A-Za-z][A-Za-z /&'()-]{0,40}?)\s*:(?:\s+|$)")


@dataclass
class Field:
    """One labelled field: the label as written, the field it names, its value and content."""

    label: str
    key: str | None
    line: int
    inline: Inline = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    origin: str = "paragraph"  # "item" (a labelled bullet), "paragraph" or "heading"

    def has_content(self) -> bool:
        return bool(self.blocks) or bool(plain(self.inline).strip())


@dataclass
class Entry:
    """A guide-index entry: a bold link and the labelled bullets under it."""

    title: str
    href: str
    line: int
    fields: list[Field] = field(default_factory=list)


@dataclass
class Extraction:
    """Fields of a section, its unlabelled blocks, and guide-index entries (if any)."""

    fields: list[Field] = field(default_factory=list)
    loose: list[Block] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)


def _with_content(token_list: Inline, content: str) -> Inline:
    """``token_list`` whose first (text) token now reads ``content``."""
    return [Token("text", "", 0, content=content), *token_list[1:]]


def split_label(line: Inline, *, plain_labels: bool = True) -> tuple[str, Inline] | None:
    """``(label, rest)`` when ``line`` starts with a field label, else None. ``plain_labels``
    also accepts an unformatted ``Symptom:`` (in paragraphs; in list items it is just text)."""
    tokens = strip_inline(line)
    if not tokens:
        return None
    first = tokens[0]
    if first.type in {"strong_open", "em_open"}:
        return _emphasis_label(tokens, first.type.replace("_open", "_close"))
    if first.type == "text" and plain_labels:
        match = _PLAIN_LABEL.match(first.content)
        if match and field_key(match.group(1)) is not None:
            return match.group(1).strip(), _with_content(tokens, first.content[match.end():])
    return None


def _emphasis_label(tokens: Inline, close: str) -> tuple[str, Inline] | None:
    end = next((j for j in range(1, len(tokens)) if tokens[j].type == close), None)
    if end is None:
        return None
    label = plain(tokens[1:end]).strip()
    rest = tokens[end + 1 :]
    if not label or len(label) > _MAX_LABEL or "\n" in label:
        return None
    if label.endswith(":"):
        return label[:-1].strip(), rest
    if rest and rest[0].type == "text" and rest[0].content.lstrip().startswith(":"):
        after = rest[0].content.lstrip()[1:].lstrip()
        return label, _with_content(rest, after)
    if not plain(rest).strip() and field_key(label) is not None:
        return label, []
    return None


def link_entry(paragraph: Paragraph) -> tuple[str, str] | None:
    """``(title, href)`` for a paragraph that is only a bold link: ``**[Title](file.md)**``."""
    tokens = [t for t in paragraph.inline if not (t.type == "text" and not t.content.strip())]
    types = [t.type for t in tokens]
    if len(tokens) < 4 or types[0] not in {"strong_open", "link_open"}:
        return None
    outer_close = "strong_close" if types[0] == "strong_open" else "link_close"
    inner_open = "link_open" if types[0] == "strong_open" else "strong_open"
    if types[1] != inner_open or types[-1] != outer_close:
        return None
    link = tokens[0] if types[0] == "link_open" else tokens[1]
    title = plain(tokens[2:-2]).strip()
    href = str(link.attrs.get("href", ""))
    return (title, href) if title else None


def _paragraph_fields(paragraph: Paragraph, origin: str = "paragraph") -> list[Field] | None:
    """Fields of a paragraph whose first line has a label; later label lines start more."""
    lines = split_at_breaks(paragraph.inline)
    plain_labels = origin == "paragraph"
    first = split_label(lines[0], plain_labels=plain_labels)
    if first is None:
        return None
    fields = [Field(first[0], field_key(first[0]), paragraph.line, list(first[1]), origin=origin)]
    for offset, line in enumerate(lines[1:], start=1):
        found = split_label(line, plain_labels=plain_labels)
        if found is not None:
            fields.append(Field(found[0], field_key(found[0]), paragraph.line + offset,
                                list(found[1]), origin=origin))
        else:
            fields[-1].inline.extend(line)  # a continuation line, with its break token
    return fields


def _item_fields(item: ListItem) -> list[Field] | None:
    if not item.blocks or not isinstance(item.blocks[0], Paragraph):
        return None
    fields = _paragraph_fields(item.blocks[0], origin="item")
    if fields is None:
        return None
    fields[-1].blocks.extend(item.blocks[1:])
    return fields


def _label_list_fields(block: ListBlock) -> list[list[Field] | None] | None:
    """Each item's fields when the list's items mostly start with a label (a label list)."""
    per_item = [_item_fields(item) for item in block.items]
    labelled = sum(1 for fields in per_item if fields is not None)
    return per_item if labelled > 0 and labelled * 2 >= len(block.items) else None


def extract(blocks: list[Block], *, entries: bool = True) -> Extraction:
    """Read the labelled fields (and guide-index entries) of one section's blocks."""
    out = Extraction()
    target = out.fields  # where labels go: the section, or the current entry
    current: Field | None = None  # the field that takes the blocks that follow
    for block in blocks:
        if isinstance(block, Paragraph):
            found_entry = link_entry(block) if entries else None
            if found_entry is not None:
                entry = Entry(title=found_entry[0], href=found_entry[1], line=block.line)
                out.entries.append(entry)
                target, current = entry.fields, None
                continue
            fields = _paragraph_fields(block)
            if fields is not None:
                target.extend(fields)
                current = fields[-1]
            elif current is not None:
                current.blocks.append(block)
            else:
                out.loose.append(block)
        elif isinstance(block, ListBlock):
            per_item = None if current is not None and not current.has_content() else (
                _label_list_fields(block)
            )
            if current is not None and not current.has_content():
                current.blocks.append(block)
            elif per_item is not None:
                current = _list_fields(block, per_item, target, out.loose)
            elif current is not None:
                current.blocks.append(block)
            else:
                out.loose.append(block)
        elif isinstance(block, Rule):
            current = None
        elif current is not None:
            current.blocks.append(block)
        else:
            out.loose.append(block)
    return out


def _list_fields(
    block: ListBlock, per_item: list[list[Field] | None], target: list[Field], loose: list[Block]
) -> Field | None:
    """Add the fields of a label list to ``target``; unlabelled items join the field before."""
    last: Field | None = None
    for item, fields in zip(block.items, per_item, strict=True):
        if fields is not None:
            target.extend(fields)
            last = fields[-1]
            continue
        stray = ListBlock(line=item.line, ordered=block.ordered, start=block.start, items=[item])
        if last is not None:
            last.blocks.append(stray)
        else:
            loose.append(stray)
    # A label with nothing after it in its bullet ("- **Verification:**") takes what follows.
    return last if last is not None and not last.has_content() else None


def split_repeated(fields: list[Field]) -> list[list[Field]]:
    """Fields split where a symptom label comes back after a fix (``**Symptom**: … **Solution**:
    … **Symptom**: … **Solution**: …`` under one heading): each pair is a problem of its own."""
    groups: list[list[Field]] = [[]]
    fixed = False
    for item in fields:
        if item.key == r.SYMPTOMS and fixed and item.origin != "heading":
            groups.append([])
            fixed = False
        groups[-1].append(item)
        fixed = fixed or item.key in {r.RESOLUTION, r.MITIGATION}
    return [group for group in groups if group]


def lead_title(symptom: Field) -> str:
    """A title for a further problem under one heading: its symptom's first sentence."""
    text = " ".join(plain(symptom.inline).split())
    return text.split(". ")[0].rstrip(".")[:120] or symptom.label
