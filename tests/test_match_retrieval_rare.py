"""Retrieval keeps the issues that share the log's rare terms (``retrieval._rare_sums``).

A page of a made-up editor extension, twelve near-twins of one team's incident log that share
the lines the log repeats (test, session, worker, timeout …), each with its own test name, and
800 unrelated issues. Summed over every term, the twins come first by far; with the flat
candidate budget cut to a few (as 100,000 issues of the same tools fill 48 slots), the page's
entry is a candidate only because it quotes what only it says (``PowerShell``, ``Language
Service``).
"""

from __future__ import annotations

import pytest

from knownfix.core.match import MatchIndex, retrieval
from knownfix.core.match.excerpt_view import view_excerpt
from knownfix.core.match.tokens import split_lines
from knownfix.core.records import KnownIssue
from match_helpers import issue
from test_match_evidence import fillers

PAGE = "docs/pwsh-editor/troubleshooting.md"
LOG = ("error: test session failed: worker timeout while waiting for the session\n"
       "error: test session failed: worker timeout while waiting for the session\n"
       "error: test session failed: worker timeout while waiting for the session\n"
       "The PowerShell Language Service could not be started\n")


def page() -> list[KnownIssue]:
    return [
        issue("pwsh:language-service", PAGE, "The Language Service could not be started",
              ["The PowerShell Language Service could not be started"],
              commands=["pwsh -NoProfile"], resolution="Reinstall the extension."),
        issue("pwsh:completions", PAGE, "Completions are not appearing",
              ["IntelliSense shows no completions in the editor"], commands=["pwsh -NoProfile"]),
        issue("pwsh:highlight", PAGE, "Syntax highlighting is wrong",
              ["Syntax highlighting breaks on here-strings"],
              commands=["pwsh -NoProfile"]),
    ]


def unrelated(entries: int = 800) -> list[KnownIssue]:
    words = ["ledger", "invoice", "bucket", "quota", "replica", "cursor", "lease", "shard"]
    return [issue(f"other:{n}", f"docs/other{n % 40}/faq.md", f"{words[n % 8]} problem {n}",
                  [f"{words[n % 8]} {words[(n * 3) % 8]} stops at step {n}"])
            for n in range(entries)]


def twins(entries: int = 12) -> list[KnownIssue]:
    return [issue(f"inc:{n}", "incidents/growth-incidents.md",
                  f"tests/test_session.py::test_worker_{n} times out waiting",
                  [f"error: test session failed: worker timeout while waiting for the "
                   f"session test_worker_{n}", f"the worker {n} could not be started"],
                  commands=[f"pytest tests/test_session.py::test_worker_{n}"],
                  resolution=f"Raise the session timeout of test_worker_{n}.")
            for n in range(entries)]


def candidates(index: MatchIndex) -> set[str]:
    view = view_excerpt(split_lines(LOG), None)
    found = retrieval.retrieve(index.compiled, view.postings, set(), set())
    return {index.compiled.issue_ids[o] for o in found.ordinals}


def knowledge_base() -> list[KnownIssue]:
    return [*page(), *twins(), *unrelated(), *fillers()]


def test_the_issue_quoting_the_log_s_rare_terms_is_a_candidate(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retrieval, "CANDIDATES", 4)
    index = MatchIndex.build(knowledge_base())
    assert "pwsh:language-service" in candidates(index)
    # Scored in full, and listed (the twins echo the repeated line better: that is ranking's).
    assert "pwsh:language-service" in [m.id for m in index.rank(LOG, limit=20).matches]


def test_without_the_rare_terms_the_twins_fill_the_candidates(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retrieval, "CANDIDATES", 4)
    monkeypatch.setattr(retrieval, "RARE_CANDIDATES", 0)
    index = MatchIndex.build(knowledge_base())
    assert "pwsh:language-service" not in candidates(index)
    assert "pwsh:language-service" not in [m.id for m in index.rank(LOG, limit=20).matches]


def test_a_small_knowledge_base_ranks_as_before() -> None:
    # Fewer issues share a term than are scored anyway: every one is a candidate.
    index = MatchIndex.build([*page(), *fillers()])
    assert index.rank(LOG).matches[0].id == "pwsh:language-service"
