"""Messages with their variable parts masked (``templates``, the rank8f pass of issue 8): the
error text a heading or a symptom quotes, found on a log line with other values in its slots;
only on the page of the tool the log names; and an operating system's message on another
tool's page, which says what kind of failure and not whose.

A small knowledge base written for these tests: a test runner's page whose heading is the
message ``Cannot find module './relative-path'``, beside other tools' pages that speak of
modules too; a Python page quoting an ``AttributeError`` with its own values; a web server's
page quoting its start-up failure ``listen tcp:0.0.0.0:8080: bind: address is already in
use`` and a sidecar tool's page that does not.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knownfix.core.match import MatchIndex
from knownfix.core.match import lexical as lexical_module
from knownfix.core.match.excerpt_view import view_excerpt
from knownfix.core.match.layered import corroborated
from knownfix.core.match.lexical import TOOL_NAMED, LexicalEvidence, PhraseHit
from knownfix.core.match.phrases import Phrase, fold_literal
from knownfix.core.match.templates import find, templates
from knownfix.core.match.tokens import errno_message_words
from knownfix.core.records import KnownIssue
from match_helpers import issue

RUNNER = "docs/vtest/common-errors.md"
RAN = ["vtest run"]
OTHER_TOOLS = ("sitegen", "bundlr", "pkgtool", "imgconv", "dbsync", "webcache")


def runner_page() -> list[KnownIssue]:
    return [
        issue("vt:alias", RUNNER, "Cannot find module './relative-path'",
              ["Cannot find module './relative-path'"], commands=RAN,
              resolution="Configure resolve.alias for the test runner."),
        issue("vt:mock", RUNNER, "Mock was already loaded",
              ["vtest mock already imported by another module"], commands=RAN),
        issue("vt:worker", RUNNER, "Failed to terminate worker",
              ["vtest failed to terminate worker while running"], commands=RAN),
    ]


def other_pages() -> list[KnownIssue]:
    """Pages of other tools that speak of missing modules in their own words."""
    out = []
    for tool in OTHER_TOOLS:
        path = f"docs/{tool}/faq.md"
        out.append(issue(f"{tool}:module", path, f"{tool} misses a module",
                         [f"{tool} reports a module missing after an upgrade"]))
        for k in range(2):
            out.append(issue(f"{tool}:{k}", path, f"{tool} problem {k}",
                             [f"{tool} stops while reading the config file {k}"],
                             commands=[f"{tool} build --verbose"]))
    return out


ALIAS_LOG = ("$ npx vtest run\n RUN  v1.6.0 /app\n"
             " FAIL  src/cart/total.test.ts\n"
             "Error: Cannot find module '@/lib/money' imported from '/app/src/cart/total.ts'\n")


@pytest.mark.parametrize(("text", "line", "constant"), [
    ("Cannot find module './relative-path'",
     "error: cannot find module '@/lib/money' imported from '/app/x.ts'", "cannot find module"),
    ("Operation ... timed out after 10000 ms",
     "mongooseerror: operation `customers.find()` buffering timed out after 10000ms",
     "operation timed out after ms"),
    ("macOS: 'No module named XYZ' errors after running the build",
     "/usr/bin/python3: no module named twine", "no module named"),
    ("Cannot find package 'X'", "cannot find package 'preact' imported from /a/b.js",
     "cannot find package"),
    ("document (or window) is not defined", "referenceerror: document is not defined",
     "document is not defined"),
    ("document (or window) is not defined", "document (or window) is not defined here",
     "document is not defined"),
    ("PHP Fatal error: Allowed memory size of <N> bytes exhausted",
     "php fatal error: allowed memory size of 134217728 bytes exhausted (tried to allocate 20480)",
     "php fatal error: allowed memory size of bytes exhausted"),
])
def test_a_message_is_found_with_other_values_in_its_slots(
        text: str, line: str, constant: str) -> None:
    found = find(text, f"some other line\n{fold_literal(line)}")
    assert found is not None
    assert found[0] == 1
    assert found[1] == constant


@pytest.mark.parametrize(("text", "line"), [
    # The words around the slot must be printed in order, on one line.
    ("Cannot find module './relative-path'", "cannot find the module 'x'"),
    ("Cannot find module './relative-path'", "cannot find\nmodule 'x'"),
    # A quoted value is one value: the text between two values is the message.
    ("failed calling webhook \"a\": x509: certificate is valid for \"b\"",
     "failed calling webhook \"a\": dial tcp: i/o timeout \"b\""),
])
def test_the_constant_words_must_be_printed_as_written(text: str, line: str) -> None:
    folded = "\n".join(fold_literal(part) for part in line.split("\n"))
    assert find(text, folded) is None


@pytest.mark.parametrize("text", [
    "Cannot find module",               # no slot: found as written, or not
    "Error X",                          # one word and a slot is never a message
    "A cask checksum does not match",   # "A" and "I" are words, not placeholders
    "call render() twice",              # a call's parentheses are no aside
    "'x'",
    "",
])
def test_no_template_without_a_slot_and_two_words_around_it(text: str) -> None:
    assert templates(text) == ()


def test_a_heading_quoting_the_message_is_found_by_its_quote() -> None:
    made = {constant for _, constant, _ in
            templates("Windows: 'No module named XYZ' errors after running cibuildwheel")}
    assert "no module named" in made


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_templates_never_raise(text: str, log: str) -> None:
    for pattern, constant, terms in templates(text):
        assert pattern.pattern
        assert isinstance(constant, str)
        assert len(terms) >= 2
    found = find(text, fold_literal(log))
    assert found is None or 0 <= found[0] <= log.count("\n") + log.count("\r") + 2


def test_the_runner_page_heading_is_known_through_its_slot(
        monkeypatch: pytest.MonkeyPatch) -> None:
    index = MatchIndex.build([*runner_page(), *other_pages()])
    result = index.rank(ALIAS_LOG, commands=["npx vtest run"])
    assert result.matches[0].id == "vt:alias"
    assert result.known
    # Without the slot, the log shares one common word with the heading ("missing"): the
    # right entry is not known.
    monkeypatch.setattr(lexical_module, "find_template", lambda text, folded: None)
    again = MatchIndex.build([*runner_page(), *other_pages()])
    assert not again.rank(ALIAS_LOG, commands=["npx vtest run"]).known


def test_a_generic_message_with_other_values_is_not_known_without_the_tool() -> None:
    # A Python page quotes its AttributeError with its own values; a log of the same message
    # about another object, naming no tool, is another failure.
    page = [
        issue("py:loop", "docs/worker/issues.md", "Worker loop AttributeError",
              ["Worker crashed with `AttributeError: 'NoneType' object has no attribute "
               "'send'` inside asyncio/proactor_events.py"]),
        issue("py:enum", "docs/worker/issues.md", "Enum attribute logic error",
              ["Task failed with `AttributeError: type object 'Status' has no attribute "
               "'HIGH'`"]),
        issue("py:pool", "docs/worker/issues.md", "Connection pool warning",
              ["QueuePool limit of size 5 overflow 10 reached"]),
        issue("py:beat", "docs/worker/issues.md", "Scheduler skips beats",
              ["beat scheduler skipped a run after daylight saving"]),
        issue("py:mem", "docs/worker/issues.md", "Memory grows",
              ["resident memory grows by 40 MB an hour under load"]),
        issue("py:tz", "docs/worker/issues.md", "Timestamps off by an hour",
              ["report timestamps shifted by one hour in the summer"]),
    ]
    log = ("Traceback (most recent call last):\n"
           '  File "/srv/shop/handlers/orders.py", line 63, in serialize\n'
           '    return {"id": order.id}\n'
           "AttributeError: 'dict' object has no attribute 'id'\n")
    index = MatchIndex.build([*page, *other_pages()])
    assert index.compiled.context.match("docs/worker/issues.md", view_excerpt(
        log.splitlines()).terms)[0] < TOOL_NAMED  # the log names no tool of the page
    assert not index.rank(log).known


def test_errno_message_words() -> None:
    words = errno_message_words("listen tcp:0.0.0.0:8080: bind: address is already in use")
    assert {"address", "alreadi"} <= words
    assert "listen" not in words
    assert "bind" not in words
    assert errno_message_words("Cannot find module 'x'") == frozenset()


@pytest.mark.parametrize(("info", "beyond", "expected"), [
    (2.8, 1.8, False),  # "listen tcp …: bind: address already in use": the OS message's words
    (2.8, 2.4, True),   # rare words of the tool's own beyond it
    (2.8, None, True),  # (no OS message in it)
])
def test_an_os_message_on_another_tools_page_needs_rare_words_beyond_it(
        info: float, beyond: float | None, expected: bool) -> None:
    phrase: Phrase = ("listen tcp: bind: address is already in use", "symptom",
                      ("listen",), ("listen",), None)
    hit = PhraseHit(phrase, line=1, score=0.97, matched=("listen",), info=info)
    ev = LexicalEvidence("doc:issue", mass=5.0, best=hit, written=hit, written_info=beyond)
    assert corroborated(ev, foreign_tool=True) is expected


def server_pages() -> list[KnownIssue]:
    web = "docs/webserve/troubleshooting.md"
    side = "docs/sidecar/common_issues.md"
    return [
        issue("web:port", web, "Server does not start",
              ["listen tcp:0.0.0.0:8080: bind: address is already in use"],
              commands=["webserve start"]),
        issue("web:tls", web, "TLS handshake fails",
              ["webserve tls handshake timeout on upstream"], commands=["webserve start"]),
        issue("web:cfg", web, "Config not reloaded",
              ["webserve ignores the reloaded config file"], commands=["webserve start"]),
        issue("side:init", side, "sidecar init fails without docker",
              ["sidecar cannot connect to the docker daemon"], commands=["sidecar init"]),
        issue("side:id", side, "sidecar app id missing",
              ["sidecar service invocation fails without an app id"], commands=["sidecar run"]),
        issue("side:cert", side, "sidecar certificate expired",
              ["sidecar mTLS certificate expired"], commands=["sidecar run"]),
    ]


SIDECAR_LOG = ("$ sidecar run --app-id inventory --app-port 6002 -- python3 app.py\n"
               "Starting sidecar with id inventory. HTTP Port: 3500\n"
               "FATA Fatal error from runtime: failed to start HTTP server: could not listen "
               "on any endpoint: listen tcp 127.0.0.1:3500: bind: address already in use\n"
               "The sidecar process exited with error code: exit status 1\n")


def network_pages() -> list[KnownIssue]:
    """Other tools' entries about sockets: listening, TCP and binding are common words here,
    an address already in use is not."""
    return [issue(f"{tool}:net", f"docs/{tool}/faq.md", f"{tool} network",
                  [f"{tool} cannot listen on its tcp port: bind refused by the firewall"])
            for tool in OTHER_TOOLS]


def test_another_tools_os_message_is_not_whose_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    kb = [*server_pages(), *other_pages(), *network_pages()]
    index = MatchIndex.build(kb)
    result = index.rank(SIDECAR_LOG, commands=["sidecar run --app-id inventory"])
    assert not result.known
    # Without reading past the OS message, the web server's entry is called known.
    monkeypatch.setattr(lexical_module, "errno_message_words", lambda text: frozenset())
    again = MatchIndex.build(kb)
    assert again.rank(SIDECAR_LOG, commands=["sidecar run --app-id inventory"]).known
