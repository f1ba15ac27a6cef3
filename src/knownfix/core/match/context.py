"""Which tool or system a known issue is about, learned from the knowledge base itself.

The issues imported from one document share the words that name its tool: ``cockroach``,
``cert-manager``, ``jekyll``, ``vllm``. A term is a *context term* of a document when several
of its issues use it (or its file path names it) and few other documents do. A log that names
the tool of an issue's document is evidence for that issue even when the error is worded
differently; a log that shares only a generic message ("connection refused") with an issue of
another tool's document is not enough to call the failure known.

Plain data (term → weight per document), built once with the lexical index. ``CommandLines``
collects, from a whole log as it streams past, the commands it ran (``$ cockroach sql …``,
``Run pnpm build``): an excerpt often shows the error without the tool that printed it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from knownfix.core.match.issue_doc import IssueDoc
from knownfix.core.match.phrases import IssueTerms
from knownfix.core.match.tokens import BOILERPLATE, tokenize

# A document with fewer issues says too little about which words are its tool's.
MIN_ISSUES = 3
# Share of a document's issues that must use a word for it to name the document's subject
# (the product name runs through most entries of its troubleshooting page).
MIN_USE_SHARE = 0.4
# A context term weighs log(R / documents using it), in units of log(R), where R is the number
# of documents D up to REFERENCE_DOCUMENTS: kept above this.
MIN_WEIGHT = 0.6
# Beyond this many documents, a tool word's rarity is counted against this many. With D itself
# the unit grew with the knowledge base: a word three documents use weighed 0.73 among 100
# documents and 0.79 among 300, so importing a team's incident logs made words name a tool (and
# an issue of another page *foreign*) that did not before (bench/README.md, *Ninth round*).
# Past it, a word k documents use names a tool by k alone. A knowledge base of a few pages keeps
# its own D: among 5 documents, a word 4 of them use names none of them.
REFERENCE_DOCUMENTS = 100
EXTRA_TERMS = 0.25
_PATH_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")
# Terms the tokenizer folds paraphrases into ("not found" → missing): ideas, never a tool.
CONCEPTS = frozenset({"miss", "missing", "timeout", "oom", "mismatch", "crash", "segfault"})
# Suffixes products add to their name ("cockroachdb" → "cockroach", "nodejs" → "node").
_PRODUCT_SUFFIXES = ("db", "js", "io", "ctl", "cli", "sql")
# How far up a path to look for the folder a document is about, past "docs/", "content/" …
FOLDER_LEVELS = 3
# A program's name as a context term: only the first word of a command the log ran makes it.
PROGRAM_MARK = "$"
_PROGRAM_NAME = re.compile(r"[a-z][a-z0-9._+-]{1,40}")
# Words that run the program named next ("sudo kind …", "npx react-native start").
_LAUNCHERS = frozenset({"sudo", "npx", "bunx", "pnpx", "exec", "time", "env", "nohup"})
# Path words that name where docs live, not what they are about.
_PATH_NOISE = frozenset({"docs", "doc", "documentation", "content", "pages", "src", "site",
                         "md", "markdown", "readme", "index", "wiki", "bench", "real"})


def document_key(doc: IssueDoc) -> str:
    """The document an issue was imported from (its own id when it names none)."""
    return doc.document


def path_terms(path: str) -> set[str]:
    """Terms of the last two parts of a path ("…/cockroachdb/common-errors.md" → cockroachdb,
    cockroach, common, error): teams name docs after what they are about."""
    return _name_terms([p for p in re.split(r"[\\/]", path) if p][-2:])


def folder_of(path: str) -> str:
    """The folder that names what a document is about: its own, or above folders that name
    where docs live (``…/headscale/docs/faq.md`` → headscale, the repository imported);
    "" when none within ``FOLDER_LEVELS``."""
    folders = [p for p in re.split(r"[\\/]", path) if p][:-1]
    for name in reversed(folders[-FOLDER_LEVELS:]):
        if name.lower() not in _PATH_NOISE:
            return name
    return ""


def folder_terms(path: str) -> set[str]:
    """Terms of the folder a document sits in ("…/headscale/faq.md" → headscale): the one part
    of a path that names a one-entry document's tool; its file name names the entry
    (``couldnt-find-the-config.md``, ``MachineConfigControllerDrainError.md``)."""
    folder = folder_of(path)
    return _name_terms([folder]) if folder else set()


def folder_mark(path: str) -> str | None:
    """The program a document's folder is named after, as a mark (``…/kind/known-issues.md`` →
    ``$kind``; ``react-native/`` → ``$react-native``); None without such a folder. See
    ``ran_programs``."""
    name = folder_of(path).lower()
    return PROGRAM_MARK + name if _PROGRAM_NAME.fullmatch(name) else None


def ran_programs(commands: Iterable[str]) -> frozenset[str]:
    """The programs a log's commands run, as marks no word of prose makes (``npx react-native
    start`` → ``$react-native``, ``kind create cluster`` → ``$kind``): a tool named by a common
    word (``kind``) or by words that are each common (``react``, ``native``) is still named
    when the log runs it."""
    marks = set()
    for command in commands:
        for word in command.split():
            low = word.lower()
            if "=" in low or low in _LAUNCHERS:
                continue
            name = re.split(r"[\\/]", low)[-1].removesuffix(".exe")
            if _PROGRAM_NAME.fullmatch(name):
                marks.add(PROGRAM_MARK + name)
            break
    return frozenset(marks)


def _name_terms(parts: Sequence[str]) -> set[str]:
    terms: set[str] = set()
    for word in _PATH_WORD.findall(" ".join(parts)):
        low = word.lower()
        if low in _PATH_NOISE:
            continue
        terms.update(tokenize(low))
        for suffix in _PRODUCT_SUFFIXES:
            if low.endswith(suffix) and len(low) - len(suffix) >= 4:
                terms.update(tokenize(low[: -len(suffix)]))
    return terms


def program_names(members: Sequence[IssueTerms]) -> set[str]:
    """The programs a document's commands run (``cockroach start …`` → cockroach), when two
    of its issues run them."""
    seen: Counter[str] = Counter()
    for member in members:
        seen.update(set(member.programs))
    return {name for name, n in seen.items() if n >= 2}


@dataclass(frozen=True, slots=True)
class DocumentContext:
    """Context terms of each document (term → weight in (0, 1]), by ``document_key``."""

    terms: dict[str, dict[str, float]]

    def match(self, key: str, log_terms: frozenset[str]) -> tuple[float, tuple[str, ...]]:
        """How clearly a log names the tool of document ``key``: the weight of the context
        terms it shares (1: one term only this document uses), and those terms."""
        mine = self.terms.get(key)
        if not mine:
            return 0.0, ()
        shared = sorted((t for t in mine if t in log_terms), key=lambda t: -mine[t])
        if not shared:
            return 0.0, ()
        # The clearest term decides; more of them add a little (several weak words that other
        # documents use too do not add up to a tool's name).
        rest = sum(mine[t] for t in shared[1:])
        return min(1.0, mine[shared[0]] + EXTRA_TERMS * rest), tuple(shared)

    def knows(self, key: str) -> bool:
        """Whether document ``key`` has context terms at all (enough issues to tell)."""
        return bool(self.terms.get(key))


@dataclass
class _Usage:
    members: int = 0
    terms: Counter[str] = field(default_factory=Counter)
    programs: Counter[str] = field(default_factory=Counter)


class ContextBuilder:
    """Learns each document's context terms from its issues, one issue at a time (memory
    grows with the documents' vocabularies, not with the number of issues)."""

    def __init__(self) -> None:
        self._usage: dict[str, _Usage] = {}

    def add(self, issue: IssueTerms) -> None:
        usage = self._usage.setdefault(issue.document, _Usage())
        usage.members += 1
        usage.terms.update(issue.vocabulary)
        usage.programs.update(set(issue.programs))

    def finish(self) -> DocumentContext:
        used: dict[str, set[str]] = {}
        # How many documents use a term at all: a word most documents use names no tool.
        spread: Counter[str] = Counter()
        for key, usage in self._usage.items():
            path = path_terms(key) if not key.startswith("issue:") else set()
            spread.update(set(usage.terms) | path)
            used[key] = {t for t in _own_terms(key, usage)
                         if t not in BOILERPLATE and t not in CONCEPTS and len(t) >= 3}
        # A folder's program mark is only ever made by a command, so its rarity is counted
        # among the documents' folders, not in their prose.
        marks = {key: folder_mark(key) for key in self._usage if not key.startswith("issue:")}
        spread.update(mark for mark in marks.values() if mark is not None)
        total = len(self._usage)
        reference = min(total, REFERENCE_DOCUMENTS) + 1.0
        scale = math.log(reference)
        terms: dict[str, dict[str, float]] = {}
        for key in self._usage:
            if total < 2:
                continue
            mark = marks.get(key)
            named = used[key] | {mark} if mark is not None else used[key]
            weights = {t: math.log(reference / (spread[t] + 0.5)) / scale for t in named}
            kept = {t: min(1.0, w) for t, w in weights.items() if w >= MIN_WEIGHT}
            if kept:
                terms[key] = kept
        return DocumentContext(terms)


def _own_terms(key: str, usage: _Usage) -> set[str]:
    """The words that may name document ``key``'s tool. A document of ``MIN_ISSUES`` or more
    issues offers the words most of them use, the programs two of them run and its path; a
    smaller one (a single-alert runbook, a FAQ of one entry) says too little to tell its
    tool's words from its failure's, and offers only what names it from outside its text:
    its folder and the programs its commands run (``headscale policy get``)."""
    if key.startswith("issue:"):
        return set()
    if usage.members < MIN_ISSUES:
        return folder_terms(key) | set(usage.programs)
    need = max(2, math.ceil(MIN_USE_SHARE * usage.members))
    own = {t for t, n in usage.terms.items() if n >= need}
    own |= {name for name, n in usage.programs.items() if n >= 2}
    return own | path_terms(key)


def build_context(docs: Iterable[IssueTerms]) -> DocumentContext:
    """Learn each document's context terms from the issues it holds."""
    builder = ContextBuilder()
    for doc in docs:
        builder.add(doc)
    return builder.finish()


# Echoes of a command in a log: "$ cmd", "+ cmd", "> cmd" (npm scripts), "PS> cmd",
# "##[group]Run cmd" / "Run cmd" (GitHub Actions), "Step 3/7 : RUN cmd" (docker build).
# It starts with the newline before the line, not ``^`` under MULTILINE: a literal first
# character lets the regex engine skip to each line end at memchr speed, where ``^`` is tried at
# every byte (three times faster over a CI log); ``feed`` puts a newline before each block.
_COMMAND_ECHO = re.compile(
    rb"\n[ \t]*(?:\$|\+|>|PS [^>\n]{0,80}>|(?:##\[group\])?Run|Step \d+/\d+ : RUN|RUN)[ \t]+"
    rb"([^\r\n]{1,300})"
)
MAX_COMMANDS = 40
MAX_CARRY = 4096


@dataclass
class CommandLines:
    """The commands a log shows it ran, collected while its bytes stream past (bounded)."""

    lines: list[str] = field(default_factory=list)
    _carry: bytes = b""

    def watch(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """Pass ``chunks`` through unchanged, noting the command lines in them."""
        for chunk in chunks:
            self.feed(chunk)
            yield chunk
        self.feed(b"\n")

    def feed(self, chunk: bytes) -> None:
        if len(self.lines) >= MAX_COMMANDS:
            return
        # The carry is the unfinished line of the last block, so ``data`` starts a line.
        data = b"\n" + self._carry + chunk
        cut = data.rfind(b"\n")
        self._carry = data[cut + 1:][-MAX_CARRY:]
        for match in _COMMAND_ECHO.finditer(data, 0, cut + 1):
            text = match.group(1).decode("utf-8", "replace").strip()
            if text and text not in self.lines:
                self.lines.append(text)
                if len(self.lines) >= MAX_COMMANDS:
                    return
