"""Rules marked ``earliest_wins`` compete on where their evidence stands: the first failure wins.

A compile error leaves the module it was building unresolved; a syntax error is followed by
the type checker that ran after it. Both later messages are true, but the job went red on the
first one. Rules that do not compete keep the policy's order: the first that matches decides,
and none of them overrides a competing rule that matched before it.
"""

from __future__ import annotations

import pytest

from knownfix.core.policy import FailureFacts, default_policy, load_policy, policy_to_yaml
from knownfix.errors import PolicyError

POLICY = """\
version: 1
rules:
  - name: flaky
    when: {any_regex: ['\\bflaky\\b']}
    then: {category: flaky}
  - name: dependency
    when: {earliest_wins: true, any_regex: ['unresolved dependency']}
    then: {category: dependency}
  - name: network
    when: {any_regex: ['connection refused']}
    then: {category: network}
  - name: compile
    when: {earliest_wins: true, contains: ['error: type mismatch']}
    then: {category: compile}
  - name: compile-again
    when: {earliest_wins: true, any_regex: ['type mismatch']}
    then: {category: compile-again}
"""


def decide(text: str, policy_text: str = POLICY) -> str:
    return load_policy(policy_text).decide(FailureFacts(text=text)).category


@pytest.mark.parametrize(("text", "category"), [
    # the earliest evidence wins whatever the order of the rules
    ("a.scala:3: error: type mismatch\n:: unresolved dependency: core;1.0", "compile"),
    (":: unresolved dependency: core;1.0\na.scala:3: error: type mismatch", "dependency"),
    # evidence on one line, or in one message: the order of the rules breaks the tie
    ("error: type mismatch", "compile"),
    ("a.scala:3: error: type mismatch\n  > unresolved dependency: core;1.0", "dependency"),
    # a rule that does not compete and matches first decides, as always
    ("flaky test\na.scala:3: error: type mismatch", "flaky"),
    # ... never overrides a competing rule that matched before it, and ends the competition
    ("connection refused\n:: unresolved dependency: core;1.0", "dependency"),
    ("error: type mismatch\nconnection refused\n:: unresolved dependency: core;1.0",
     "dependency"),
    ("connection refused", "network"),
    ("nothing known", "unknown"),
])
def test_the_first_failure_wins_among_competing_rules(text: str, category: str) -> None:
    assert decide(text) == category


def test_earliest_wins_round_trips_and_is_a_flag() -> None:
    policy = load_policy(POLICY)
    assert load_policy(policy_to_yaml(policy)) == policy
    assert "earliest_wins: true" in policy_to_yaml(policy)
    with pytest.raises(PolicyError, match="earliest_wins must be true or false"):
        load_policy(POLICY.replace("earliest_wins: true", "earliest_wins: first", 1))


def test_explain_says_where_a_competing_rules_evidence_stands() -> None:
    trace = load_policy(POLICY).explain(FailureFacts(
        text="build\na.scala:3: error: type mismatch\n:: unresolved dependency: core"))
    why = {name: why for name, matched, why in trace if matched}
    assert why["compile"].endswith("earliest_wins: evidence in the message of line 2")
    assert why["dependency"].endswith("earliest_wins: evidence in the message of line 3")


@pytest.mark.parametrize(("text", "category"), [
    # a compile error, then a header it could not find (the second follows from the first)
    ("src/buf.c:40:7: error: static declaration of 'memrchr' follows non-static declaration\n"
     "src/ui.h:3:10: fatal error: termkey.h: No such file or directory", "compile"),
    ("src/ui.h:3:10: fatal error: termkey.h: No such file or directory\n"
     "src/buf.c:40:7: error: 'x' undeclared", "dependency"),
    # package managers' resolution failures do not compete: they end any competition, so an
    # install step's compiler errors stay a dependency failure (the protocol's convention)
    ("[error] /src/Lists.scala:78: type mismatch;\n[error]  found   : List[A]\n"
     "[warn] \t::          UNRESOLVED DEPENDENCIES         ::\n"
     "[warn] \t:: org.example#core;2.1-SNAPSHOT: not found", "dependency"),
    # Travis runs mypy after pytest failed to collect: the syntax error came first
    ("E     File \"/src/calc/__init__.py\", line 18\nE       return (a / b\n"
     "E   SyntaxError: '(' was never closed\n1 error in 0.31s\n"
     "src/calc/__init__.py:21: error: Expected `)`, found `def`  [syntax]\n"
     "Found 1 error in 1 file (errors prevented further checking)", "compile"),
    ("src/calc/__init__.py:21: error: Incompatible return value type (got \"str\", expected "
     "\"int\")  [return-value]\nFound 1 error in 1 file (checked 3 source files)", "type-check"),
    # a native extension that does not build while dependencies install: the compiler's errors
    # come first, but the install step's rule ends the competition
    ("ext/parser.c:12:10: error: 'rb_cData' undeclared\nmake: *** [parser.o] Error 1\n"
     "Failed building wheel for fastparse\nERROR: Could not build wheels for fastparse",
     "dependency"),
    # a test module that cannot import a package: the test runner's report does not compete
    ("FAILED tests/test_a.py::test_b\nE   ModuleNotFoundError: No module named 'requests'",
     "dependency"),
])
def test_the_default_policy_takes_the_first_failure(text: str, category: str) -> None:
    assert default_policy().decide(FailureFacts(text=text)).category == category
