"""The default policy on test processes that died under their build tool, database errors in
more drivers' words, and service rate limits (issue 9, branch cat9j).

A build tool or IDE runner reports that the process running the tests died rather than that a
test failed: Gradle's forked executor ends with a signal's exit value, XCTest restarts after a
crash, SwiftPM's test process exits with a signal, Swift's runtime traps with ``x.swift:42:
Fatal error:`` (which a compile rule read as a compiler's ``error:``), a JVM thread overflows its
stack, cargo's subcommand fails with a signal. A database shows in Erlang's tuples, Spring's and
Ecto's words and Rails' older pending-migration check; an API's rate limit (GitHub answers 403)
is the service refusing for now, not the credentials. Each output is written here from the
tool's documented format, not copied from a benchmark log.
"""

from __future__ import annotations

import pytest

from knownfix.core.policy import FailureFacts, default_policy

CASES: list[tuple[str, str]] = [
    ("crash", "> Task :core:test FAILED\n\nFAILURE: Build failed with an exception.\n\n"
              "* What went wrong:\nExecution failed for task ':core:test'.\n> Process 'Gradle "
              "Test Executor 2' finished with non-zero exit value 139"),
    ("crash", "Test Case '-[WidgetTests testRender]' started.\nRestarting after unexpected exit "
              "or crash in WidgetTests/testRender(); summary will include totals from previous "
              "launches.\n** TEST FAILED **"),
    ("crash", "Test Suite 'All tests' started\nerror: Exited with signal code 11"),
    ("crash", "Sources/Widget/Layout.swift:88: Fatal error: Index out of range\n"
              "error: Exited with unexpected signal code 4"),
    ("crash", "lein test widget.core-test\nException in thread \"main\" java.lang."
              "StackOverflowError\n\tat clojure.lang.RT.seq(RT.java:531)\nTests failed."),
    ("crash", "    Jest worker encountered 4 child process exceptions, exceeding retry limit\n\n"
              "Test Suites: 1 failed, 3 passed, 4 total"),
    ("crash", "$ cargo build\nsubcommand failed with signal: 11"),
    ("database", "%%% widget_SUITE ==> init_per_suite: FAILED\n{badmatch,{error,{failed_to_"
                 "connect,\"localhost\",5432,econnrefused}}}"),
    ("database", "Tests in error:\n  OrderRepositoryTest.save » CannotGetJdbcConnection Failed "
                 "to obtain JDBC Connection\nTests run: 3, Failures: 0, Errors: 1, Skipped: 0"),
    ("database", "** (Mix) The database for Widget.Repo couldn't be created: killed"),
    ("database", "rm -rf spec/reports\nRun `rake db:migrate` to update your database then try "
                 "again.\nYou have 3 pending migrations:\n  20200101000000 CreateWidgets"),
    ("network", "HttpError: API rate limit exceeded for installation ID 42.\n  status: 403,"),
    ("network", "github.GithubException.RateLimitExceededException: 403 {\"message\": \"You "
                "have exceeded a secondary rate limit.\"}"),
]

# The same words where they name no failure of this kind.
NEGATIVES: list[tuple[str, str]] = [
    # a compiler's own `fatal error:` at a Swift source line is still a compile error
    ("compile", "Sources/Widget/Layout.swift:12:8: error: cannot find 'frame' in scope"),
    ("compile", "src/widget.c:9:3: error: use of undeclared identifier 'frame'\n"
                "src/widget.c:40:1: fatal error: too many errors emitted, stopping now"),
    # a test that checks a rate-limit message is a failing test when its runner reports it
    ("test", "  1) client\n       retries on 429:\n     AssertionError: expected 'rate limit "
             "exceeded' to equal 'ok'\n\n  1 failing"),
    # refused credentials stay permission
    ("permission", "remote: Permission to widget/widget.git denied to bot.\nfatal: unable to "
                   "access 'https://github.com/widget/widget.git/': The requested URL returned "
                   "error: 403"),
    # Gradle's executor that exits 1 (the tests failed) is no crash
    ("test", "WidgetTest > renders FAILED\n    java.lang.AssertionError at WidgetTest.java:12\n"
             "3 tests completed, 1 failed\n> Task :test FAILED"),
]


@pytest.mark.parametrize(("category", "text"), CASES + NEGATIVES,
                         ids=[f"{c}-{i}" for i, (c, _) in enumerate(CASES + NEGATIVES)])
def test_output_is_named(category: str, text: str) -> None:
    assert default_policy().decide(FailureFacts(text=text)).category == category, text
