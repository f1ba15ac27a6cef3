"""The step facts of ``npm test``-style steps name the package.json script that failed.

``npm test`` or ``yarn lint`` only say that a script failed; which script (and its command)
says what kind of check it was. The log formats are npm's documented lifecycle output: the
``> pkg@1.0.0 name`` header and ``> command`` before a script, and its error lines after.
"""

from __future__ import annotations

from knownfix.core.extract import read_log
from knownfix.core.policy import FailureFacts, default_policy

NPM6 = (
    "travis_fold:start:script\n$ npm test\n\n"
    "> shop@1.0.0 test /home/travis/build/acme/shop\n> npm run test-unit && npm run test-style\n\n"
    "> shop@1.0.0 test-unit /home/travis/build/acme/shop\n> mocha\n\n  3 passing (12ms)\n\n"
    "> shop@1.0.0 test-style /home/travis/build/acme/shop\n> standard lib/*.js\n\n"
    "standard: Use JavaScript Standard Style (https://standardjs.com)\n"
    "  /home/travis/build/acme/shop/lib/cart.js:3:7: 'x' is assigned a value but never used.\n"
    "\nnpm ERR! code ELIFECYCLE\nnpm ERR! errno 1\n"
    "npm ERR! shop@1.0.0 test-style: `standard lib/*.js`\nnpm ERR! Exit status 1\n"
    "npm ERR! Failed at the shop@1.0.0 test-style script.\n"
    "npm ERR! Test failed.  See above for more details.\n"
    'The command "npm test" exited with 1.\n\nDone. Your build exited with 1.\n'
)

NPM10 = (
    "2026-12-07T10:55:08.739Z ##[group]Run npm test\n"
    "2026-12-07T10:55:08.739Z ##[endgroup]\n"
    "2026-12-07T10:55:09.001Z \n2026-12-07T10:55:09.001Z > shop@1.0.0 test\n"
    "2026-12-07T10:55:09.001Z > tldr-lint ./pages\n2026-12-07T10:55:09.001Z \n"
    "2026-12-07T10:55:09.500Z pages/common/tar.md:12: TLDR003 Description should end with a "
    "period\n"
    "2026-12-07T10:55:09.600Z npm error Lifecycle script `test` failed with error:\n"
    "2026-12-07T10:55:09.600Z npm error code 1\n"
    "2026-12-07T10:55:09.600Z npm error path /home/runner/work/shop\n"
    "2026-12-07T10:55:09.600Z npm error command failed\n"
    "2026-12-07T10:55:09.600Z npm error command sh -c tldr-lint ./pages\n"
    "2026-12-07T10:55:09.700Z ##[error]Process completed with exit code 1.\n"
)


def test_npm_names_the_script_that_failed_and_its_command() -> None:
    step = read_log([NPM6.encode()]).step.splitlines()
    assert step[0] == "npm test"
    assert step[1:3] == ["npm run test-style", "standard lib/*.js"]


def test_npm_7_and_later_name_it_in_their_lifecycle_lines() -> None:
    step = read_log([NPM10.encode()]).step.splitlines()
    assert step[0] == "npm test"
    assert step[1:3] == ["npm run test", "tldr-lint ./pages"]


def test_the_script_names_the_kind_of_check_for_the_policy() -> None:
    for log in (NPM6, NPM10):
        reading = read_log([log.encode()])
        decision = default_policy().decide(
            FailureFacts(text=reading.excerpt.text, step=reading.step))
        assert decision.category == "lint", reading.step


def test_without_error_lines_the_last_script_header_is_the_one_that_ran() -> None:
    log = ("$ yarn test\n\n> shop@1.0.0 lint /app\n> eslint .\n\n"
           "> shop@1.0.0 unit /app\n> jest\n\nFAIL src/cart.test.js\n"
           "  ● cart › totals\n\nTests:       1 failed, 3 total\n"
           "ERROR: Job failed: exit code 1\n")
    step = read_log([log.encode()]).step.splitlines()
    assert step[:3] == ["yarn test", "npm run unit", "jest"]


def test_a_chained_script_keeps_only_its_name() -> None:
    log = ("$ npm test\n\n> shop@1.0.0 test /app\n> eslint . && mocha\n\n"
           "  1 failing\n\n  1) cart totals:\n     AssertionError: 9 == 10\n\n"
           "npm ERR! Test failed.  See above for more details.\n"
           "ERROR: Job failed: exit code 1\n")
    reading = read_log([log.encode()])
    assert "eslint" not in reading.step
    assert "npm run test" in reading.step.splitlines()
    assert default_policy().decide(
        FailureFacts(text=reading.excerpt.text, step=reading.step)).category == "test"


def test_other_steps_get_no_script_lines() -> None:
    log = ("$ make check\n> shop@1.0.0 lint /app\n> eslint .\ncart.c:3:5: error: 'x' "
           "undeclared\nmake: *** [check] Error 1\nERROR: Job failed: exit code 2\n")
    assert "npm run" not in read_log([log.encode()]).step


def test_npm_run_all_names_the_failed_script_among_parallel_ones() -> None:
    log = ("$ npm test\n\n> shop@1.0.0 test /app\n> npm-run-all --parallel unit lint\n\n"
           "> shop@1.0.0 unit /app\n> jest\n\n> shop@1.0.0 lint /app\n> eslint .\n\n"
           "FAIL src/cart.test.js\n  ● cart › totals\n\nTests:       1 failed, 3 total\n"
           'ERROR: "unit" exited with 1.\nnpm ERR! Test failed.  See above for more details.\n'
           "ERROR: Job failed: exit code 1\n")
    step = read_log([log.encode()]).step.splitlines()
    assert step[:3] == ["npm test", "npm run unit", "jest"]


def test_a_dependencys_install_script_is_not_the_step() -> None:
    log = ("$ yarn install && yarn test\n\n"
           "> fsevents@1.2.9 install /app/node_modules/fsevents\n> node install.js\n\n"
           "$ mocha\n\n  1 failing\n\n  1) cart totals:\n     AssertionError: 9 == 10\n"
           "ERROR: Job failed: exit code 1\n")
    assert "npm run" not in read_log([log.encode()]).step
