"""Normalize one log line: strip what never matters, mask what varies between runs.

``normalize_line("2024-01-02T03:04:05Z Error at /home/u/app.py:12: id 5f1c2d3")`` gives
``"Error at <path>/app.py:<line>: id <hex>"``. The masking rules are data
(:mod:`knownfix.core.signature.masking_rules`), joined in order into one regex with a named
group per rule and compiled once, so that the first rule matching at a position wins.
"""

from __future__ import annotations

import re
from functools import lru_cache

from knownfix.core.signature.masking_rules import (
    ANSI_PATTERN,
    CONTROL_PATTERN,
    KEEP,
    LEADING_TIMESTAMP_PATTERN,
    MASK_RULES,
    ORPHAN_ANSI_PATTERN,
    MaskRule,
)
from knownfix.core.signature.versions import CURRENT, active

__all__ = ["MASK_RULES", "MaskRule", "normalize_line", "normalize_line_explain"]

_GROUP_DEF = re.compile(r"\(\?P<(\w+)>")
_GROUP_REF = re.compile(r"\(\?P=(\w+)\)")
_TEMPLATE_REF = re.compile(r"\\g<(\w+)>")


# Where a match can begin (see MaskRule.starts). Splitting the alternation by the character at
# the position lets the engine try only the rules that can start there: ~4x faster than one flat
# alternation, with the same result because rules in different buckets never compete.
_BUCKET_GATES = {
    "d": r"(?<!\w)(?=\d)",
    "w": r"(?<!\w)(?=[^\W\d])",
    "p": r"(?=\W)",
}


def _scoped(pattern: str, prefix: str) -> str:
    """Rename a rule's own named groups so that names stay unique in the joined regex."""
    pattern = _GROUP_DEF.sub(lambda m: f"(?P<{prefix}{m.group(1)}>", pattern)
    return _GROUP_REF.sub(lambda m: f"(?P={prefix}{m.group(1)})", pattern)


def _check(rule: MaskRule) -> None:
    compiled = re.compile(rule.pattern)
    if compiled.groups != len(compiled.groupindex):
        # Numbered groups would shift in the joined regex; only named ones can be scoped.
        raise ValueError(f"mask rule {rule.name!r}: use named groups only")
    for name in _TEMPLATE_REF.findall(rule.replacement):
        if name != "0" and name not in compiled.groupindex:
            raise ValueError(f"mask rule {rule.name!r}: replacement names unknown group {name!r}")
    if not rule.starts or set(rule.starts) - set(_BUCKET_GATES):
        raise ValueError(f"mask rule {rule.name!r}: starts must be letters of 'dwp'")


class _Masker:
    """The mask rules joined into one compiled regex, and each rule's replacement.

    Each rule occurrence ends with an empty marker group: the marker that closes last names the
    rule that matched (cheaper than wrapping every rule in a capturing group).
    """

    def __init__(self, rules: tuple[MaskRule, ...], *, check: bool = True) -> None:
        if check:  # compiles each rule alone: the shipped rules are checked by a test instead
            for rule in rules:
                _check(rule)
        self.rules = rules
        self.markers: dict[str, tuple[MaskRule, str | None]] = {}
        buckets: list[str] = []
        for bucket, gate in _BUCKET_GATES.items():
            alternatives = [
                self._alternative(i, rule, bucket)
                for i, rule in enumerate(rules)
                if bucket in rule.starts
            ]
            if alternatives:
                buckets.append(f"{gate}(?:{'|'.join(alternatives)})")
        self.regex = re.compile("|".join(buckets))

    def _alternative(self, index: int, rule: MaskRule, bucket: str) -> str:
        marker = f"r{index}{bucket}"
        prefix = f"{marker}_"
        template: str | None = None
        if rule.replacement != KEEP and "\\g<" in rule.replacement:
            template = _TEMPLATE_REF.sub(lambda m: f"\\g<{prefix}{m.group(1)}>", rule.replacement)
        self.markers[marker] = (rule, template)
        return f"(?:{_scoped(rule.pattern, prefix)})(?P<{marker}>)"

    def mask(self, text: str, fired: list[str] | None) -> str:
        """Apply every rule in one pass; append the name of each rule that masked to ``fired``."""

        def replace(match: re.Match[str]) -> str:
            rule, template = self.markers[match.lastgroup or ""]
            if rule.replacement == KEEP:
                return match.group()
            if fired is not None:
                fired.append(rule.name)
            return match.expand(template) if template is not None else rule.replacement

        return self.regex.sub(replace, text)


@lru_cache(maxsize=8)
def _masker(version: str) -> _Masker:
    """The rules of one fingerprint strategy, joined and compiled once per process (the shipped
    rules unchecked: ``test_normalize`` checks every one of them, every process need not)."""
    return _Masker(tuple(r for r in MASK_RULES if active(r.since, r.until, version)), check=False)


_ANSI = re.compile(ANSI_PATTERN)
_CONTROL = re.compile(CONTROL_PATTERN)
_ORPHAN_ANSI = re.compile(ORPHAN_ANSI_PATTERN)
_LEADING_TIMESTAMP = re.compile(LEADING_TIMESTAMP_PATTERN)


def _strip(pattern: re.Pattern[str], replacement: str, text: str, name: str,
           fired: list[str] | None) -> str:
    stripped, count = pattern.subn(replacement, text)
    if count and fired is not None:
        fired.append(name)
    return stripped


def _normalize(line: str, fired: list[str] | None, version: str = CURRENT) -> str:
    text = _strip(_ANSI, "", line, "ansi", fired)
    text = _strip(_ORPHAN_ANSI, " ", text, "ansi", fired)
    text = _CONTROL.sub(" ", text)
    text = _strip(_LEADING_TIMESTAMP, "", text, "leading-timestamp", fired)
    text = _masker(version).mask(text, fired)
    return " ".join(text.split())


def normalize_line(line: str) -> str:
    """Mask the variable parts of one line; strip ANSI codes and leading timestamps."""
    return normalize_line_explain(line)[0]


# The fingerprint and the matcher normalize the same excerpt lines (at most 40 of a log), and a
# worker meets them again in the next log of that failure: each is masked once (a small cache:
# an import normalizes every line of every document once, and must not hold them).
@lru_cache(maxsize=1 << 10)
def normalize_line_explain(line: str, version: str = CURRENT) -> tuple[str, tuple[str, ...]]:
    """Like :func:`normalize_line`, also naming each rule that fired, once per firing, in order;
    as the fingerprint strategy ``version`` masks (the current one by default)."""
    fired: list[str] = []
    return _normalize(line, fired, version), tuple(fired)


def mask_rule_names() -> tuple[str, ...]:
    """Every rule name ``normalize_line_explain`` can report, in the order they apply."""
    return ("ansi", "leading-timestamp", *(r.name for r in MASK_RULES if r.replacement != KEEP))

