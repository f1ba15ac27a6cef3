"""Signature rules: literal and RE2 rules, refused patterns, and their precedence."""

from __future__ import annotations

import pytest

from knownfix.core.match import MatchIndex
from knownfix.core.match.rules import compile_linear, compile_rules, find_rule_hits
from knownfix.core.records import KnownIssue, SignatureRules


def issue(issue_id: str, *, contains: list[str] | None = None, regex: list[str] | None = None,
          title: str = "Some failure", symptoms: list[str] | None = None,
          retired: bool = False) -> KnownIssue:
    return KnownIssue(id=issue_id, title=title, symptoms=symptoms or [],
                      signature=SignatureRules(contains=contains or [], regex=regex or []),
                      retired=retired)


REFUSED = [
    ("empty match", ".*", "matches empty text"),
    ("optional only", "(abc)?", "matches empty text"),
    ("backreference", r"(a)\1", "backreference"),
    ("lookahead", "foo(?=bar)", "lookahead"),
    ("unbalanced", "(abc", "does not compile"),
    ("too long", "a" * 1001, "limit is 1000"),
    ("huge repetition", "(x{1000}){1000}", "RE2"),
]


@pytest.mark.parametrize(("name", "pattern", "why"), REFUSED, ids=[r[0] for r in REFUSED])
def test_hostile_or_useless_regex_is_refused(name: str, pattern: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        compile_linear(pattern)


def test_catastrophic_backtracking_pattern_runs_in_linear_time() -> None:
    test = compile_linear(r"(a+)+$")
    assert test("a" * 50_000 + "!") is False  # a backtracking engine would never return


def test_refused_rules_are_reported_not_raised() -> None:
    rules, problems = compile_rules([issue("KF-1", contains=["ab", "disk full"], regex=["(x"])])
    assert [r.pattern for r in rules] == ["disk full"]
    assert sorted(p.kind for p in problems) == ["contains", "regex"]
    assert all(p.issue_id == "KF-1" for p in problems)
    assert "KF-1: contains 'ab' ignored" in str(problems[0])


def test_contains_is_case_and_space_insensitive_and_reports_first_line() -> None:
    rules, _ = compile_rules([issue("KF-1", contains=["Disk  Quota exceeded"])])
    lines = ["ok", "write failed: disk quota   EXCEEDED", "disk quota exceeded"]
    hits = find_rule_hits(rules, lines)
    assert [h.line for h in hits["KF-1"]] == [2]
    assert hits["KF-1"][0].reason() == (
        "signature contains 'Disk  Quota exceeded' matched excerpt line 2"
    )


def test_signature_rule_beats_lexical_similarity() -> None:
    lexical_twin = issue("KF-1", title="Redis connection refused in tests",
                         symptoms=["redis.exceptions.ConnectionError: Error 111 connecting to "
                                   "localhost:6379. Connection refused."])
    ruled = issue("KF-2", title="Sentinel failover", regex=[r"Error 111 connecting to \S+:6379"])
    log = ("redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. "
           "Connection refused.")
    result = MatchIndex.build([lexical_twin, ruled]).rank(log)
    assert [m.id for m in result.matches][:2] == ["KF-2", "KF-1"]
    assert result.matches[0].score >= 0.95 > result.matches[1].score
    assert result.known


def test_retired_issue_rules_never_fire() -> None:
    result = MatchIndex.build([issue("KF-1", contains=["disk full"], retired=True)]).rank(
        "write failed: disk full")
    assert result.matches == ()
    assert not result.known


def test_index_keeps_rule_problems_for_lint() -> None:
    index = MatchIndex.build([issue("KF-1", regex=[".*"])])
    assert [p.reason for p in index.problems] == [
        "matches empty text, so it would match every log"]
