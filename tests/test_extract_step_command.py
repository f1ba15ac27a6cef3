"""The failed step's command is the one echoed last before the block's first failure line.

A short output's explaining block reaches back over its context: in Buildkite's frame the
lines above ``npm error Missing script`` are ``~~~ Running commands``, ``$ npm run lint`` and the
agent's own ``$ git checkout -f …``. The command that failed is the one just above the failure,
not the last one above the block's context (which made every short Buildkite failure a checkout
failure). The frames are written from Buildkite's and Travis' documented job output.
"""

from __future__ import annotations

from knownfix.core.extract import read_log
from knownfix.core.policy import FailureFacts, default_policy

BUILDKITE = (
    "~~~ Preparing working directory\n"
    "$ cd /var/lib/buildkite-agent/builds/agent-1/acme/mailer\n"
    "$ git clone -v -- git@github.com:acme/mailer.git .\n"
    "Cloning into '.'...\n"
    "$ git fetch -v --prune -- origin main\n"
    "$ git checkout -f 3f9c2d41a7e0b8c5d6f1e2a3b4c5d6e7f8091a2b\n"
    "HEAD is now at 3f9c2d4 Tidy up\n"
    "~~~ Running commands\n"
    "$ npm run lint\n"
    'npm error Missing script: "lint"\n'
    "npm error\n"
    "npm error To see a list of scripts, run:\n"
    "npm error   npm run\n"
    "🚨 Error: The command exited with status 1\n"
    "user command error: exit status 1\n"
)

TRAVIS = (
    "$ make build\n"
    "src/cart.c:3:1: error: expected ';' before '}' token\n"
    "make: *** [Makefile:4: build] Error 1\n"
    "\n"
    "$ make test\n"
    "make: *** No rule to make target 'test'.  Stop.\n"
    'The command "make build" exited with 2.\n'
    "\n"
    "Done. Your build exited with 1.\n"
)


def test_short_buildkite_failure_names_its_own_command() -> None:
    reading = read_log([BUILDKITE.encode()])
    assert reading.step.splitlines()[0] == "npm run lint"
    decision = default_policy().decide(
        FailureFacts(text=reading.excerpt.text, step=reading.step))
    assert decision.category == "configuration"


def test_a_command_echoed_after_the_failure_is_not_the_failed_one() -> None:
    reading = read_log([TRAVIS.encode()])
    assert "make test" not in reading.step.splitlines()[:1]
    assert reading.step.splitlines()[0] == "make build"
