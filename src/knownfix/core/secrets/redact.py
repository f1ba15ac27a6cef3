"""Redact secrets from log text before anything is stored or shown.

``redact("export GH=ghp_...")`` gives ``"export GH=[REDACTED:github-pat]"``. Two sets of rules
(:mod:`knownfix.core.secrets.secret_rules` for knownfix's own, the generated
:mod:`knownfix.core.secrets.provider_rules` for gitleaks' ~200 providers) are compiled once, on
first use. A line is first searched for every rule's keywords at once (an RE2 set); only the
rules whose keywords it holds run, so a line with no possible secret costs one scan. Every rule
that fires marks a span; overlapping spans merge, and each span is replaced whole by
``[REDACTED:rule]``.

Text is redacted line by line (a secret never spans lines) except private-key blocks, which a
small state machine follows across lines, also in :func:`redact_lines` (streaming). Line ends
and the number of lines are kept, so excerpt spans stay valid.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

import re2

from knownfix.core.secrets import provider_rules
from knownfix.core.secrets.matchers import (
    OwnRule,
    ProviderMatcher,
    Rule,
    Span,
    is_placeholder,
    re2_options,
)
from knownfix.core.secrets.secret_rules import (
    FALLBACK_RULES,
    LABEL_PATTERN,
    PRIVATE_KEY_BEGIN,
    PRIVATE_KEY_BODY_LINE,
    PRIVATE_KEY_END,
    PRIVATE_KEY_PREFIXED_BODY_LINE,
    SECRET_RULES,
    ProviderRule,
    SecretRule,
)

__all__ = ["FALLBACK_RULES", "SECRET_RULES", "ProviderRule", "SecretRule", "redact",
           "redact_explain", "redact_lines", "rule_names"]

_PRIVATE_KEY = "private-key"
_MAX_PASSES = 4


def _label(name: str) -> str:
    return f"[REDACTED:{name}]"


class _Redactor:
    """Every rule, and one RE2 set of all their keywords that says which rules may match."""

    def __init__(
        self,
        first: tuple[SecretRule, ...],
        providers: tuple[ProviderRule, ...],
        last: tuple[SecretRule, ...],
    ) -> None:
        every: list[SecretRule | ProviderRule] = [*first, *providers, *last]
        names = [r.name for r in every]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"secret rule names must be unique: {', '.join(duplicates)}")
        global_allow = (
            re2.compile("|".join(f"(?:{p})" for p in provider_rules.GLOBAL_ALLOW), re2_options())
            if provider_rules.GLOBAL_ALLOW else None
        )
        self.rules: list[Rule] = [
            ProviderMatcher(rule, n, global_allow) for n, rule in enumerate(providers)
        ]
        self.rules += [OwnRule(rule, len(self.rules) + n) for n, rule in enumerate(first)]
        self.rules += [OwnRule(rule, len(self.rules) + n) for n, rule in enumerate(last)]
        keywords: dict[str, list[int]] = {}
        for index, rule in enumerate(self.rules):
            for keyword in rule.rule.keywords:
                keywords.setdefault(keyword, []).append(index)
        self.keywords = tuple(keywords)
        self.owners = tuple(tuple(keywords[k]) for k in self.keywords)
        self.keyword_set = re2.Set.SearchSet(re2_options(case_sensitive=False))
        for keyword in self.keywords:
            self.keyword_set.Add(re2.escape(keyword))
        self.keyword_set.Compile()

    def candidates(self, encoded: bytes) -> list[int]:
        """The rules whose keywords ``encoded`` holds, in rule order."""
        hits = self.keyword_set.Match(encoded)
        if not hits:
            return []
        if len(hits) == 1:
            return list(self.owners[hits[0]])
        return sorted({rule for hit in hits for rule in self.owners[hit]})

    def may_match(self, line: str) -> bool:
        """Cheap test: can any rule match ``line``?"""
        return bool(self.candidates(line.encode("utf-8", "surrogatepass")))

    def redact(self, line: str, fired: list[str] | None) -> str:
        """Redact one line, repeated until nothing changes.

        A label can give a rule new context, so one pass is not always idempotent; a few passes
        always are, and a line with no secret costs a single keyword scan.
        """
        for _ in range(_MAX_PASSES):
            redacted = self._pass(line, fired)
            if redacted == line:
                return line
            line = redacted
        return line

    def _pass(self, line: str, fired: list[str] | None) -> str:
        encoded = line.encode("utf-8", "surrogatepass")
        rules = self.candidates(encoded)
        if not rules:
            return line
        spans: list[Span] = []
        for index in rules:
            rule = self.rules[index]
            found = list(rule.find(line, encoded))
            if found and isinstance(rule, ProviderMatcher) and not line.isascii():
                found = [_char_span(s, encoded) for s in found]
            spans.extend(found)
        if not spans:
            return line
        labels = [m.span() for m in _LABEL.finditer(line)]
        spans = [s for s in spans if not any(a <= s.start and s.end <= b for a, b in labels)]
        return _apply(line, _merge(spans), fired)


def _char_span(span: Span, encoded: bytes) -> Span:
    """A span in bytes of the UTF-8 line as a span in characters."""
    start = len(encoded[: span.start].decode("utf-8", "surrogatepass"))
    end = start + len(encoded[span.start : span.end].decode("utf-8", "surrogatepass"))
    return Span(start, end, span.name, span.order)


def _merge(spans: list[Span]) -> list[Span]:
    """Overlapping spans become one, named by the span that starts first (then by rule order)."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.order, -s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            if span.end > last.end:
                merged[-1] = Span(last.start, span.end, last.name, last.order)
            continue
        merged.append(span)
    return merged


def _apply(line: str, spans: list[Span], fired: list[str] | None) -> str:
    parts: list[str] = []
    position = 0
    for span in spans:
        parts += [line[position : span.start], _label(span.name)]
        if fired is not None and not _LABEL.search(line, span.start, span.end):
            fired.append(span.name)  # a span swallowing a label was counted when it was made
        position = span.end
    parts.append(line[position:])
    return "".join(parts)


@functools.cache
def _redactor() -> _Redactor:
    # Compiled on first use, not at import: ~230 regexes cost a few tens of milliseconds.
    return _Redactor(SECRET_RULES, provider_rules.PROVIDER_RULES, FALLBACK_RULES)


def rule_names() -> tuple[str, ...]:
    """Every label redaction can write, in rule order."""
    return tuple(rule.rule.name for rule in _redactor().rules)


_LABEL = re.compile(LABEL_PATTERN)
_KEY_BEGIN = re.compile(PRIVATE_KEY_BEGIN)
_KEY_END = re.compile(PRIVATE_KEY_END)
_KEY_BODY = (re.compile(PRIVATE_KEY_BODY_LINE), re.compile(PRIVATE_KEY_PREFIXED_BODY_LINE))
_LINE = re.compile(r"[^\r\n]*+(?:\r\n|\r|\n)|[^\r\n]++")


class _LineRedactor:
    """Redacts one line at a time, remembering whether it is inside a private-key block."""

    def __init__(self, fired: list[str] | None) -> None:
        self.fired = fired
        self.in_key = False
        self.key_reported = False
        self.redactor = _redactor()

    def line(self, line: str) -> str:
        """Redact one line given without its line end."""
        if self.in_key:
            end = _KEY_END.search(line)
            if end is not None:
                self.in_key = False
                head = line[: end.start()]
                if head.strip() and not is_placeholder(head.strip()):
                    head = self._key_material()
                return head + end.group() + self._single(line[end.end() :])
            for shape in _KEY_BODY:
                body = shape.fullmatch(line)
                if body is not None:
                    material = body.group("body")
                    if material is None or material == _label(_PRIVATE_KEY):
                        return line
                    return body.group("lead") + self._key_material()
            self.in_key = False  # not key material: the key was cut short; this is log again
        redacted = self._single(line)
        begins = [m.end() for m in _KEY_BEGIN.finditer(line)]
        if begins and not _KEY_END.search(line, begins[-1]):
            self.in_key = True
            # Counted once per key: here if this line already held key material.
            self.key_reported = bool(line[begins[-1] :].strip())
        return redacted

    def _key_material(self) -> str:
        if self.fired is not None and not self.key_reported:
            self.fired.append(_PRIVATE_KEY)
        self.key_reported = True
        return _label(_PRIVATE_KEY)

    def _single(self, line: str) -> str:
        return self.redactor.redact(line, self.fired) if line else line


def _split_ends(text: str) -> Iterator[tuple[str, str]]:
    """(line, line end) pairs; line ends are \\n, \\r\\n or a lone \\r."""
    for match in _LINE.finditer(text):
        chunk = match.group()
        body = chunk.rstrip("\r\n")
        yield body, chunk[len(body) :]


def _redact_text(text: str, state: _LineRedactor) -> str:
    return "".join(state.line(body) + end for body, end in _split_ends(text))


def redact(text: str) -> str:
    """Replace every secret in ``text`` with ``[REDACTED:rule]``; line ends are kept."""
    return _redact_text(text, _LineRedactor(None))


def redact_explain(text: str) -> tuple[str, tuple[str, ...]]:
    """Like :func:`redact`, also naming each rule that fired, once per secret, in order."""
    fired: list[str] = []
    return _redact_text(text, _LineRedactor(fired)), tuple(fired)


def redact_lines(lines: Iterable[str]) -> Iterator[str]:
    """Redact a stream of lines (with or without their line ends), one item out per item in.

    A private-key block that spans items is followed across them.
    """
    state = _LineRedactor(None)
    for item in lines:
        yield _redact_text(item, state)
