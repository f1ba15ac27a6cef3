"""The default policy on how a failed step's process ended, crash vocabulary, a command's target.

A process killed by a signal exits with 128 + its number (137 SIGKILL, 139 SIGSEGV, 134
SIGABRT …), and the tools that ran it say so in the step's closing lines, which the excerpt
does not always hold: Travis's ``The command "x" exited with 139.``, npm's ``errno 139``,
cargo's ``(signal: 11, SIGSEGV: invalid memory reference)``, make's ``Error 139``. When no
test runner reported a failing test, that ending names the cause (PROTOCOL.md: ``Killed``
(137) is memory; a segfault that takes down the program the job ran is a crash). The outputs
are written here from each tool's documented format, not from a benchmark log.
"""

from __future__ import annotations

import pytest

from knownfix.core.policy import FailureFacts, default_policy

# (category, excerpt, step facts: the command, then its closing lines)
STEP_CASES: list[tuple[str, str, str]] = [
    ("crash", "> node test/run.js\n\nRunning 41 tests",
     "npm test\nnpm ERR! code ELIFECYCLE\nnpm ERR! errno 139\nnpm ERR! Exit status 139\n"
     'The command "npm test" exited with 1.'),
    ("crash", "running 12 tests",
     "cargo test\nerror: process didn't exit successfully: `target/debug/deps/app-1a2b` "
     "(signal: 11, SIGSEGV: invalid memory reference)\n"
     'The command "cargo test" exited with 101.'),
    ("crash", "Loading fixtures", './bin/import fixtures/\nThe command "./bin/import fixtures/" '
     "exited with 134."),
    ("crash", "converting 3 files", "make convert\nmake: *** [convert] Error 139"),
    ("crash", "starting worker", "python run.py\nsubprocess.CalledProcessError: Command "
     "'['./bin/worker']' died with <Signals.SIGSEGV: 11>."),
    ("memory", "tests/test_model.py ......",
     'pytest -n 4\nThe command "pytest -n 4" exited with 137.'),
    ("memory", "Compiling widget v0.1.0",
     "cargo build --release\nerror: could not compile `widget`\n"
     "process didn't exit successfully: `rustc --crate-name widget` (signal: 9, SIGKILL: kill)"),
]

# A runner's report of failing tests wins over how the process ended; an exit status that is
# not a signal's names nothing.
STEP_NEGATIVES: list[tuple[str, str, str]] = [
    ("test", "  1) parser\n       keeps the order:\n     AssertionError: expected 2 to equal 3\n\n"
             "  1 failing",
     'npm test\nnpm ERR! errno 139\nThe command "npm test" exited with 139.'),
    ("test", "Running 41 tests",
     'npm test\nnpm ERR! errno 1\nThe command "npm test" exited with 1.'),
    ("compile", "cc -c a.c", "make\nmake: *** [all] Error 2"),
    # a job someone cancelled is not a crash
    ("compile", "cc -c a.c", "make\nBuild was aborted\nAborted by admin\nFinished: ABORTED"),
]

# Vocabulary: what a killed compiler, bash and GHC print; budgets in any unit; XML that does
# not parse.
TEXT_CASES: list[tuple[str, str]] = [
    ("memory", "g++ -O2 -c src/big.cpp\ng++: internal compiler error: Killed (program cc1plus)\n"
               "Please submit a full bug report,"),
    ("memory", "tests/test_model.py ......\n/home/travis/.travis/functions: line 104:  4321 "
               "Killed                  pytest -n 4"),
    ("crash", "[3 of 9] Compiling Widget.Parser\nghc: panic! (the 'impossible' happened)\n"
              "  (GHC version 8.4.3 for x86_64-unknown-linux):\n\ttyConRepName"),
    ("performance", "BenchmarkEncode-2   200000   8123 ns/op\nperf_check.go:44: BenchmarkEncode: "
                    "8123 ns/op exceeds the budget of 6000 ns/op"),
    ("performance", "1 result(s) for http://localhost:8080/ :\n\n  ✘  categories.performance "
                    "failure for minScore assertion\n       expected: >=0.9\n"
                    "          found: 0.72"),
    ("data", "Traceback (most recent call last):\n  File \"tools/check_feeds.py\", line 20, in "
             "<module>\n    tree = etree.parse(path)\nlxml.etree.XMLSyntaxError: Opening and "
             "ending tag mismatch: item line 40 and channel, line 52, column 11"),
    ("data", "xml.parsers.expat.ExpatError: not well-formed (invalid token): line 1, column 5"),
    # a service the job needs refused it, named by its port after the address (Go, Ruby)
    ("database", "--- FAIL: TestRepo (0.00s)\n    repo_test.go:15: dial tcp 127.0.0.1:5432: "
                 "connect: connection refused\nFAIL"),
    ("database", "Faraday::ConnectionFailed:\n  Failed to open TCP connection to localhost:9200 "
                 "(Connection refused - connect(2) for \"localhost\" port 9200)"),
    ("database", "rake aborted!\nPG::ConnectionBad: could not connect to server: No such file or "
                 "directory"),
    ("network", "dial tcp 93.184.216.34:443: connect: connection refused"),
    ("database", "Errno::ECONNREFUSED: Connection refused - connect(2) for \"127.0.0.1\" "
                 "port 6379"),
    ("network", "Errno::ECONNREFUSED: Connection refused - connect(2) for \"api.example.org\" "
                "port 443"),
    ("database", "Sequel::DatabaseConnectionError: Mysql2::Error: Timeout waiting for a response"),
    ("database", "psql:db/setup.sql:3: ERROR:  permission denied to create extension \"hstore\"\n"
                 "HINT:  Must be superuser to create this extension."),
    # PHP's memory_limit is the memory the process may use
    ("memory", "PHP Fatal error:  Allowed memory size of 1610612736 bytes exhausted (tried to "
               "allocate 4096 bytes) in phar:///usr/bin/composer/src/Composer/Solver.php"),
    # runtimes that stop the program in their own words
    ("crash", "System process <0.0.0> terminated: {{badmatch,{error,{bad_lib,\"Function not "
              "found\"}}},[{prim_file,on_load,0,[]}]}"),
    ("crash", "Access violation in generated code when reading ffffffffffffffff"),
    ("crash", "F0302 10:11:12.123456  4242 blob.cpp:32] Check failed: shape[i] >= 0 (-1 vs. 0)\n"
              "*** Check failure stack trace: ***\n    @     0x7f3c google::LogMessage::Fail()"),
    ("crash", "Fatal error: Unexpectedly found nil while unwrapping an Optional value: file "
              "/Users/travis/build/App/Sources/Parser.swift, line 42\nIllegal instruction: 4"),
]

# A test's name is what it checks: PHP's run-tests lists failing tests by title and path, and a
# title that says "Segmentation fault" names the bug the test guards against.
TITLE_NEGATIVES: list[tuple[str, str]] = [
    ("test", "FAILED TEST SUMMARY\n-------------------------------------------------------------"
             "--------\nBug #72294 Segmentation fault/invalid pointer in connection with "
             "pgsql_stmt_dtor [ext/pdo_pgsql/tests/bug72294.phpt]\n"
             "Bug #48770 call_user_func_array() [Zend/tests/bug48770_2.phpt]"),
    # a go test's panic under its --- FAIL: line stays a test failure, whatever the rule reads
    ("test", "=== RUN   TestParse\n--- FAIL: TestParse (0.00s)\npanic: runtime error: invalid "
             "memory address or nil pointer dereference [recovered]\n[signal SIGSEGV: "
             "segmentation violation code=0x1 addr=0x0 pc=0x4f1]\nFAIL\texample.com/app\t0.01s"),
]


def decide(text: str, step: str = "") -> str:
    return default_policy().decide(FailureFacts(text=text, step=step)).category


STEPS = STEP_CASES + STEP_NEGATIVES


@pytest.mark.parametrize(("category", "text", "step"), STEPS,
                         ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(STEPS)])
def test_the_way_the_step_ended_names_the_cause(category: str, text: str, step: str) -> None:
    assert decide(text, step) == category, step


@pytest.mark.parametrize(("category", "text"), TEXT_CASES + TITLE_NEGATIVES,
                         ids=[f"{c}-{i}" for i, (c, _) in enumerate(TEXT_CASES + TITLE_NEGATIVES)])
def test_output_is_named(category: str, text: str) -> None:
    assert decide(text) == category, text


@pytest.mark.parametrize(("category", "step"), [
    ("performance", "make perf-check\nmake: *** [perf-check] Error 1"),
    ("performance", "./ci/perf.sh"),
    ("performance", "make bench"),
    ("compile", "make\nmake: *** [all] Error 2"),
    ("compile", "make -C docs html"),
    ("database", "make && psql -f schema.sql"),
])
def test_a_commands_own_target_names_the_stage_before_its_driver(category: str,
                                                                 step: str) -> None:
    """``make perf-check`` checks a budget; ``make`` alone builds (its output named no cause)."""
    assert decide("step output with no known message", step) == category
