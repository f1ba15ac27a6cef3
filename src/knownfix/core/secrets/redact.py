"""Redact secrets from log text before anything is stored or shown.

``redact("export AWS_KEY=AKIAIOSFODNN7EXAMPLE")`` gives
``"export AWS_KEY=[REDACTED:aws-access-key]"``. The rules are data
(:mod:`knownfix.core.secrets.secret_rules`), joined in order into one regex compiled once. Text is
redacted line by line (a secret never spans lines) except private-key blocks, which a small
state machine follows across lines, also in :func:`redact_lines` (streaming). Line ends and the
number of lines are kept, so excerpt spans stay valid.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from knownfix.core.secrets.secret_rules import (
    PLACEHOLDER_PATTERN,
    PRIVATE_KEY_BEGIN,
    PRIVATE_KEY_BODY_LINE,
    PRIVATE_KEY_END,
    PRIVATE_KEY_PREFIXED_BODY_LINE,
    SECRET_RULES,
    SecretRule,
)

__all__ = ["SECRET_RULES", "SecretRule", "redact", "redact_explain", "redact_lines"]

_PRIVATE_KEY = "private-key"
_MAX_PASSES = 4


def _label(name: str) -> str:
    return f"[REDACTED:{name}]"


class _Redactor:
    """The secret rules joined into one regex; each rule ends with an empty marker group."""

    def __init__(self, rules: tuple[SecretRule, ...]) -> None:
        alternatives = []
        self.markers: dict[str, tuple[SecretRule, str | None]] = {}
        for index, rule in enumerate(rules):
            compiled = re.compile(rule.pattern, re.MULTILINE)
            if compiled.groups != len(compiled.groupindex) or set(compiled.groupindex) - {"secret"}:
                raise ValueError(f"secret rule {rule.name!r}: the only group allowed is 'secret'")
            if not rule.keywords or any(k != k.lower() for k in rule.keywords):
                raise ValueError(f"secret rule {rule.name!r}: keywords must be lower case")
            marker = f"s{index}"
            secret_group = f"{marker}_secret" if "secret" in compiled.groupindex else None
            pattern = rule.pattern.replace("(?P<secret>", f"(?P<{marker}_secret>")
            alternatives.append(f"(?:{pattern})(?P<{marker}>)")
            self.markers[marker] = (rule, secret_group)
        self.regex = re.compile("|".join(alternatives), re.MULTILINE)
        self.keywords = tuple(sorted({k for rule in rules for k in rule.keywords}))

    def may_match(self, line: str) -> bool:
        """Cheap test: can any rule match? Substring search is far faster than the regex."""
        lowered = line.lower()
        return any(keyword in lowered for keyword in self.keywords)

    def redact(self, line: str, fired: list[str] | None) -> str:
        """Redact one line, repeated until nothing changes.

        A label can give a rule new context (``Bearer AccountKey=[REDACTED...]`` now ends where
        the bearer rule wants a token to end), so one pass is not always idempotent; a few
        passes always are, and a line with no secret costs a single keyword scan.
        """
        for _ in range(_MAX_PASSES):
            if not self.may_match(line):
                return line
            redacted = self._pass(line, fired)
            if redacted == line:
                return line
            line = redacted
        return line

    def _pass(self, line: str, fired: list[str] | None) -> str:
        def replace(match: re.Match[str]) -> str:
            rule, secret_group = self.markers[match.lastgroup or ""]
            if secret_group is None:
                start, end = match.span()
            else:
                start, end = match.span(secret_group)
            value = match.string[start:end]
            quote = value[:1] if value[:1] in ("\"", "'") else ""
            inner = value[len(quote) :]
            closed = bool(quote) and len(inner) > 0 and inner.endswith(quote)
            if closed:
                inner = inner[:-1]
            if _is_placeholder(inner):
                return match.group()
            if fired is not None:
                fired.append(rule.name)
            masked = quote + _label(rule.name) + (quote if closed else "")
            text = match.string
            return text[match.start() : start] + masked + text[end : match.end()]

        return self.regex.sub(replace, line)


_REDACTOR = _Redactor(SECRET_RULES)
_PLACEHOLDER = re.compile(PLACEHOLDER_PATTERN)
_KEY_BEGIN = re.compile(PRIVATE_KEY_BEGIN)
_KEY_END = re.compile(PRIVATE_KEY_END)
_KEY_BODY = (re.compile(PRIVATE_KEY_BODY_LINE), re.compile(PRIVATE_KEY_PREFIXED_BODY_LINE))
_LINE = re.compile(r"[^\r\n]*+(?:\r\n|\r|\n)|[^\r\n]++")


def _is_placeholder(value: str) -> bool:
    return not value.strip() or _PLACEHOLDER.fullmatch(value) is not None


class _LineRedactor:
    """Redacts one line at a time, remembering whether it is inside a private-key block."""

    def __init__(self, fired: list[str] | None) -> None:
        self.fired = fired
        self.in_key = False
        self.key_reported = False

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
        return _REDACTOR.redact(line, self.fired) if line else line


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
