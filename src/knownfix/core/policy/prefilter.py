"""Which rules of a policy can match a text at all: one RE2 set search instead of one per rule.

A decision used to run each rule's combined ``any_regex`` (or ``contains``) program over the
excerpt in turn until one matched: ~35 searches of the same bytes a log. One ``re2.Set`` per
text the rules read (the excerpt, the excerpt without test reports, the title, the source,
the failed step) and case sensitivity holds every rule's patterns for that text and answers in
one pass which of them occur anywhere; a rule one of whose matchers finds none of its patterns
(or, for ``all_regex``, misses one) cannot match and is skipped unread. The rules that remain are
checked exactly as before, so the filter changes what is searched, never what is decided. The
rules are data: nothing here knows any pattern.

Built once per policy, on its second decision: the set costs about as much to compile as the
first decision of a fresh policy (a one-log ``knownfix triage`` would only pay for it), a worker
or a batch deciding hundreds of logs saves it many times over.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import re2

from knownfix.core.policy.patterns import literal_pattern

if TYPE_CHECKING:
    from knownfix.core.policy.rules import EncodedFacts, Rule

SET_MEMORY = 64 << 20
"""RE2's memory budget for one set (its DFA's state cache): the default policy's ~1,070
patterns fit many times over; a policy whose set does not compile is not prefiltered."""


class _Group:
    """The patterns that rules with one case sensitivity search in one of the facts' texts
    (``text``, ``messages``, ``title``, ``source``, ``step``), in one set."""

    def __init__(self, case_sensitive: bool, field: str) -> None:
        options = re2.Options()
        options.case_sensitive = case_sensitive
        options.log_errors = False
        options.max_mem = SET_MEMORY
        self.field = field
        self.set = re2.Set.SearchSet(options)
        # The empty pattern occurs in every text: a search whose answer lacks it failed (RE2
        # gives no other sign of a DFA out of memory) and filters nothing.
        self.sentinel = self.set.Add("")

    def found(self, encoded: EncodedFacts) -> set[int] | None:
        """Indexes of the patterns that occur in the text this group reads; None: unknown."""
        hits = self.set.Match(getattr(encoded, self.field))
        if not hits or self.sentinel not in hits:
            return None
        return set(hits)


# One matcher of a rule as the set sees it: its group, whether all of its patterns must occur
# (``all_regex``) or one (the others), and the patterns' indexes in the group's set.
_Need = tuple[_Group, bool, tuple[int, ...]]


class RulePrefilter:
    """For each rule, whether it may match these facts (see the module doc)."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._groups: dict[tuple[bool, str], _Group] = {}
        self._needs = [self._rule_needs(rule) for rule in rules]
        for group in self._groups.values():
            group.set.Compile()

    @classmethod
    def build(cls, rules: Sequence[Rule]) -> RulePrefilter | None:
        """The prefilter of ``rules``, or None when RE2 cannot hold their patterns in sets."""
        try:
            return cls(rules)
        except re2.error:
            return None

    def _rule_needs(self, rule: Rule) -> list[_Need]:
        when = rule.when
        text = "messages" if when.outside_test_reports else "text"
        matchers = (
            (text, False, when.any_regex),
            (text, False, tuple(map(literal_pattern, when.contains))),
            (text, True, when.all_regex), ("title", False, when.title_regex),
            ("source", False, when.source_regex), ("step", False, when.step_regex),
        )
        needs = []
        for field, every, patterns in matchers:
            if patterns:
                key = (when.case_sensitive, field)
                group = self._groups.get(key) or self._groups.setdefault(key, _Group(*key))
                needs.append((group, every, tuple(group.set.Add(p) for p in patterns)))
        return needs

    def possible(self, encoded: EncodedFacts) -> Iterator[bool]:
        """One flag per rule, in order: False where the rule cannot match. Lazy: a group's
        set searches its text when the first of its rules is asked about."""
        hits: dict[int, set[int] | None] = {}
        for needs in self._needs:
            yield all(_may_hold(need, hits, encoded) for need in needs)


def _may_hold(need: _Need, hits: dict[int, set[int] | None], encoded: EncodedFacts) -> bool:
    group, every, indexes = need
    key = id(group)
    if key not in hits:
        hits[key] = group.found(encoded)
    found = hits[key]
    if found is None:
        return True
    if every:
        return all(index in found for index in indexes)
    return not found.isdisjoint(indexes)
