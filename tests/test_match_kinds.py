"""What says which entry when the wording says little: the log's tool and a kind of failure
that one entry of that tool's page alone names (issue 9), a message printed as written
against a runner-up that echoes one word of it; and what says it is not that entry: a log of
the tool failing of a kind the entry never speaks of.

A small knowledge base written for these tests: a test runner's page whose one entry is about
a segfault, beside pages of other tools that mention segfaults too (so that the message is
common, the score modest, and only the tool and the page tell).
"""

from __future__ import annotations

import pytest

import knownfix.core.match as match_module
from knownfix.core.match import MatchIndex
from knownfix.core.match import compiled as compiled_module
from knownfix.core.match.compiled import CompiledIndex
from knownfix.core.match.excerpt_view import view_excerpt
from knownfix.core.match.issue_doc import IssueDoc
from knownfix.core.match.kinds import failure_kind, other_kind, what_happened
from knownfix.core.match.layered import (
    CONFIDENT_MASS,
    KIND_THRESHOLD,
    KNOWN_MARGIN,
    KNOWN_THRESHOLD,
    TWIN_MARGIN,
    Scored,
    confident_lexical,
    decide_known,
)
from knownfix.core.match.lexical import LexicalEvidence
from knownfix.core.match.phrases import prepare_issue
from knownfix.core.records import KnownIssue
from match_helpers import issue

RUNNER = "docs/vtest/common-errors.md"
RAN = ["vtest run --pool forks"]
SEGFAULT_LOG = ("$ npx vtest run\n RUN  v1.6.0 /app\n ✓ src/a.test.ts (3 tests)\n"
                "Segmentation fault (core dumped)\n")
OTHER_TOOLS = ("sitegen", "tracer", "pkgtool", "imgconv", "dbsync", "webcache", "mailer",
               "queuer", "resizer", "notifier")


def runner_page(*, crash_sibling: bool = False) -> list[KnownIssue]:
    page = [
        issue("vt:segv", RUNNER, "Segfaults in native modules",
              ["Segmentation fault (core dumped)"], commands=RAN,
              resolution="Run vtest with --pool forks."),
        issue("vt:mock", RUNNER, "Mock was already loaded",
              ["vtest mock already imported by another module"], commands=RAN),
        issue("vt:worker", RUNNER, "Failed to terminate worker",
              ["vtest failed to terminate worker while running"], commands=RAN),
    ]
    if crash_sibling:
        page.append(issue("vt:gc", RUNNER, "Worker crashed in the garbage collector",
                          ["vtest worker exited: Segmentation fault during collection"],
                          commands=RAN))
    return page


def other_pages() -> list[KnownIssue]:
    """Ten pages that mention a segfault too; three of them with three more entries (so that
    their tools are learned), seven of one entry."""
    out = []
    for n, tool in enumerate(OTHER_TOOLS):
        path = f"docs/{tool}/faq.md"
        out.append(issue(f"{tool}:crash", path, f"{tool} crashes on start",
                         [f"{tool} exits with Segmentation fault (core dumped) on start"]))
        for k in range(3 if n < 3 else 0):
            out.append(issue(f"{tool}:{k}", path, f"{tool} problem {k}",
                             [f"{tool} stops while reading the config file {k}"],
                             commands=[f"{tool} build --verbose"]))
    return out


def ranked(index: MatchIndex, log: str, commands: list[str],
           monkeypatch: pytest.MonkeyPatch) -> tuple[bool, list[Scored]]:
    """The verdict and the scored candidates ``decide_known`` saw."""
    seen: list[list[Scored]] = []
    decide = match_module.decide_known

    def spy(candidates: list[Scored]) -> bool:
        seen.append(candidates)
        return decide(candidates)

    monkeypatch.setattr(match_module, "decide_known", spy)
    result = index.rank(log, commands=commands)
    return result.known, seen[-1]


@pytest.mark.parametrize(("term_line", "term", "kind"), [
    ("ImportError: cannot import name '_C'", "importerror", True),
    ("Error 0x80072efd", "0x80072efd", True),
    ("listen tcp :443: bind: permission denied", "eacces", True),
    ("Cannot find module 'debug'", "miss", True),
    ("request timed out after 30s", "timeout", True),
    ("CUDA out of memory", "oom", True),
    ("Segmentation fault (core dumped)", "crash", True),
    ("Cannot find module 'debug'", "modul", False),
    ("listen tcp :443: bind: permission denied", "listen", False),
])
def test_failure_kinds_are_exception_types_codes_and_folded_concepts(
        term_line: str, term: str, kind: bool) -> None:
    view = view_excerpt([term_line])
    assert term in view.terms
    assert failure_kind(term, view) is kind


def test_a_kind_one_entry_of_a_page_names_is_alone_in_its_document() -> None:
    alone = MatchIndex.build([*runner_page(), *other_pages()])
    at = alone.ordinal["vt:segv"]
    assert alone.compiled.alone_in_document("crash", at)
    shared = MatchIndex.build([*runner_page(crash_sibling=True), *other_pages()])
    assert not shared.compiled.alone_in_document("crash", shared.ordinal["vt:segv"])
    # Other pages' segfaults do not count: only the issue's own document.
    assert shared.compiled.df("crash") > 2


@pytest.mark.parametrize("plain", [True, False])
def test_alone_in_document_reads_plain_and_numpy_arrays_alike(
        plain: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    built = MatchIndex.build([*runner_page(crash_sibling=True), *other_pages()])
    monkeypatch.setattr(compiled_module, "PLAIN_POSTINGS", 10**9 if plain else 0)
    stored = CompiledIndex.from_bytes(built.compiled.to_bytes())
    assert stored.plain is plain
    answers = {(term, issue_id): stored.alone_in_document(term, at)
               for term in ("crash", "vtest", "mock", "absent")
               for issue_id, at in built.ordinal.items()}
    assert answers[("crash", "vt:segv")] is False  # vt:gc names it too
    assert answers[("mock", "vt:mock")] is True
    assert answers[("absent", "vt:mock")] is True
    assert answers[("crash", "sitegen:crash")] is True
    assert answers == {(term, issue_id): built.compiled.alone_in_document(term, at)
                       for term, issue_id in answers
                       for at in [built.ordinal[issue_id]]}


def test_the_tool_and_a_kind_only_its_entry_names_make_a_modest_match_known(
        monkeypatch: pytest.MonkeyPatch) -> None:
    index = MatchIndex.build([*runner_page(), *other_pages()])
    known, candidates = ranked(index, SEGFAULT_LOG, ["npx vtest run"], monkeypatch)
    top = candidates[0]
    assert top.issue.id == "vt:segv"
    assert top.kind
    # Under the plain threshold: the tool and the kind are what make it known.
    assert KIND_THRESHOLD <= top.score < KNOWN_THRESHOLD
    assert known


def test_a_kind_two_entries_of_the_page_name_says_nothing_of_which(
        monkeypatch: pytest.MonkeyPatch) -> None:
    index = MatchIndex.build([*runner_page(crash_sibling=True), *other_pages()])
    known, candidates = ranked(index, SEGFAULT_LOG, ["npx vtest run"], monkeypatch)
    top = candidates[0]
    assert top.issue.id == "vt:segv"
    assert not top.kind
    assert top.score < KNOWN_THRESHOLD
    assert not known


def test_a_kind_without_the_tool_says_nothing_of_which(
        monkeypatch: pytest.MonkeyPatch) -> None:
    index = MatchIndex.build([*runner_page(), *other_pages()])
    log = "building the app\nSegmentation fault (core dumped)\n"
    known, candidates = ranked(index, log, [], monkeypatch)
    assert not any(s.kind for s in candidates)
    assert not known


def scored(issue_id: str, score: float, *, written: bool = False, one_word: bool = False,
           kind: bool = False, confident: bool = True) -> Scored:
    return Scored(issue(issue_id, f"docs/{issue_id}.md", issue_id, []), score, ("lexical",),
                  (), confident, {}, True, document=f"docs/{issue_id}.md", kind=kind,
                  written=written, one_word=one_word)


def test_the_kind_threshold_needs_the_other_gates() -> None:
    alone = [scored("a", 0.45, kind=True)]
    assert decide_known(alone)
    assert not decide_known([scored("a", 0.45)])
    assert not decide_known([scored("a", KIND_THRESHOLD - 0.01, kind=True)])
    assert not decide_known([scored("a", 0.45, kind=True, confident=False)])


def test_a_message_printed_as_written_beats_one_word_of_it() -> None:
    margin = (TWIN_MARGIN + KNOWN_MARGIN) / 2
    top, runner = 0.58, 0.58 - margin
    assert decide_known([scored("a", top, written=True), scored("b", runner, one_word=True)])
    # Either side alone is no reason: a message against another message, or one word against
    # one word, still needs the full margin.
    assert not decide_known([scored("a", top, written=True), scored("b", runner)])
    assert not decide_known([scored("a", top), scored("b", runner, one_word=True)])
    assert not decide_known([scored("a", top, written=True),
                             scored("b", top - TWIN_MARGIN / 2, one_word=True)])


def prepared(title: str, symptoms: list[str], root_cause: str = "") -> IssueDoc:
    _, doc = prepare_issue(issue("px:1", "docs/proxy/faq.md", title, symptoms,
                                 root_cause=root_cause))
    return doc


def test_a_log_that_fails_of_a_kind_the_issue_never_speaks_of_is_another_kind() -> None:
    entry = prepared("404 Not found", ["404 page not found"],
                     "A request reaching an EntryPoint that has no Routers.")
    bind = what_happened(view_excerpt(['ERR error="error while building entryPoint websecure: '
                                       'listen tcp :443: bind: permission denied"']))
    assert other_kind(bind, entry)
    # The same kind on both sides, or a log that says no kind at all, is no conflict.
    assert not other_kind(what_happened(view_excerpt(["GET /api 404 page not found"])), entry)
    assert not other_kind(what_happened(view_excerpt(["building entryPoint websecure"])), entry)
    # An issue that speaks of no kind is not contradicted by one.
    assert not other_kind(bind, prepared("Dashboard is empty", ["dashboard shows no routers"]))


def test_the_kind_is_read_anywhere_in_the_issue_not_only_its_symptom() -> None:
    # "crashes" in the symptom, "missing" in the root cause: a library the log cannot find is
    # what the issue is about (the seed documents' WeasyPrint entry).
    entry = prepared("PDF report rendering failures", ["WeasyPrint crashes on certain reports"],
                     "Missing font packages and out-of-date Cairo libraries.")
    log = what_happened(view_excerpt(["OSError: cannot load library 'gobject-2.0-0': tried: "
                                      "'gobject-2.0-0' (no such file)"]))
    assert not other_kind(log, entry)


def evidence(*, tool: float, other: bool) -> LexicalEvidence:
    return LexicalEvidence("px:1", bm25=20.0, mass=CONFIDENT_MASS + 2.0, tool=tool,
                           other_kind=other)


def test_much_shared_vocabulary_of_the_tools_page_is_not_confident_of_another_kind() -> None:
    assert confident_lexical(evidence(tool=0.8, other=False))
    assert not confident_lexical(evidence(tool=0.8, other=True))
    # Without the tool named, shared vocabulary is the team's own issue's: still confident.
    assert confident_lexical(evidence(tool=0.0, other=True))
