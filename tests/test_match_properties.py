"""Properties of ranking on arbitrary input: bounded sorted scores, no crash, no retired issue."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knownfix.core.match import MatchIndex
from knownfix.core.records import KnownIssue, Signature

DATA = Path(__file__).parent / "data" / "match"
KB = [KnownIssue.from_dict(d) for d in json.loads((DATA / "kb.json").read_text())]
INDEX = MatchIndex.build(KB)
RETIRED = {i.id for i in KB if i.retired}
LOG_WORDS = [w for i in KB for w in (i.title + " " + " ".join(i.symptoms)).split()] + [
    "error", "failed", "Traceback", "\r\n", "\r", "\n", "\x00", "\x1b[31m", "E0308", "ENOSPC",
    "😀", "qqkfmarkbqq", "'abc123'", "0xdeadbeef",
]
log_text = st.one_of(
    st.text(max_size=2000),
    st.lists(st.sampled_from(LOG_WORDS), max_size=300).map(" ".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(log_text)
def test_rank_is_total_bounded_and_sorted(text: str) -> None:
    result = INDEX.rank(text)
    scores = [m.score for m in result.matches]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert len(result.matches) <= 5
    assert not RETIRED & {m.id for m in result.matches}
    if result.known:
        assert result.matches


@settings(max_examples=50, deadline=None)
@given(log_text, st.dictionaries(st.text(max_size=8), st.sampled_from([i.id for i in KB]),
                                 max_size=3))
def test_history_never_revives_a_retired_issue(text: str, history: dict[str, str]) -> None:
    sig = Signature(title="x", fingerprint="f", loose_fingerprint="l", version="1")
    history = {**history, "l": sorted(RETIRED)[0]}
    result = INDEX.rank(text, sig, history=history)
    assert not RETIRED & {m.id for m in result.matches}


def test_huge_and_binary_input_is_handled() -> None:
    huge = ("x" * 100_000 + "\n") * 50 + "\x00\xff" * 10_000
    result = INDEX.rank(huge)
    assert not result.known


def test_many_lines_are_bounded() -> None:
    text = "RuntimeError: Event loop is closed\n" + "noise line\n" * 100_000
    result = INDEX.rank(text)
    assert result.matches[0].id == "KF-008"
