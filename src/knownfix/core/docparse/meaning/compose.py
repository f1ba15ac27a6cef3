"""A section read for its meaning → the known issues it describes, or why it describes none.

A known issue needs a problem (an error message, a failing behaviour, a symptom) and a remedy
(steps, commands, a config change). Whatever else the entry has is used: the heading or bold lead
is the title, quoted error text the symptoms, explaining prose the root cause, instructions and
code the resolution, checks the verification, setup and reproduction the context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from knownfix.core.docparse import rules as r
from knownfix.core.docparse.assemble import Draft, Fix
from knownfix.core.docparse.blocks import Block, Heading, Inline, Paragraph
from knownfix.core.docparse.inline import is_only_code, plain
from knownfix.core.docparse.meaning import prose_units as pu
from knownfix.core.docparse.meaning.heading_form import (
    capability,
    design_question,
    is_printed,
    only_quotes,
    reads_as_message,
    typed_below,
)
from knownfix.core.docparse.meaning.literals import literals_of
from knownfix.core.docparse.meaning.prose_units import split_prose, unquoted_question
from knownfix.core.docparse.meaning.reading import Reading, read_blocks
from knownfix.core.docparse.meaning.titles import TitleReading, read_title
from knownfix.core.docparse.meaning.units import Unit, split_leads
from knownfix.core.docparse.sections import heading_title

MAX_STATEMENTS = 3
_QUESTION_TAIL = re.compile(r"[.,;:!?]?\s*(?:what gives|what am i doing wrong|why|any ideas"
                            r"|what (?:should|can) i do|how (?:do|can) i fix (?:it|this))\??\s*$",
                            re.IGNORECASE)
_ANAPHORIC_CAUSE = re.compile(
    r"^(?:this|that|it)(?: (?:is|was|can be|may be|might be|is usually|is often|is typically"
    r"|is most likely|is probably|usually|often|typically|generally|mostly))? (?:caused by|due to"
    r"|happens (?:when|because|if)|occurs (?:when|because|if)|results from|because)\b",
    re.IGNORECASE)
# "To avoid that, use …": a fix for what was just described.
_AVOIDS_IT = re.compile(r"(?:^|[.!?]\s+)to (?:avoid|prevent|fix|solve|resolve|work around|get "
                        r"around) (?:that|this|it)\b", re.IGNORECASE)
# "This error may happen when …": a paragraph that speaks of the heading's failure, not one of
# its own.
_REFERS_BACK = re.compile(
    r"^(?:this|that|the same|the above) (?:error|problem|issue|message|warning|failure"
    r"|exception|check|situation)s?\b", re.IGNORECASE)
RESOLUTION = "Resolution"
PROBLEM = "Problem"
CONTEXT = "Context"
DIAGNOSIS = "Diagnosis"


@dataclass
class Judged:
    """A unit, what it says, and whether it is an entry (``reason`` says why not)."""

    unit: Unit
    title: TitleReading
    title_literals: list[str]
    reading: Reading
    reason: str = ""

    @property
    def ok(self) -> bool:
        return not self.reason


@dataclass
class SectionReading:
    """The issues one section describes, units that were not entries, and why none was."""

    drafts: list[Draft] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    reason: str = ""
    named_problem: bool = False  # the section names a problem (even when it gives no fix)
    # Evidence for the sibling vote (``siblings.py``): whether the heading itself names a
    # failure; whether the one issue rests on the body alone (its heading names none); and
    # the issue a section with a fix would be if its siblings show the page is a list of
    # problems ("## AppArmor" among "## Docker Desktop fails …" headings).
    title_named: bool = False
    weak: list[Draft] = field(default_factory=list)
    fallback: Draft | None = None
    plain: list[Draft] = field(default_factory=list)  # drafts of sections and prose paragraphs
    # that quote no error text (leads, questions and disclosures are entries by their form)
    # No issue, but trouble all the same: a hopeful section, or one whose heading or opening
    # text names trouble, the heading declaring no how-to, topic or concept. For the vote, such
    # a sibling is a problem the reader could not complete, not a how-to.
    troubled: bool = False


def judge(unit: Unit) -> Judged:
    """Read a unit and decide whether it is an entry: a problem and a remedy."""
    unit = unquoted_question(unit)
    title = read_title(unit.title)
    if unit.kind == "symptom":  # the text announced it as a problem, whatever its words
        title = replace(title, problem=1.0, topic=False, howto=False)
    # A heading that is nothing but a code span (### `bad interpreter: /usr/bin/ruby^M`) is
    # the message itself: the author framed it as the problem.
    # So is a heading made of quoted messages alone ("`x` or "y"").
    # A code-span heading is a message when it reads as one (a failure word, "x: y", a code);
    # `vitest run` or `mise oci build` is a command, a fortiori when a block below types it.
    framed = (is_only_code(unit.title_inline) and reads_as_message(unit.title)) or only_quotes(
        unit.title)
    if framed and typed_below(unit.title, unit.blocks):
        framed = False
    title_literals = literals_of(unit.title_inline, framed=True if framed else None)
    title_problem = 0.0 if title.topic or design_question(unit.title) else (
        title.problem)
    known = title_problem >= 1.0 or bool(title_literals)
    reading = read_blocks(unit.blocks, problem_known=known)
    if title.howto and is_printed(unit.title, reading):
        # "## restart transaction" over an error that prints it: a message, not an instruction.
        title = replace(title, topic=False, howto=False, problem=1.0)
        title_problem = 1.0
    if title.question and unit.kind == "section" and not known and _avoids_it(unit.blocks):
        # "Why Copier consumes a lot of resources?" answered "… To avoid that, use a full
        # clone": what the question asks about is trouble the answer tells how to avoid.
        title = replace(title, problem=1.0, topic=False)
        title_problem, known = 1.0, True
    known = known or (reading.names_message and not title.topic)
    # "This is caused by uploading from a computer without Office" under a statement heading
    # ("All my uploaded docx files appear as archive/zip"): the text explains the heading as a
    # failure with a cause, so the heading is the problem.
    # A cause alone ("This is because we ship monthly.") makes no entry: a fix must follow.
    if (unit.kind == "section" and not known and not title.topic and not title.question
            and reading.remedy_score >= 1.0 and _explains_heading(unit.blocks)):
        title = replace(title, problem=1.0)
        title_problem, known = 1.0, True
    # A section that opens with what the failure prints ("you might encounter an error like
    # this:" and the traceback) names its problem, whatever its heading says.
    known = known or (bool(reading.literals) and reading.opening >= 1.0 and not title.topic
                      and unit.kind == "section")
    # A failure named by the title or the text (1), or trouble named by both (0.5 + 0.5).
    # "This message indicates …" under a heading: the heading is the message. A question
    # heading must name the failure itself ("Why is my build slow?"): one that does not ("Why
    # Cargo.toml?") asks about a concept, whatever words its answer uses.
    named = 1.0 if title_literals or (reading.names_message and not title.topic) else 0.0
    asks = title.question and unit.kind == "section" and not (title_problem or named)
    # A heading that names no problem ("Basic usage", "Vercel") heads an entry only when its
    # text opens with the problem; a failure first named after the instructions is a how-to's
    # aside ("… or an error with any backend errors").
    neutral = unit.kind == "section" and not (title_problem or named or title.alert)
    text_problem = reading.strongest if reading.opening > 0 or not neutral else 0.0
    problem = max(title_problem, named) + (0.0 if asks else text_problem)
    judged = Judged(unit, title, title_literals, reading)
    # A failure and why it happens is actionable on its own ("… possibly due to a missing
    # IPC_LOCK capability"); a question that only explains ("Does it work on Windows?") is not.
    # An FAQ answer to a question about a failure ("All calls on my models hang, what am I doing
    # wrong?") explains it in whatever words: that is the entry.
    # So is the answer under a question heading that quotes the message ("What does the
    # warning "request ignored (cluster ID mismatch)" mean?"): what it means is the entry.
    asks_message = unit.kind == "section" and title.question and bool(title_literals)
    answered = (unit.kind == "question" or asks_message) and bool(
        reading.causes or reading.explanation or reading.diagnosis or reading.statements
    )
    explained = known and not capability(unit.title) and (
        (bool(reading.causes) and unit.kind in {"section", "symptom"}) or answered
    )
    # A heading that names trouble ("Issues after an upgrade", "Caching issues") over a fix.
    troubled = (unit.kind == "section" and title_problem >= 0.5 and not title.question
                and reading.remedy_score >= 1.0)
    if problem < 1.0 and not troubled:
        judged.reason = "names no problem (no error message, failure or symptom)"
    elif reading.remedy_score < 1.0 and not explained:
        judged.reason = "names a problem but gives no fix (no steps, commands or instructions)"
    return judged


def read_section(
    title: str, title_inline: Inline, line: int, blocks: list[Block], *, level: int = 1
) -> SectionReading:
    """The entries of one section: several (leads, prose paragraphs) or the section itself.
    Text before the first heading (``level`` 0) is a document's introduction: only entries
    written inside it (leads, problem paragraphs) count, never the whole of it."""
    out = SectionReading()
    whole = judge(Unit(title, line, "section", title_inline, blocks))
    strong_title = not whole.title.topic and (
        whole.title.problem >= 1.0 or bool(whole.title_literals))
    out.title_named = bool(strong_title or whole.title.alert)
    out = _section_entries(out, whole, strong_title, title, title_inline, line, blocks, level)
    if not out.drafts and _hopeful(whole):
        out.fallback = to_draft(whole)
    declared = whole.title.topic or whole.title.howto or (
        whole.title.question and not whole.title.problem)
    out.troubled = not out.drafts and (out.fallback is not None or not declared and (
        whole.title.problem >= 0.5 or whole.reading.opening >= 1.0))
    if not (out.title_named or whole.title_literals or whole.reading.names_message):
        # Paragraphs are weak only under a how-to heading ("Compare to a working setup": "If
        # you feel lost, try …"); under a plain one they may be the entries of an area.
        out.weak = [d for d in out.plain if d.line == line or whole.title.howto]
    return out


def _take(out: SectionReading, judged: Judged) -> None:
    draft = to_draft(judged)
    out.drafts.append(draft)
    if judged.unit.kind in {"section", "prose"} and not (
        judged.title_literals or judged.reading.literals
    ):
        out.plain.append(draft)


def _hopeful(whole: Judged) -> bool:
    """A section that gives a fix (or the cause) under a plain heading ("## AppArmor",
    "### Collector exit/restart") but names no failure: an entry if its siblings are."""
    title, reading = whole.title, whole.reading
    # Its text must open on the trouble ("If your host has AppArmor enabled you may run into
    # …") or list causes ("may exit/restart because:" and the list); a plain how-to ("You can
    # use any ID you want …") does neither, nor does one remark on why ("This is because …").
    return (whole.reason.startswith("names no problem") and not title.topic and not title.howto
            and not title.question and (
                (reading.opening > 0 and reading.remedy_score >= 1.0) or len(reading.causes) >= 2))


def _section_entries(out: SectionReading, whole: Judged, strong_title: bool, title: str,
                     title_inline: Inline, line: int, blocks: list[Block],
                     level: int) -> SectionReading:
    intro, lead_units = split_leads(blocks)
    leads = [judge(u) for u in lead_units]
    if strong_title:
        # A heading that names the failure: bold leads under it are its variants or causes,
        # unless several of them quote error messages of their own.
        # Disclosure blocks (<details><summary>) whose summary names a failure are separate
        # entries however few they are; "Detailed instructions for …" is part of this fix.
        quoted = [j for j in leads if j.ok and j.title_literals]
        disclosed = [j for j in leads if j.ok and j.unit.kind == "disclosure" and (
            j.title_literals or (j.title.problem >= 1.0 and not j.title.topic))]
        if len(quoted) >= 2 or disclosed:
            chosen = {id(j) for j in quoted + disclosed}
            return _many(out, leads, [j for j in leads if id(j) in chosen], blocks)
        if whole.ok:
            _take(out, whole)
            return out
        out.named_problem = "no fix" in whole.reason
        out.reason = whole.reason
        return out
    lead_entries = [j for j in leads if j.ok]
    if lead_entries:
        head = judge(Unit(title, line, "section", title_inline, intro)) if intro else None
        # The heading over the entries is one too only when it names a failure itself; one
        # that names trouble in general ("Common Installation Issues") introduces them.
        if head is not None and head.ok and not head.title.topic and (
            head.title.problem >= 1.0 or head.title_literals or head.reading.literals
        ):
            _take(out, head)
        return _many(out, leads, lead_entries, blocks)
    prose = [judge(u) for u in split_prose(blocks)]
    prose_entries = [j for j in prose if j.ok]
    names_it = whole.title.problem >= 1.0 or whole.title_literals or whole.reading.names_message
    opens_section = bool(prose_entries) and prose_entries[0].unit.line == _first_text_line(blocks)
    if len(prose_entries) == 1 and opens_section and whole.ok and names_it and level > 0 and (
        not whole.title.topic
    ):
        # The section's own text opens with the problem ("This error is thrown when …" under
        # "### Expected a default export"): one entry, and its heading is the better title.
        _take(out, whole)
        return out
    if prose_entries and whole.ok and not whole.title.topic and level > 0 and all(
        _refers_back(j.unit.blocks) for j in prose_entries
    ):
        # Its paragraphs speak of the heading's failure ("This error may happen when …" under
        # "### Library dependencies do not satisfy target MacOS"): the section is the entry.
        _take(out, whole)
        return out
    if prose_entries and (len(prose_entries) >= 2 or whole.title.problem < 1.0 or not whole.ok):
        # An area heading ("Configuration problems") over paragraphs that each name a problem.
        out = _many(out, prose, prose_entries, blocks)
        pu.retitle_opening(out.drafts, title, whole.title, _first_text_line(blocks) * (level > 0))
        return out
    if whole.ok and not whole.title.topic and level > 0:
        _take(out, whole)
        return out
    out.reason = whole.reason if not whole.title.topic else "a topic heading, not a problem"
    return out


def _explains_heading(blocks: list[Block]) -> bool:
    """Whether the first paragraph opens by giving the heading's cause ("This is caused by …",
    "This happens because …", "It is usually due to …")."""
    first = next((b for b in blocks if isinstance(b, Paragraph)), None)
    return first is not None and bool(_ANAPHORIC_CAUSE.match(plain(first.inline).strip()))


def _avoids_it(blocks: list[Block]) -> bool:
    """Whether a paragraph tells how to avoid what it just described ("To avoid that, …")."""
    return any(isinstance(b, Paragraph) and bool(_AVOIDS_IT.search(plain(b.inline).strip()))
               for b in blocks)


def _refers_back(blocks: list[Block]) -> bool:
    """Whether a prose entry opens on the heading's failure ("This error may happen when …")."""
    first = blocks[0] if blocks else None
    return isinstance(first, Paragraph) and bool(_REFERS_BACK.match(plain(first.inline).strip()))


def _first_text_line(blocks: list[Block]) -> int:
    """The line of a section's first paragraph (0 when it has none)."""
    return next((b.line for b in blocks if isinstance(b, Paragraph)), 0)


def _many(out: SectionReading, units: list[Judged], entries: list[Judged],
          blocks: list[Block]) -> SectionReading:
    chosen = {id(j) for j in entries}
    # Sub-sections before the first entry (handed up to this one) are reported, not dropped.
    first = min([j.unit.line for j in entries] + [d.line for d in out.drafts])
    for block in blocks:
        if isinstance(block, Heading) and block.line < first:
            title = heading_title(block.inline)
            out.skipped.append((block.line, f"{title!r} holds no problem with a fix"))
    for judged in units:
        if id(judged) in chosen:
            _take(out, judged)
        else:
            reason = judged.reason or "a lead under a heading that already names the problem"
            out.skipped.append((judged.unit.line, f"{judged.unit.title!r} {reason}"))
    return out


def to_draft(judged: Judged) -> Draft:
    """A draft known issue from an entry's reading."""
    unit, reading, title = judged.unit, judged.reading, judged.title
    draft = Draft(title=unit.title.strip().rstrip(":").strip(), line=unit.line)
    heading: list[str] = judged.title_literals
    if not heading and not title.question and not title.topic and (
        title.problem >= 1.0 or reading.names_message
    ):
        heading = [draft.title]  # the heading *is* the symptom ("connection pool exhausted")
    elif not heading and title.question and title.problem >= 1.0:
        # "Operation … timed out. What gives?": the question's report, not its idiom.
        reported = _QUESTION_TAIL.sub("", draft.title).strip()
        heading = [reported] if reported and reported != draft.title else []
    # A quoted span that starts with a program the entry itself runs (`colima list` where the
    # fix runs `colima delete`) is a command, not what failed.
    programs = {c.split(maxsplit=1)[0].lower() for c in (*reading.commands, *reading.context)
                if c.strip() and not c.lstrip().startswith("```")}
    literals = [lit for lit in dict.fromkeys([*heading, *reading.literals])
                if lit is draft.title or lit.split(maxsplit=1)[0].lower() not in programs
                or len(lit.split()) > 4]
    statements = [s for s in dict.fromkeys(reading.statements) if s not in reading.causes]
    draft.symptoms = literals or statements[:MAX_STATEMENTS] or [draft.title]
    if literals and statements:
        draft.add_extra(PROBLEM, "\n".join(statements))
    causes = list(dict.fromkeys([*reading.causes, *reading.explanation]))
    if causes:
        draft.root_cause.append("\n\n".join(causes))
    remedy = reading.remedy or [*reading.diagnosis, *reading.explanation]
    draft.fixes.append(Fix(label=RESOLUTION, text="\n\n".join(remedy), steps=list(reading.steps)))
    draft.commands.extend(dict.fromkeys(reading.commands))
    draft.verification.extend(dict.fromkeys(reading.verification))
    draft.add_extra(DIAGNOSIS, "\n\n".join(reading.diagnosis))
    draft.add_extra(CONTEXT, "\n\n".join(reading.context))
    for label, parts in reading.asides.items():
        draft.add_extra(label, "\n\n".join(parts))
    draft.keys |= {r.SYMPTOMS, r.RESOLUTION}
    if causes:
        draft.keys.add(r.ROOT_CAUSE)
    return draft


def complete(draft: Draft, reading: Reading) -> list[str]:
    """Fill a labelled issue's empty fields from its unlabelled text (read for meaning); return
    the parts no field took, for the issue's notes."""
    unused: list[str] = []
    causes = list(dict.fromkeys([*reading.causes, *reading.explanation]))
    if reading.remedy and not draft.fixes and not draft.mitigations:
        draft.fixes.append(Fix(label=RESOLUTION, text="\n\n".join(reading.remedy),
                               steps=list(reading.steps)))
        draft.commands.extend(c for c in reading.commands if c not in draft.commands)
        draft.keys.add(r.RESOLUTION)
    elif reading.remedy:
        unused += reading.remedy
    if causes and not draft.root_cause:
        draft.root_cause.append("\n\n".join(causes))
        draft.keys.add(r.ROOT_CAUSE)
    else:
        unused += causes
    if reading.literals and not draft.symptoms:
        draft.symptoms.extend(reading.literals)
    unused += [s for s in reading.statements if s not in draft.symptoms]
    unused += reading.diagnosis + reading.context
    draft.verification.extend(v for v in reading.verification if v not in draft.verification)
    return unused


def symptoms_from_title(title: str, title_inline: Inline) -> list[str]:
    """What a heading says the failure looks like: its quoted error text, an alert name, or the
    heading itself when it reads as the failure's message."""
    literals = literals_of(title_inline)
    if literals:
        return literals
    reading = read_title(title)
    if reading.alert or (reading.problem >= 1.0 and not reading.question and not reading.topic):
        return [title]
    return []
