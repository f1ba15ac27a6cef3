"""Explicit signature rules of known issues: literal ``contains`` and linear-time ``regex``.

A doc author who writes a signature means "this text *is* that failure", so a hit outranks any
similarity score. Rules are compiled once per index. Regexes go through
:func:`knownfix.core.text.regexsafe.compile_linear` (RE2: no backtracking, bounded size, so a
hostile pattern cannot hang triage); a pattern it refuses, or one that matches empty text (it
would claim every log), is set aside with the reason, never raised mid-triage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from knownfix.core.match.compiled import CompiledIndex, line_words
from knownfix.core.records import KnownIssue, cite_line
from knownfix.core.text import regexsafe
from knownfix.errors import PolicyError

# A literal shorter than this ("E", "at") would match nearly every log.
MIN_LITERAL_CHARS = 4
MAX_PATTERN_CHARS = 1_000


@dataclass(frozen=True, slots=True)
class SignatureRule:
    """One compiled rule of one known issue."""

    issue_id: str
    kind: str  # "contains" or "regex"
    pattern: str
    test: Callable[[str], bool]

    def describe(self) -> str:
        if self.kind == "regex":
            return f"signature regex r'{self.pattern}'"
        return f"signature contains '{self.pattern}'"


@dataclass(frozen=True, slots=True)
class RuleProblem:
    """A rule that was set aside, and why (shown by ``lint`` and kept out of matching)."""

    issue_id: str
    kind: str
    pattern: str
    reason: str

    def __str__(self) -> str:
        return f"{self.issue_id}: {self.kind} {self.pattern!r} ignored: {self.reason}"


@dataclass(frozen=True, slots=True)
class RuleHit:
    """A rule that matched one excerpt line (1-based), named for reasons by ``where``."""

    rule: SignatureRule
    line: int
    where: str = ""

    def reason(self) -> str:
        return f"{self.rule.describe()} matched {self.where or f'excerpt line {self.line}'}"


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _compile_literal(issue_id: str, literal: str) -> SignatureRule | RuleProblem:
    folded = _fold(literal)
    if len(folded.replace(" ", "")) < MIN_LITERAL_CHARS:
        return RuleProblem(issue_id, "contains", literal,
                           f"shorter than {MIN_LITERAL_CHARS} characters")
    return SignatureRule(issue_id, "contains", literal, lambda line: folded in _fold(line))


def compile_linear(pattern: str) -> Callable[[str], bool]:
    """Compile ``pattern`` with RE2 semantics; raise ``ValueError`` saying why it is refused."""
    try:
        compiled = regexsafe.compile_linear(pattern, max_length=MAX_PATTERN_CHARS)
    except PolicyError as exc:
        raise ValueError(str(exc)) from None
    except Exception as exc:  # RE2 raising on odd input (e.g. lone surrogates): refused too
        raise ValueError(f"regex does not compile under RE2: {exc}") from None
    if compiled.search("") is not None:
        raise ValueError("matches empty text, so it would match every log")

    def test(line: str) -> bool:
        return compiled.search(line) is not None

    return test


def _compile_regex(issue_id: str, pattern: str) -> SignatureRule | RuleProblem:
    try:
        test = compile_linear(pattern)
    except ValueError as exc:
        return RuleProblem(issue_id, "regex", pattern, str(exc))
    return SignatureRule(issue_id, "regex", pattern, test)


def compile_rules(
    issues: Sequence[KnownIssue],
) -> tuple[tuple[SignatureRule, ...], tuple[RuleProblem, ...]]:
    """Compile the signature rules of active issues once; return rules and refused ones."""
    rules: list[SignatureRule] = []
    problems: list[RuleProblem] = []
    for issue in issues:
        if issue.retired:
            continue
        compiled = [_compile_literal(issue.id, lit) for lit in issue.signature.contains]
        compiled += [_compile_regex(issue.id, rx) for rx in issue.signature.regex]
        for item in compiled:
            if isinstance(item, SignatureRule):
                rules.append(item)
            else:
                problems.append(item)
    return tuple(rules), tuple(problems)


def find_rule_hits(
    rules: Sequence[SignatureRule],
    lines: Sequence[str],
    line_numbers: Sequence[int] | None = None,
) -> dict[str, list[RuleHit]]:
    """Every rule that matches some line, first matching line only, grouped by issue id."""
    hits: dict[str, list[RuleHit]] = {}
    for rule in rules:
        for number, line in enumerate(lines, start=1):
            if rule.test(line):
                hit = RuleHit(rule, number, cite_line(number, line_numbers))
                hits.setdefault(rule.issue_id, []).append(hit)
                break
    return hits


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The compiled rules of a stored index, gated by a word each literal needs (``rule_key``):
    a log is tested only against the literals whose word it has, and the rules without one."""

    keyed: dict[str, tuple[tuple[int, SignatureRule], ...]]
    always: tuple[tuple[int, SignatureRule], ...]

    def for_lines(self, folded_lines: Sequence[str]) -> list[SignatureRule]:
        """The rules that may match ``folded_lines``, in the order the issues wrote them."""
        words = line_words(folded_lines)
        picked = [*self.always]
        for word in words & self.keyed.keys():
            picked += self.keyed[word]
        return [rule for _, rule in sorted(picked, key=lambda item: item[0])]


def compile_stored_rules(compiled: CompiledIndex) -> tuple[RuleSet, tuple[RuleProblem, ...]]:
    """Compile the rules a stored index holds; refused ones are returned with the reason."""
    keyed: dict[str, list[tuple[int, SignatureRule]]] = {}
    always: list[tuple[int, SignatureRule]] = []
    problems: list[RuleProblem] = []
    for number, stored in enumerate(compiled.rules):
        issue_id = compiled.issue_ids[stored.issue]
        make = _compile_literal if stored.kind == "contains" else _compile_regex
        item = make(issue_id, stored.pattern)
        if isinstance(item, RuleProblem):
            problems.append(item)
        elif stored.key:
            keyed.setdefault(stored.key, []).append((number, item))
        else:
            always.append((number, item))
    return (RuleSet({k: tuple(v) for k, v in keyed.items()}, tuple(always)), tuple(problems))
