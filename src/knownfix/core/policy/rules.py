"""Compiled triage rules and the policy that applies them: the first matching rule wins.

A rule's ``when`` holds matchers that must all hold. A rule built in code checks its patterns
when it is built; each matcher is compiled once, on the first decision that reads it (see
:class:`~knownfix.core.policy.patterns.PatternSet`), so a policy of many rules loads at once.
``explain`` evaluates every rule and says why each did or did not match,
which is what ``knownfix policy test`` prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import InitVar, dataclass, field, replace

from knownfix.core.policy.evidence import policy_text, without_test_reports
from knownfix.core.policy.patterns import (
    InvalidPattern,
    PatternSet,
    encode_text,
    literal_pattern,
)
from knownfix.core.policy.precedence import Flags, only_summary, winner
from knownfix.core.policy.prefilter import RulePrefilter
from knownfix.core.records import TriageDecision
from knownfix.errors import PolicyError


@dataclass(frozen=True)
class FailureFacts:
    """What rules can look at: the (redacted) excerpt text, the title, the source, hints, and
    the failed step's command and closing lines (``step``, e.g. ``mvn test -B`` and
    ``The command "mvn test -B" exited with 1.``)."""

    text: str
    title: str = ""
    source: str = ""
    hints: Mapping[str, str] = field(default_factory=dict, hash=False)
    step: str = ""


@dataclass(frozen=True, slots=True)
class HintCondition:
    """``hints[key]`` equals one of ``equals`` (case-insensitive), or matches ``regex``."""

    key: str
    equals: tuple[str, ...] = ()
    regex: str | None = None


@dataclass(frozen=True, slots=True)
class Conditions:
    """A rule's ``when``, as written: every non-empty matcher must hold.

    ``any_regex`` (one of them occurs in the text), ``all_regex`` (each occurs), ``contains``
    (one of the literals occurs), ``not_regex`` (none occurs), ``title_regex``,
    ``source_regex`` and ``step_regex`` (one of them occurs in the title / source / failed
    step), ``hints``. With ``outside_test_reports`` the text matchers read the excerpt without
    the names of failing tests and their assertion lines (``● client › handles ECONNREFUSED``,
    ``expected: :timeout got: :ok``): a cause named there is what a test checks, not why it
    failed.

    With ``earliest_wins`` the rule competes with the other rules so marked: when several of
    them match, the one whose ``any_regex`` or ``contains`` evidence stands in the earliest
    message of the text wins (the first failure, not the ones that follow from it: a compile
    error before the unresolved module it leaves behind, a syntax error before the type checker
    that ran after it), and rule order breaks ties. A message is a line with the indented (or
    ``>``-quoted) lines under it: GHC's ``Lib.hs:3:1: error:`` and its ``Could not find
    module`` are one message. The competition ends at the first rule that does not compete
    and matches: it never overrides a rule that matched before it, and the rules after it no
    longer compete (a dependency install step's compiler errors stay a dependency failure).

    ``summary`` and ``cause`` say what a rule's evidence is, not whether it holds. A summary
    rule's evidence reports that a stage failed, not why (a test run's closing count of
    failures, a bundler's ``Failed to compile.``); a cause rule's names a kind of failure that
    makes stages fail (a crash signal, a database error, a resource limit, a refused
    connection, a budget). When a summary rule decides and a cause rule of another category
    matches in the same or an earlier message of the text, the cause decides, wherever either
    stands in the policy: the summary reports the cause's consequence (see
    :meth:`Policy.winner`; a cause after the summary is a later command's failure).
    """

    any_regex: tuple[str, ...] = ()
    all_regex: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    not_regex: tuple[str, ...] = ()
    title_regex: tuple[str, ...] = ()
    source_regex: tuple[str, ...] = ()
    step_regex: tuple[str, ...] = ()
    hints: tuple[HintCondition, ...] = ()
    case_sensitive: bool = False
    outside_test_reports: bool = False
    earliest_wins: bool = False
    summary: bool = False
    cause: bool = False


TEXT_MATCHERS = (
    "any_regex", "all_regex", "contains", "not_regex", "title_regex", "source_regex",
    "step_regex",
)


@dataclass(frozen=True, slots=True)
class _Compiled:
    any_regex: PatternSet
    all_regex: PatternSet
    contains: PatternSet
    not_regex: PatternSet
    title_regex: PatternSet
    source_regex: PatternSet
    step_regex: PatternSet
    hint_regex: tuple[PatternSet | None, ...]


def _compile(when: Conditions) -> _Compiled:
    def build(patterns: tuple[str, ...]) -> PatternSet:
        return PatternSet.build(patterns, case_sensitive=when.case_sensitive)

    return _Compiled(
        any_regex=build(when.any_regex),
        all_regex=build(when.all_regex),
        contains=build(tuple(literal_pattern(x) for x in when.contains)),
        not_regex=build(when.not_regex),
        title_regex=build(when.title_regex),
        source_regex=build(when.source_regex),
        step_regex=build(when.step_regex),
        hint_regex=tuple(build((h.regex,)) if h.regex else None for h in when.hints),
    )


def _check(compiled: _Compiled) -> None:
    for patterns in (
        compiled.any_regex, compiled.all_regex, compiled.contains, compiled.not_regex,
        compiled.title_regex, compiled.source_regex, compiled.step_regex, *compiled.hint_regex,
    ):
        if patterns is not None:
            patterns.check()


@dataclass(frozen=True)
class Rule:
    """A named, compiled rule: when ``when`` holds for a failure, decide ``then``."""

    name: str
    when: Conditions
    then: TriageDecision
    description: str = ""
    line: int | None = field(default=None, compare=False)
    _compiled: _Compiled = field(init=False, repr=False, compare=False)

    check_patterns: InitVar[bool] = True
    """False when the caller has checked every pattern already (the policy loader, which names
    the line of a bad one) or ships them tested (the default policy)."""

    def __post_init__(self, check_patterns: bool) -> None:
        if not self.name:
            raise PolicyError("a rule needs a name")
        compiled = _compile(self.when)
        if check_patterns:
            try:
                _check(compiled)
            except InvalidPattern as error:
                raise PolicyError(f"rule {self.name!r}: {error}") from None
        object.__setattr__(self, "_compiled", compiled)
        if self.then.rule != self.name:
            object.__setattr__(self, "then", replace(self.then, rule=self.name))

    def matches(self, facts: FailureFacts) -> bool:
        """True when every matcher of ``when`` holds for ``facts``."""
        return self.check(facts, EncodedFacts(facts))[0]

    def check(self, facts: FailureFacts, encoded: EncodedFacts) -> tuple[bool, str]:
        """Whether the rule matches, and why (the matchers that held, or the one that failed)."""
        c = self._compiled
        held: list[str] = []
        text = encoded.messages if self.when.outside_test_reports else encoded.text
        for label, patterns, data in (
            ("any_regex", c.any_regex, text),
            ("contains", c.contains, text),
            ("title_regex", c.title_regex, encoded.title),
            ("source_regex", c.source_regex, encoded.source),
            ("step_regex", c.step_regex, encoded.step),
        ):
            if not patterns.patterns:
                continue
            if not encoded.explain:
                if not patterns.search_any(data):
                    return False, f"{label}: no match"
                continue
            hit = patterns.first(data)
            if hit is None:
                count = len(patterns.patterns)
                return False, f"{label}: none of {count} pattern(s) occurs"
            shown = repr(self.when.contains[patterns.patterns.index(hit[0])]) if (
                label == "contains") else f"/{hit[0]}/"
            held.append(f"{label} {shown} matched {hit[1]!r}")
        if c.all_regex.patterns:
            absent = c.all_regex.missing(text)
            if absent is not None:
                return False, f"all_regex: /{absent}/ does not occur"
            held.append(f"all_regex: all {len(c.all_regex.patterns)} pattern(s) occur")
        if c.not_regex.patterns:
            # a guard reads the whole excerpt: a failing test's name (``--- FAIL: TestX``) is
            # context that rules out a cause, even where the cause is sought outside reports
            hit = c.not_regex.first(encoded.text)
            if hit is not None:
                return False, f"not_regex /{hit[0]}/ matched {hit[1]!r}"
            held.append("not_regex: none occurs")
        for hint, regex in zip(self.when.hints, c.hint_regex, strict=True):
            ok, why = _check_hint(hint, regex, facts.hints, self.when.case_sensitive)
            if not ok:
                return False, why
            held.append(why)
        return True, "; ".join(held) or "no conditions: matches every failure"


    def evidence_line(self, encoded: EncodedFacts) -> int:
        """The line (0-based) of the text on which this rule's evidence first stands: the
        leftmost ``any_regex`` or ``contains`` match (a rule without them: after every line)."""
        c = self._compiled
        text = encoded.messages if self.when.outside_test_reports else encoded.text
        starts = [found for found in (c.any_regex.position(text) if c.any_regex.patterns
                                      else None,
                                      c.contains.position(text) if c.contains.patterns
                                      else None) if found is not None]
        if not starts:
            return text.count(b"\n") + 1
        return text.count(b"\n", 0, min(starts))

    def evidence_message(self, encoded: EncodedFacts) -> int:
        """The first line of the message (a line and the indented lines under it) that holds
        this rule's evidence: what ``earliest_wins`` compares."""
        text = encoded.messages if self.when.outside_test_reports else encoded.text
        return message_start(text, self.evidence_line(encoded))


_CONTINUATION = (b" ", b"\t", b">")


def message_start(text: bytes, line: int) -> int:
    """The line that starts the message ``line`` belongs to: the nearest line at or above it
    that is not indented (nor a ``>`` quote of the line above)."""
    lines = text.split(b"\n")
    while 0 < line < len(lines) and lines[line].startswith(_CONTINUATION):
        line -= 1
    return line


def _check_hint(
    hint: HintCondition, regex: PatternSet | None, hints: Mapping[str, str], case: bool
) -> tuple[bool, str]:
    value = hints.get(hint.key)
    if value is None:
        return False, f"hint {hint.key!r} is not set"
    value = str(value)
    if hint.equals and _fold(value, case) not in {_fold(x, case) for x in hint.equals}:
        wanted = " or ".join(repr(x) for x in hint.equals)
        return False, f"hint {hint.key}={value!r}, not {wanted}"
    if regex is not None and not regex.search_any(encode_text(value)):
        return False, f"hint {hint.key}={value!r} does not match /{hint.regex}/"
    return True, f"hint {hint.key}={value!r}"


def _fold(value: str, case_sensitive: bool) -> str:
    return value.strip() if case_sensitive else value.strip().casefold()


class EncodedFacts:
    """The facts as UTF-8 bytes, encoded once per decision rather than once per pattern."""

    __slots__ = ("text", "title", "source", "step", "explain", "_read", "_messages")

    def __init__(self, facts: FailureFacts, *, explain: bool = False) -> None:
        self._read = policy_text(facts.text)
        self._messages: bytes | None = None
        self.text = encode_text(self._read)
        self.title = encode_text(facts.title)
        self.source = encode_text(facts.source)
        self.step = encode_text(facts.step)
        self.explain = explain

    @property
    def messages(self) -> bytes:
        """The text without failing tests' names and assertion lines (built when first asked)."""
        if self._messages is None:
            self._messages = encode_text(without_test_reports(self._read))
        return self._messages


DEFAULT_DECISION = TriageDecision(category="unknown", severity="medium")

PREFILTER_FROM = 1
"""Decisions a policy makes before it builds its prefilter: a one-log run never pays for it."""


class _Lazy:
    """A policy's prefilter, once built (a one-tuple: None inside when it could not be)."""

    __slots__ = ("decisions", "built")

    def __init__(self) -> None:
        self.decisions = 0
        self.built: tuple[RulePrefilter | None] | None = None


@dataclass(frozen=True)
class Policy:
    """Ordered rules and the decision used when none matches (schema ``version``)."""

    name: str
    version: int = 1
    rules: tuple[Rule, ...] = ()
    default: TriageDecision = DEFAULT_DECISION
    description: str = ""

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.name in seen:
                raise PolicyError(f"policy {self.name!r}: two rules are named {rule.name!r}")
            seen.add(rule.name)
        if self.default.rule is not None:
            object.__setattr__(self, "default", replace(self.default, rule=None))
        object.__setattr__(self, "_filter", _Lazy())

    def _prefilter(self) -> RulePrefilter | None:
        """The rules' prefilter, built on the second decision (see :mod:`.prefilter`)."""
        lazy: _Lazy = self._filter  # type: ignore[attr-defined]
        if lazy.decisions < PREFILTER_FROM:
            lazy.decisions += 1
            return None
        if lazy.built is None:
            lazy.built = (RulePrefilter.build(self.rules),)
        return lazy.built[0]

    def decide(self, facts: FailureFacts) -> TriageDecision:
        """The ``then`` of the first rule that matches ``facts`` (naming it), else the default;
        among matching rules marked ``earliest_wins``, the one whose evidence comes first; and
        when that rule is a ``summary``, the first cause that matches (:meth:`cause_of`)."""
        winner = self.winner(facts)
        return self.default if winner is None else winner.then

    def winner(self, facts: FailureFacts, *, causes_only: bool = False) -> Rule | None:
        """The rule that decides ``facts`` (None: the default), with ``causes_only`` among the
        rules marked ``cause`` alone (:mod:`.precedence`)."""
        encoded = EncodedFacts(facts)
        prefilter = self._prefilter()
        possible = Flags(prefilter.possible(encoded) if prefilter is not None else None)
        return winner(self.rules, facts, encoded, possible, causes_only=causes_only)

    def only_summary(self, facts: FailureFacts, rule: Rule) -> bool:
        """Whether the summary ``rule`` is all ``facts`` says of its category."""
        return only_summary(self.rules, facts, EncodedFacts(facts), rule)

    def explain(self, facts: FailureFacts) -> list[tuple[str, bool, str]]:
        """Each rule in order: its name, whether it matched, and why."""
        encoded = EncodedFacts(facts, explain=True)
        trace: list[tuple[str, bool, str]] = []
        for rule in self.rules:
            ok, why = rule.check(facts, encoded)
            if ok and rule.when.earliest_wins:
                why += (f"; earliest_wins: evidence in the message of line "
                        f"{rule.evidence_message(encoded) + 1}")
            if ok and rule.when.summary:
                why += "; summary: a cause in its message or before it decides instead"
            elif ok and rule.when.cause:
                why += "; cause: outranks a summary after it"
            trace.append((rule.name, ok, why))
        return trace

    def rule(self, name: str) -> Rule | None:
        """The rule called ``name``, if any."""
        return next((rule for rule in self.rules if rule.name == name), None)
