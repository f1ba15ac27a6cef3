"""How one secret rule finds its spans in a line: knownfix's own rules (Python ``re``) and
gitleaks' provider rules (RE2, compiled on first use), each with its allow-lists, entropy floor
and placeholders. :mod:`knownfix.core.secrets.redact` runs them over a text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import re2

from knownfix.core.secrets import provider_rules
from knownfix.core.secrets.secret_keys import key_strength, looks_random, shannon_entropy
from knownfix.core.secrets.secret_rules import (
    COMPOUND_ONLY,
    PLACEHOLDER_PATTERN,
    ProviderRule,
    SecretRule,
)

_CLOSERS = {")": "(", "]": "[", "}": "{"}

# RE2 keeps a DFA cache per regex, grown on demand up to this; past it RE2 falls back to a
# slower (still linear) engine. 220 rules at the default 8 MiB could reach 1.7 GB; rules are
# compiled only when needed, so a run holds a few.
_RE2_MAX_MEM = 4 << 20


def re2_options(*, case_sensitive: bool = True) -> re2.Options:
    options = re2.Options()
    options.max_mem = _RE2_MAX_MEM
    options.log_errors = False  # RE2 would print to stderr when a DFA falls back to the NFA
    options.case_sensitive = case_sensitive
    return options


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    name: str
    order: int  # the rule's position: among spans that start together, the first rule names it


class OwnRule:
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

    def find(self, line: str, _encoded: bytes) -> Iterator[Span]:
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

    def _span(self, match: re.Match[str]) -> Span | None:
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
        if is_placeholder(inner):
            return None
        if self.keyed:
            strength = key_strength(match.group("key"), compound=self.compound)
            if strength is None or (strength == "weak" and not looks_random(inner)):
                return None
        return Span(start, end, self.rule.name, self.order)


class ProviderMatcher:
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
        return re2.compile(self.rule.regex, re2_options())

    @functools.cached_property
    def allow(self) -> dict[str, re2._Regexp]:
        rule = self.rule
        return {
            target: re2.compile("|".join(f"(?:{p})" for p in patterns), re2_options())
            for target, patterns in (("secret", rule.allow_secret), ("match", rule.allow_match),
                                     ("line", rule.allow_line)) if patterns
        }

    def find(self, line: str, encoded: bytes) -> Iterator[Span]:
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
            yield Span(start, end, self.rule.name, self.order)

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


Rule = OwnRule | ProviderMatcher  # both have .rule (with .name, .keywords) and .find

_GLOBAL_STOPWORDS = tuple(w.lower().encode() for w in provider_rules.GLOBAL_STOPWORDS)
_PLACEHOLDER = re.compile(PLACEHOLDER_PATTERN)


def is_placeholder(value: str) -> bool:
    value = value.strip()
    if not value or _PLACEHOLDER.fullmatch(value) is not None:
        return True
    trimmed = value.rstrip(",;)]}.")  # "password=***," in a sentence or a list
    return bool(trimmed) and trimmed != value and _PLACEHOLDER.fullmatch(trimmed) is not None
