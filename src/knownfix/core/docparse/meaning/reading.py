"""One entry's blocks → what each says: the problem, its cause, the remedy, checks, context.

Documents are read in order, as people read them: a paragraph that ends with a colon hands its
meaning to the code block or list right after it ("this error is thrown:" → the error text;
"run:" → the fix's commands; "to reproduce:" → context). Prose before the first remedy explains
the problem; prose after it belongs to the fix. Commands that set up or reproduce the failure
(``$ ip addr``, ``$ export HOST=…``) are context, never symptoms: only what a tool *prints* is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from knownfix.core.docparse.blocks import (
    Block,
    Fence,
    Heading,
    Html,
    Inline,
    ListBlock,
    Paragraph,
    Quote,
    Table,
)
from knownfix.core.docparse.commands import split_commands
from knownfix.core.docparse.content import block_text, fence_text
from knownfix.core.docparse.inline import lite, plain
from knownfix.core.docparse.meaning.cues import (
    Cues,
    names_message,
    problem_strength,
    sentence_cues,
    sentences,
    text_cues,
    undergoes,
)
from knownfix.core.docparse.meaning.lists import ListReading, is_outline
from knownfix.core.docparse.meaning.literals import (
    ANSWER_LEAD,
    HEADING_ROLES,
    LABEL_LEAD,
    PROMPT,
    drop_answer_lead,
    fence_kind,
    field_lead,
    labelled_name,
    literals_in,
    literals_of,
    output_lines,
    prompted_commands,
    trouble,
)
from knownfix.core.docparse.meaning.titles import instructs_title
from knownfix.core.docparse.rules import field_key
from knownfix.core.docparse.sections import heading_title

MAX_LITERALS = 8
MAX_LITERAL_CHARS = 300

# "If you see `EACCES`, run …": the condition of an instruction states its problem.
_CONDITION = re.compile(r"^(?:if|when|whenever)\b[^,;]{3,200},", re.IGNORECASE)
# A paragraph that ends by introducing printed text ("… errors out with the following log:").
# Or names the printed text first and points at it ("… you may encounter errors like the
# following:", "If you are getting errors like this:"): the same hand-over, words reversed.
_INTRODUCES_OUTPUT = re.compile(
    r"(?:\bthe following (?:\w+ )?(?:errors?|error messages?|messages?|output|warnings?"
    r"|exceptions?|logs?|log lines?|stack ?traces?|tracebacks?)"
    r"|\b(?:errors?|error messages?|messages?|output|warnings?|exceptions?|stack ?traces?"
    r"|tracebacks?) (?:like|such as|similar to) (?:the following|this|these|the ones? below))"
    r"\s*:$", re.IGNORECASE)
# A sentence that announces the printed text after it ("The following error is displayed …").
_ANNOUNCES_OUTPUT = re.compile(
    r"\b(?:the )?following (?:\w+ )?(?:errors?|messages?|output|warnings?|exceptions?|log lines?)"
    r" (?:is|are|was|were|gets?|appears?|may appear|might appear|will appear|can appear)"
    r"(?: (?:displayed|shown|printed|returned|thrown|raised|logged|reported))?\b",
    re.IGNORECASE)
_REPRODUCE = re.compile(r"\breproduc(?:e|es|ing|tion)\b|\brepro\b", re.IGNORECASE)


@dataclass
class Reading:
    """What one entry says, by meaning. Scores count the evidence found."""

    literals: list[str] = field(default_factory=list)  # error text as written
    statements: list[str] = field(default_factory=list)  # sentences that describe the problem
    causes: list[str] = field(default_factory=list)
    remedy: list[str] = field(default_factory=list)  # the fix as light Markdown, in order
    steps: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    verification: list[str] = field(default_factory=list)
    diagnosis: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)  # prose before the fix, no cue words
    asides: dict[str, list[str]] = field(default_factory=dict)  # Impact, Prevention … as labelled
    problem_score: float = 0.0
    remedy_score: float = 0.0
    names_message: bool = False  # "This message indicates …": the title is the message
    strongest: float = 0.0  # the strongest problem the text names (1: a failure or error text)
    opening: float = 0.0  # the strongest problem named before the fix began

    def found_problem(self, strength: float = 1.0) -> None:
        self.problem_score += 1.0
        self.strongest = max(self.strongest, strength)

    def add_literal(self, text: str) -> None:
        text = " ".join(text.split())[:MAX_LITERAL_CHARS].strip()
        if text and text not in self.literals and len(self.literals) < MAX_LITERALS:
            self.literals.append(text)
            self.strongest = 1.0


class _Reader(ListReading):
    """Walks one entry's blocks in order, keeping the phase (before or after the fix)."""

    def __init__(self, problem_known: bool) -> None:
        self.out = Reading()
        self.fixing = False  # a remedy has started
        self.has_problem = problem_known
        self.sticky = ""  # the role a field-named sub-heading gives the blocks under it
        self.aside = ""

    def read(self, blocks: list[Block]) -> Reading:
        lead = ""
        for block in blocks:
            before_fix = not self.fixing
            lead = self.block(block, lead)
            if before_fix:  # a block that names the problem and then starts the fix counts
                self.out.opening = max(self.out.opening, self.out.strongest, trouble(block))
        return self.out

    def block(self, block: Block, lead: str) -> str:
        """Read one block; return the role it hands to the next block ("" for none)."""
        if isinstance(block, Heading):
            self.heading(block)
            return ""
        if isinstance(block, Paragraph):
            return self.paragraph(block.inline)
        if isinstance(block, Fence):
            self.fence(block, lead)
        elif isinstance(block, ListBlock) and is_outline(block):
            # One bullet that holds the whole entry ("- k3s has no support for ZFS … fails
            # with:", its log, then "  - This can be worked around by …"): an outline, read
            # block by block like the section it stands for.
            inner = lead
            for child in block.items[0].blocks:
                inner = self.block(child, inner)
        elif isinstance(block, ListBlock):
            self.listing(block, lead)
        elif isinstance(block, Quote):
            inner = ""
            for child in block.blocks:
                inner = self.block(child, inner)
        elif isinstance(block, (Table, Html)):
            return ""
        return ""

    def heading(self, block: Heading) -> None:
        title = heading_title(block.inline)
        key = field_key(title)
        self.sticky = HEADING_ROLES.get(key, "") if key else ""
        if _REPRODUCE.search(title):
            self.sticky = "context"  # "#### Steps to reproduce the issue": not the fix
        elif not key and instructs_title(title):
            self.sticky = "remedy"  # "#### Using a port other than 8081", "### Enable …"
        self.aside = title if self.sticky == "aside" else ""
        if self.sticky == "remedy":
            self.fixing = True

    # -- prose -----------------------------------------------------------------------------
    def paragraph(self, inline: Inline) -> str:
        text = plain(inline).strip()
        if not text:
            return ""
        if ANSWER_LEAD.match(text):  # "A: …" under a question
            text = ANSWER_LEAD.sub("", text)
            inline = drop_answer_lead(inline)
        labelled, text = field_lead(text)
        cues = text_cues(text)
        if not self.fixing and any(names_message(part) for part in sentences(text)):
            self.out.names_message = True
        if cues.problem and self.has_problem and problem_strength(text) < 1.0:
            # Once the problem is named, a sentence that merely negates ("the runtime does not
            # trust it") explains it; it does not name another failure.
            cues = replace(cues, problem=0.0)
        light = lite(inline).strip()
        out = self.out
        if labelled:
            light = LABEL_LEAD.sub("", light, count=1)
        if labelled == "aside" and not self.fixing and cues.instructions:
            # "**Notes:** … Run `app migrate --unlock`" before any fix: the note is the fix.
            labelled = ""
        if self.sticky == "aside" or labelled == "aside":
            out.asides.setdefault(self.aside if self.sticky == "aside" else labelled_name(
                plain(inline)), []).append(light)
            return ""
        role = labelled or self.sticky or self._role(cues)
        if role == "remedy" and not (labelled or self.sticky or self.fixing) and _REPRODUCE.search(
            text
        ):
            role = "context"  # "To reproduce, run:": how to see the failure, not the fix
        if role == "remedy":
            cues = Cues(remedy=max(1.0, cues.remedy), cause=cues.cause)
        if role in {"problem", "context"} or (role == "neutral" and not self.fixing):
            for literal in literals_of(inline):
                out.add_literal(literal)
        if role == "remedy":
            before, light = self._split_at_fix(light)
            conditions = [m.group(0) for m in map(_CONDITION.match, sentences(light)) if m]
            for part in [*before, *conditions]:
                if problem_strength(part) >= 1.0:
                    for literal in literals_in(part):
                        out.add_literal(literal)
            for condition in conditions:
                # "If you experience unusual mouse behavior, try …": the reader's trouble.
                suffered = problem_strength(condition) >= 1.0 or undergoes(condition)
                if suffered and not self.fixing:
                    out.statements.append(condition.rstrip(", ").replace("`", ""))
                    out.found_problem()
            self.fixing = True
            out.remedy.append(light)
            out.remedy_score += cues.remedy
            told = {" ".join(b.replace("`", "").split()) for b in before}  # (plain vs marked up)
            out.causes += [s for s in sentences(text) if sentence_cues(s).cause
                           and not sentence_cues(s).remedy and " ".join(s.split()) not in told]
            if not self.has_problem:
                # "Make sure X is unset, because it makes init print *Couldn't find …*": the
                # failure may be named after the instruction, or in its own sentence.
                for part in sentences(light):
                    cues = sentence_cues(part.replace("`", ""))
                    if cues.problem >= 1.0:
                        out.statements.append(part.replace("`", ""))
                        out.found_problem()
                        for literal in literals_in(part):
                            out.add_literal(literal)
        elif role == "verify":
            out.verification.append(light)
        elif role == "problem":
            out.found_problem(1.0 if self.sticky == "problem" else max(
                sentence_cues(part).problem for part in sentences(text)))
            if self.sticky == "problem":
                out.statements.append(text)
            else:
                for sentence in sentences(text):
                    if sentence_cues(sentence).problem:
                        out.statements.append(sentence)
                    elif not self.fixing and not sentence_cues(sentence).cause:
                        out.explanation.append(sentence)
            known_before = self.has_problem
            self.has_problem = True
            out.causes += [s for s in sentences(text) if sentence_cues(s).cause
                           and (known_before or not sentence_cues(s).problem)]
        elif role == "cause":
            out.causes.append(light)
        elif role == "diagnose":
            out.diagnosis.append(light)
        elif role == "context":
            out.context.append(light)
        elif self.fixing:
            out.remedy.append(light)
        else:
            out.explanation.append(light)
        if not text.endswith(":"):
            # "The following errors are displayed when executed in PowerShell." and then the
            # errors: the sentence hands the block after it the problem, colon or not.
            # ("… displayed when executed in CMD. `The system cannot …` or": alternatives too.)
            announces = _ANNOUNCES_OUTPUT.search(text) and not cues.instructions
            return "printed" if announces and not self.fixing else ""
        if _INTRODUCES_OUTPUT.search(text) and not cues.instructions and not self.fixing:
            return "printed"  # "… errors out with the following log:"
        # "… no longer available. One option is to move the gems:": the last sentence says
        # what the code block after it is.
        last = sentences(text)[-1]
        return self.sticky or self._role(text_cues(last)) if last != text else role

    def _split_at_fix(self, light: str) -> tuple[list[str], str]:
        """A paragraph that explains and then instructs ("The shell starts too early. Turn on
        delayed start."): the sentences before the first instruction explain the problem."""
        if self.fixing or self.sticky:
            return [], light
        parts = sentences(light)
        first = next((i for i, part in enumerate(parts)
                      if sentence_cues(part.replace("`", "")).instructions), 0)
        if first == 0:
            return [], light
        before = parts[:first]
        for part in before:
            cues = sentence_cues(part.replace("`", ""))
            if cues.cause:
                self.out.causes.append(part)
            elif cues.problem >= 1.0 and not self.has_problem:
                self.out.statements.append(part.replace("`", ""))
                self.out.found_problem()
                self.has_problem = True
            else:
                self.out.explanation.append(part)
        return before, " ".join(parts[first:])

    def _role(self, cues: Cues) -> str:
        if cues.instructions:
            return "remedy"
        if cues.verify > 0 and self.fixing:
            return "verify"
        if cues.problem > 0:
            return "problem"
        if cues.cause > 0:
            return "cause"
        if cues.diagnose > 0:
            return "diagnose"
        if cues.context > 0:
            return "context"
        return "neutral"

    # -- code ------------------------------------------------------------------------------
    def fence(self, fence: Fence, lead: str) -> None:
        kind = fence_kind(fence)
        code = fence_text(fence)
        out = self.out
        if kind == "signature":
            return
        if self.sticky == "aside":
            self.out.asides.setdefault(self.aside, []).append(block_text(fence))
            return
        lead = lead or self.sticky
        role = lead or ("remedy" if self.fixing or self.has_problem else "context")
        if lead == "neutral":
            role = "remedy" if self.fixing else "problem"
        announced = lead == "printed"
        if announced:
            lead = "problem"
        if (kind == "output" and lead not in {"remedy", "verify"}) or (
            announced and kind != "transcript"
        ):
            # A block the text announced as printed ("The following errors are displayed:")
            # is output whatever it looks like, and its first line is the message when it
            # names a failure ("'winget' is not recognized as …", no "error:" mark of its own).
            lines = output_lines(code)
            first = next((line.strip() for line in code.split("\n") if line.strip()
                          and not PROMPT.match(line)), "")
            if announced and first and first not in lines and (
                problem_strength(first) >= 1.0 or not lines
            ):
                # (Announced as an error, a block with no marked line is that error whole:
                # "Uncaught Alpine: no element provided to x-anchor".)
                lines = [first, *lines]
            for line in lines:
                out.add_literal(line)
            out.found_problem()
            self.has_problem = True
            return
        if kind == "transcript":
            if role == "remedy" and not lead and not self.fixing and output_lines(
                "\n".join(line for line in code.split("\n") if not PROMPT.match(line))
            ):
                role = "context"  # a session that prints the error, before any fix: the failure
            if role in {"remedy", "verify", "diagnose"}:
                target = out.verification if role == "verify" else out.commands
                target.extend(prompted_commands(code))
                if role == "remedy":
                    out.remedy.append(block_text(fence))
                    out.remedy_score += 1.0
                    self.fixing = True
                return
            out.context.extend(prompted_commands(code))
            errors = output_lines("\n".join(line for line in code.split("\n")
                                            if not PROMPT.match(line)))
            for line in errors:
                out.add_literal(line)
            if errors:
                out.found_problem()
                self.has_problem = True
            return
        if role == "verify":
            out.verification.extend(split_commands(code, fence.info) if kind == "commands"
                                    else [code.strip("\n")])
        elif role == "diagnose":
            out.commands.extend(split_commands(code, fence.info))
            out.diagnosis.append(block_text(fence))
        elif role in {"context", "problem", "cause"}:
            out.context.append(block_text(fence))
        else:
            if kind == "commands":
                out.commands.extend(split_commands(code, fence.info))
            out.remedy.append(block_text(fence))
            out.remedy_score += 1.0
            self.fixing = True


def read_blocks(blocks: list[Block], *, problem_known: bool) -> Reading:
    """Read an entry's blocks in order. ``problem_known``: its title already names the problem,
    so code right under it is the fix, not a reproduction."""
    return _Reader(problem_known).read(blocks)
