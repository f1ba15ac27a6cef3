"""A known issue cut into what a log may echo: fields for BM25F and phrases for line matching.

Phrases come from where authors put error text: symptom lines, the title, signature literals,
root-cause sentences, spans they quoted (`code` or "double quotes"), and messages of exceptions
their fix raises (``raise ValueError("Invalid SQL identifier")`` is what the log will print).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeAlias

from knownfix.core.match.issue_doc import IssueDoc, vocabulary_of
from knownfix.core.match.tokens import (
    BOILERPLATE,
    STOPWORDS,
    error_codes,
    exception_types,
    identifier_terms,
    special_term,
    tokenize,
    tokenize_with_surface,
)
from knownfix.core.records import KnownIssue
from knownfix.core.text.commandline import looks_like_command

# How much a phrase of each origin can prove on its own. A root-cause sentence describes the
# mechanism, not the text a log prints; a title summarises.
PHRASE_WEIGHTS: dict[str, float] = {
    "symptom": 1.0,
    "quoted": 1.0,
    "signature": 1.0,
    "raised": 0.95,
    "title": 0.9,
    "described": 0.8,
    "code": 0.9,
    "root cause": 0.6,
}
# Origins whose text is (close to) what the failing tool prints.
VERBATIM_ORIGINS = frozenset({"symptom", "quoted", "signature", "raised"})
# Labels of free-form fields (``KnownIssue.extra``) that describe what the failure looks like.
_SYMPTOM_LABEL = re.compile(r"summary|symptom|problem|error|observed|issue|message", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z`\"'])|\n+")
# Error strings authors quote in prose: `code spans` and "double quotes".
_QUOTED = re.compile(r"`([^`\n]{3,300})`|\"([^\"\n]{6,300})\"|“([^”\n]{6,300})”")
# raise ValueError("Invalid SQL identifier") / ValueError(f"Invalid URL: {url}")
_RAISED = re.compile(r"\b([A-Z]\w*(?:Error|Exception|Warning))\(\s*f?([\"'])(.{6,200}?)\2")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# A quoted span that is only a template slot: ${configName}, {name}, <pod-name>, %s, [YOUR_IMAGE].
_ONLY_PLACEHOLDER = re.compile(
    r"\$?\{\{?[^{}]+\}?\}|<[\w .:-]+>|%[sdr]|\[(?:YOUR|[A-Z]+)_?[A-Z_]*\]|\.\.\.|…")
# Code-like tokens in prose (tests/mlflow, pickle.load, asyncio/proactor_events.py), quoted or not:
# importers may drop the backticks, the log still prints them as written.
_CODE_TOKEN = re.compile(r"(?<![\w/.])[A-Za-z_][\w-]*(?:[/.:][\w-]+|_[\w-]+)+(?:\(\))?")
_FIELD_TERMS: dict[str, Callable[[str], list[str]]] = {"identifiers": identifier_terms}
# A symptom of this many words or more that opens like a sentence, or is this share common
# words, describes a failure rather than quoting it.
PROSE_WORDS = 7
PROSE_SHARE = 0.4
_PROSE_OPENERS = frozenset({"if", "when", "whenever", "after", "while", "you", "the", "this",
                            "there", "it", "some", "on", "in", "for", "during", "once",
                            "sometimes", "we", "your", "a", "an", "most", "many"})
# The program a command line runs, past ``sudo``, ``$`` and ``VAR=value`` prefixes.
_PROGRAM = re.compile(r"^\s*(?:\$\s*)?(?:sudo\s+)?(?:\w+=\S*\s+)*([A-Za-z][\w./-]*)")
# Marks of printed text: "Error: …", "npm ERR!", "[error]", a traceback's "File", exit codes.
_MESSAGE_MARK = re.compile(r"\b(?:error|fatal|panic|warning|exception|failed)\s*[:!\]]"
                           r"|\w+(?:Error|Exception)\b|^\s*\[|\bE[A-Z]{3,}\b|0x[0-9a-fA-F]{6}")


Phrase: TypeAlias = tuple[str, str, tuple[str, ...], tuple[str, ...], "str | None"]
"""A piece of an issue's text that a log line may echo, with its content terms:
``(text, origin, terms, surfaces, literal)``. ``surfaces[i]`` is how ``terms[i]`` was written;
``literal`` is the folded text to look for verbatim (see ``fold_literal``), or None.

A plain tuple of strings rather than an object: the garbage collector stops tracking such a
tuple after its first collection, and a long-lived process keeps the phrases of thousands of
issues (see ``IssueDoc``). Read it by unpacking: ``text, origin, terms, _, literal = phrase``."""


def surface_of(phrase: Phrase, term: str) -> str:
    """How ``phrase`` wrote ``term`` (the term itself when it does not hold it)."""
    terms, surfaces = phrase[2], phrase[3]
    return surfaces[terms.index(term)] if term in terms else term


@dataclass(slots=True)
class IssueTerms:
    """What the compiled index needs of one issue: its field term counts, the document it
    came from, the programs its commands run and its signature rules. Plain data, stored with
    the knowledge base (``to_json``) so an unchanged issue is never tokenized again."""

    issue_id: str
    document: str
    field_tf: dict[str, dict[str, int]]  # Counters when tokenized, dicts when read back
    programs: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    regex: tuple[str, ...] = ()
    _vocabulary: frozenset[str] | None = field(default=None, repr=False, compare=False)

    @property
    def field_len(self) -> dict[str, int]:
        return {name: sum(tf.values()) for name, tf in self.field_tf.items()}

    @property
    def vocabulary(self) -> frozenset[str]:
        if self._vocabulary is None:
            self._vocabulary = vocabulary_of(self.field_tf)
        return self._vocabulary

    def to_json(self) -> dict[str, object]:
        return {"id": self.issue_id, "document": self.document,
                "fields": {name: dict(tf) for name, tf in self.field_tf.items()},
                "programs": list(self.programs), "contains": list(self.contains),
                "regex": list(self.regex)}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> IssueTerms:
        fields = data["fields"]
        assert isinstance(fields, dict)
        return cls(str(data["id"]), str(data["document"]),
                   {str(name): _counts(tf) for name, tf in fields.items()},
                   tuple(map(str, data["programs"])),  # type: ignore[call-overload]
                   tuple(map(str, data["contains"])),  # type: ignore[call-overload]
                   tuple(map(str, data["regex"])))  # type: ignore[call-overload]


def _counts(tf: object) -> dict[str, int]:
    # Read for every candidate a log meets and every issue an import compiles: JSON gives str
    # keys already, so the counts are used as they are once they are checked to be ints.
    if type(tf) is not dict or not set(map(type, tf.values())) <= {int}:
        raise ValueError("not a term count table")
    # Kept as the plain dict JSON gave: a Counter costs a Mapping check and a Python loop to
    # fill, and stays tracked by the garbage collector, which a plain dict of str -> int is not
    # (a warm process keeps thousands of prepared issues, six tables each).
    return tf


def fold_literal(text: str) -> str:
    """Case, slashes and spacing folded, so `asyncio/proactor_events.py` meets a Windows path."""
    return " ".join(text.casefold().replace("\\", "/").split())


def _literal(text: str, origin: str) -> str | None:
    # Only distinctive strings: a path, a dotted name or several words, never one plain word
    # ("Any") that any log may contain.
    folded = fold_literal(text.strip("` \"'“”.,;:"))
    if (origin not in VERBATIM_ORIGINS and origin != "code") or len(folded) < 8:
        return None
    return folded if (" " in folded or any(c in folded for c in "/._:")) else None


def split_phrases(text: str) -> list[str]:
    """Sentences and lines of a prose field."""
    return [p.strip() for p in _SENTENCE_END.split(text) if p and p.strip()]


def make_phrase(text: str, origin: str) -> Phrase | None:
    """A phrase of ``text`` or None when it has no content terms."""
    pairs = [(t, s) for t, s in tokenize_with_surface(text) if t not in BOILERPLATE]
    if not pairs:
        return None
    surfaces: dict[str, str] = {}
    for term, surface in pairs:
        surfaces.setdefault(term, surface)
    return (" ".join(text.split()), origin, tuple(surfaces), tuple(surfaces.values()),
            _literal(text, origin))


def issue_fields(issue: KnownIssue) -> dict[str, list[str]]:
    """The texts of an issue grouped into the BM25F fields."""
    symptoms = list(issue.symptoms)
    other: list[str] = [issue.resolution, *issue.resolution_steps, issue.prevention, *issue.tags,
                        *issue.commands, *issue.verification]
    if issue.category:
        other.append(issue.category)
    for label, value in issue.extra.items():
        (symptoms if _SYMPTOM_LABEL.search(label) else other).append(value)
    # Code identifiers (greenlet_spawn, TrustedHostMiddleware) are as specific as error text,
    # wherever the doc mentions them: they get a field of their own (see ``_FIELD_TERMS``).
    return {
        "symptoms": symptoms,
        "title": [issue.title],
        "signature": list(issue.signature.contains),
        "root_cause": [issue.root_cause],
        "resolution": other,
        "identifiers": [issue.root_cause, *other],
    }


def reads_as_prose(text: str) -> bool:
    """A symptom written as a sentence about the failure ("If you start the client with …"),
    not the text a tool prints: it is evidence, but not verbatim evidence."""
    words = text.split()
    if len(words) < PROSE_WORDS or _MESSAGE_MARK.search(text):
        return False
    if words[0].lower().strip("\"'`(") in _PROSE_OPENERS:
        return True
    common = sum(1 for w in words if w.lower().strip(".,;:!?()\"'`") in STOPWORDS)
    return common / len(words) >= PROSE_SHARE


def _candidates(issue: KnownIssue, fields: dict[str, list[str]]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = [(issue.title, "title")]
    for text in fields["symptoms"]:
        found += [(p, "described" if reads_as_prose(p) else "symptom")
                  for p in split_phrases(text)]
    found += [(lit, "signature") for lit in issue.signature.contains]
    found += [(p, "root cause") for p in split_phrases(issue.root_cause)]
    # Programs the issue's own commands run: `eksctl delete` quoted in prose is typed, not
    # printed, like `npm ci`.
    programs = {c.split(maxsplit=1)[0].lower() for c in (*issue.commands, *issue.verification)
                if c.strip()}
    for text in (*fields["symptoms"], issue.title, issue.root_cause):
        for m in _QUOTED.finditer(text):
            quoted = next(g for g in m.groups() if g)
            if looks_like_command(quoted) or quoted.split(maxsplit=1)[0].lower() in programs:
                continue
            if _ONLY_PLACEHOLDER.fullmatch(quoted.strip()):
                # "${configName}" in a message template: the log prints a name there, not this.
                continue
            found.append((quoted, "quoted"))
        # Code-like tokens the author did not quote (found by shape): a name, not a message.
        found += [(m.group(0), "code") for m in _CODE_TOKEN.finditer(text)
                  if len(m.group(0)) >= 8]
    for text in (issue.root_cause, *fields["resolution"], *fields["symptoms"]):
        for m in _RAISED.finditer(text):
            message = _PLACEHOLDER.sub(" ", m.group(3))
            found.append((f"{m.group(1)}: {message}", "raised"))
    return found


def document_of(issue: KnownIssue) -> str:
    """The document an issue was imported from (its own id when it names none)."""
    source = issue.source
    return source.path if source is not None and source.path else f"issue:{issue.id}"


def issue_terms(issue: KnownIssue, fields: dict[str, list[str]] | None = None) -> IssueTerms:
    """The terms of an issue's fields, for the compiled index (see ``IssueTerms``)."""
    fields = fields if fields is not None else issue_fields(issue)
    field_tf: dict[str, dict[str, int]] = {
        name: Counter(t for text in texts for t in _FIELD_TERMS.get(name, tokenize)(text))
        for name, texts in fields.items()}
    programs = []
    for command in (*issue.commands, *issue.verification):
        match = _PROGRAM.match(command)
        if match:
            programs += tokenize(match.group(1).rsplit("/", 1)[-1])
    return IssueTerms(issue.id, document_of(issue), field_tf, tuple(dict.fromkeys(programs)),
                      tuple(issue.signature.contains), tuple(issue.signature.regex))


def index_issue(issue: KnownIssue) -> IssueDoc:
    """Index one known issue: its fields, phrases, and the exception types and codes it names."""
    return prepare_issue(issue)[1]


def prepare_issue(issue: KnownIssue) -> tuple[IssueTerms, IssueDoc]:
    """The terms of one known issue for the compiled index, and the issue indexed."""
    fields = issue_fields(issue)
    terms = issue_terms(issue, fields)
    phrases: dict[tuple[str, tuple[str, ...]], Phrase] = {}
    found = _candidates(issue, fields)
    for text, origin in found:
        phrase = make_phrase(text, origin)
        if phrase is not None:
            phrases.setdefault((origin, phrase[2]), phrase)
    focus_texts = [*fields["symptoms"], issue.title, *issue.signature.contains]
    named_texts = [*focus_texts, issue.root_cause]
    raised = [text for text, origin in found if origin == "raised"]
    exc = {special_term(n) for t in (*named_texts, *raised) for n in exception_types(t)}
    codes = {special_term(c) for t in (*named_texts, *raised) for c in error_codes(t)}
    return terms, IssueDoc.of(
        issue, terms, tuple(phrases.values()), exc, codes,
        (t for text in focus_texts for t in tokenize(text) if t not in BOILERPLATE))
