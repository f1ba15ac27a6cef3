"""Policy documents: loading, validation errors with origin:line, matchers, explain, YAML out."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knownfix.core.policy import (
    Conditions,
    FailureFacts,
    Policy,
    Rule,
    default_policy,
    default_policy_text,
    load_policy,
    policy_to_yaml,
)
from knownfix.core.policy.patterns import MAX_PATTERN_CHARS, InvalidPattern
from knownfix.core.records import TriageDecision
from knownfix.errors import PolicyError

DATA = Path(__file__).parent / "data" / "policy"


def team_policy() -> Policy:
    path = DATA / "team-policy.yaml"
    return load_policy(path.read_text("utf-8"), origin=str(path))


def one_rule(when: str, *, then: str = "{category: c, severity: low}") -> str:
    return f"version: 1\nname: t\nrules:\n  - name: r\n    when: {when}\n    then: {then}\n"


# --- loading -------------------------------------------------------------------------------------


def test_team_policy_loads_every_matcher() -> None:
    policy = team_policy()
    assert policy.name == "payments-team"
    assert [rule.name for rule in policy.rules] == [
        "ledger-migration", "nightly-perf", "github-test-jobs", "card-vault-title",
        "everything-from-prod",
    ]
    assert policy.default == TriageDecision(
        "unknown", "Medium", "1 business day", "Payments triage rotation"
    )
    ledger = policy.rules[0]
    assert ledger.line == 13
    assert ledger.when.all_regex == (r"\bmigration\b", r"\bledger\b")
    assert ledger.then.severity == "🔴 Critical"  # display form kept
    hints = policy.rules[2].when.hints
    assert [(h.key, h.equals, h.regex) for h in hints] == [
        ("ci", ("github",), None), ("kind", ("test", "e2e"), None),
        ("exit_code", (), r"^[1-9]\d*$"),
    ]


def test_default_policy_is_valid_and_ends_with_the_unknown_default() -> None:
    policy = default_policy()
    assert policy.version == 1
    assert len(policy.rules) >= 15
    assert policy.default.category == "unknown"
    assert policy.default.severity == "medium"


@pytest.mark.parametrize("policy", [pytest.param("default"), pytest.param("team")])
def test_policy_to_yaml_reads_back_equal(policy: str) -> None:
    original = default_policy() if policy == "default" else team_policy()
    again = load_policy(policy_to_yaml(original), origin="roundtrip")
    assert again == original
    assert policy_to_yaml(again) == policy_to_yaml(original)


def test_default_policy_text_is_the_shipped_document() -> None:
    text = default_policy_text()
    assert text.startswith("# knownfix default triage policy")
    assert load_policy(text) == default_policy()  # every shipped pattern checked here


def test_the_default_policy_compiles_only_what_decisions_read() -> None:
    policy = load_policy(default_policy_text(), check_patterns=False)
    assert not any(rule._compiled.any_regex.is_compiled for rule in policy.rules)
    decision = policy.decide(facts("npm ERR! code ERESOLVE\nCould not resolve dependency"))
    winner = next(i for i, rule in enumerate(policy.rules) if rule.name == decision.rule)
    assert 0 < winner < len(policy.rules) - 1
    # after the winner only the rules that compete with it (``earliest_wins``) are read
    after = [rule for rule in policy.rules[winner + 1:] if not rule.when.earliest_wins]
    assert after
    assert not any(rule._compiled.any_regex.is_compiled for rule in after)
    assert not any(rule._compiled.any_regex._parts for rule in policy.rules[:winner] if
                   len(rule.when.any_regex) > 1)  # one combined program, not each part


def test_an_unchecked_bad_pattern_fails_when_read_not_when_loaded() -> None:
    text = one_rule("{any_regex: ['(a)\\1', 'b']}")
    with pytest.raises(PolicyError, match=":5: rule 'r': any_regex"):
        load_policy(text, origin="p.yaml")
    policy = load_policy(text, origin="p.yaml", check_patterns=False)
    with pytest.raises(InvalidPattern, match="backreferences"):
        policy.decide(facts("a"))


# --- errors name origin:line ---------------------------------------------------------------------

BAD_DOCUMENTS: list[tuple[str, str, str]] = [
    ("empty", "", "team.yaml:1: the policy is empty"),
    ("not-a-mapping", "- a\n- b\n", "team.yaml:1: policy must be a mapping"),
    ("yaml-syntax", "version: 1\nrules: [\n  - name: x\n", "team.yaml:3: invalid YAML"),
    ("tab-indent", "version: 1\nrules:\n\t- name: x\n", "team.yaml:3: invalid YAML"),
    ("no-version", "name: x\nrules: []\n", "team.yaml:1: missing 'version'"),
    ("version-2", "version: 2\nrules: []\n", "team.yaml:1: unsupported policy schema version '2'"),
    ("unknown-top-key", "version: 1\nrulez: []\n", "team.yaml:2: policy: unknown key 'rulez'"),
    ("duplicate-key", "version: 1\nname: a\nname: b\n",
     "team.yaml:3: policy: duplicate key 'name'"),
    ("rules-not-list", "version: 1\nrules: {a: 1}\n", "team.yaml:2: rules must be a list"),
    ("rule-no-name", "version: 1\nrules:\n  - then: {category: c}\n",
     "team.yaml:3: rule #1: missing 'name'"),
    ("rule-no-then", "version: 1\nrules:\n  - name: x\n", "team.yaml:3: rule 'x': missing 'then'"),
    ("then-no-category", one_rule("{any_regex: x}", then="{severity: low}"),
     "team.yaml:6: rule 'r': then: missing 'category'"),
    ("bad-severity", one_rule("{any_regex: x}", then="{category: c, severity: sometimes}"),
     "team.yaml:6: rule 'r': then: unknown severity 'sometimes'"),
    ("unknown-matcher", one_rule("{any_regexp: x}"),
     "team.yaml:5: rule 'r': when: unknown key 'any_regexp'"),
    ("backreference", one_rule(r"{any_regex: ['(a)\1']}"),
     "team.yaml:5: rule 'r': any_regex: not a linear-time (RE2) pattern"),
    ("lookahead", one_rule("{not_regex: ['foo(?=bar)']}"),
     "team.yaml:5: rule 'r': not_regex: not a linear-time (RE2) pattern"),
    ("unbalanced", one_rule("{title_regex: ['(oops']}"),
     "team.yaml:5: rule 'r': title_regex: not a linear-time (RE2) pattern"),
    ("empty-pattern", one_rule("{any_regex: ['']}"), "team.yaml:5: rule 'r': any_regex must be"),
    ("nested-list", one_rule("{any_regex: [[a]]}"), "team.yaml:5: rule 'r': any_regex must be"),
    ("case-not-bool", one_rule("{case_sensitive: maybe}"),
     "team.yaml:5: rule 'r': case_sensitive must be true or false"),
    ("hint-bad-key", one_rule("{hint: {ci: {equal: github}}}"),
     "team.yaml:5: rule 'r': hint ci: unknown key 'equal'"),
    ("hint-bad-regex", one_rule(r"{hint: {exit_code: {regex: '(\d'}}}"),
     "team.yaml:5: rule 'r': hint exit_code: regex: not a linear-time"),
    ("duplicate-rule",
     "version: 1\nrules:\n  - name: a\n    then: {category: c}\n"
     "  - name: a\n    then: {category: d}\n",
     "team.yaml:5: rule 'a' is defined twice (first on line 3)"),
]


@pytest.mark.parametrize(
    ("name", "text", "message"), BAD_DOCUMENTS, ids=[case[0] for case in BAD_DOCUMENTS]
)
def test_bad_documents_name_origin_and_line(name: str, text: str, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(text, origin="team.yaml")
    assert str(caught.value).startswith(message), str(caught.value)


def test_pattern_line_is_the_line_of_the_pattern_itself() -> None:
    text = (
        "version: 1\nrules:\n  - name: r\n    when:\n      any_regex:\n"
        "        - 'fine'\n        - '(?<=x)y'\n    then: {category: c}\n"
    )
    with pytest.raises(PolicyError, match=r"^p\.yaml:7: rule 'r': any_regex"):
        load_policy(text, origin="p.yaml")


def test_huge_pattern_is_refused() -> None:
    text = one_rule("{any_regex: ['" + "a" * (MAX_PATTERN_CHARS + 1) + "']}")
    with pytest.raises(PolicyError, match="characters long; the limit is"):
        load_policy(text, origin="p.yaml")


def test_pattern_with_a_huge_program_is_refused() -> None:
    text = one_rule("{any_regex: ['" + "[a-z]{0,999}" * 5 + "']}")
    with pytest.raises(PolicyError, match=r"^p\.yaml:5: .*RE2 instructions; the limit is"):
        load_policy(text, origin="p.yaml")


def test_lookarounds_and_backreferences_are_explained() -> None:
    with pytest.raises(PolicyError, match=r"lookarounds need backtracking"):
        load_policy(one_rule("{any_regex: ['a(?!b)']}"))
    with pytest.raises(PolicyError, match=r"backreferences need backtracking"):
        load_policy(one_rule(r"{any_regex: ['(a)\2']}"))


def test_pattern_too_big_for_re2_memory_is_refused() -> None:
    text = one_rule(r"{any_regex: ['((((a{100}){100}){100}){100})']}")
    with pytest.raises(PolicyError, match=r"^p\.yaml:5: .*not a linear-time \(RE2\) pattern"):
        load_policy(text, origin="p.yaml")


@pytest.mark.parametrize("text", ["[" * 50_000, "- " * 20_000 + "x"], ids=["flow", "block"])
def test_absurdly_nested_yaml_is_a_policy_error(text: str) -> None:
    # PyYAML recurses ("nested too deeply"); libyaml stops at its own depth limit.
    deep = r"^p\.yaml:1: invalid YAML: (nested too deeply|exceeded maximum nesting depth)"
    with pytest.raises(PolicyError, match=deep):
        load_policy(text, origin="p.yaml")


def test_yaml_aliases_of_the_wrong_shape_are_refused() -> None:
    text = "version: 1\nx: &a [1]\n"
    with pytest.raises(PolicyError, match="unknown key 'x'"):
        load_policy(text)


def test_yaml_alias_is_refused_at_its_line_before_anything_expands() -> None:
    # The hardening issue's bomb, scaled down: one anchored list reused by every rule.
    patterns = "\n".join(f"      - 'pattern {n}'" for n in range(2000))
    rules = "\n".join(
        f"  - name: r{n}\n    when:\n      any_regex: *shared\n    then: {{category: x}}"
        for n in range(1, 300)
    )
    text = (
        "version: 1\nrules:\n  - name: r0\n    when:\n      any_regex: &shared\n"
        f"{patterns}\n    then: {{category: x}}\n{rules}\n"
    )
    first_alias = text.count("\n", 0, text.index("*shared")) + 1
    with pytest.raises(PolicyError, match=rf"^bomb\.yaml:{first_alias}: YAML aliases are not "
                                          r"allowed \(\*shared\)"):
        load_policy(text, origin="bomb.yaml")


def test_yaml_merge_keys_are_aliases_too() -> None:
    text = (
        "version: 1\ndefault: &d {category: unknown, severity: medium}\n"
        "rules:\n  - name: a\n    then: {<<: *d, severity: high}\n"
    )
    with pytest.raises(PolicyError, match=r"^p\.yaml:5: YAML aliases are not allowed \(\*d\)"):
        load_policy(text, origin="p.yaml")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_loads_or_raises_policy_error(text: str) -> None:
    error: PolicyError | None = None
    try:
        load_policy(text, origin="fuzz.yaml")
    except PolicyError as caught:
        error = caught
    assert error is None or str(error).startswith("fuzz.yaml:")


# --- matching ------------------------------------------------------------------------------------


def facts(text: str = "", **kwargs: object) -> FailureFacts:
    return FailureFacts(text=text, **kwargs)  # type: ignore[arg-type]


def test_first_matching_rule_wins_and_is_named() -> None:
    decision = team_policy().decide(facts("ledger migration 0042 failed: connection refused"))
    assert decision.category == "database"
    assert decision.rule == "ledger-migration"


def test_all_regex_needs_every_pattern_and_not_regex_vetoes() -> None:
    policy = team_policy()
    assert policy.decide(facts("migration 0042 failed")).rule is None
    assert policy.decide(facts("ledger migration failed in dry-run")).rule is None


def test_source_regex_and_any_regex_together() -> None:
    policy = team_policy()
    hit = policy.decide(facts("parse is 30% slower", source="jobs/nightly-bench.log"))
    assert hit.rule == "nightly-perf"
    assert hit.escalation is None
    assert policy.decide(facts("parse is 30% slower", source="jobs/pr-1.log")).rule is None


def test_hints_equality_is_case_insensitive_and_regex_searches() -> None:
    policy = team_policy()
    hints = {"ci": "GitHub", "kind": "e2e", "exit_code": "1"}
    assert policy.decide(facts("FAILED test_pay", hints=hints)).rule == "github-test-jobs"
    assert policy.decide(facts("FAILED test_pay", hints={**hints, "exit_code": "0"})).rule is None
    assert policy.decide(facts("FAILED test_pay", hints={**hints, "kind": "lint"})).rule is None
    assert policy.decide(facts("FAILED test_pay", hints={"ci": "github"})).rule is None


def test_contains_is_a_literal_not_a_regex() -> None:
    policy = load_policy(one_rule("{contains: ['a.b (x)']}"))
    assert policy.decide(facts("saw A.B (X) here")).rule == "r"
    assert policy.decide(facts("saw aXb (x) here")).rule is None


def test_case_sensitive_rule() -> None:
    policy = team_policy()
    assert policy.decide(facts(title="card-vault token expired")).rule == "card-vault-title"
    assert policy.decide(facts(title="CARD-VAULT token expired")).rule is None


def test_regexes_are_case_insensitive_by_default() -> None:
    policy = load_policy(one_rule(r"{any_regex: ['no space left']}"))
    assert policy.decide(facts("NO SPACE LEFT on device")).rule == "r"


def test_rule_without_conditions_matches_everything() -> None:
    policy = team_policy()
    assert policy.decide(facts("anything", hints={"env": "prod"})).category == "production"


def test_explain_lists_every_rule_with_why() -> None:
    trace = team_policy().explain(facts("ledger migration failed", hints={"env": "prod"}))
    assert [name for name, _, _ in trace] == [rule.name for rule in team_policy().rules]
    assert trace[0] == (
        "ledger-migration", True, "all_regex: all 2 pattern(s) occur; not_regex: none occurs"
    )
    assert trace[1] == ("nightly-perf", False, "any_regex: none of 2 pattern(s) occurs")
    assert trace[2] == ("github-test-jobs", False, "hint 'ci' is not set")
    assert trace[4] == ("everything-from-prod", True, "hint env='prod'")


def test_explain_shows_the_matched_text() -> None:
    trace = default_policy().explain(facts("x\nOSError: [Errno 28] No space left on device\n"))
    disk = next(item for item in trace if item[0] == "disk-full")
    assert disk[1] is True
    assert "matched 'No space left on device'" in disk[2]


def test_decide_agrees_with_explain() -> None:
    policy = default_policy()
    text = "npm ERR! code ERESOLVE\nCould not resolve dependency"
    first = next(name for name, matched, _ in policy.explain(facts(text)) if matched)
    assert policy.decide(facts(text)).rule == first == "dependency-resolution"


def test_rules_built_in_code_are_compiled_and_checked() -> None:
    with pytest.raises(PolicyError, match="rule 'bad'"):
        Rule("bad", Conditions(any_regex=("(a)\\1",)), TriageDecision("c", "low"))
    rule = Rule("ok", Conditions(any_regex=("boom",)), TriageDecision("c", "low"))
    assert rule.then.rule == "ok"
    assert rule.matches(facts("BOOM"))
    with pytest.raises(PolicyError, match="two rules are named 'ok'"):
        Policy("p", rules=(rule, rule))


def test_many_patterns_beyond_one_program_still_match() -> None:
    # Each pattern alone compiles; together they exceed RE2's budget and are searched one by one.
    patterns = tuple(f"(token{i}[a-z]{{0,40}}){{1,20}}" for i in range(60))
    rule = Rule("wide", Conditions(any_regex=patterns), TriageDecision("c", "low"))
    assert rule.matches(facts("xx token59abc"))
    assert not rule.matches(facts("nothing"))


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(st.characters(exclude_categories=()), max_size=2000),
    title=st.text(st.characters(exclude_categories=()), max_size=50),
    hints=st.dictionaries(st.sampled_from(["ci", "kind", "exit_code", "env"]), st.text(max_size=8)),
)
def test_decide_never_raises(text: str, title: str, hints: dict[str, str]) -> None:
    for policy in (default_policy(), team_policy()):
        failure = FailureFacts(text=text, title=title, source=text[:20], hints=hints)
        decision = policy.decide(failure)
        assert decision.category
        assert len(policy.explain(FailureFacts(text=text, title=title))) == len(policy.rules)


def test_step_regex_tests_the_failed_steps_facts_and_round_trips() -> None:
    from knownfix.core.policy import FailureFacts, load_policy, policy_to_yaml

    policy = load_policy(
        "version: 1\nrules:\n  - name: lint-stage\n    when:\n"
        "      step_regex: '(?m)^npm run lint\\b'\n    then: {category: lint}\n"
    )
    assert policy.decide(FailureFacts(text="x", step="npm run lint\nnpm ERR! code ELIFECYCLE")
                         ).category == "lint"
    assert policy.decide(FailureFacts(text="npm run lint", step="npm test")).category == (
        "unknown")
    assert load_policy(policy_to_yaml(policy)) == policy
    why = dict((name, why) for name, _, why in policy.explain(
        FailureFacts(text="x", step="npm run lint")))
    assert why["lint-stage"].startswith("step_regex /")


@pytest.mark.parametrize(
    "prefix",
    ["", "2026-12-07T10:55:08.7658660Z ", "2024-03-01T10:00:00.123456Z 00O ", "[12:01:02] ",
     "\x1b[31;1m"],
)
def test_rules_read_each_line_without_its_ci_timestamp(prefix: str) -> None:
    policy = load_policy(one_rule("{any_regex: ['(?m)^FAILED \\S+::']}"))
    text = f"{prefix}collected 2 items\n{prefix}FAILED tests/test_a.py::test_b - assert 1 == 2"
    assert policy.decide(FailureFacts(text=text)).category == "c"
    assert policy.decide(FailureFacts(text=f"{prefix}nothing FAILED tests/x::y")).category == (
        "unknown")
