"""The default policy on crashes and connection failures in the runtimes' and libraries' own words.

Shells report a job killed by a signal by the signal's name (``Floating point exception``,
``Trace/breakpoint trap``), glibc and C's ``assert`` abort with a header of their own, and R,
Ruby, PHP, GHC and V8 print their crash reports; resolvers and TLS stacks (old curl, musl,
.NET, wget, GnuTLS, OpenSSL, Node, Haskell's http-client) word a failed connection their own
way. Each output is written here from the tool's documented format, not from a benchmark log.
"""

from __future__ import annotations

import pytest

from knownfix.core.policy import FailureFacts, default_policy

CASES: list[tuple[str, str]] = [
    ("crash", "/home/travis/.travis/functions: line 104:  4242 Floating point exception(core "
              "dumped) ./bin/solver input.txt"),
    ("crash", "./run.sh: line 3:  911 Trace/breakpoint trap   ./test_runner"),
    ("crash", "*** Error in `./widget_test': free(): invalid next size (fast): 0x0000000001c2a010 "
              "***\n======= Backtrace: ========="),
    ("crash", "widget_test: src/tree.c:88: tree_insert: Assertion `node != NULL' failed."),
    ("crash", "pure virtual method called\nterminate called without an active exception"),
    ("crash", "  Running 'testthat.R'\n *** caught segfault ***\naddress 0x10, cause 'memory not "
              "mapped'"),
    ("crash", "lib/nokogiri.rb:32: [BUG] object allocation during garbage collection phase"),
    ("crash", "zend_mm_heap corrupted"),
    ("crash", "widget-test: internal error: evacuate: strange closure type 15\n    (GHC version "
              "8.0.2 for x86_64_unknown_linux)\n    Please report this as a GHC bug:  "
              "http://www.haskell.org/ghc/reportabug"),
    ("crash", "FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal.\n 1: node::Abort() [node]"),
    ("network", "curl: (6) Couldn't resolve host 'github.com'"),
    ("network", "ping: example.org: Name does not resolve"),
    ("network", "System.Net.WebException: The remote name could not be resolved: "
                "'api.example.org'"),
    ("network", "Connecting to releases.example.org (releases.example.org)|151.101.33.183|:443... "
                "connected.\nUnable to establish SSL connection."),
    ("network", "fatal: unable to access 'https://gitlab.example.org/x/y.git/': gnutls_handshake() "
                "failed: Error in the pull function."),
    ("network", "Error: unable to verify the first certificate\n  code: "
                "'UNABLE_TO_VERIFY_LEAF_SIGNATURE'"),
    ("network", "uncaught exception: HttpException (HttpExceptionRequest Request { host = "
                "\"hackage.example.org\" } (ConnectionFailure Network.BSD.getProtocolByName: does "
                "not exist))"),
    ("network", "SSL_connect returned=1 errno=0 state=error: error:14090086:SSL "
                "routines:ssl3_get_server_certificate:certificate verify failed"),
]

# The same words where they name no failure of this kind: a test that checks a crash or a
# connection is a failing test when its runner reports it.
NEGATIVES: list[tuple[str, str]] = [
    ("test", "  1) client\n       rejects a host that does not resolve:\n     AssertionError: "
             "expected 'Name does not resolve' to equal 'ENOTFOUND'\n\n  1 failing"),
    ("test", "=== RUN   TestDivide\n--- FAIL: TestDivide (0.00s)\n    div_test.go:9: want "
             "\"Floating point exception\", got \"\"\nFAIL"),
]


@pytest.mark.parametrize(("category", "text"), CASES + NEGATIVES,
                         ids=[f"{c}-{i}" for i, (c, _) in enumerate(CASES + NEGATIVES)])
def test_output_is_named(category: str, text: str) -> None:
    assert default_policy().decide(FailureFacts(text=text)).category == category, text
