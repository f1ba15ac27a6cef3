"""What a document's quoted and printed text is: error literals, a tool's printed output,
prompted commands, and the labels a paragraph gives its own role.

A troubleshooting page quotes three kinds of text that look alike: what a tool printed (the
failure's own words: symptoms), what a person types (commands: the fix, or the reproduction)
and source or configuration (context). :mod:`.reading` reads an entry's blocks in order; this
module says which of the three a span, a line or a fenced block is.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from knownfix.core.docparse import rules as r
from knownfix.core.docparse.blocks import (
    Block,
    Fence,
    Inline,
    Paragraph,
)
from knownfix.core.docparse.commands import SHELL_LANGUAGES, language
from knownfix.core.docparse.content import fence_text
from knownfix.core.docparse.inline import is_only_code, plain
from knownfix.core.docparse.meaning.cues import (
    has_special,
    is_code_word,
    problem_strength,
    sentence_cues,
    sentences,
)
from knownfix.core.docparse.rules import field_key
from knownfix.core.text.commandline import looks_like_command

MAX_OUTPUT_LINES = 4  # error lines taken from one block of output
_CONFIG_LANGUAGES = frozenset(
    {"yaml", "yml", "json", "jsonc", "json5", "toml", "ini", "xml", "properties", "conf", "cfg",
     "dockerfile", "docker", "hcl", "tf", "terraform", "nginx", "apache", "env", "dotenv",
     "systemd", "cmake", "makefile", "make", "gradle", "groovy", "kotlin", "diff", "patch"}
)
# Languages a program is written in: a block in one is printed output only when most of it is
# messages or it holds a traceback.
_SOURCE_LANGUAGES = frozenset(
    {"go", "golang", "python", "py", "js", "javascript", "jsx", "ts", "typescript", "tsx",
     "java", "rust", "rs", "c", "cpp", "c++", "csharp", "cs", "php", "ruby", "rb", "swift",
     "scala", "dart", "elixir", "vue", "svelte"}
)
_OUTPUT_LANGUAGES = frozenset(
    {"text", "txt", "plain", "plaintext", "log", "output", "stderr", "stdout", "error", "none",
     "nohighlight", "no-highlight", "console-output", "raw"}
)
PROMPT = re.compile(r"^\s*(?:\$|#|>|%|PS [^>]{0,80}>|[\w.@-]+@[\w.-]+[:~][^$#]{0,80}[$#])\s+\S")
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
ANSWER_LEAD = re.compile(r"^\s*(?:a|answer)\s*[:.)]\s+", re.IGNORECASE)
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
# A progress label a tool prints while it works ("Generating bindings", "Resolving
# dependencies…"): a gerund and a few words, no mark of an error.
_PROGRESS_LABEL = re.compile(r"^[A-Z][a-z]+ing(?: [\w-]+){0,3}(?:\.\.\.|…)?$")
_QUOTED = re.compile(r"\"([^\"\n]{4,300})\"|“([^”\n]{4,300})”")
# Sub-headings named like a field steer the blocks under them ("### How to fix" → the remedy).
HEADING_ROLES: dict[str, str] = {
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
# "**Solution**: add …", "Cause: …": a paragraph that labels its own role (a field in a line).
LABEL_LEAD = re.compile(r"^\s*(?:\*\*|__)?([A-Z][\w ()/-]{1,40}?)(?:\*\*|__)?\s*:(?:\*\*|__)?\s+")
_COMMAND_WORD = re.compile(r"^(?:sudo\s+)?[a-z][\w.+-]*(?:\s+-{1,2}[\w-]+|\s+[\w./:@=-]+)*\s*$")




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
    # Inline HTML is markup (`<font style="font-weight: bold;">`): its quotes are attributes.
    outside = plain([t for t in inline if t.type not in {"code_inline", "html_inline"}])
    if framed is None:
        framed = problem_strength(_QUOTED.sub(" ", outside)) >= 1.0
    found: list[str] = []
    for index, token in enumerate(inline):
        if token.type != "code_inline" or not is_error_literal(token.content, framed=framed):
            continue
        if not framed and len(token.content.split()) == 1 and not is_only_code(inline):
            # A code or an exception type named in a line that reports no failure ("fixes for
            # all rules except `F401`") is a name; one the line says is shown is taken below.
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
        if framed and _PROGRESS_LABEL.match(quoted) and problem_strength(quoted) == 0:
            continue  # stuck on "Generating bindings": where the work stalls, not what failed
        if len(quoted.split()) >= 2 and (is_error_literal(quoted, framed=framed)
                                         or problem_strength(quoted) > 0):
            found.append(quoted)
    return found


def _quoted_spans(text: str) -> list[str]:
    """Text in double quotes. A quote nested in another ("Unable to update the "stable" repo")
    pairs wrongly at first (a span that starts or ends with a space): then the outer quotes
    hold the message."""
    spans: list[str] = []
    if text.count('"') % 2:
        # Quotes that do not pair (`Host version "x.x.x does not match binary version "x.x.x"`)
        # delimit nothing for sure: the line is read whole.
        return spans
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
        if _RUNS_BEFORE.search(light[:match.start()]) or _RUNS_AFTER.match(light[match.end():]):
            continue  # "but the `wails doctor` command shows …": a command, not its output
        if is_error_literal(quoted, framed=framed):
            found.append(quoted)
    return found


def drop_answer_lead(inline: Inline) -> Inline:
    for index, token in enumerate(inline):
        if token.type == "text" and token.content.strip():
            if not ANSWER_LEAD.match(token.content):
                return inline
            content = ANSWER_LEAD.sub("", token.content)
            copy = Token(token.type, token.tag, token.nesting, content=content)
            return [*inline[:index], copy, *inline[index + 1:]]
    return inline


def field_lead(text: str) -> tuple[str, str]:
    """The role a paragraph's own label gives it ("Solution: …" → remedy) and its text without
    the label; ("", text) when it opens with no field label."""
    match = LABEL_LEAD.match(text)
    key = field_key(match.group(1)) if match else None
    role = HEADING_ROLES.get(key, "") if key else ""
    if not role or match is None:
        return "", text
    return role, text[match.end():]


def labelled_name(text: str) -> str:
    """The label a paragraph opens with ("Status" of "Status: expected behaviour")."""
    match = LABEL_LEAD.match(text)
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
                if PROMPT.match(line) and not line.lstrip().startswith("#!")]
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
    if lang in _SOURCE_LANGUAGES and messages * 2 < len(lines) and not any(
        _STACK_LINE.match(line) for line in lines
    ):
        return "code"  # a Go program with one `println("Error:", err)`: source, not output
    if messages and _mostly_output(lines) and not _mostly_source(lines):
        return "output"  # a traceback under ```python is what Python printed
    return "code"


def _is_output_line(line: str) -> bool:
    return bool(_MESSAGE_LINE.search(line) or _STACK_LINE.match(line)
                or has_special(line)) and not PROMPT.match(line)


def _mostly_output(lines: list[str]) -> bool:
    commandish = sum(1 for line in lines if _COMMAND_WORD.match(line.strip()))
    return commandish * 2 < len(lines) or any(_STACK_LINE.match(line) for line in lines)


def trouble(block: Block) -> float:
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
                if line.strip() and not _STACK_LINE.match(line) and not PROMPT.match(line)
                and not _SOURCE_LINE.search(line.strip())]
        if tail and _EXCEPTION_LINE.match(tail[-1]):
            picked.append(tail[-1])
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped or PROMPT.match(line) or _STACK_LINE.match(line):
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
    return [line.strip() for line in text.split("\n") if line.strip() and not PROMPT.match(line)]


def prompted_commands(text: str) -> list[str]:
    """The commands of a transcript (prompt stripped)."""
    out: list[str] = []
    for line in text.split("\n"):
        match = PROMPT.match(line)
        if match and not line.lstrip().startswith("#!"):
            out.append(re.sub(r"^\s*(?:\$|#|>|%|PS [^>]{0,80}>|\S+[$#])\s+", "", line).strip())
    return [c for c in out if c]
