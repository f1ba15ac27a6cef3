"""The default policy on the small categories in more tools' words (issue 9, round 7, ``dev5``).

Memory, device simulators, a runner's own time limit, database clients on a port of the job's
choosing, data files, network, crash and budget failures as further tools print them: Gradle's
daemon, the linker killed by SIGKILL, xcodebuild, GitLab's runner, dbmate and psql, Haskell's
yaml, PHP's PDO and cURL, JDBC, pymongo, .NET, Apple's URL loading, hyper, undici, Erlang,
CTest, QTest, Rust's runtime, k6 and Angular's budgets. Each output is written here from the
tool's documented format, not copied from a benchmark log; each has a near miss where the rule
must not fire.
"""

from __future__ import annotations

import pytest

from knownfix.core.policy import FailureFacts, default_policy
from knownfix.core.policy.evidence import policy_text

CASES: list[tuple[str, str]] = [
    # memory
    ("memory", "The Daemon will expire immediately since the JVM garbage collector is thrashing.\n"
               "FAILURE: Build failed with an exception."),
    ("memory", "Gradle build daemon has been stopped: GC overhead limit exceeded"),
    ("memory", "collect2: fatal error: ld terminated with signal 9 [Killed]\ncompilation "
               "terminated."),
    ("memory", "clang: error: unable to execute command: Killed: 9"),
    # infrastructure: the simulator never came up, no test ran
    ("infrastructure", "xcodebuild[812:1042] Error Domain=IDETestOperationsObserverErrorDomain "
                       "Code=6 \"Early unexpected exit, operation never finished bootstrapping - "
                       "no restart will be attempted\""),
    ("infrastructure", "iPhoneSimulator: Timed out waiting 120 seconds for simulator to boot, "
                       "current state is 1."),
    ("infrastructure", "[Info] The simulator failed to start, or the TEST_HOST application "
                       "failed to run."),
    # timeout: GitLab's runner stopped the script at the job's limit
    ("timeout", "WARNING: step_script could not run to completion because the timeout was "
                "exceeded. For more control over job and script timeouts see: https://docs."),
    # database: a client or migration tool on the port the job chose
    ("database", "dbmate up\nError: dial tcp 127.0.0.1:55432: connect: connection refused"),
    ("database", "+ psql -h db -p 15432 -U app -c 'select 1'\npsql: could not connect: "
                 "connection refused"),
    ("database", "PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] No such file"),
    ("database", "Warning: mysqli_connect(): (HY000/2002): No such file or directory"),
    ("database", "org.hibernate.exception.JDBCConnectionException: Unable to acquire JDBC "
                 "Connection"),
    ("database", "pymongo.errors.ServerSelectionTimeoutError: localhost:27017: [Errno 111] "
                 "Connection refused"),
    ("database", "psycopg2.OperationalError: could not translate host name \"postgres\" to "
                 "address: Name or service not known"),
    ("database", "FATAL:  the database system is starting up"),
    ("database", "ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 5432)"),
    # data
    ("data", "[ERROR] ./posts/2020-01-01-hello.md: YAML parse exception at line 3, column 9:\n"
             "mapping values are not allowed in this context"),
    ("data", "tomllib.TOMLDecodeError: Expected '=' after a key in a key/value pair (at line 4)"),
    ("data", "load fixtures: invalid character '}' looking for beginning of object key string"),
    ("data", "Error: data/users.json: trailing comma at line 7 column 3"),
    # network
    ("network", "System.Net.WebException: The operation has timed out."),
    ("network", "GuzzleHttp\\Exception\\ConnectException: cURL error 6: Could not resolve: "
                "api.example.org (see https://curl.haxx.se/libcurl/c/libcurl-errors.html)"),
    ("network", "Error Domain=NSURLErrorDomain Code=-1009 \"The Internet connection appears to "
                "be offline.\""),
    ("network", "Error: reqwest::Error { kind: Request, source: hyper::Error(Connect, "
                "ConnectError(\"dns error\", Custom { kind: Uncategorized }) }"),
    ("network", "TypeError: fetch failed\n  [cause]: Error: other side closed\n"
                "    code: 'UND_ERR_SOCKET'"),
    ("network", "** (Mix) httpc request failed with: {:failed_connect, [{:to_address, "
                "{'repo.hex.pm', 443}}, {:inet, [:inet], :timeout}]}"),
    ("network", "sun.security.validator.ValidatorException: PKIX path building failed"),
    ("network", "ssl.SSLEOFError: EOF occurred in violation of protocol (_ssl.c:1129)"),
    # crash
    ("crash", " 7/12 Test  #7: parser_test ......................***Exception: SegFault  0.12 "
              "sec"),
    ("crash", "QFATAL : ParserTest::parse() Received signal 11\n         Function time: 3ms"),
    ("crash", "thread 'main' has overflowed its stack\nfatal runtime error: stack overflow"),
    ("crash", "Stack overflow.\n   at Widget.Parse(System.String)"),
    ("crash", "renderer process killed by signal 11"),
    # performance
    ("performance", "     ✗ http_req_duration..............: avg=812ms p(95)=1.9s\n"
                    "ERRO[0031] some thresholds have failed"),
    ("performance", "Error: bundle initial exceeded maximum budget. Budget 500.00 kB was not met "
                    "by 212.37 kB with a total of 712.37 kB."),
]

# The same words where they name no failure of this kind.
NEGATIVES: list[tuple[str, str]] = [
    # a test that checks a refused connection, named after it, fails on its assertion
    ("test", "=== RUN   TestDialRefused\n--- FAIL: TestDialRefused (0.00s)\n    dial_test.go:9: "
             "expected \"connection refused\" from dbmate, got nil\nFAIL"),
    # a refusal with no database client in sight stays a network failure
    ("network", "migrate: fetching https://api.example.org/v1\ndial tcp 10.0.0.5:8443: connect: "
                "connection refused"),
    # Go's panic under a failing test is the test's failure, not a crash
    ("test", "--- FAIL: TestParse (0.00s)\npanic: runtime error [recovered]\n\tReceived signal 11"),
    # git's test harness reports a command that died of a signal as its test's failure
    ("test", "error: test_must_fail: died by signal 11: git rebase --continue\n"
             "not ok 14 - rebase continues after a conflict\n# failed 1 among 20 test(s)"),
    # a test that checks the simulator's own messages
    ("test", "  1) Simulator\n       reports a boot timeout:\n     AssertionError: expected "
             "'Timed out waiting 120 seconds for simulator to boot' to be undefined"),
]


@pytest.mark.parametrize(("category", "text"), CASES + NEGATIVES,
                         ids=[f"{c}-{i}" for i, (c, _) in enumerate(CASES + NEGATIVES)])
def test_output_is_named(category: str, text: str) -> None:
    assert default_policy().decide(FailureFacts(text=text)).category == category, text


def test_a_warning_that_the_disk_is_full_is_evidence() -> None:
    """npm's warnings are no verdict, except the one that says the disk is full."""
    text = "npm WARN tar ENOSPC: no space left on device, write\nnpm WARN deprecated x@1.0.0"
    assert policy_text(text) == "npm WARN tar ENOSPC: no space left on device, write"
    assert default_policy().decide(FailureFacts(text=text)).category == "disk"
    other = "npm WARN tar ENOENT: no such file or directory, open 'x'"
    assert policy_text(other) == ""


def test_a_database_client_refused_comes_before_a_later_failure() -> None:
    """The client's refusal competes on position like the other causes (earliest_wins)."""
    text = ("dbmate create\nError: dial tcp [::1]:54320: connect: connection refused\n"
            "src/app.ts(3,1): error TS2304: Cannot find name 'x'.")
    decision = default_policy().decide(FailureFacts(text=text))
    assert (decision.category, decision.rule) == ("database", "database-client-refused")


def test_pytests_source_line_names_no_cause() -> None:
    """pytest's ``>`` line quotes the test's code; the ``E`` lines under it say what failed."""
    text = (">       assert client.message() == \"Connection refused\"\n"
            "E       AssertionError: assert 'connection reset' == 'Connection refused'\n"
            "FAILED tests/test_client.py::test_message - AssertionError: assert 'x' == 'y'")
    assert ">       assert" not in policy_text(text)
    assert default_policy().decide(FailureFacts(text=text)).category == "test"
    raised = (">       conn.connect()\n"
              "E       ConnectionRefusedError: [Errno 111] Connection refused")
    assert default_policy().decide(FailureFacts(text=raised)).category == "network"


def test_a_yaml_error_that_names_a_column_is_not_a_postgres_error() -> None:
    """PostgreSQL writes ``ERROR:  column "x" does not exist`` in upper case; Jekyll's
    ``Error:  (_data/x.yml): … at line 4 column 3`` is a data file that does not parse."""
    jekyll = ("jekyll 3.8.5 | Error:  (/srv/site/_data/people.yml): did not find expected key "
              "while parsing a block mapping at line 4 column 3")
    assert default_policy().decide(FailureFacts(text=jekyll)).category == "data"
    postgres = 'ERROR:  column "emial" does not exist at character 8'
    assert default_policy().decide(FailureFacts(text=postgres)).category == "database"


def test_ctest_names_a_test_program_that_crashed() -> None:
    summary = ("67% tests passed, 1 tests failed out of 3\n\nThe following tests FAILED:\n"
               "\t  1 - unit_tests (SEGFAULT)\nErrors while running CTest")
    assert default_policy().decide(FailureFacts(text=summary)).category == "crash"
    failed = ("50% tests passed, 1 tests failed out of 2\n\nThe following tests FAILED:\n"
              "\t  1 - unit_tests (Failed)\nErrors while running CTest")
    assert default_policy().decide(FailureFacts(text=failed)).category == "test"
