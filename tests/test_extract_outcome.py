"""How a job ended: passing runs are recognised, and no failing log is ever called passing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knownfix.core.extract import read_junit, read_log

DATA = Path(__file__).parent / "data" / "extract"


def outcome(text: str) -> str:
    return read_log([text.encode()]).verdict.outcome


PASSING: list[tuple[str, str]] = [
    ("gitlab", "$ pytest -q\n....\n4 passed in 1.87s\nCleaning up project directory\n"
     "Job succeeded\n"),
    ("travis", "travis_fold:start:install\n$ npm ci\nadded 12 packages\n"
     "travis_fold:end:install\n$ npm test\n  12 passing (3s)\n"
     "The command \"npm test\" exited with 0.\n\nDone. Your build exited with 0.\n"),
    ("jenkins", "[Pipeline] sh\n+ mvn -B verify\n[INFO] BUILD SUCCESS\n[Pipeline] End of Pipeline\n"
     "Finished: SUCCESS\n"),
    ("github actions", "##[group]Run cargo test\ncargo test\n##[endgroup]\n"
     "test result: ok. 5 passed; 0 failed; 0 ignored\nPost job cleanup.\n"
     "Cleaning up orphan processes\n"),
    ("github actions with timestamps",
     "2024-05-01T10:00:00.0000000Z ##[group]Run go test ./...\n"
     "2024-05-01T10:00:01.0000000Z ok  \texample.com/pkg\t0.012s\n"
     "2024-05-01T10:00:02.0000000Z Cleaning up orphan processes\n"),
    ("azure pipelines", "##[section]Starting: Test\nTests: 12 passed, 12 total\n"
     "##[section]Finishing: Test\n"),
    ("pytest alone", "============ test session starts ============\ncollected 4 items\n\n"
     "tests/test_a.py ....                 [100%]\n\n====== 4 passed in 1.87s ======\n"),
    ("pytest with skips and warnings", "..s.\n3 passed, 1 skipped, 2 warnings in 0.50s\n"),
    ("jest alone", "PASS src/a.test.js\nTest Suites: 3 passed, 3 total\n"
     "Tests:       12 passed, 12 total\nSnapshots:   0 total\nTime:        2.1 s\n"),
    ("maven alone", "[INFO] Tests run: 4, Failures: 0, Errors: 0, Skipped: 0\n"
     "[INFO] ------------------------------------------------------------------------\n"
     "[INFO] BUILD SUCCESS\n[INFO] Total time:  12.3 s\n"),
    ("gradle alone", "> Task :test\n\nBUILD SUCCESSFUL in 8s\n5 actionable tasks: 5 executed\n"),
    ("cargo test alone", "running 3 tests\ntest a ... ok\ntest b ... ok\ntest c ... ok\n\n"
     "test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n"),
    ("go test alone", "=== RUN   TestA\n--- PASS: TestA (0.00s)\nPASS\n"
     "ok  \texample.com/pkg\t0.01s\n"),
    ("unittest alone", "....\n------------------------------------------------------------\n"
     "Ran 4 tests in 0.002s\n\nOK\n"),
    ("rspec alone", "....\n\nFinished in 0.1 seconds\n4 examples, 0 failures\n"),
    ("exit code 0", "building...\ndone\nProcess exited with exit code 0\n"),
    ("coverage after the summary", "4 passed in 1.87s\nName    Stmts   Miss  Cover   Missing\n"
     "app.py     10      0   100%\nTOTAL      10      0   100%\n"),
    ("circleci", "#!/bin/bash -eo pipefail\npytest -q\n....\n4 passed in 1.87s\nSuccess!\n"),
    # Runners whose summaries are counts worded their own way, with no CI frame around them.
    ("vitest alone", " ✓ src/errors.test.ts (4 tests) 6ms\n\n Test Files  2 passed (2)\n"
     "      Tests  15 passed | 1 skipped (16)\n   Duration  1.02s\n"),
    ("playwright alone", "Running 3 tests using 2 workers\n  ✓  1 [chromium] › a.spec.ts:5:1 › "
     "shows an error (812ms)\n\n  3 passed (9.8s)\n"),
    ("exunit alone", "Compiling 3 files (.ex)\n......\nFinished in 0.3 seconds\n"
     "6 tests, 0 failures\n\nRandomized with seed 51243\n"),
    ("scalatest alone", "[info] - should render a failure message\n"
     "[info] Tests: succeeded 9, failed 0, canceled 0, ignored 0, pending 0\n"
     "[info] All tests passed.\n[success] Total time: 21 s, completed Nov 5, 2026\n"),
    ("ansible alone", "TASK [install] ****\nok: [web1]\n\nPLAY RECAP ****\n"
     "web1   : ok=3    changed=0    unreachable=0    failed=0    skipped=0    rescued=0\n"),
    ("pre-commit alone", "check yaml...............................................Passed\n"
     "flake8...................................................(no files to check)Skipped\n"
     "black....................................................Passed\n"),
    ("xctest alone", "Test Suite 'All tests' passed at 2026-11-05 10:00:00.010.\n"
     "\t Executed 9 tests, with 0 failures (0 unexpected) in 0.008 (0.009) seconds\n"),
    ("dart alone", "00:02 +41: test/errors_test.dart: throws on bad input\n"
     "00:03 +47 ~1: All tests passed!\n"),
    ("bazel alone", "INFO: Build completed successfully, 31 total actions\n"
     "//server:errors_test          PASSED in 0.6s\n\nExecuted 2 out of 4 tests: 4 tests pass.\n"),
    ("helm alone", "Release \"api\" has been upgraded. Happy Helming!\nNAME: api\n"
     "STATUS: deployed\nREVISION: 14\n"),
]

FAILING: list[tuple[str, str]] = [
    ("buildbot: a step timed out, later steps passed",
     "results: failure (2)\n\n========= Started run tests (results: 2, elapsed: 20 mins) "
     "=========\npython runtests.py\ncommand timed out: 1200 seconds without output, attempting "
     "to kill\nprocess killed by signal 9\nprogram finished with exit code -1\n"
     "========= Finished run tests (results: 2, elapsed: 20 mins) =========\n\n"
     "========= Started reboot slave (results: 0, elapsed: 1 secs) =========\n"
     "program finished with exit code 0\n"
     "========= Finished reboot slave (results: 0, elapsed: 1 secs) =========\n"),
    ("buildbot: a step interrupted", "========= Started make check (results: 4, elapsed: 13 "
     "mins) =========\nremoteFailed: [Failure instance: Traceback (failure with no frames)]\n"
     "========= Finished make check interrupted (results: 4, elapsed: 13 mins) =========\n"
     "program finished with exit code 0\n"),
    ("tests pass then lint fails", "$ pytest -q\n4 passed in 1.87s\n$ ruff check .\n"
     "src/a.py:1:8: F401 `os` imported but unused\nFound 1 error.\n"
     "ERROR: Job failed: exit code 1\n"),
    ("tests pass then deploy fails, no CI verdict", "4 passed in 1.87s\n"
     "Deploying to production\nError: could not push image: denied\n"),
    ("a summary with a failure", "FAILED tests/test_a.py::test_x - assert 1 == 2\n"
     "1 failed, 3 passed in 2.01s\n"),
    ("jest with a failure", "Tests:       1 failed, 11 passed, 12 total\n"),
    ("travis failed", "$ npm test\n  12 passing (3s)\nThe command \"npm test\" exited with 0.\n"
     "$ npm run lint\n✖ 2 problems (2 errors, 0 warnings)\n"
     "The command \"npm run lint\" exited with 1.\n\nDone. Your build exited with 1.\n"),
    ("travis cut short", "travis_fold:start:script\n$ phpunit\nOK (231 tests, 679 assertions)\n"
     "travis_fold:end:script\n"),
    ("github actions step failed", "##[group]Run npm test\n##[endgroup]\n"
     "Tests: 12 passed, 12 total\n##[error]Process completed with exit code 1.\n"
     "Post job cleanup.\nCleaning up orphan processes\n"),
    ("github actions: an action's error annotation", "##[group]Run actions/checkout@v4\n"
     "fatal: unable to access 'https://git.example.internal/a/b.git/': Could not resolve host\n"
     "##[error]The process '/usr/bin/git' failed with exit code 128\n"
     "Post job cleanup.\nCleaning up orphan processes\n"),
    ("azure error", "##[section]Starting: Build\n##[error]Bash exited with code '1'.\n"
     "##[section]Finishing: Build\n"),
    ("jenkins failure", "+ make test\nok  \tpkg\t0.01s\nmake: *** [test] Error 1\n"
     "Finished: FAILURE\n"),
    ("maven failure", "[INFO] Tests run: 4, Failures: 0, Errors: 0, Skipped: 0\n"
     "[INFO] BUILD FAILURE\n[ERROR] Failed to execute goal org.apache.maven.plugins:"
     "maven-checkstyle-plugin:3.1.0:check (validate) on project x: You have 1 Checkstyle "
     "violation.\n"),
    ("earlier test run failed", "FAILED (failures=1)\nRan 3 tests in 0.1s\n\nOK\n"),
    ("no success line at all", "compiling...\nlinking...\n"),
    ("circleci: a later step's Success! is no verdict",
     "#!/bin/bash -eo pipefail\npytest -q\n4 passed in 1.87s\nSuccess!\n"
     "#!/bin/bash -eo pipefail\nnpm run lint\nsomething odd\nExited with code exit status 1\n"
     "CircleCI received exit code 1\nUploading artifacts\nSuccess!\n"),
    ("circleci: too long with no output", "4 passed in 1.87s\nnpm run e2e\n"
     "Too long with no output (exceeded 10m0s): context deadline exceeded\n"),
    ("buildkite", "--- :pytest: tests\n4 passed in 1.87s\n--- :lint:\nweird output\n"
     "🚨 Error: The command exited with status 1\n^^^ +++\n"),
    ("buildkite: agent lost", "+++ :pytest:\n4 passed in 1.87s\n"
     "Error: The command exited with status -1 (agent lost)\n"),
    ("a non-zero exit after the summary", "4 passed in 1.87s\nrunning deploy\n"
     "script exited with code 2\n"),
    ("an unknown failure message after the summary", "BUILD SUCCESSFUL in 8s\n"
     "docker push acme/shop:1.2\ndenied: requested access to the resource is denied\n"),
    ("a flaky rerun under fail-on-flaky", "..R.\n4 passed, 1 rerun in 2.31s\n"),
    ("buildkite timestamps", "\x1b_bk;t=1\x07+++ :pytest:\n\x1b_bk;t=2\x074 passed in 1.87s\n"
     "\x1b_bk;t=3\x07🚨 Error: The command exited with status 1\n"),
    ("gitlab timestamped lines", "2023-11-22T10:00:00.1Z 00O 4 passed in 1.2s\n"
     "2023-11-22T10:00:03.1Z 01E could not push\n"
     "2023-11-22T10:00:04.1Z 00O ERROR: Job failed: exit code 1\n"),
    ("a binary log", "4 passed in 1.87s\n\x00\x01\x02 core\n"),
    ("vitest with a failure", " Test Files  1 failed | 1 passed (2)\n"
     "      Tests  1 failed | 15 passed (16)\n"),
    ("ansible with a failed host", "fatal: [web1]: FAILED! => {\"msg\": \"boom\"}\n"
     "PLAY RECAP ****\nweb1   : ok=3    changed=0    unreachable=0    failed=1    skipped=0\n"),
    ("pre-commit with a failed hook", "check yaml.............................Passed\n"
     "flake8.................................Failed\n- hook id: flake8\n- exit code: 1\n\n"
     "src/a.py:1:1: F401 'os' imported but unused\n"
     "black..................................Passed\n"),
    ("exunit with a failure", "  1) test total (CartTest)\n     Assertion with == failed\n"
     "Finished in 0.3 seconds\n6 tests, 1 failure\n"),
    ("xctest with a failure", "Test Suite 'All tests' failed at 2026-11-05 10:00:00.010.\n"
     "\t Executed 9 tests, with 1 failure (0 unexpected) in 0.008 (0.009) seconds\n"),
    ("bazel with a failure", "INFO: Build completed, 1 test FAILED, 31 total actions\n"
     "//server:errors_test          FAILED in 0.6s\n\n"
     "Executed 2 out of 4 tests: 3 tests pass and 1 fails locally.\n"),
    ("a traceback after the summary", "4 passed in 1.87s\nTraceback (most recent call last):\n"
     '  File "deploy.py", line 3, in <module>\nRuntimeError: boom\n'),
]


@pytest.mark.parametrize(("name", "log"), PASSING, ids=[name for name, _ in PASSING])
def test_a_passing_run_is_recognised(name: str, log: str) -> None:
    reading = read_log([log.encode()])
    assert reading.verdict.outcome == "passed", name
    assert reading.verdict.line is not None
    (first, last), = reading.excerpt.spans
    assert first == last == reading.verdict.line
    assert reading.excerpt.text  # the line that says so


@pytest.mark.parametrize(("name", "log"), FAILING, ids=[name for name, _ in FAILING])
def test_a_failing_run_is_never_called_passing(name: str, log: str) -> None:
    assert outcome(log) == "failed", name


@pytest.mark.parametrize("log", ["", "\n", "  \n\t\n\r\n"])
def test_an_empty_or_blank_log_is_empty(log: str) -> None:
    reading = read_log([log.encode()])
    assert reading.verdict.outcome == "empty"
    assert reading.excerpt.spans == ()


def test_every_failing_example_log_stays_failed() -> None:
    logs = sorted(DATA.glob("*.log"))
    assert len(logs) > 30
    for path in logs:
        assert outcome(path.read_text("utf-8", "replace")) == "failed", path.name


def test_the_step_facts_name_the_failed_command() -> None:
    log = ("travis_fold:start:script\n$ bundle exec rubocop\nInspecting 3 files\n"
           "app/a.rb:1:1: C: Style/FrozenStringLiteralComment: Missing magic comment.\n"
           "3 files inspected, 1 offense detected\n"
           'The command "bundle exec rubocop" exited with 1.\n\nDone. Your build exited with 1.\n')
    reading = read_log([log.encode()])
    assert reading.verdict.outcome == "failed"
    assert reading.step.splitlines()[0] == "bundle exec rubocop"
    assert 'The command "bundle exec rubocop" exited with 1.' in reading.step


GITLAB_FAILED_TEST = (
    "section_start:1796640500:step_script\r\x1b[0K\x1b[36;1mExecuting \"step_script\" stage"
    "\x1b[0;m\n"
    "\x1b[32;1m$ pip install -e .\x1b[0;m\nSuccessfully installed calc-0.1\n"
    "\x1b[32;1m$ python -m pytest -q\x1b[0;m\n"
    "F.\n=================================== FAILURES ===================================\n"
    "___________________________________ test_add ___________________________________\n"
    "E       assert -1 == 5\n\ntests/test_calc.py:10: AssertionError\n"
    "FAILED tests/test_calc.py::test_add - assert -1 == 5\n"
    "1 failed, 1 passed in 0.05s\n"
    "section_end:1796640503:step_script\r\x1b[0K\n"
    "section_start:1796640503:cleanup_file_variables\r\x1b[0K\x1b[36;1mCleaning up project "
    "directory and file based variables\x1b[0;m\n"
    "section_end:1796640503:cleanup_file_variables\r\x1b[0K\n"
    "\x1b[31;1mERROR: Job failed: exit code 1\n\x1b[0;m\n"
)


def test_gitlab_sections_run_after_the_failure_are_not_the_failed_step() -> None:
    reading = read_log([GITLAB_FAILED_TEST.encode()])
    assert "FAILED tests/test_calc.py::test_add" in reading.excerpt.text
    assert "Cleaning up" not in reading.excerpt.text
    # the command echoed last before the failure, not the install before it
    assert reading.step.splitlines()[0] == "python -m pytest -q"


@pytest.mark.parametrize(
    ("frame", "log", "command"),
    [
        ("github actions group header",
         "2026-12-07T10:55:08.739Z ##[group]Run ruff check .\n2026-12-07T10:55:08.739Z ruff check"
         " .\n2026-12-07T10:55:08.740Z shell: /usr/bin/bash -e {0}\n2026-12-07T10:55:08.740Z "
         "##[endgroup]\n2026-12-07T10:55:08.742Z F401 `os` imported but unused\n"
         "2026-12-07T10:55:08.765Z Found 1 error.\n"
         "2026-12-07T10:55:08.770Z ##[error]Process completed with exit code 1.\n",
         "ruff check ."),
        ("circleci shell line",
         "#!/bin/bash -eo pipefail\nnpx eslint src\n\n/app/src/a.js\n  1:7  error  'x' is "
         "assigned a value but never used  no-unused-vars\n\n\u2716 1 problem (1 error, 0 "
         "warnings)\n\nExited with code exit status 1\n",
         "npx eslint src"),
        ("jenkins post actions after the failed stage",
         "[Pipeline] { (Test)\n[Pipeline] sh\n+ python -m pytest -q\nF.\n"
         "E       assert -1 == 5\ntests/test_calc.py:4: AssertionError\n"
         "FAILED tests/test_calc.py::test_add - assert -1 == 5\n1 failed, 1 passed in 0.03s\n"
         "[Pipeline] }\n[Pipeline] // stage\n[Pipeline] stage\n"
         "[Pipeline] { (Declarative: Post Actions)\n[Pipeline] junit\nRecording test results\n"
         "[Pipeline] }\n[Pipeline] End of Pipeline\nERROR: script returned exit code 1\n"
         "Finished: FAILURE\n",
         "python -m pytest -q"),
        ("buildkite echo",
         "~~~ Running commands\n$ go test ./...\n--- FAIL: TestAdd (0.00s)\n    add_test.go:9: "
         "got 4, want 5\nFAIL\nFAIL\texample.com/add\t0.002s\n"
         "\U0001f6a8 Error: The command exited with status 1\n",
         "go test ./..."),
    ],
)
def test_the_step_facts_name_the_command_whatever_the_ci(
    frame: str, log: str, command: str
) -> None:
    reading = read_log([log.encode()])
    assert reading.verdict.outcome == "failed", frame
    assert reading.step.splitlines()[0] == command, frame


def test_a_chained_command_does_not_name_the_step() -> None:
    log = ("$ script/lint && script/test\n  1 failing\n\n  1) app opens a window:\n"
           "     Error: timeout of 2000ms exceeded.\n\nERROR: Job failed: exit code 1\n")
    reading = read_log([log.encode()])
    assert "script/lint" not in reading.step


_LINES = st.sampled_from([
    "compiling module a", "Downloading https://example.org/pkg.tgz", "4 passed in 1.87s",
    "[INFO] BUILD SUCCESS", "random output", "", "Warning: deprecated option",
])
_FAILURES = st.sampled_from([
    "ERROR: Job failed: exit code 1", "Done. Your build exited with 1.",
    "##[error]Process completed with exit code 2.", "1 failed, 3 passed in 2.01s",
    "Error: Process completed with exit code 1.", "Finished: FAILURE",
    "error[E0308]: mismatched types", "make: *** [all] Error 2",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINES, max_size=12), _FAILURES, st.lists(_LINES, max_size=3))
def test_a_failure_near_the_end_is_never_a_pass(
    before: list[str], failure: str, after: list[str]
) -> None:
    log = "\n".join([*before, failure, *after]) + "\n"
    assert outcome(log) == "failed"


def test_a_junit_report_without_failures_passes() -> None:
    report = (b'<?xml version="1.0"?>\n<testsuite name="s" tests="2" failures="0" errors="0">\n'
              b'  <testcase name="a"/>\n  <testcase name="b"/>\n</testsuite>\n')
    reading = read_junit([report])
    assert reading.verdict.outcome == "passed"
    assert reading.excerpt.spans == ((2, 2),)


@pytest.mark.parametrize(
    "report",
    [
        b'<testsuite tests="1" failures="1"><testcase name="a"/></testsuite>',
        b'<testsuite tests="1"><testcase name="a"><error message="x"/></testcase></testsuite>',
        b'<testsuite tests="1"><error message="setup failed"/></testsuite>',
    ],
)
def test_a_junit_report_with_a_failure_does_not_pass(report: bytes) -> None:
    assert read_junit([report]).verdict.outcome == "failed"
