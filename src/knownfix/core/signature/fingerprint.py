"""Fingerprint an excerpt: a human title, a strict and a loose hash, and why.

- **strict**: every informative normalized line, in order (boilerplate left out). Same failure,
  same code path: the same strict fingerprint whatever the numbers, paths, times and ids.
- **loose**: the title's exception type or error code, the plain words of its message and the
  names in it (a test, a function, a file: unquoted identifiers; quoted values, numbers and
  masks dropped), plus the same parts of every other error line of the excerpt, as a set. Frames,
  line order, repeated lines, context lines and better masking do not move it, so an improved
  strategy does not split existing incidents. A *generic* title ("3 failing", "Error: testthat
  unit tests failed", a build tool's wrapper, a line that merely holds a failure word) only
  says that something failed, so then the context lines (with their quoted values) join too:
  they say what failed.

Strategies are dated (:data:`FINGERPRINT_VERSION`); compare strict fingerprints only within one
version. The line rules are data (:mod:`knownfix.core.signature.fingerprint_rules`).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

from knownfix.core.records import Signature, cite_line
from knownfix.core.signature.fingerprint_rules import (
    ASIDE,
    BOILERPLATE,
    FRAME,
    LINE_RULES,
    TITLE,
    LineRule,
)
from knownfix.core.signature.message_parts import (
    LITERAL_QUOTES_SINCE,
    MASKED,
    identifiers,
    plain_words,
    quoted_values,
)
from knownfix.core.signature.message_words import (
    BARE_TYPES,
    ERROR_CODE_PATTERN,
    FILLER_WORDS,
    HINT_FAMILIES,
    SUBJECT_PATTERNS,
)
from knownfix.core.signature.normalize import normalize_line_explain
from knownfix.core.signature.specificity import is_weak, step_keys
from knownfix.core.signature.versions import (
    CURRENT,
    NAMED_SINCE,
    QUOTED_IN_LOOSE_SINCE,
    VERSIONS,
    WEAK_TITLES_SINCE,
    active,
)

__all__ = ["FINGERPRINT_VERSION", "compat_loose_fingerprints", "fingerprint_excerpt"]

FINGERPRINT_VERSION = CURRENT
# The weight of those rules and below (error-words 4, warning 3, assertion operands 1); a rule
# that recognises the shape of an error message (``ERROR: …``, ``npm ERR! …``) weighs more.
WEAK_TITLE_WEIGHT = 4

HASH_CHARS = 16
TITLE_MAX = 200
# Below this many words a title message is too generic to group on ("assert <num> == <num>"):
# the failing test's name, when the excerpt has one, joins the loose fingerprint.
LOOSE_MIN_WORDS = 3
# A title with no named exception type and no error code, and fewer plain words than this or
# only filler words, is *generic*: it says that something failed, not what ("3 failing", "Error:
# One or more errors occurred"). Then every other informative line joins the loose fingerprint,
# quoted values included. 5 was measured on LogChunks recurrence (bench/recurrence.py): fewer
# lets summaries group unrelated failures, more starts splitting real messages.
GENERIC_TITLE_WORDS = 5
# Classification looks at a line's head only: a title is at the start, and this bounds the work.
_CLASSIFY_CHARS = 4096
_STRIPPED = frozenset({"ansi", "leading-timestamp"})

_COMPILED = {rule.name: re.compile(rule.pattern) for rule in LINE_RULES}


@lru_cache(maxsize=8)
def _rules(version: str) -> tuple[tuple[LineRule, re.Pattern[str]], ...]:
    return tuple((r, _COMPILED[r.name]) for r in LINE_RULES if active(r.since, r.until, version))


@lru_cache(maxsize=8)
def _subjects(version: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p, since in SUBJECT_PATTERNS if active(since, "", version))


_HINTS = tuple((re.compile(pattern, re.IGNORECASE), family) for pattern, family in HINT_FAMILIES)
_ERROR_CODE = re.compile(ERROR_CODE_PATTERN)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Prefixes that mark a line without naming anything: CI annotations, pytest's "E".
_TITLE_PREFIX = re.compile(r"^(?:##\[error\]|::error[^:]*::|E\s+(?=\S))")


@dataclass(frozen=True)
class _Line:
    number: int
    text: str
    fired: tuple[str, ...]
    rule: LineRule | None
    match: re.Match[str] | None

    @property
    def kind(self) -> str:
        return self.rule.kind if self.rule else "context"


def _classify(number: int, raw: str, version: str = CURRENT) -> _Line:
    return _Line(number, *_classified(raw, version))


# As small as the masking's cache, for the same reason (an import must not hold every line).
@lru_cache(maxsize=1 << 10)
def _classified(
    raw: str, version: str
) -> tuple[str, tuple[str, ...], LineRule | None, re.Match[str] | None]:
    """A line's masked text, the masks that fired, and the first rule that matches it, once
    per process: excerpts repeat lines (six in ten of the held-out LogChunks excerpts' lines
    were in an earlier one), and each rule is a regex tried on the line."""
    text, fired = normalize_line_explain(raw, version)
    head = text[:_CLASSIFY_CHARS]
    for rule, regex in _rules(version):
        match = regex.match(head)
        if match:
            return text, fired, rule, match
    return text, fired, None, None


def _hint_family(source_hint: str | None) -> str | None:
    if not source_hint:
        return None
    for regex, family in _HINTS:
        if regex.search(source_hint):
            return family
    return None


def _pick_title(lines: list[_Line], family: str | None) -> _Line | None:
    """The best title line: highest weight (+1 for the hinted family), first of equals, except
    in a Python traceback, where the exception raised last is the one that failed."""
    candidates = [line for line in lines if line.kind == TITLE]
    summaries_only = all(line.rule is not None and line.rule.summary for line in candidates)
    if not candidates or summaries_only:
        # A context line says more than an echoed command or a progress line, and more than a
        # summary ("rake aborted!" before "No Rakefile found").
        context = [line for line in lines if line.kind == "context"]
        context = context or candidates or [line for line in lines if line.kind == ASIDE]
        return context[0] if context else None
    python = any(line.rule is not None and line.rule.name == "python-frame" for line in lines)

    def score(line: _Line) -> tuple[int, int]:
        rule = line.rule
        if rule is None:
            return 0, -line.number
        weight = rule.weight + (1 if family and rule.family == family else 0)
        later_wins = python and rule.name == "exception"
        return weight, line.number if later_wins else -line.number

    return max(candidates, key=score)


def _title_text(line: _Line | None, continuation: _Line | None = None) -> str:
    if line is None:
        return "(empty excerpt)"
    title = _TITLE_PREFIX.sub("", line.text).strip() or line.text
    if continuation is not None:
        title = f"{title} {continuation.text}"
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


def _continuation(lines: list[_Line], title: _Line | None) -> _Line | None:
    """The next line when the title only announces it ("Error:", "panicked at x.rs:2:5:")."""
    if title is None or not title.text.endswith(":"):
        return None
    after = [line for line in lines if line.number > title.number]
    if not after or after[0].kind in (FRAME, BOILERPLATE, ASIDE):
        return None
    return after[0]


def _subject(lines: list[_Line], version: str = CURRENT) -> str:
    for line in lines:
        for regex in _subjects(version):
            found = regex.search(line.text[:_CLASSIFY_CHARS])
            if found:
                return found.group("subject")
    return ""


def _message(line: _Line) -> str:
    groups = line.match.groupdict() if line.match else {}
    message = groups.get("msg") or groups.get("msg2")
    return _TITLE_PREFIX.sub("", line.text) if message is None else message


def _loose_parts(
    line: _Line | None, continuation: _Line | None
) -> tuple[str, str, list[str]]:
    """(exception type, error code, message words) of the title line and its continuation."""
    if line is None:
        return "", "", []
    groups = line.match.groupdict() if line.match else {}
    exc_type = (groups.get("type") or "").rsplit(".", 1)[-1].rsplit("::", 1)[-1]
    code = groups.get("code") or ""
    if not code:
        found = _ERROR_CODE.search(line.text)
        code = found.group() if found else ""
    message = _message(line)
    if continuation is not None:
        message = f"{message} {continuation.text}"
    return exc_type, code, plain_words(message)


_LOCATION_MASKS = re.compile(r"[:(]?<(?:line|col|num)>[,:)]?|[\[\]]")


def _located_file(line: _Line, version: str = CURRENT) -> str:
    """The base name of the file an error line points at (its ``loc`` group), or ""."""
    if version < NAMED_SINCE or line.match is None:
        return ""
    location = line.match.groupdict().get("loc") or ""
    name = re.split(r"[/\\]", _LOCATION_MASKS.sub("", location))[-1]
    name = name.rstrip(":")
    return "" if MASKED.fullmatch(name) else name


def _line_key(line: _Line, *, quoted: bool, version: str = CURRENT) -> str:
    """The loose parts of one more excerpt line; its text when it has none of them."""
    exc_type, code, words = _loose_parts(line, None)
    message = _message(line)
    parts = [exc_type, code, " ".join(words), " ".join(identifiers(message))]
    located = _located_file(line, version)
    if located:  # only then: a line without one keeps the key it had before this strategy
        parts.append(located)
    if quoted:
        parts.append("|".join(quoted_values(message, version)))
    return "\x1e".join(parts) if any(parts) else line.text.lower()


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_CHARS]


def _count(names: Counter[str]) -> str:
    return ", ".join(f"{name}×{count}" for name, count in sorted(names.items(),
                                                                 key=lambda i: (-i[1], i[0])))


def fingerprint_excerpt(
    excerpt_text: str,
    *,
    source_hint: str | None = None,
    line_numbers: Sequence[int] | None = None,
    version: str = CURRENT,
    step: str = "",
) -> Signature:
    """The signature of an excerpt: title, strict and loose fingerprints, version and reasons.

    ``source_hint`` (a tool, language or file name, e.g. ``"pytest"``) breaks ties between
    title candidates in favour of that ecosystem's rules. ``line_numbers`` (the log line of
    each excerpt line, ``Excerpt.line_numbers()``) makes the reasons cite log lines.
    ``version`` replays an older strategy of :data:`~knownfix.core.signature.versions.VERSIONS`.
    ``step`` (the failed step's command and closing lines, ``LogReading.step``) groups an
    excerpt none of whose lines says what failed (:mod:`~knownfix.core.signature.specificity`).
    """
    if version not in VERSIONS:
        raise ValueError(f"unknown fingerprint version {version!r}")
    def where(number: int) -> str:
        return cite_line(number, line_numbers)

    lines = [
        _classify(number, raw, version)
        for number, raw in enumerate(_LINE_BREAK.split(excerpt_text), start=1)
        if raw.strip()
    ]
    lines = [line for line in lines if line.text]
    informative = [line for line in lines if line.kind != BOILERPLATE]
    family = _hint_family(source_hint)
    title_line = _pick_title(informative, family)
    continuation = _continuation(informative, title_line)
    exc_type, code, words = _loose_parts(title_line, continuation)

    short = len(words) < LOOSE_MIN_WORDS
    subject = _subject(informative, version) if short or version >= NAMED_SINCE else ""
    if not subject and version >= NAMED_SINCE:  # a separator can name the test ("___ test_x ___")
        subject = _subject([line for line in lines if line.kind == BOILERPLATE], version)
    message = ""
    if title_line is not None:
        message = _message(title_line) + (f" {continuation.text}" if continuation else "")
    names = identifiers(message)
    named_type = exc_type not in BARE_TYPES  # "Error: ..." names no type
    telling = [w for w in words if w not in FILLER_WORDS]
    summary = title_line is not None and title_line.rule is not None and (
        title_line.rule.summary
    )
    weak = version >= WEAK_TITLES_SINCE and title_line is not None and (
        title_line.rule is not None and title_line.rule.weight <= WEAK_TITLE_WEIGHT
    )
    generic = title_line is None or title_line.kind != TITLE or summary or weak or (
        not named_type and not code and (len(words) < GENERIC_TITLE_WORDS or not telling)
    )
    error_quotes = version >= LITERAL_QUOTES_SINCE
    others = sorted({
        _line_key(line, quoted=generic or (error_quotes and line.kind == TITLE), version=version)
        for line in informative
        if line is not title_line and line is not continuation and line.kind not in (FRAME, ASIDE)
        and (generic or line.kind == TITLE)
    })
    # An excerpt none of whose lines says what failed is also grouped by the step that failed;
    # it joins both fingerprints, so equal strict ones still mean equal loose ones.
    ran = step_keys(step, lambda raw: normalize_line_explain(raw, version)[0]) if (
        is_weak(informative, version)) else []

    strict = _digest("\n".join([line.text for line in informative] + ran))
    title_parts = [exc_type, code, " ".join(words), subject, " ".join(names)]
    located = _located_file(title_line, version) if title_line is not None else ""
    if located:
        title_parts.append(located)
    quoted = quoted_values(message, version)
    # A title without quoted values keeps the loose fingerprint it had before this strategy.
    if generic or (quoted and version >= QUOTED_IN_LOOSE_SINCE):
        title_parts.append("|".join(quoted))
    if not any(title_parts):
        title_parts = [_title_text(title_line, continuation)]
    loose = _digest("\x1f".join(title_parts) + "\x1d" + "\x1d".join(others + ran))

    reasons = []
    if title_line is not None:
        how = title_line.rule.name if title_line.rule else "first informative line"
        reasons.append(f"title from {where(title_line.number)} ({how})")
        if continuation is not None:
            reasons.append(f"title continues on {where(continuation.number)}")
    else:
        reasons.append("no informative line: empty title")
    frames = sum(1 for line in informative if line.kind == FRAME)
    skipped = len(lines) - len(informative)
    reasons.append(
        f"strict: {_plural(len(informative), 'line')} ({_plural(frames, 'frame')}), "
        f"{skipped} boilerplate skipped"
    )
    parts = [f"type {exc_type}" if exc_type else "", f"code {code}" if code else ""]
    parts.append(_plural(len(words), "message word") if words else "")
    parts.append(f"test {subject}" if subject else "")
    parts.append(_plural(len(names), "name") if names else "")
    loose_from = " + ".join(p for p in parts if p) or "the title text"
    if others:
        kind = "other line" if generic else "other error line"
        loose_from += f" + {_plural(len(others), kind)}" + (" (generic title)" if generic else "")
    if ran:
        loose_from += f" + {_plural(len(ran), 'line')} of the failed step (weak excerpt)"
    reasons.append(f"loose: {loose_from}")
    fired = Counter(name for line in informative for name in line.fired)
    masked = Counter({k: v for k, v in fired.items() if k not in _STRIPPED})
    stripped = Counter({k: v for k, v in fired.items() if k in _STRIPPED})
    if masked:
        reasons.append(f"masked: {_count(masked)}")
    if stripped:
        reasons.append(f"stripped: {_count(stripped)}")
    if family:
        reasons.append(f"source hint {source_hint!r}: prefer {family} rules")
    return Signature(
        title=_title_text(title_line, continuation),
        fingerprint=strict,
        loose_fingerprint=loose,
        version=version,
        reasons=tuple(reasons),
    )


def compat_loose_fingerprints(
    excerpt_text: str, signature: Signature, *, source_hint: str | None = None,
    versions: Collection[str] | None = None,
) -> tuple[str, ...]:
    """The loose fingerprints older strategies (all, or those of ``versions``) give this excerpt,
    newest first, where they differ from ``signature``'s: an incident an older version opened
    is found through them, so a new strategy never splits it."""
    found: list[str] = []
    for version in reversed(VERSIONS[:-1]):
        if versions is not None and version not in versions:
            continue
        loose = fingerprint_excerpt(
            excerpt_text, source_hint=source_hint, version=version
        ).loose_fingerprint
        if loose != signature.loose_fingerprint and loose not in found:
            found.append(loose)
    return tuple(found)

