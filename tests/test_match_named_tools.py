"""A document too small to show its tool in its text learns it from what names it from outside:
the folder it was imported from and the programs its commands run (``context._own_terms``).

A one-entry FAQ or a single-alert runbook used to learn no tool at all, so a log naming that
tool could not corroborate a generic message the entry quotes ("Error initializing").
"""

from __future__ import annotations

import pytest

from knownfix.core.match import MatchIndex
from knownfix.core.match.context import build_context, folder_mark, folder_terms, ran_programs
from knownfix.core.match.phrases import issue_terms
from knownfix.core.match.tokens import tokenize
from knownfix.core.records import KnownIssue
from match_helpers import issue
from test_match_context import database_doc, other_docs, webhook_doc

LEDGERD_LOG = (
    'ledgerd[3121]: FTL Error initializing error="loading ACL policy: parsing policy: '
    'group \\"group:admins\\" is not defined"\n'
    "systemd[1]: ledgerd.service: Main process exited, code=exited, status=1/FAILURE\n")


def one_entry(path: str, commands: list[str] | None = None) -> KnownIssue:
    """A FAQ of one entry whose text never names its tool."""
    return issue("faq:init", path, "The server refuses to start", ["Error initializing"],
                 root_cause="The policy is checked at startup; an invalid one stops the server.",
                 commands=commands)


def rank(entry: KnownIssue, log: str) -> tuple[bool, str, float]:
    index = MatchIndex.build([entry, *database_doc(), *webhook_doc(), *other_docs()])
    result = index.rank(log)
    top = result.matches[0]
    return result.known, top.id, top.score


def test_folder_terms_are_the_folder_not_the_file_name() -> None:
    assert folder_terms("kb/ledgerd/error-initializing.md") == set(tokenize("ledgerd"))
    assert folder_terms("docs/faq.md") == set()  # "docs" names where docs live
    # A repository imported whole: its docs folder names where, the repository what.
    assert folder_terms("/home/ci/src/ledgerd/docs/faq.md") == set(tokenize("ledgerd"))


def test_a_one_entry_document_learns_its_folder_and_programs_not_its_words() -> None:
    path = "kb/ledgerd/error-initializing.md"
    entry = one_entry(path, commands=["ledgerctl policy check --file policy.json"])
    context = build_context([issue_terms(i) for i in [entry, *other_docs()]])
    learned = set(context.terms[path])
    assert set(tokenize("ledgerd ledgerctl")) <= learned
    # Its file name and its text are the failure's words, not the tool's.
    assert not learned & set(tokenize("error initializing server refuses start policy"))


def test_the_folder_names_the_tool_a_generic_message_needs() -> None:
    # Named by its folder: the log's `ledgerd[3121]` corroborates "Error initializing".
    known, top, _ = rank(one_entry("kb/ledgerd/faq.md"), LEDGERD_LOG)
    assert (known, top) == (True, "faq:init")
    # The same entry where nothing outside its text names a tool: first, but not known.
    known, top, _ = rank(one_entry("kb/faq.md"), LEDGERD_LOG)
    assert (known, top) == (False, "faq:init")


def test_another_programs_generic_message_stays_unknown() -> None:
    log = LEDGERD_LOG.replace("ledgerd", "vaultd")
    known, _, _ = rank(one_entry("kb/ledgerd/faq.md"), log)
    assert not known


@pytest.mark.parametrize(("commands", "expected"), [
    (["npx react-native start"], {"$react-native"}),
    (["sudo kind create cluster --wait 120s"], {"$kind"}),
    (["CI=1 FOO=bar make test"], {"$make"}),
    ([r"C:\tools\helm.exe upgrade --install x"], {"$helm"}),
    (["./scripts/deploy.sh prod", "kind load docker-image app"], {"$deploy.sh", "$kind"}),
    (["", "   ", "=", "42 is not a program"], set()),
])
def test_ran_programs_are_the_first_word_of_each_command(
        commands: list[str], expected: set[str]) -> None:
    assert ran_programs(commands) == expected


def test_folder_mark_is_the_folder_named_like_a_program() -> None:
    assert folder_mark("kb/react-native/troubleshooting.md") == "$react-native"
    assert folder_mark("docs/faq.md") is None
    assert folder_mark("/home/ci/src/kind/site/content/docs/known-issues.md") is None  # too far
    assert folder_mark("/home/ci/src/kind/docs/known-issues.md") == "$kind"
    assert folder_mark("faq.md") is None


def blend_kb() -> list[KnownIssue]:
    """A tool named by a word every page uses: "blend" names nothing in prose here."""
    path = "kb/blend/faq.md"
    entries = [issue(f"blend:{k}", path, f"Start fails {k}", [message])
               for k, message in enumerate(("too many open files", "failed to create cluster",
                                            "node image not found"))]
    for tool in ("painter", "mixer", "scanner"):
        entries += [issue(f"{tool}:{k}", f"kb/{tool}/faq.md", f"{tool}: {message}", [message],
                          commands=[f"{tool} render --blend"])
                    for k, message in enumerate((f"cannot blend {tool} layers with masks",
                                                 f"{tool} blend preset unknown",
                                                 "too many open files"))]
    entries.append(issue("painter:mask", "kb/painter/faq.md", "Masks out of bounds",
                         ["layer mask exceeds the canvas bounds and is clipped"]))
    return [*entries, *other_docs()]


BLEND_LOG = "level=error msg=\"watch failed\" error=\"too many open files\"\n"


def test_the_program_the_log_ran_names_a_tool_its_words_do_not() -> None:
    index = MatchIndex.build(blend_kb())
    ran = index.rank(BLEND_LOG, commands=["blend up --name ci"])
    assert (ran.known, ran.matches[0].id) == (True, "blend:0")
    # The word in prose, or a command of another program: four pages quote the message
    # and none is named.
    assert not index.rank(BLEND_LOG + "note: blend mode is off\n").known
    assert not index.rank(BLEND_LOG, commands=["make blend"]).known


def test_a_program_the_log_ran_makes_no_other_document_foreign() -> None:
    # `blend up` ran a script whose step failed with the painter page's message: the blend
    # page's mark says blend ran, not that a painter entry is another tool's failure told alike.
    index = MatchIndex.build(blend_kb())
    log = "error: layer mask exceeds the canvas bounds\n"
    result = index.rank(log, commands=["blend up"])
    assert (result.known, result.matches[0].id) == (True, "painter:mask")
