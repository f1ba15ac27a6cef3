"""Matching failure logs to known issues: a table of realistic logs against our own KB.

``tests/data/match/kb.json`` is a knowledge base written for these tests (28 issues, one
retired, one with signature rules); ``logs/cases.json`` names, for every log under ``logs/``, the
issue it is an occurrence of, or null for a failure the KB does not cover (``neg_*``: a Go panic,
a Rust borrow error, npm ERESOLVE, a full disk, a Java NPE ...). A wrong "known" is the costly
mistake.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knownfix.core.match import MatchIndex, MatchResult
from knownfix.core.match.layered import confident_lexical
from knownfix.core.match.lexical import LexicalEvidence, PhraseHit
from knownfix.core.match.phrases import make_phrase
from knownfix.core.records import KnownIssue, Signature

DATA = Path(__file__).parent / "data" / "match"
KB = [KnownIssue.from_dict(d) for d in json.loads((DATA / "kb.json").read_text())]
CASES = [(c["log"], c["expected"]) for c in json.loads((DATA / "logs" / "cases.json").read_text())]


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex.build(KB)


def rank_log(index: MatchIndex, name: str) -> MatchResult:
    return index.rank((DATA / "logs" / name).read_text(encoding="utf-8"))


def test_cases_cover_enough_positives_and_negatives() -> None:
    negatives = [log for log, expected in CASES if expected is None]
    assert len(CASES) >= 40
    assert len(negatives) >= 15


@pytest.mark.parametrize(("log", "expected"), CASES, ids=[log for log, _ in CASES])
def test_log_matches_expected_issue(index: MatchIndex, log: str, expected: str | None) -> None:
    result = rank_log(index, log)
    if expected is None:
        assert not result.known, f"false known: {result.matches[0].id} {result.matches[0].reasons}"
    else:
        assert result.matches, "no candidate at all"
        assert result.matches[0].id == expected
        assert result.known


def test_known_match_explains_itself(index: MatchIndex) -> None:
    top = rank_log(index, "loop_closed.log").matches[0]
    assert top.id == "KF-008"
    assert any("excerpt line" in r and "Event loop is closed" in r for r in top.reasons)
    assert any(r == "exception type RuntimeError" for r in top.reasons) or top.score > 0.5
    issue = next(i for i in KB if i.id == "KF-008")
    assert top.resolution == issue.resolution
    assert top.verification == tuple(issue.verification)


def test_paraphrased_symptom_matches_with_token_reasons() -> None:
    issue = KnownIssue(
        id="KF-100",
        title="Migration chain broken by a deleted revision file",
        symptoms=['`db upgrade` stops with "Can\'t find revision 1a2b3c4d5e6f"'],
        root_cause="The version table points at a migration file that no longer exists.",
    )
    other = KnownIssue(id="KF-101", title="Worker cannot start", symptoms=["worker exited early"])
    log = "alembic.util.exc.CommandError: Can't locate revision identified by '9f8e7d6c5b4a'"
    result = MatchIndex.build([issue, other]).rank(log)
    assert result.matches[0].id == "KF-100"
    reason = result.matches[0].reasons[0]
    assert "excerpt line 1" in reason
    assert "revision" in reason
    assert "cannot locate/cannot find" in reason


def test_error_code_shared_is_a_reason(index: MatchIndex) -> None:
    top = rank_log(index, "tsc_strict.log").matches[0]
    assert top.id == "KF-009"
    assert "error code TS2345" in top.reasons


def test_signature_rule_reason_names_the_line(index: MatchIndex) -> None:
    top = rank_log(index, "es_readonly.log").matches[0]
    assert top.id == "KF-023"
    assert top.score >= 0.95
    assert top.reasons[0] == (
        "signature regex r'cluster_block_exception.*read-only' matched excerpt line 1"
    )


def test_retired_issue_is_never_returned(index: MatchIndex) -> None:
    result = rank_log(index, "py2_print.log")
    assert all(m.id != "KF-022" for m in result.matches)
    assert not result.known


def test_history_links_a_seen_fingerprint(index: MatchIndex) -> None:
    sig = Signature(title="t", fingerprint="strict-fp", loose_fingerprint="loose-fp", version="1")
    result = index.rank("something nobody documented", sig, history={"loose-fp": "KF-014"})
    assert result.known
    assert result.matches[0].id == "KF-014"
    assert 0.90 <= result.matches[0].score < 0.95
    assert "linked to KF-014" in result.matches[0].reasons[0]


def test_history_pointing_at_retired_or_unknown_issue_is_ignored(index: MatchIndex) -> None:
    sig = Signature(title="t", fingerprint="s", loose_fingerprint="l", version="1")
    for target in ("KF-022", "KF-999"):
        result = index.rank("something nobody documented", sig, history={"l": target})
        assert not result.known
        assert all(m.id != target for m in result.matches)


def test_limit_bounds_the_list(index: MatchIndex) -> None:
    text = (DATA / "logs" / "celery_hard_limit.log").read_text()
    assert len(index.rank(text, limit=2).matches) <= 2
    assert index.rank(text, limit=0).matches == ()


def test_empty_knowledge_base_knows_nothing() -> None:
    result = MatchIndex.build([]).rank("RuntimeError: Event loop is closed")
    assert result == MatchResult(matches=(), known=False)


def test_to_dict_has_the_contract_fields(index: MatchIndex) -> None:
    data = rank_log(index, "redis_refused.log").to_dict()
    assert data["known"] is True
    assert set(data["matches"][0]) == {"id", "title", "score", "reasons", "resolution",
                                       "verification"}


def test_reasons_cite_log_lines_when_the_excerpt_knows_them(index: MatchIndex) -> None:
    log = "cluster_block_exception: index [logs] blocked by: read-only / allow delete"
    result = index.rank(log, line_numbers=[412])
    assert result.matches[0].reasons[0].endswith("matched log line 412")
    # a mapping that does not fit the text is ignored rather than misleading
    wrong = index.rank(log, line_numbers=[1, 2, 3])
    assert wrong.matches[0].reasons[0].endswith("matched excerpt line 1")


def test_a_symptom_about_its_quoted_message_needs_that_message() -> None:
    chain = KnownIssue(
        id="KF-200",
        title="Broken migration chain",
        symptoms=['alembic upgrade head failed with "Can\'t find revision 1a2b3c4d5e6f".'],
        root_cause="The alembic_version table names a revision whose file was deleted.",
    )
    others = [
        KnownIssue(id="KF-201", title="Worker cannot start", symptoms=["worker exited early"]),
        KnownIssue(id="KF-202", title="Disk full", symptoms=["No space left on device"]),
    ]
    index = MatchIndex.build([chain, *others])
    heads = (
        "ERROR [alembic.util.messaging] Multiple head revisions are present for given argument "
        "'head'; please specify a specific target revision\n"
        "  FAILED: Multiple head revisions are present for given argument 'head'"
    )
    result = index.rank(heads)
    assert result.matches[0].id == "KF-200"  # still the closest candidate, offered
    assert not result.known  # but another alembic failure, not this one
    lost = "alembic.util.exc.CommandError: Can't locate revision identified by '9f8e7d6c5b4a'"
    found = index.rank(lost)
    assert found.matches[0].id == "KF-200"
    assert found.known


@pytest.mark.parametrize(
    ("name", "text", "origin", "score", "info", "mass", "confident"),
    [
        # A name says what the failure involves, not what failed: never confident by itself,
        # not even as a phrase of the tool the log names.
        ("quoted name", "vendor/bundle", "quoted", 1.0, 1.4, 2.0, False),
        ("code-like token", "container_linux.go:247", "code", 0.9, 1.8, 2.0, False),
        ("quoted message", "Can't find revision 1a2b3c", "quoted", 1.0, 1.4, 2.0, True),
        ("tool's symptom in other words", "Subnet is not in the same AZ", "symptom", 0.6, 1.4,
         2.0, True),
        ("much in common, best phrase a name", "vendor/bundle", "quoted", 1.0, 1.4, 5.0, True),
    ],
)
def test_confidence_needs_a_message_not_a_name(name: str, text: str, origin: str, score: float,
                                               info: float, mass: float,
                                               confident: bool) -> None:
    phrase = make_phrase(text, origin)
    assert phrase is not None
    hit = PhraseHit(phrase, 1, score, phrase[2], info)
    evidence = LexicalEvidence(issue_id="KF-1", mass=mass, best=hit, tool=1.0)
    assert confident_lexical(evidence) is confident, name
