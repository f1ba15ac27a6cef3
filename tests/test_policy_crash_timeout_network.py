"""The default policy on crashes, whole-run timeouts, unreachable servers and database drivers.

The categories the held-out half holds few logs of and the first development parts none
(``bench/README.md``, "Fifth round"): a program or a browser the job ran that died under the
runner, a test binary killed by ``go test -timeout``, a CI's own time limit, a server the job
needs that is not there, and database drivers of more stacks. Each output is written here from
the tool's documented format (Go's runtime and testing package, glibc, the C++ runtime, Windows'
NTSTATUS codes, Cypress, dotnet test, Maven Surefire, Azure Pipelines, Bitbucket, TeamCity,
SQLite, MySQL, SQL Server, Ecto, Npgsql, Spring, HikariCP, the DataStax drivers, lxml), not
from a benchmark log; the negatives keep a test's own panic, timeout or assertion a test failure.
"""

from __future__ import annotations

import pytest

from knownfix.core.extract import read_log
from knownfix.core.policy import FailureFacts, default_policy

# (category, output)
CASES: list[tuple[str, str]] = [
    # --- crashes outside a test's report
    ("crash", "panic: init\n\ngoroutine 1 [running]:\nmain.init.0()\n\t/src/app/main.go:6 +0x27\n"
              "exit status 2\nFAIL\texample.com/app\t0.003s"),
    ("crash", "PASS\npanic: close of closed channel\n\ngoroutine 1 [running]:\n"
              "example.com/app.TestMain(...)\n\t/src/app/main_test.go:9\nFAIL\texample.com/app\t0.01s"),
    ("crash", "fatal error: concurrent map writes\n\ngoroutine 7 [running]:\nmain.worker()\n"
              "\t/src/app/worker.go:14 +0x5d"),
    ("crash", "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive]:"),
    ("crash", "terminate called after throwing an instance of 'std::out_of_range'\n"
              "  what():  vector::_M_range_check: __n (which is 3) >= this->size() (which is 3)"
              "\n./run_tests.sh: line 3:  4242 Aborted"),
    ("crash", "*** stack smashing detected ***: terminated\n./bin/parser exited"),
    ("crash", "double free or corruption (out)\n./build/app_test: program stopped"),
    ("crash", "error: test failed, to rerun pass `--lib`\n\nCaused by:\n  process didn't exit "
              "successfully: `target\\debug\\deps\\app.exe` (exit code: 0xc0000005, "
              "STATUS_ACCESS_VIOLATION)"),
    ("crash", "Process completed with exit code -1073741571."),
    ("crash", "We detected that the Chromium Renderer process just crashed.\n\nThis is the "
              "equivalent to seeing the 'sad face' when Chrome dies."),
    ("crash", "We detected that the Electron process just crashed with code 'null' and signal "
              "'SIGTRAP'."),
    ("crash", "The active test run was aborted. Reason: Test host process crashed : Fatal error. "
              "Internal CLR error. (0x80131506)"),
    ("crash", "[ERROR] ExecutionException The forked VM terminated without properly saying "
              "goodbye. VM crash or System.exit called?"),
    ("crash", "signal: segmentation fault (core dumped)\nFAIL\texample.com/cgo\t0.120s"),
    # --- whole-run time limits
    ("timeout", "=== RUN   TestSync\npanic: test timed out after 10m0s\nrunning tests:\n"
                "\tTestSync (10m0s)\n\ngoroutine 33 [running]:\ntesting.(*M).startAlarm.func1()"),
    ("timeout", "*** Test killed with quit: ran too long (10m0s).\nFAIL\texample.com/app\t600.01s"),
    ("timeout", "##[error]The job running on agent Hosted Agent ran longer than the maximum time "
                "of 60 minutes. For more information, see https://go.microsoft.com/fwlink/?linkid=2077134"),
    ("timeout", "Your build has exceeded the maximum build time limit of 120 minutes."),
    ("timeout", "##[error]The action 'Run integration tests' has timed out after 30 minutes."),
    ("timeout", "[Step 3/3] Build has exceeded the execution timeout of 60 minutes"),
    # --- a server the job needs cannot be reached
    ("network", "Cypress could not verify that this server is running:\n\n  > http://localhost:3000"
                "\n\nCypress failed to verify that your server is running.\n\nPlease start this "
                "server and then run Cypress again."),
    ("network", "wait-on: Error: could not reach the server at http://localhost:8080 after 30 "
                "attempts"),
    # --- database drivers in their own words
    ("database", "sqlite3.OperationalError: no such table: users"),
    ("database", "Error: no such column: created_at"),
    ("database", "ERROR 1146 (42S02) at line 1: Table 'shop.orders' doesn't exist"),
    ("database", "Mysql2::Error: Unknown column 'total' in 'field list'"),
    ("database", "Microsoft.Data.SqlClient.SqlException (0x80131904): Login failed for user 'ci'."),
    ("database", "** (DBConnection.ConnectionError) tcp connect (localhost:5432): connection "
                 "refused - :econnrefused"),
    ("database", "** (Postgrex.Error) ERROR 42P01 (undefined_table) relation \"users\" does not "
                 "exist"),
    ("database", "Npgsql.NpgsqlException (0x80004005): Failed to connect to 127.0.0.1:5432"),
    ("database", "org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC "
                 "Connection"),
    ("database", "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not "
                 "available, request timed out after 30000ms."),
    ("database", "com.datastax.oss.driver.api.core.AllNodesFailedException: Could not reach any "
                 "contact point\ncom.datastax.driver.core.exceptions.NoHostAvailableException: All "
                 "host(s) tried for query failed"),
    # --- data that does not parse, named by its class
    ("data", "lxml.etree.XMLSyntaxError: Opening and ending tag mismatch: item line 3 and list, "
             "line 4, column 8"),
]

# A test's own panic, timeout or assertion stays a test failure (PROTOCOL.md, "A crash under a
# test runner", "A test that fails on its own timeout").
NEGATIVES: list[tuple[str, str]] = [
    ("test", "=== RUN   TestParse\n--- FAIL: TestParse (0.00s)\npanic: runtime error: index out "
             "of range [3] with length 3 [recovered]\n\tpanic: runtime error: index out of range"
             "\n\ngoroutine 6 [running]:\nFAIL\texample.com/app\t0.004s"),
    ("test", "=== RUN   TestSlow\n    slow_test.go:12: timed out after 2s waiting for the reply\n"
             "--- FAIL: TestSlow (2.00s)\nFAIL\nFAIL\texample.com/app\t2.01s"),
    ("test", "  1) login\n       shows the dashboard:\n     CypressError: Timed out retrying after "
             "4000ms: Expected to find element: `#dashboard`, but never found it.\n\n  1 failing"),
]


@pytest.mark.parametrize(("category", "text"), CASES + NEGATIVES,
                         ids=[f"{c}-{i}" for i, (c, _) in enumerate(CASES + NEGATIVES)])
def test_output_is_named(category: str, text: str) -> None:
    assert default_policy().decide(FailureFacts(text=text)).category == category, text


def test_a_go_test_json_stream_is_read_as_the_lines_it_carries() -> None:
    """``go test -json`` wraps each printed line in an event; the policy sees the line."""
    events = [
        '{"Time":"2024-01-02T03:04:05Z","Action":"start","Package":"example.com/app"}',
        '{"Time":"2024-01-02T03:04:05Z","Action":"output","Package":"example.com/app",'
        '"Output":"panic: init\\n"}',
        '{"Time":"2024-01-02T03:04:05Z","Action":"output","Package":"example.com/app",'
        '"Output":"\\ngoroutine 1 [running]:\\n"}',
        '{"Time":"2024-01-02T03:04:05Z","Action":"output","Package":"example.com/app",'
        '"Output":"exit status 2\\n"}',
        '{"Time":"2024-01-02T03:04:05Z","Action":"output","Package":"example.com/app",'
        '"Output":"FAIL\\texample.com/app\\t0.003s\\n"}',
        '{"Time":"2024-01-02T03:04:05Z","Action":"fail","Package":"example.com/app",'
        '"Elapsed":0.003}',
    ]
    log = read_log([("\n".join(events) + "\n").encode()])
    assert "panic: init" in log.excerpt.text
    facts = FailureFacts(text=log.excerpt.text)
    assert default_policy().decide(facts).category == "crash"
