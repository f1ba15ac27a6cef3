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

from markdown_it.token import Token

from knownfix.core.docparse import rules as r
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
from knownfix.core.docparse.commands import SHELL_LANGUAGES, language, split_commands
from knownfix.core.docparse.content import block_text, fence_text, item_text
from knownfix.core.docparse.inline import lite, plain
from knownfix.core.docparse.meaning.cues import (
    Cues,
    has_special,
    instructs_title,
    is_code_word,
    names_message,
    problem_strength,
    seeks_help,
    sentence_cues,
    sentences,
    text_cues,
)
from knownfix.core.docparse.rules import field_key
from knownfix.core.docparse.sections import heading_title
from knownfix.core.text.commandline import looks_like_command

MAX_LITERALS = 8
MAX_OUTPUT_LINES = 4  # error lines taken from one block of output
MAX_LITERAL_CHARS = 300

_CONFIG_LANGUAGES = frozenset(
    {"yaml", "yml", "json", "jsonc", "json5", "toml", "ini", "xml", "properties", "conf", "cfg",
     "dockerfile", "docker", "hcl", "tf", "terraform", "nginx", "apache", "env", "dotenv",
     "systemd", "cmake", "makefile", "make", "gradle", "groovy", "kotlin", "diff", "patch"}
)
_OUTPUT_LANGUAGES = frozenset(
    {"text", "txt", "plain", "plaintext", "log", "output", "stderr", "stdout", "error", "none",
     "nohighlight", "no-highlight", "console-output", "raw"}
)
_PROMPT = re.compile(r"^\s*(?:\$|#|>|%|PS [^>]{0,80}>|[\w.@-]+@[\w.-]+[:~][^$#]{0,80}[$#])\s+\S")
_STACK_LINE = re.compile(
    r"^\s*(?:at \S+|File \"[^\"]+\", line \d+|Traceback \(most recent call last\)|Caused by:"
    r"|goroutine \d+|\.\.\. \d+ more)"
)
_MESSAGE_LINE = re.compile(
    r"(?:^|[\s\]\[:>)])(?:error|err|fatal|panic|warning|warn|failed|failure|exception|denied"
    r"|refused|cannot|can't|unable|invalid|not found|no such|timed? ?out|killed|e:)\b"
    r"|^[A-Z][A-Za-z0-9_.]*(?:Error|Exception)\b",
    re.IGNORECASE,
)
# The line a traceback ends with: a (dotted) type name, perhaps with its message.
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*[A-Za-z0-9_](?::\s.*)?$")
_STATE_NAME = re.compile(r"[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+){1,6}")
# "If you see `EACCES`, run …": the condition of an instruction states its problem.
_CONDITION = re.compile(r"^(?:if|when|whenever)\b[^,;]{3,200},", re.IGNORECASE)
_ANSWER = re.compile(r"^\s*(?:a|answer)\s*[:.)]\s+", re.IGNORECASE)
_SPAN = re.compile(r"`([^`\n]{2,300})`|\"([^\"\n]{4,300})\"")
_PATHISH = re.compile(r"[\\/]")
# Source code quoted by a traceback, or its markers: not what the failure printed.
_SOURCE_LINE = re.compile(
    r"^(?:raise|return|if|elif|else|for|while|def|class|import|from \S+ import|self\.|await"
    r"|yield|try|except|with|assert)\b|[(,\[{\\]$|^[\^~\s]+$|^\.\.\.$"
)
# Words around a code span that make it a command: "running `jekyll new`", "the `x` command".
_RUNS_BEFORE = re.compile(r"\b(?:run(?:ning|s)?|execut(?:e|ing)|typ(?:e|ing)|call(?:ing)?"
                          r"|invok(?:e|ing)|us(?:e|ing)|enter(?:ing)?)\s*$", re.IGNORECASE)
_SHOWS_BEFORE = re.compile(
    r"\b(?:get(?:ting|s)?|got|see(?:ing|s)?|receiv(?:e|es|ing)|return(?:s|ing)?|throw(?:s|ing)?"
    r"|print(?:s|ing)?|show(?:s|ing)?|says?|fails? with|error|message"
    r"|logs|logged|reports?|outputs?|emits?|raises?|complains?(?: about)?)\s*$",
    re.IGNORECASE,
)
_RUNS_AFTER = re.compile(r"^\s*(?:command|cli|subcommand|option|flag|script)\b", re.IGNORECASE)
# "`tool install` fails with …": the span is what failed (a command), not what it printed.
_FAILS_AFTER = re.compile(
    r"^\s*(?:(?:always|still|sometimes|randomly)\s+)?(?:fail(?:s|ed|ing)?|crash(?:es|ed)?"
    r"|hang(?:s|ed)?|exit(?:s|ed)|errors? out|does ?n[o']t|do not|won'?t|can(?:no|')t|is failing"
    r"|keeps? failing|times? out)\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"\"([^\"\n]{4,300})\"|“([^”\n]{4,300})”")
# Sub-headings named like a field steer the blocks under them ("### How to fix" → the remedy).
_HEADING_ROLES: dict[str, str] = {
    r.SYMPTOMS: "problem", r.SUMMARY: "problem", r.ROOT_CAUSE: "cause", r.CONTEXT: "cause",
    r.RESOLUTION: "remedy", r.MITIGATION: "remedy", r.COMMANDS: "remedy",
    r.VERIFICATION: "verify", r.EXPECTED: "verify", r.DIAGNOSIS: "diagnose",
    r.PREVENTION: "aside", r.IMPACT: "aside",
}
# What source code looks like, in most languages: statements, blocks, assignments, markup.
_SOURCE_SYNTAX = re.compile(
    r"[;{}]\s*$|^\s*(?:const|let|var|function|return|import|export|if|else|for|while|throw|try"
    r"|catch|await|async|def|class|public|private|package|func|fn|use|//|/\*|\*|<[a-zA-Z/!])\b"
    r"|=>|\s=\s|^\s*[\w.]+\(.*\)\s*$"
)
# A paragraph that ends by introducing printed text ("… errors out with the following log:").
_INTRODUCES_OUTPUT = re.compile(
    r"\bthe following (?:\w+ )?(?:errors?|error messages?|messages?|output|warnings?"
    r"|exceptions?|logs?|log lines?|stack ?traces?|tracebacks?)\s*:$", re.IGNORECASE)
# A sentence that announces the printed text after it ("The following error is displayed …").
_ANNOUNCES_OUTPUT = re.compile(
    r"\b(?:the )?following (?:\w+ )?(?:errors?|messages?|output|warnings?|exceptions?|log lines?)"
    r" (?:is|are|was|were|gets?|appears?|may appear|might appear|will appear|can appear)"
    r"(?: (?:displayed|shown|printed|returned|thrown|raised|logged|reported))?\b",
    re.IGNORECASE)
_REPRODUCE = re.compile(r"\breproduc(?:e|es|ing|tion)\b|\brepro\b", re.IGNORECASE)
# "**Solution**: add …", "Cause: …": a paragraph that labels its own role (a field in a line).
_LABEL_LEAD = re.compile(r"^\s*(?:\*\*|__)?([A-Z][\w ()/-]{1,40}?)(?:\*\*|__)?\s*:(?:\*\*|__)?\s+")
_COMMAND_WORD = re.compile(r"^(?:sudo\s+)?[a-z][\w.+-]*(?:\s+-{1,2}[\w-]+|\s+[\w./:@=-]+)*\s*$")


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


def is_error_literal(text: str, *, framed: bool = False) -> bool:
    """Whether a quoted span reads as error text a tool prints (not a file name or a command).

    ``framed``: the words around it already say it is an error ("fails with `…`", a heading
    that names a failure), so any several-word span that is not a command counts.
    """
    words = text.split()
    if not words or len(text) < 4 or looks_like_command(text):
        return False
    if _PATHISH.search(text) and len(words) <= 3 and problem_strength(text) < 1.0 and not (
        framed and ": " in text  # "bad interpreter: /usr/bin/ruby^M": a message about a path
    ):
        return False  # C:\Program Files, ~/.config/app: where, not what went wrong
    if (has_special(text) and (len(words) > 1 or text[0].isupper())) or is_code_word(text):
        return True
    if framed and len(words) == 1 and _STATE_NAME.fullmatch(text.strip()):
        return True  # Error: `ImagePullBackOff`, `CrashLoopBackOff`: a state a tool reports
    if len(words) < 2:
        return False
    return framed or problem_strength(text) >= 1.0


def literals_of(inline: Inline, *, framed: bool | None = None) -> list[str]:
    """Error text quoted in a line: code spans and "double quotes" that read as messages.
    Unless told, a span counts as framed when the rest of the line names a failure."""
    outside = plain([t for t in inline if t.type != "code_inline"])
    if framed is None:
        framed = problem_strength(_QUOTED.sub(" ", outside)) >= 1.0
    found: list[str] = []
    for index, token in enumerate(inline):
        if token.type != "code_inline" or not is_error_literal(token.content, framed=framed):
            continue
        before = plain(inline[max(0, index - 1):index])
        after = plain(inline[index + 1:index + 2])
        if _RUNS_BEFORE.search(before) or _RUNS_AFTER.match(after) or (
            _FAILS_AFTER.match(after) and not _SHOWS_BEFORE.search(before)
        ):
            continue  # "when running `jekyll new`": a command, not what it printed
        found.append(token.content)
    for index, token in enumerate(inline):
        # "Why am I getting `x509: …`?": what one gets, sees or is told is the failure's text.
        if token.type == "code_inline" and token.content not in found and _SHOWS_BEFORE.search(
            plain(inline[max(0, index - 1):index])
        ) and is_error_literal(token.content, framed=True):
            found.append(token.content)
    for quoted in _quoted_spans(outside):
        if len(quoted.split()) >= 2 and (is_error_literal(quoted, framed=framed)
                                         or problem_strength(quoted) > 0):
            found.append(quoted)
    return found


def _quoted_spans(text: str) -> list[str]:
    """Text in double quotes. A quote nested in another ("Unable to update the "stable" repo")
    pairs wrongly at first (a span that starts or ends with a space): then the outer quotes
    hold the message."""
    spans: list[str] = []
    for match in _QUOTED.finditer(text):
        quoted = next(g for g in match.groups() if g)
        if quoted != quoted.strip() and text.count('"') >= 4:
            outer = re.search(r'"(.+)"', text[match.start():])
            if outer is not None:
                return [*spans, outer.group(1)]
        spans.append(quoted)
    return spans


def literals_in(light: str) -> list[str]:
    """Error text quoted in one sentence of light Markdown (`code` or "quotes")."""
    outside = _SPAN.sub(" ", light)
    framed = problem_strength(outside) >= 1.0
    found: list[str] = []
    for match in _SPAN.finditer(light):
        quoted = next(g for g in match.groups() if g)
        if is_error_literal(quoted, framed=framed):
            found.append(quoted)
    return found


def _drop_answer_lead(inline: Inline) -> Inline:
    for index, token in enumerate(inline):
        if token.type == "text" and token.content.strip():
            if not _ANSWER.match(token.content):
                return inline
            content = _ANSWER.sub("", token.content)
            copy = Token(token.type, token.tag, token.nesting, content=content)
            return [*inline[:index], copy, *inline[index + 1:]]
    return inline


def _field_lead(text: str) -> tuple[str, str]:
    """The role a paragraph's own label gives it ("Solution: …" → remedy) and its text without
    the label; ("", text) when it opens with no field label."""
    match = _LABEL_LEAD.match(text)
    key = field_key(match.group(1)) if match else None
    role = _HEADING_ROLES.get(key, "") if key else ""
    if not role or match is None:
        return "", text
    return role, text[match.end():]


def labelled_name(text: str) -> str:
    """The label a paragraph opens with ("Status" of "Status: expected behaviour")."""
    match = _LABEL_LEAD.match(text)
    return match.group(1).strip() if match else ""


def fence_kind(fence: Fence) -> str:
    """``output`` (what a tool printed), ``transcript`` (prompted commands and their output),
    ``commands`` (shell to run), ``config`` (a file's content), ``code`` or ``signature``."""
    lang = language(fence.info)
    if lang == "signature":
        return "signature"
    lines = [line for line in fence_text(fence).split("\n") if line.strip()]
    if not lines:
        return "code"
    prompted = [line for line in lines
                if _PROMPT.match(line) and not line.lstrip().startswith("#!")]
    messages = sum(1 for line in lines if _is_output_line(line))
    if lang in _CONFIG_LANGUAGES:
        return "config"
    if lang in SHELL_LANGUAGES or lang in _OUTPUT_LANGUAGES:
        if prompted and len(prompted) < len(lines) and lang not in {"", "bash", "sh", "shell"}:
            return "transcript"
        if prompted and len(prompted) < len(lines) and messages:
            return "transcript"
        if messages and not prompted and (lang in _OUTPUT_LANGUAGES or _mostly_output(lines)):
            return "output"
        return "commands" if lang in SHELL_LANGUAGES else ("output" if messages else "code")
    if messages and _mostly_output(lines) and not _mostly_source(lines):
        return "output"  # a traceback under ```python is what Python printed
    return "code"


def _is_output_line(line: str) -> bool:
    return bool(_MESSAGE_LINE.search(line) or _STACK_LINE.match(line)
                or has_special(line)) and not _PROMPT.match(line)


def _mostly_output(lines: list[str]) -> bool:
    commandish = sum(1 for line in lines if _COMMAND_WORD.match(line.strip()))
    return commandish * 2 < len(lines) or any(_STACK_LINE.match(line) for line in lines)


def _trouble(block: Block) -> float:
    """How strongly a paragraph's first sentence names trouble ("you might encounter issues")."""
    if not isinstance(block, Paragraph):
        return 0.0
    first = sentences(plain(block.inline).strip())[:1]
    return sentence_cues(first[0]).problem if first else 0.0


def _mostly_source(lines: list[str]) -> bool:
    """Source code that handles errors (``const { error } = await …``, ``throw new Error(…)``)
    names failures without being what a tool printed; a traceback is printed whatever it says."""
    if any(_STACK_LINE.match(line) for line in lines):
        return False
    source = sum(1 for line in lines if _SOURCE_SYNTAX.search(line))
    return source * 2 >= len(lines)


def output_lines(text: str) -> list[str]:
    """The lines of printed output that carry the failure (first ones first), prompts left out;
    a traceback's own last line (``bdb.BdbQuit``) whatever words it has."""
    picked: list[str] = []
    frames = [line for line in text.split("\n") if _STACK_LINE.match(line)]
    if frames:
        tail = [line.strip() for line in text.split("\n")
                if line.strip() and not _STACK_LINE.match(line) and not _PROMPT.match(line)
                and not _SOURCE_LINE.search(line.strip())]
        if tail and _EXCEPTION_LINE.match(tail[-1]):
            picked.append(tail[-1])
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped or _PROMPT.match(line) or _STACK_LINE.match(line):
            continue
        if _SOURCE_LINE.search(stripped):
            continue  # a traceback's quoted source ("raise ValueError("), not a message
        if stripped in picked:
            continue
        if _MESSAGE_LINE.search(stripped) or has_special(stripped) or "npm ERR!" in stripped:
            picked.append(stripped)
        if len(picked) >= MAX_OUTPUT_LINES:
            break
    return picked


def printed_lines(text: str) -> list[str]:
    """What a transcript printed: every line that is not a prompted command (blanks dropped)."""
    return [line.strip() for line in text.split("\n") if line.strip() and not _PROMPT.match(line)]


def prompted_commands(text: str) -> list[str]:
    """The commands of a transcript (prompt stripped)."""
    out: list[str] = []
    for line in text.split("\n"):
        match = _PROMPT.match(line)
        if match and not line.lstrip().startswith("#!"):
            out.append(re.sub(r"^\s*(?:\$|#|>|%|PS [^>]{0,80}>|\S+[$#])\s+", "", line).strip())
    return [c for c in out if c]


class _Reader:
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
                self.out.opening = max(self.out.opening, self.out.strongest, _trouble(block))
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
        elif isinstance(block, ListBlock) and _is_outline(block):
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
        self.sticky = _HEADING_ROLES.get(key, "") if key else ""
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
        if _ANSWER.match(text):  # "A: …" under a question
            text = _ANSWER.sub("", text)
            inline = _drop_answer_lead(inline)
        labelled, text = _field_lead(text)
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
            light = _LABEL_LEAD.sub("", light, count=1)
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
                if problem_strength(condition) >= 1.0 and not self.fixing:
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
                          and not _PROMPT.match(line)), "")
            if announced and first and first not in lines and (
                problem_strength(first) >= 1.0
            ):
                lines = [first, *lines]
            for line in lines:
                out.add_literal(line)
            out.found_problem()
            self.has_problem = True
            return
        if kind == "transcript":
            if role == "remedy" and not lead and not self.fixing and output_lines(
                "\n".join(line for line in code.split("\n") if not _PROMPT.match(line))
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
                                            if not _PROMPT.match(line)))
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
        if role in {"cause", "neutral"} and self.has_problem and _each_instructs(items):
            # "Two possibilities:" — each item a cause followed by what to do about it.
            role = "remedy"
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


def _is_outline(block: ListBlock) -> bool:
    """A bullet alone that nests a list or a code block under its text: an outline. (Lists
    of several such items stay lists: read block by block, their nested points became
    symptoms and their fixes lost their shape, measured on the development parts.)"""
    return not block.ordered and len(block.items) == 1 and any(
        isinstance(child, (ListBlock, Fence)) for child in block.items[0].blocks[1:])


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


def read_blocks(blocks: list[Block], *, problem_known: bool) -> Reading:
    """Read an entry's blocks in order. ``problem_known``: its title already names the problem,
    so code right under it is the fix, not a reproduction."""
    return _Reader(problem_known).read(blocks)
