"""The sibling vote's arithmetic (``docparse/siblings.py``); whole pages are golden fixtures
(``sibling-vote-*.md``)."""

from __future__ import annotations

from knownfix.core.docparse.siblings import Votes


def _votes(*leaves: tuple[bool, bool, bool]) -> Votes:
    votes = Votes()
    for named, made, troubled in leaves:
        votes.add(named, made, troubled)
    return votes


HOWTO = (False, False, False)
WEAK_ISSUE = (False, True, False)
INCOMPLETE_PROBLEM = (False, False, True)
NAMED = (True, False, False)


def test_a_page_of_howtos_demotes() -> None:
    assert _votes(WEAK_ISSUE, HOWTO, HOWTO).demotes()
    assert _votes(WEAK_ISSUE, HOWTO, HOWTO, HOWTO, NAMED).demotes()


def test_problems_left_incomplete_are_not_howtos() -> None:
    # One issue, one problem the reader could not complete, one how-to: not a page of how-tos.
    assert not _votes(WEAK_ISSUE, INCOMPLETE_PROBLEM, HOWTO).demotes()
    assert not _votes(WEAK_ISSUE, WEAK_ISSUE, INCOMPLETE_PROBLEM, HOWTO, HOWTO).demotes()
    # ... and they do not promote either: promotion counts only what the page states.
    assert not _votes(WEAK_ISSUE, INCOMPLETE_PROBLEM, HOWTO).promotes()


def test_a_troubled_issue_counts_once() -> None:
    votes = _votes((False, True, True), HOWTO, HOWTO)
    assert (votes.issues, votes.troubled) == (1, 0)
    assert votes.demotes()


def test_few_siblings_decide_nothing() -> None:
    assert not _votes(WEAK_ISSUE, HOWTO).demotes()
