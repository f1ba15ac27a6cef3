"""The importer's spine: sections in, known issues (and what was skipped, and why) out.

Sections arrive one at a time (``sections.iter_nodes``). A stack rebuilds their nesting: a section
is decided when the next heading at its level or above arrives, so only the open path of headings
is held. Sub-headings named like fields (``## Symptoms``) join the section above them. State that
spans the document (a status matrix, a response matrix, front matter) is kept here and applied in
``finish``: details merge into matrix rows, guides join their response-matrix row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from knownfix.core.docparse import rules as r
from knownfix.core.docparse.assemble import finish
from knownfix.core.docparse.blocks import Block, Heading
from knownfix.core.docparse.chunks import Chunk, FrontMatter, read_chunks, split_lines
from knownfix.core.docparse.fields import Field, extract, lead_title, split_repeated
from knownfix.core.docparse.ids import KEYED_TITLE, derive_id, unique_id
from knownfix.core.docparse.markup import strip_site_markup
from knownfix.core.docparse.matrices import read_matrices
from knownfix.core.docparse.meaning.causes import inherit_problem, merge_causes
from knownfix.core.docparse.meaning.titles import read_title
from knownfix.core.docparse.open_sections import FieldSection, Found, OpenSection, resolve_keyed
from knownfix.core.docparse.rules import field_key, normalize_label
from knownfix.core.docparse.sections import Node, iter_nodes
from knownfix.core.docparse.shapes import DocStats, detect_shape
from knownfix.core.docparse.shapes.guide_index import entry_drafts
from knownfix.core.docparse.shapes.knownfix import (
    Meta,
    Problem,
    apply_to_draft,
    apply_to_record,
    confirms,
    read_front_matter,
)
from knownfix.core.docparse.shapes.labelled import (
    complete_from_title,
    is_template,
    section_draft,
    skip_reason,
)
from knownfix.core.docparse.shapes.runbook import join_policy
from knownfix.core.docparse.siblings import DEMOTED, cast, settle
from knownfix.core.docparse.unfielded import read_unfielded, title_inline
from knownfix.core.records import ParsedDocument, PolicyRow, Skipped

MAX_REPORTS = 10_000  # skipped parts reported one by one; past this, only counted
MAX_ABSORBED = 400  # blocks of sub-sections a section keeps as part of its own text
# Fields that may sit at the level of the entry they belong to (``### Solution``).
LATE_FIELD_KEYS = frozenset({r.RESOLUTION, r.MITIGATION, r.ROOT_CAUSE, r.VERIFICATION,
                             r.PREVENTION})


class DocumentReader:
    """Feed it front matter and sections in order; ``finish`` returns the parsed document."""

    def __init__(self, path: str, doc_key: str) -> None:
        self.path = path
        self.doc_key = doc_key
        document = OpenSection(Node(level=0, title="", line=1))
        self.stack: list[OpenSection | FieldSection] = [document]
        self.found: list[Found] = []
        self.policy_rows: list[PolicyRow] = []
        self.skipped: list[Skipped] = []
        self.problems: list[Problem] = []
        self.meta: Meta | None = None
        self.canonical: Found | None = None  # the issue the front matter belongs to
        self.unreported = 0
        self.stats = DocStats()

    # -- input -----------------------------------------------------------------------------
    def front_matter(self, front: FrontMatter) -> None:
        self.meta, problems = read_front_matter(front)
        for problem in problems:
            self._note(problem.line, problem.message, problem.severity)

    def feed(self, node: Node) -> None:
        if self.meta is not None and self.meta.provisional:
            verdict = confirms(self.meta, node.level, node.title)
            if verdict is False:
                self.meta = None  # a site page's id/title, not knownfix metadata
            elif verdict:
                self.meta.provisional = False
        if node.level == 0:
            self.stack[0] = OpenSection(node)
            return
        key = field_key(node.title)
        while len(self.stack) > 1 and self.stack[-1].level >= node.level:
            if self._is_late_field(key, node):
                break
            self._close(self.stack.pop())
        top = self.stack[-1]
        if isinstance(top, FieldSection) or (isinstance(top, OpenSection) and top.in_field):
            if isinstance(top, OpenSection):
                top.children += 1
            self.stack.append(OpenSection(node, in_field=True))
            return
        # A heading named like a field among sibling sections that were issues ("## Errors"
        # after "## Why does X fail?") is a category of the page, not a field of its heading.
        category = key is not None and top.issue_children > 0 and not top.sub_fields
        if (key is not None and not category) or self._is_extra_heading(top, node):
            sub = Field(node.title, key, node.line, blocks=list(node.blocks), origin="heading")
            top.sub_fields.append(sub)
            self.stack.append(FieldSection(node.level, sub, top))
            return
        top.children += 1
        self.stack.append(OpenSection(node, found_from=len(self.found)))

    def _is_late_field(self, key: str | None, node: Node) -> bool:
        """``### Solution`` at the level of the entry it belongs to (``### 3) Title``,
        ``#### Symptom``, then ``### Solution``): a field of that entry, not a section."""
        top = self.stack[-1]
        return (
            key in LATE_FIELD_KEYS
            and self.meta is None
            and isinstance(top, OpenSection)
            and not top.in_field
            and top.level == node.level
            and any(f.origin == "heading" and f.key in r.ISSUE_KEYS for f in top.sub_fields)
            and key not in {f.key for f in top.sub_fields}
        )

    def _is_extra_heading(self, top: OpenSection, node: Node) -> bool:
        """Whether a heading named like no field (``## Timeline``) is one more field of the
        section above: always in knownfix's format (every ``##`` under the issue is a field),
        elsewhere only once that section reads as an issue through field sub-headings and the
        heading has no issue fields of its own."""
        if self.meta is not None and top.level <= 1 < node.level:
            return True
        if KEYED_TITLE.match(node.title):
            return False
        so_far = section_draft(top.node.title, top.node.line, top.sub_fields, [])
        if not so_far.is_issue():
            return False
        own = extract(node.blocks)
        return not section_draft(node.title, node.line, own.fields, own.loose).is_issue()

    # -- one section -----------------------------------------------------------------------
    def _note(self, line: int, message: str, severity: str = "warning") -> None:
        if len(self.skipped) >= MAX_REPORTS:
            self.unreported += 1  # memory stays bounded on huge documents of non-issues
            return
        self.skipped.append(Skipped(path=self.path, line=line, reason=message))
        self.problems.append(Problem(line, message, severity))

    def _close(self, entry: OpenSection | FieldSection) -> None:
        if isinstance(entry, FieldSection):
            if entry.issue_children and entry.field in entry.owner.sub_fields:
                # A category heading named like a field (``## Errors``, ``## CLI``).
                entry.owner.sub_fields.remove(entry.field)
                entry.owner.issue_children += entry.issue_children
                self._note(entry.field.line, f"{entry.field.label!r} is not an issue: a heading "
                                             f"that groups {entry.issue_children} issue(s)")
            return
        self._apply_votes(entry)
        before = len(self.found)
        notes = self._decide(entry)
        # Notes of sub-sections this one absorbed, unless an issue made of them took them.
        notes = entry.pending + notes
        entry.pending = []
        made = len(self.found) > before
        if not made:
            # Its fields took sub-sections ("## Commands" over "### `tool run`"), and it is no
            # issue: they are not part of one either, and each still says why.
            notes = entry.field_notes + notes
        entry.field_notes = []
        if entry.issue_children:
            # Issues of its sub-sections that no nearer heading took: "Cause 1" under this one.
            mine = [f for f in self.found[entry.found_from:before] if not f.claimed]
            for f in mine:
                f.claimed = True
            merged = None if made else merge_causes(
                entry.node.title, entry.node.line, entry.node.blocks, [f.draft for f in mine])
            if merged is not None:
                self.found = [f for f in self.found if all(f is not m for m in mine)]
                self.found.append(Found(merged, "meaning", claimed=True))
                made = True
                # The heading is an issue now: its own "not an issue" note goes.
                notes = [(line, message) for line, message in notes if line != entry.node.line]
            else:
                inherit_problem(entry.node.title, entry.node.blocks, [f.draft for f in mine])
        parent = self.stack[-1] if self.stack else None
        if made and parent is not None:
            parent.issue_children += 1
        elif not made and parent is not None and (entry.in_field or self._absorbs(parent)) and (
            entry.node.blocks or entry.sub_fields or entry.absorbed or entry.in_field
        ):
            cast(entry, parent, made, handed_up=True)
            self._hand_up(entry, parent, notes)
            return
        for line, message in notes:
            self._note(line, message)
        cast(entry, parent, made, handed_up=False)

    def _apply_votes(self, entry: OpenSection) -> None:
        """Promote or demote the unclear sub-sections of ``entry`` (``siblings.py``)."""
        self.found, promoted, demoted = settle(entry, self.found, read_title(entry.node.title))
        for hopeful in promoted:
            self.found.append(Found(hopeful.draft, "meaning", claimed=True))
            self.skipped = [s for s in self.skipped if s.line != hopeful.line]
            self.problems = [p for p in self.problems if p.line != hopeful.line]
        for weak in demoted:
            self._note(weak.draft.line, f"{weak.draft.title!r} {DEMOTED}")

    def _absorbs(self, parent: OpenSection | FieldSection) -> bool:
        """Whether a parent takes a non-issue sub-section as part of its own text: one that
        names a problem ("### On Linux" under "## Build fails with …") and has no issue
        sub-sections (then it is a category, and its sub-sections stand alone)."""
        if isinstance(parent, FieldSection) or self.meta is not None:
            return False
        if parent.level == 0 or parent.issue_children or len(parent.absorbed) >= MAX_ABSORBED:
            return False
        reading = read_title(parent.node.title)
        return (reading.problem >= 0.5 and not reading.topic) or any(
            f.key in r.ISSUE_KEYS for f in parent.sub_fields
        )

    def _hand_up(self, entry: OpenSection, parent: OpenSection | FieldSection,
                 notes: list[tuple[int, str]]) -> None:
        node = entry.node
        blocks: list[Block] = [Heading(line=node.line, level=node.level, inline=node.inline)]
        blocks += node.blocks
        for sub in entry.sub_fields:
            blocks.append(Heading(line=sub.line, level=node.level + 1, inline=title_inline(sub)))
            blocks += sub.blocks
        blocks += entry.absorbed
        if isinstance(parent, FieldSection):
            parent.field.blocks.extend(blocks)
            if len(blocks) == 1 and not entry.sub_fields:
                self._note(node.line, f"{node.title!r} is not an issue: an empty section")
            else:
                parent.owner.field_notes.extend(notes)
            return
        parent.absorbed.extend(blocks)
        parent.pending.extend(notes)

    def _decide(self, entry: OpenSection) -> list[tuple[int, str]]:
        """Find the issues of one section; return the notes for what is not one."""
        node = entry.node
        notes: list[tuple[int, str]] = []
        extraction = extract(node.blocks)
        loose, other_tables, produced, matrix_note = self._tables(extraction.loose)
        if extraction.entries:
            drafts, skipped = entry_drafts(extraction.entries, node.title)
            for line, reason in skipped:
                self._note(line, reason)
            self.found.extend(Found(d, "entry") for d in drafts)
            produced = produced or bool(drafts)
        first, *others = split_repeated(extraction.fields) or [[]]
        fields = first + entry.sub_fields
        draft = section_draft(node.title, node.line, fields, loose)
        keyed = KEYED_TITLE.match(node.title)
        if self._takes_canonical_slot(node):
            # knownfix's own format: the front matter says this is an issue, fields or not.
            self.canonical = Found(draft, "section")
            self.found.append(self.canonical)
        elif keyed is not None:
            draft.issue_id, draft.title = keyed.group("id"), keyed.group("title").strip()
            self.found.append(Found(draft, "keyed"))
        elif not is_template(node.title) and draft.is_issue():
            bullets = sum(1 for f in fields if f.origin == "item")
            complete_from_title(draft, node.inline)
            self.found.append(Found(draft, "section", bulleted=bullets * 2 > len(fields)))
            for group in others:  # further Symptom/Solution pairs under the same heading
                more = section_draft(lead_title(group[0]), group[0].line, group, [])
                if more.is_issue():
                    self.found.append(Found(more, "section"))
        elif not produced and (node.level > 0 or node.blocks or entry.sub_fields):
            reason = matrix_note or skip_reason(draft, node.blocks, entry.children, other_tables)
            meaning = self._meaning(entry, reason)
            if meaning is None:
                return notes
            reason = meaning
            if node.level == 0 and not node.blocks:
                # Headings named like fields (## Errors) with no section above them: each one.
                notes += [(sub.line, f"{sub.label!r} is not an issue: {reason}")
                          for sub in entry.sub_fields]
                return notes
            where = "text before the first heading" if node.level == 0 else repr(node.title)
            notes.append((node.line, f"{where} is not an issue: {reason}"))
            # Empty headings named like fields ("### Errors" with nothing under it) say so.
            notes += [(sub.line, f"{sub.label!r} is not an issue: an empty section")
                      for sub in entry.sub_fields if not sub.has_content()]
        return notes

    def _meaning(self, entry: OpenSection, reason: str) -> str | None:
        """Read a section without issue fields for its meaning (``unfielded``). Returns None
        when it gave issues, else the reason to report."""
        if self.meta is not None or is_template(entry.node.title):
            return reason
        outcome = read_unfielded(entry, reason)
        self.found.extend(outcome.found)
        for line, message in outcome.notes:
            self._note(line, message)
        return outcome.reason

    def _takes_canonical_slot(self, node: Node) -> bool:
        if self.meta is None or self.canonical is not None:
            return False
        return node.level == 1 or (node.level == 0 and not self.found)

    def _tables(self, blocks: list[Block]) -> tuple[list[Block], list[list[str]], bool, str]:
        """Read the matrices among a section's unlabelled blocks; return what is left."""
        read = read_matrices(blocks, self.path)
        self.found.extend(Found(d, "matrix") for d in read.drafts)
        self.policy_rows.extend(read.policy_rows)
        for line, message in read.notes:
            self._note(line, message)
        return read.loose, read.other, bool(read.drafts), read.note

    # -- the whole document ----------------------------------------------------------------
    def finish(self) -> ParsedDocument:
        while self.stack:
            self._close(self.stack.pop())
        kept = resolve_keyed(self.found, self._note)
        kept.sort(key=lambda f: f.draft.line)
        for item in kept:
            if self.policy_rows and item.kind == "section":
                join_policy(item.draft, self.policy_rows)
        owner = self.canonical or (kept[0] if kept else None)
        if self.meta is not None and owner is not None:
            apply_to_draft(owner.draft, self.meta)
        self._count(kept)
        issues = []
        taken: set[str] = set()
        for item in kept:
            draft = item.draft
            if not draft.title:
                draft.title = self.doc_key
            wanted = draft.issue_id or derive_id(self.doc_key, draft.title)
            issue = finish(draft, unique_id(wanted, taken), self.path)
            if self.meta is not None and item is owner:
                apply_to_record(issue, self.meta)
            for line, message in draft.problems:
                self._note(line, message, "error")
            issues.append(issue)
        self.skipped.sort(key=lambda s: s.line)
        if self.unreported:
            last = self.skipped[-1].line if self.skipped else 1
            summary = (
                f"{self.unreported} more parts were not imported (reports stop at {MAX_REPORTS})"
            )
            self.skipped.append(Skipped(path=self.path, line=last, reason=summary))
            self.problems.append(Problem(last, summary))
        return ParsedDocument(
            path=self.path,
            shape=detect_shape(self.stats),
            issues=issues,
            skipped=self.skipped,
            policy_rows=self.policy_rows,
        )

    def _count(self, kept: list[Found]) -> None:
        stats = self.stats
        stats.knownfix_front_matter = self.meta is not None
        stats.policy_rows = len(self.policy_rows)
        for item in kept:
            stats.matrix_issues += item.kind == "matrix"
            stats.entry_issues += item.kind == "entry"
            if item.kind in {"section", "keyed"}:
                stats.section_issues += 1
                stats.bullet_sections += item.bulleted
                stats.labels.update(normalize_label(label) for label in item.draft.labels)


def read_document(
    lines: Iterable[str], path: str, doc_key: str
) -> tuple[ParsedDocument, list[Problem]]:
    """Parse a document; also return its problems with severities (for lint)."""
    reader = DocumentReader(path, doc_key)

    def chunks() -> Iterator[Chunk]:
        # knownfix's own format is read verbatim: it was written by us (or for us) in UTF-8.
        plain_lines = strip_site_markup(split_lines(lines))
        # While front matter with only id/title might still be knownfix's, the text is kept as
        # written (knownfix's own format is never "repaired"); a site page's first lines then
        # keep their mojibake, the rest is repaired once the body shows it is not ours.
        for piece in read_chunks(plain_lines, repair=lambda: reader.meta is None):
            if isinstance(piece, FrontMatter):
                reader.front_matter(piece)  # always first, before any section
            else:
                yield piece

    for node in iter_nodes(chunks()):
        reader.feed(node)
    return reader.finish(), reader.problems
