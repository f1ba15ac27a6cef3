"""The default policy on how a failed step's process ended, and on a command's own target.

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
    ("test", "Running 41 tests", 'npm test\nnpm ERR! errno 1\nThe command "npm test" exited with 1.'),
    ("compile", "cc -c a.c", "make\nmake: *** [all] Error 2"),
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
                    "failure for minScore assertion\n       expected: >=0.9\n          found: 0.72"),
    ("data", "Traceback (most recent call last):\n  File \"tools/check_feeds.py\", line 20, in "
             "<module>\n    tree = etree.parse(path)\nlxml.etree.XMLSyntaxError: Opening and "
             "ending tag mismatch: item line 40 and channel, line 52, column 11"),
    ("data", "xml.parsers.expat.ExpatError: not well-formed (invalid token): line 1, column 5"),
]


def decide(text: str, step: str = "") -> str:
    return default_policy().decide(FailureFacts(text=text, step=step)).category


@pytest.mark.parametrize(("category", "text", "step"), STEP_CASES + STEP_NEGATIVES,
                         ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(STEP_CASES + STEP_NEGATIVES)])
def test_the_way_the_step_ended_names_the_cause(category: str, text: str, step: str) -> None:
    assert decide(text, step) == category, step


@pytest.mark.parametrize(("category", "text"), TEXT_CASES,
                         ids=[f"{c}-{i}" for i, (c, _) in enumerate(TEXT_CASES)])
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
