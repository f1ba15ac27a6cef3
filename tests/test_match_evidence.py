"""What counts as evidence of which failure: error codes, another tool's message told alike,
a wrapper message every sibling quotes, placeholders a document writes where the log prints
its own values.

Small knowledge bases written for these tests (a package manager that names its failures by
HRESULT, a launcher and a library that both document "CUDA out of memory").
"""

from __future__ import annotations

import pytest

from knownfix.core.match import MatchIndex
from knownfix.core.match.excerpt_view import view_excerpt
from knownfix.core.match.layered import (
    FOREIGN_PENALTY,
    FOREIGN_UNTOLD,
    KNOWN_MARGIN,
    lexical_score,
)
from knownfix.core.match.lexical import CODE_INFO, LexicalEvidence, PhraseHit
from knownfix.core.match.phrases import make_phrase
from knownfix.core.match.siblings import SHARED_SHARE, rank_siblings, shared_phrases
from knownfix.core.match.tokens import tokenize
from knownfix.core.records import KnownIssue
from match_helpers import issue


def fillers() -> list[KnownIssue]:
    """Unrelated documents, so that the tools below are rare words of the knowledge base."""
    out = []
    for tool in ("sitegen", "tracer", "pkgtool"):
        for k in range(3):
            out.append(issue(f"{tool}:{k}", f"docs/{tool}/faq.md", f"{tool} problem {k}",
                             [f"{tool} stops while reading the config file {k}"],
                             commands=[f"{tool} build --verbose"]))
    return out


def installer_doc() -> list[KnownIssue]:
    path = "docs/getpkg/README.md"
    run = ["getpkg source reset --force"]
    return [
        # Headings that are only the code: the code is the whole message.
        issue("gp:do", path, "Error 0x801901a0", ["Error 0x801901a0"], commands=run,
              resolution="Use the wininet downloader in the getpkg settings."),
        issue("gp:net", path, "Error 0x80072efd", ["Error 0x80072efd"], commands=run,
              resolution="Check the proxy."),
        issue("gp:silent", path, "Executing getpkg exits with no message",
              ["Executing getpkg exits with no message"], commands=run),
        issue("gp:help", path, "Executing getpkg doesn't display help",
              ["Executing getpkg doesn't display help"], commands=run),
    ]


def test_an_error_code_both_sides_print_is_worth_two_rare_terms() -> None:
    index = MatchIndex.build([*installer_doc(), *fillers()])
    phrase = make_phrase("Error 0x801901a0", "symptom")
    assert phrase is not None
    printed = view_excerpt(["An unexpected error occurred: 0x801901a0 : unknown error"])
    hit = index.lexical.phrase_hit(phrase, printed)
    assert hit is not None
    one = index.lexical.information(phrase.terms)
    assert hit.info == pytest.approx(CODE_INFO * one)


def test_a_code_many_issues_print_counts_once() -> None:
    many = [issue(f"npm:{k}", f"docs/npm{k % 4}/faq.md", f"peer dependency {k} conflicts",
                  ["npm ERR! code ERESOLVE", f"could not resolve peer package{k}"])
            for k in range(30)]
    index = MatchIndex.build([*many, *fillers()])
    phrase = make_phrase("npm ERR! code ERESOLVE", "symptom")
    assert phrase is not None
    hit = index.lexical.phrase_hit(phrase, view_excerpt(["npm ERR! code ERESOLVE"]))
    assert hit is not None
    assert hit.info == pytest.approx(index.lexical.information(phrase.terms))


def test_a_heading_that_is_an_error_code_is_known_from_the_code_alone() -> None:
    log = ("PS C:\\Users\\build> getpkg install --id Git.Git -e\n"
           "Found Git [Git.Git] Version 2.45.1\n"
           "An unexpected error occurred while executing the command:\n"
           "0x801901a0 : unknown error\n")
    result = MatchIndex.build([*installer_doc(), *fillers()]).rank(log)
    assert result.matches[0].id == "gp:do"
    assert result.known


def test_a_log_without_the_code_is_not_that_code() -> None:
    log = ("PS C:\\Users\\build> getpkg install --id Git.Git -e\n"
           "An unexpected error occurred while executing the command:\n"
           "0x80070005 : access denied\n")
    result = MatchIndex.build([*installer_doc(), *fillers()]).rank(log)
    assert not result.known


@pytest.mark.parametrize(("doc_text", "counts_twice"), [
    ("Error: ENOSPC watching files", True),
    # The document says it in words: the words are the evidence, the folded code is not more.
    ("No space left on device", False),
])
def test_an_errno_code_counts_as_a_code_only_when_the_document_prints_it(
        doc_text: str, counts_twice: bool) -> None:
    index = MatchIndex.build([issue("w:1", "docs/w/faq.md", doc_text, [doc_text]),
                              *fillers()])
    phrase = make_phrase(doc_text, "symptom")
    assert phrase is not None
    hit = index.lexical.phrase_hit(
        phrase, view_excerpt(["Error: watch /srv/app/src ENOSPC: no space left on device"]))
    assert hit is not None
    assert "enospc" in hit.matched
    words_only = index.lexical.information(hit.matched)  # an errno term counts nothing there
    assert (hit.info > words_only) is counts_twice


def gpu_docs() -> list[KnownIssue]:
    launcher, library = "docs/launchkit/troubleshooting.md", "docs/modelib/troubleshooting.md"
    # Other pages print the message too: it is a common one, not a rare one.
    common = [issue(f"{tool}:oom", f"docs/{tool}/faq.md", f"{tool} runs out of memory",
                    [f"{tool} worker: CUDA out of memory"]) for tool in ("sitegen", "tracer")]
    return [*common,
        issue("lk:oom", launcher, "Training stops on one device", ["CUDA out of memory"],
              commands=["launchkit run train.py"],
              resolution="Lower the batch size given to launchkit."),
        issue("lk:nccl", launcher, "NCCL timeout", ["Watchdog caught collective operation"],
              commands=["launchkit run train.py"]),
        issue("lk:shape", launcher, "Mismatched tensor shapes", ["shapes do not match"],
              commands=["launchkit config"]),
        # The same short message, and more words of the log around it (GPU, allocate, total
        # capacity) in its fix: told alike, nothing of its own echoed whole.
        issue("ml:oom", library, "CUDA out of memory", ["CUDA out of memory"],
              commands=["modelib-cli env"],
              root_cause="torch tried to allocate more than is free of the GPU's total "
                         "capacity, or the free GPU memory is fragmented by torch.",
              resolution="Tried to allocate more than the GPU's total capacity of free memory: "
                         "use a smaller modelib model or torch.float16 weights."),
        issue("ml:import", library, "ImportError", ["cannot import name from modelib"],
              commands=["modelib-cli env"]),
        issue("ml:offline", library, "Offline mode", ["modelib cannot reach the hub"],
              commands=["modelib-cli env"]),
    ]


def test_another_tools_message_told_alike_ranks_below_the_named_tools_own() -> None:
    log = ("$ launchkit run --num_processes 2 train.py\n"
           "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a "
           "total capacity of 23.64 GiB of which 1.2 GiB is free.\n")
    result = MatchIndex.build([*gpu_docs(), *fillers()]).rank(log)
    own, alike = result.matches[0], result.matches[1]
    assert (own.id, alike.id) == ("lk:oom", "ml:oom")
    # Clearly ahead: told alike (nothing of its own echoed whole) costs twice the penalty.
    assert own.score - alike.score >= KNOWN_MARGIN


def test_a_foreign_issue_told_alike_loses_twice_the_foreign_penalty() -> None:
    ev = LexicalEvidence("doc:issue", bm25=4.0, mass=3.0, coverage=0.5, telling=0.9)
    plain = lexical_score(ev, 1.0)
    assert lexical_score(ev, 1.0, foreign=True) == pytest.approx(plain - FOREIGN_PENALTY)
    assert lexical_score(ev, 1.0, foreign=True, vouched=False) == pytest.approx(
        plain - FOREIGN_UNTOLD)


@pytest.mark.parametrize("placeholder", ["XXXXXX", "xxxx", "nnnn", "YYYY", "zzzzz"])
def test_placeholder_runs_are_not_terms(placeholder: str) -> None:
    terms = tokenize(f"PHP Fatal error: Allowed memory size of {placeholder} bytes exhausted")
    assert placeholder.lower() not in terms
    assert {"memori", "exhaust"} <= set(terms)
    assert "xylophon" in tokenize("xylophone")  # a word that starts like one stays a term


def echoed(text: str, score: float, origin: str = "symptom") -> PhraseHit:
    phrase = make_phrase(text, origin)
    assert phrase is not None
    return PhraseHit(phrase, line=1, score=score, matched=phrase.terms, info=2.0)


def test_a_wrapper_siblings_share_counts_half_and_the_document_keeps_its_best() -> None:
    wrapper = 'Internal error occurred: failed calling webhook "validate.gatekeeper.io"'
    timeout = LexicalEvidence("gk:timeout", telling=1.0, tool=1.0, hits=(
        echoed(wrapper, 1.0), echoed("dial tcp 10.0.0.69:443: i/o timeout", 0.8)))
    x509 = LexicalEvidence("gk:x509", telling=1.0, tool=1.0, hits=(
        echoed(wrapper, 1.0), echoed("x509: certificate signed by unknown authority", 0.2)))
    twin = LexicalEvidence("gk:x509-again", telling=1.0, tool=1.0, hits=x509.hits)
    alone = LexicalEvidence("db:other", telling=1.0, tool=1.0, hits=(echoed(wrapper, 1.0),))
    assert shared_phrases([x509, twin]) == frozenset()  # one entry twice: not siblings
    shared = shared_phrases([timeout, x509, twin])
    assert shared == {make_phrase(wrapper, "symptom").terms}  # type: ignore[union-attr]
    rank_siblings([("webhook.md", timeout), ("webhook.md", x509), ("webhook.md", twin),
                   ("errors.md", alone)])
    # The sibling that echoes its own line keeps what the document had; the others drop by
    # what they lack of it; another document's lone candidate is untouched.
    assert timeout.telling == 1.0
    lift = 1.0 - (SHARED_SHARE * 1.0 + (1 - SHARED_SHARE) * 0.8)
    assert x509.telling == pytest.approx(SHARED_SHARE * 1.0 + (1 - SHARED_SHARE) * 0.2 + lift)
    assert alone.telling == 1.0


def test_siblings_are_ranked_by_what_follows_the_wrapper_they_share() -> None:
    path = "docs/gatekeeper/webhook.md"
    shared = 'Internal error occurred: failed calling webhook "validate.gatekeeper.io"'
    run = ["gkctl check api"]
    issues = [
        issue("gk:expired", path, "Error 6: x509: certificate has expired or is not yet valid",
              [shared, "x509: certificate has expired or is not yet valid"], commands=run),
        issue("gk:valid-for", path, "Error 3: x509: certificate is valid for xxx.internal",
              [shared, "x509: certificate is valid for xxx.internal, not gk-webhook.gk.svc"],
              commands=run),
        issue("gk:timeout", path, "Error 2: i/o timeout",
              [shared, "dial tcp 10.0.0.69:443: i/o timeout"], commands=run),
        *fillers(),
    ]
    log = ('Error from server (InternalError): Internal error occurred: failed calling webhook '
           '"validate.gatekeeper.io": Post "https://gk-webhook.gk.svc:443/validate": tls: '
           'x509: certificate is valid for ip-10-0-1-5.ec2.internal, not gk-webhook.gk.svc\n')
    assert MatchIndex.build(issues).rank(log).matches[0].id == "gk:valid-for"
