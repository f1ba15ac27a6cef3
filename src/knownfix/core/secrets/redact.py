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
from dataclasses import dataclass

import re2

from knownfix.core.secrets import provider_rules
from knownfix.core.secrets.secret_keys import key_strength, looks_random, shannon_entropy
from knownfix.core.secrets.secret_rules import (
    COMPOUND_ONLY,
    FALLBACK_RULES,
    LABEL_PATTERN,
    PLACEHOLDER_PATTERN,
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
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_MAX_PASSES = 4
# RE2 keeps a DFA cache per regex, grown on demand up to this; past it RE2 falls back to a
# slower (still linear) engine. 220 rules at the default 8 MiB could reach 1.7 GB; rules are
# compiled only when needed, so a run holds a few.
_RE2_MAX_MEM = 4 << 20


def _label(name: str) -> str:
    return f"[REDACTED:{name}]"


def _re2_options(*, case_sensitive: bool = True) -> re2.Options:
    options = re2.Options()
    options.max_mem = _RE2_MAX_MEM
    options.log_errors = False  # RE2 would print to stderr when a DFA falls back to the NFA
    options.case_sensitive = case_sensitive
    return options


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    name: str
    order: int  # the rule's position: among spans that start together, the first rule names it


class _OwnRule:
    """One of knownfix's own rules (Python ``re``)."""

    def __init__(self, rule: SecretRule, order: int) -> None:
        compiled = re.compile(rule.pattern, re.MULTILINE)
        groups = set(compiled.groupindex)
        if compiled.groups != len(compiled.groupindex) or groups - {"secret", "key"}:
            raise ValueError(f"secret rule {rule.name!r}: the only groups allowed are "
                             "'secret' and 'key'")
        if not rule.keywords or any(k != k.lower() for k in rule.keywords):
            raise ValueError(f"secret rule {rule.name!r}: keywords must be lower case")
        self.rule = rule
        self.order = order
        self.regex = compiled
        self.has_secret = "secret" in groups
        self.keyed = "key" in groups
        self.compound = rule.name in COMPOUND_ONLY

    def find(self, line: str, _encoded: bytes) -> Iterator[_Span]:
        position = 0
        while (match := self.regex.search(line, position)) is not None:
            position = match.end() if match.end() > match.start() else match.end() + 1
            if self.keyed and match.start("secret") > match.start():
                # If this key is no secret's, its "value" may be the next key ("ERROR:
                # db_password: ..."): search again from the value, not past it.
                position = match.start("secret")
            span = self._span(match)
            if span is not None:
                if self.keyed:
                    position = match.end()
                yield span

    def _span(self, match: re.Match[str]) -> _Span | None:
        start, end = match.span("secret") if self.has_secret else match.span()
        value = match.string[start:end]
        quote = value[:1] if value[:1] in ("\"", "'") else ""
        inner = value[len(quote):]
        if quote and len(inner) > 0 and inner.endswith(quote):
            inner = inner[:-1]
            end -= 1
        elif not quote:
            # "(token: abc)": a closing bracket the value never opened is the text's, not its.
            while inner and inner[-1] in _CLOSERS and inner.count(inner[-1]) > inner.count(
                _CLOSERS[inner[-1]]
            ):
                inner = inner[:-1]
                end -= 1
        start += len(quote)
        if _is_placeholder(inner):
            return None
        if self.keyed:
            strength = key_strength(match.group("key"), compound=self.compound)
            if strength is None or (strength == "weak" and not looks_random(inner)):
                return None
        return _Span(start, end, self.rule.name, self.order)


class _ProviderMatcher:
    """One gitleaks rule (RE2), with its entropy floor and allow-lists."""

    def __init__(self, rule: ProviderRule, order: int, global_allow: re2._Regexp | None) -> None:
        self.rule = rule
        self.order = order
        self.stopwords = tuple(w.lower().encode() for w in rule.stopwords)
        self.global_allow = global_allow

    @functools.cached_property
    def regex(self) -> re2._Regexp:
        # Compiled when a line first holds one of the rule's keywords: most runs need a few
        # of the ~200 rules, and compiling them all costs more than redacting an excerpt.
        return re2.compile(self.rule.regex, _re2_options())

    @functools.cached_property
    def allow(self) -> dict[str, re2._Regexp]:
        rule = self.rule
        return {
            target: re2.compile("|".join(f"(?:{p})" for p in patterns), _re2_options())
            for target, patterns in (("secret", rule.allow_secret), ("match", rule.allow_match),
                                     ("line", rule.allow_line)) if patterns
        }

    def find(self, line: str, encoded: bytes) -> Iterator[_Span]:
        for match in self.regex.finditer(encoded):
            start, end = self._secret_span(match)
            if start >= end:
                continue
            secret = encoded[start:end]
            if self.rule.entropy and shannon_entropy(
                secret.decode("utf-8", "surrogatepass")
            ) <= self.rule.entropy:
                continue
            if self._allowed(secret, match.group(), encoded):
                continue
            yield _Span(start, end, self.rule.name, self.order)

    def _secret_span(self, match: re2._Match) -> tuple[int, int]:
        groups: int = self.regex.groups
        whole: tuple[int, int] = match.span()
        if self.rule.whole_match or not groups:
            return whole
        if self.rule.secret_group:
            chosen: tuple[int, int] = match.span(self.rule.secret_group)
            return chosen
        for group in range(1, groups + 1):
            start, end = match.span(group)
            if end > start:
                return start, end
        return whole

    def _allowed(self, secret: bytes, whole: bytes, line: bytes) -> bool:
        checks = (("secret", secret), ("match", whole), ("line", line))
        if any(t in self.allow and self.allow[t].search(text) for t, text in checks):
            return True
        if self.global_allow is not None and self.global_allow.search(secret):
            return True
        lowered = secret.lower()
        return any(word in lowered for word in self.stopwords) or any(
            word in lowered for word in _GLOBAL_STOPWORDS
        )


_Rule = _OwnRule | _ProviderMatcher  # both have .rule (with .name, .keywords) and .find


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
            re2.compile("|".join(f"(?:{p})" for p in provider_rules.GLOBAL_ALLOW), _re2_options())
            if provider_rules.GLOBAL_ALLOW else None
        )
        self.rules: list[_Rule] = [
            _ProviderMatcher(rule, n, global_allow) for n, rule in enumerate(providers)
        ]
        self.rules += [_OwnRule(rule, len(self.rules) + n) for n, rule in enumerate(first)]
        self.rules += [_OwnRule(rule, len(self.rules) + n) for n, rule in enumerate(last)]
        keywords: dict[str, list[int]] = {}
        for index, rule in enumerate(self.rules):
            for keyword in rule.rule.keywords:
                keywords.setdefault(keyword, []).append(index)
        self.keywords = tuple(keywords)
        self.owners = tuple(tuple(keywords[k]) for k in self.keywords)
        self.keyword_set = re2.Set.SearchSet(_re2_options(case_sensitive=False))
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
        spans: list[_Span] = []
        for index in rules:
            rule = self.rules[index]
            found = list(rule.find(line, encoded))
            if found and isinstance(rule, _ProviderMatcher) and not line.isascii():
                found = [_char_span(s, encoded) for s in found]
            spans.extend(found)
        if not spans:
            return line
        labels = [m.span() for m in _LABEL.finditer(line)]
        spans = [s for s in spans if not any(a <= s.start and s.end <= b for a, b in labels)]
        return _apply(line, _merge(spans), fired)


def _char_span(span: _Span, encoded: bytes) -> _Span:
    """A span in bytes of the UTF-8 line as a span in characters."""
    start = len(encoded[: span.start].decode("utf-8", "surrogatepass"))
    end = start + len(encoded[span.start : span.end].decode("utf-8", "surrogatepass"))
    return _Span(start, end, span.name, span.order)


def _merge(spans: list[_Span]) -> list[_Span]:
    """Overlapping spans become one, named by the span that starts first (then by rule order)."""
    merged: list[_Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.order, -s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            if span.end > last.end:
                merged[-1] = _Span(last.start, span.end, last.name, last.order)
            continue
        merged.append(span)
    return merged


def _apply(line: str, spans: list[_Span], fired: list[str] | None) -> str:
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


_GLOBAL_STOPWORDS = tuple(w.lower().encode() for w in provider_rules.GLOBAL_STOPWORDS)
_PLACEHOLDER = re.compile(PLACEHOLDER_PATTERN)
_LABEL = re.compile(LABEL_PATTERN)
_KEY_BEGIN = re.compile(PRIVATE_KEY_BEGIN)
_KEY_END = re.compile(PRIVATE_KEY_END)
_KEY_BODY = (re.compile(PRIVATE_KEY_BODY_LINE), re.compile(PRIVATE_KEY_PREFIXED_BODY_LINE))
_LINE = re.compile(r"[^\r\n]*+(?:\r\n|\r|\n)|[^\r\n]++")


def _is_placeholder(value: str) -> bool:
    value = value.strip()
    if not value or _PLACEHOLDER.fullmatch(value) is not None:
        return True
    trimmed = value.rstrip(",;)]}.")  # "password=***," in a sentence or a list
    return bool(trimmed) and trimmed != value and _PLACEHOLDER.fullmatch(trimmed) is not None


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
                if head.strip() and not _is_placeholder(head.strip()):
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
