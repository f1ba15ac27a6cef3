"""Echoes that say only what kind of failure, never which one (``core/match/echoes.py`` and
``layered.decide_known``): a placeholder symptom, an error chain echoed in its wrappers only,
a message two pages quote under the other page's command.

Small knowledge bases written for these tests (a scanner whose errors wrap the cause in the
same links, a CMS tool and a package manager that both quote PHP's memory error).
"""

from __future__ import annotations

import pytest

from knownfix.core.match import MatchIndex
from knownfix.core.match.echoes import cause_missing, placeholder
from knownfix.core.match.layered import Scored, decide_known
from knownfix.core.match.lexical import PhraseHit
from knownfix.core.match.phrases import make_phrase
from knownfix.core.records import KnownIssue
from match_helpers import issue
from test_match_evidence import fillers


def hit(text: str, matched: tuple[str, ...] | None = None) -> PhraseHit:
    phrase = make_phrase(text, "symptom")
    assert phrase is not None
    terms = phrase.terms if matched is None else matched
    return PhraseHit(phrase, line=1, score=0.8, matched=terms, info=2.0)


@pytest.mark.parametrize("text", ["<WordPress function>", "`<keyboard name>`",
                                  "'<WordPress plugin slug>'."])
def test_a_slot_for_a_value_is_a_placeholder(text: str) -> None:
    assert placeholder(hit(text))


@pytest.mark.parametrize("text", ["Call to undefined function <WordPress function>",
                                  "could not execute: <preprocessor>", "Error 0x801901a0"])
def test_a_message_around_a_slot_is_not(text: str) -> None:
    assert not placeholder(hit(text))


CHAIN = ("FATAL repository scan error: scan error: unable to initialize a scanner: "
         "git clone error: write /tmp/fanal-remote")


def test_a_chain_echoed_without_its_last_link_misses_its_cause() -> None:
    wrappers = ("repositori", "scan", "initializ", "scanner", "git", "clon")
    assert cause_missing(hit(CHAIN, wrappers))
    assert not cause_missing(hit(CHAIN, (*wrappers, "tmp")))  # the cause is there


@pytest.mark.parametrize("text", [
    "PHP Fatal error: Allowed memory size of 999999 bytes exhausted",  # a prefixed message
    "error: in triplet arm-windows: Unable to find a valid toolchain",  # three links
])
def test_a_message_with_a_prefix_is_no_chain(text: str) -> None:
    phrase = make_phrase(text, "symptom")
    assert phrase is not None
    assert not cause_missing(hit(text, phrase.terms[:2]))


def scanner_doc() -> list[KnownIssue]:
    path, run = "docs/scanr/troubleshooting.md", ["scanr repo https://example.org/x.git"]
    return [
        issue("sc:tmp", path, "Problems with /tmp on remote repository scans", [CHAIN],
              commands=run, resolution="Set TMPDIR to a larger directory."),
        issue("sc:db", path, "Old DB schema", ["scanr db schema is too old"], commands=run),
        issue("sc:jar", path, "Unable to open JAR files", ["scanr cannot open jar"],
              commands=run),
    ]


def test_another_failure_behind_the_same_wrappers_is_not_known() -> None:
    index = MatchIndex.build([*scanner_doc(), *fillers()])
    other = ("$ scanr repo https://example.org/acme/inventory.git\n"
             "FATAL repository scan error: scan error: unable to initialize a scanner: "
             "git clone error: GET https://api.example.org/repos/acme: 403 quota exceeded\n")
    result = index.rank(other)
    assert result.matches
    assert result.matches[0].id == "sc:tmp"
    assert not result.known
    same = other.replace("GET https://api.example.org/repos/acme: 403 quota exceeded",
                         "write /tmp/fanal-remote-1234: no space left on device")
    result = index.rank(same)
    assert result.matches[0].id == "sc:tmp"
    assert result.known


def test_a_placeholder_echoed_is_not_known() -> None:
    path, run = "docs/cmsctl/common-issues.md", ["cmsctl core update"]
    docs = [issue("cms:undef", path, "PHP Fatal error: Call to undefined function "
                  "<WordPress function>", ["<WordPress function>"], commands=run),
            issue("cms:root", path, "Running as root", ["cmsctl refuses to run as root"],
                  commands=run),
            issue("cms:db", path, "Can't connect to the database",
                  ["Error establishing a database connection"], commands=run)]
    index = MatchIndex.build([*docs, *fillers()])
    log = "Error: This does not seem to be a WordPress installation.\n"
    result = index.rank(log)
    assert result.matches
    assert result.matches[0].id == "cms:undef"
    assert not result.known


def scored(document: str, ran: float, strong: dict[str, float], score: float) -> Scored:
    doc_issue = issue(f"{document}:mem", f"docs/{document}/faq.md", "memory", ["memory"])
    return Scored(doc_issue, score, ("lexical",), (), confident=True, strong=strong,
                  corroborated=True, ran=ran, document=document)


MESSAGE = {"allow": 0.43, "memori": 0.54, "exhaust": 0.79, "allocat": 0.7}


def test_a_message_two_pages_quote_belongs_to_the_command_that_ran() -> None:
    cms = scored("cmsctl", 0.0, MESSAGE, 0.81)
    pkg = scored("pkgmgr", 0.79, MESSAGE, 0.70)
    assert not decide_known([cms, pkg])  # `$ pkgmgr update` ran: the other page's failure
    assert decide_known([scored("cmsctl", 0.72, MESSAGE, 0.81), pkg])  # both ran
    assert decide_known([cms, scored("pkgmgr", 0.0, MESSAGE, 0.70)])  # no command says
    # Another message on the other page: the command alone does not make the top doubtful.
    assert decide_known([cms, scored("pkgmgr", 0.79, {"proc_open": 1.0}, 0.70)])
