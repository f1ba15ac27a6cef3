"""The policy's prefilter (one RE2 set search says which rules may match) never changes a
decision: the same facts decided with and without it give the same rule."""

from __future__ import annotations

import pytest

from knownfix.core.policy import Conditions, FailureFacts, Policy, Rule, default_policy
from knownfix.core.policy.prefilter import RulePrefilter
from knownfix.core.policy.rules import EncodedFacts
from knownfix.core.records import TriageDecision


def rule(name: str, **when: object) -> Rule:
    return Rule(name, Conditions(**when), TriageDecision(category=name, severity="low"))  # type: ignore[arg-type]


RULES = (
    rule("case", any_regex=("Exact",), case_sensitive=True),
    rule("both", any_regex=("alpha", "beta"), all_regex=("gamma", "delta")),
    rule("literal", contains=("a.b(c)",)),
    rule("reports", any_regex=("timeout",), outside_test_reports=True),
    rule("step", step_regex=(r"^npm (?:ci|install)",)),
    rule("titled", title_regex=("Segfault",), source_regex=("nightly",)),
    rule("first", any_regex=("oom",), earliest_wins=True),
    rule("second", any_regex=("killed",), earliest_wins=True),
    rule("no-text", not_regex=("never",)),
)

CASES = [
    FailureFacts(text="Exact words"),
    FailureFacts(text="exact words"),
    FailureFacts(text="alpha and gamma and delta"),
    FailureFacts(text="beta then gamma"),
    FailureFacts(text="call a.b(c) failed"),
    FailureFacts(text="call aXb(c) failed"),
    FailureFacts(text="● suite › handles timeout\n  expected ok\n"),
    FailureFacts(text="request timeout after 30 s"),
    FailureFacts(text="x", step="npm ci --silent"),
    FailureFacts(text="x", title="Segfault in main", source="ci/nightly"),
    FailureFacts(text="x", title="Segfault in main", source="ci/pr"),
    FailureFacts(text="process killed\nthen oom"),
    FailureFacts(text="never"),
    FailureFacts(text=""),
]


@pytest.mark.parametrize("facts", CASES, ids=range(len(CASES)))
def test_a_prefiltered_decision_is_the_unfiltered_one(facts: FailureFacts) -> None:
    unfiltered = Policy("p", rules=RULES).decide(facts)  # a first decision: no prefilter
    policy = Policy("p", rules=RULES)
    policy.decide(FailureFacts(text="warm"))
    assert policy._prefilter() is not None
    assert policy.decide(facts) == unfiltered


def test_it_rules_out_only_rules_that_cannot_match() -> None:
    prefilter = RulePrefilter.build(RULES)
    assert prefilter is not None
    for facts in CASES:
        encoded = EncodedFacts(facts)
        for each, may_match in zip(RULES, prefilter.possible(encoded), strict=True):
            if each.check(facts, encoded)[0]:
                assert may_match, (each.name, facts)


def test_the_default_policy_decides_alike_with_it() -> None:
    policy = default_policy()
    fresh = Policy(policy.name, rules=policy.rules)
    texts = ["npm ERR! code ERESOLVE\nCould not resolve dependency",
             "ModuleNotFoundError: No module named 'yaml'",
             "error: linker `cc` not found", "FATAL: password authentication failed",
             "Killed\nexit code 137", "nothing known here"]
    for text in texts:
        facts = FailureFacts(text=text, step="pytest -q")
        unfiltered = Policy(policy.name, rules=policy.rules).decide(facts)
        assert fresh.decide(facts) == unfiltered


def test_a_pattern_a_set_cannot_hold_leaves_the_policy_unfiltered() -> None:
    bad = Rule("bad", Conditions(any_regex=("(a)\\1",)), TriageDecision(category="c",
               severity="low"), check_patterns=False)
    assert RulePrefilter.build((bad,)) is None
