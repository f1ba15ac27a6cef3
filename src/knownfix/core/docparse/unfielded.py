"""A section without issue fields, handed to the meaning reader (``meaning.compose``): the
issues it describes, the notes for its parts that are none, and what it tells the sibling
vote. Split from ``reader`` (the importer's spine), which applies the outcome."""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it.token import Token

from knownfix.core.docparse.blocks import Heading, Inline
from knownfix.core.docparse.fields import Field
from knownfix.core.docparse.meaning.compose import read_section
from knownfix.core.docparse.open_sections import Found, OpenSection
from knownfix.core.docparse.siblings import Hopeful


@dataclass
class Unfielded:
    """What reading one section for its meaning gave: issues and notes, or why none."""

    found: list[Found] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    reason: str | None = None  # None when it gave issues


def read_unfielded(entry: OpenSection, reason: str) -> Unfielded:
    """Read a section without issue fields for its meaning: the issues it gives and the notes
    for what is not one; ``reason`` is None when it gave issues, else the reason to report
    (today's, or what the meaning reader found)."""
    node = entry.node
    blocks = list(node.blocks)
    for sub in entry.sub_fields:
        blocks.append(Heading(line=sub.line, level=node.level + 1, inline=title_inline(sub)))
        blocks += sub.blocks
    if not entry.issue_children:
        blocks += entry.absorbed
    if not blocks:
        return Unfielded(reason=reason)
    found = read_section(node.title, node.inline, node.line, blocks, level=node.level)
    entry.title_named, entry.troubled = found.title_named, found.troubled
    if found.fallback is not None:
        entry.hopeful = Hopeful(found.fallback, node.line)
    if found.drafts:
        taken = [Found(d, "meaning") for d in found.drafts]
        out = Unfielded(found=taken)
        entry.weak = [f for f in taken if any(f.draft is d for d in found.weak)]
        for line, message in found.skipped:
            out.notes.append((line, f"{message}; not imported"))
        # Headings named like fields before the first of these issues are reported, not
        # lost (later ones are part of the issue above them).
        first = min(d.line for d in found.drafts)
        subs = sorted(entry.sub_fields, key=lambda f: f.line)
        for index, sub in enumerate(subs):
            end = subs[index + 1].line if index + 1 < len(subs) else None
            if not sub.has_content() or (end is not None and end <= first):
                why = "an empty section" if not sub.has_content() else "no issue under it"
                out.notes.append((sub.line, f"{sub.label!r} is not an issue: {why}"))
        if not entry.issue_children:
            entry.pending.clear()  # the absorbed sub-sections are part of these issues
        return out
    if found.named_problem and not entry.issue_children and not entry.children:
        # Sub-headings named like fields ("### Errors") were read as part of it: say so.
        labels = ", ".join(dict.fromkeys(sub.label for sub in entry.sub_fields))
        return Unfielded(reason=f"{found.reason}; read with its fields ({labels})" if labels
                         else found.reason)
    if found.reason and not entry.children and reason.startswith("no labelled issue fields"):
        # A prose section: what the meaning reader found is the reason, not missing labels.
        return Unfielded(reason=found.reason)
    return Unfielded(reason=reason)


def title_inline(sub: Field) -> Inline:
    """A field heading's title as inline tokens (for the heading block handed to meaning)."""
    return [Token("text", "", 0, content=sub.label)]
