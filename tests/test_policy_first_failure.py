"""The default policy names the first failure of a Travis job whose script ran on after it.

Travis runs every command of the ``script`` phase, so one excerpt can hold ESLint's report of
the first command and the error the tests met after it (a module of the project that is
missing, a database or host they could not reach, a data file that does not parse). The job
went red on the first (PROTOCOL.md, rule 1): configuration, database, network and data
evidence competes on where it stands (``earliest_wins``) with lint, type-check, compile and
dependency evidence; a cause seen first still wins, and a test's own report never competes
(a test that errors on a refused connection failed because of it).
"""

from __future__ import annotations

import pytest

from knownfix.core.policy import FailureFacts, default_policy

ESLINT = ("/home/travis/build/acme/widget/src/a.js\n  3:7  error  'x' is assigned a value but "
          "never used  no-unused-vars\n\n✖ 1 problem (1 error, 0 warnings)\n")
MYPY = "app/cart.py:12: error: Incompatible return value type (got \"str\", expected \"int\")\n" \
       "Found 1 error in 1 file (checked 9 source files)\n"

LATER = {
    "configuration": "  1) parser\n       parses:\n     Error: Cannot find module './lib/missing'",
    "database": "     SequelizeConnectionRefusedError: connect ECONNREFUSED 127.0.0.1:5432",
    "network": "     Error: getaddrinfo ENOTFOUND registry.example.com registry.example.com:443",
    "data": "SyntaxError: Unexpected token } in JSON at position 312",
}


@pytest.mark.parametrize("later", sorted(LATER))
def test_a_lint_report_before_a_later_steps_cause_is_the_failure(later: str) -> None:
    facts = FailureFacts(text=ESLINT + LATER[later], step="npm run lint\neslint src")
    assert default_policy().decide(facts).category == "lint"


@pytest.mark.parametrize("later", ["database", "network"])
def test_a_type_checker_before_a_later_cause_is_the_failure(later: str) -> None:
    assert default_policy().decide(FailureFacts(text=MYPY + LATER[later])).category == "type-check"


@pytest.mark.parametrize("first", sorted(LATER))
def test_a_cause_seen_first_still_wins(first: str) -> None:
    assert default_policy().decide(FailureFacts(text=LATER[first] + "\n" + ESLINT)).category \
        == first


def test_a_tests_report_does_not_compete_with_the_cause_it_met() -> None:
    text = ("  1) Users\n       \"before all\" hook:\n     MongoNetworkError: failed to connect to "
            "server [localhost:27017] on first connect\n\n  0 passing (40ms)\n  1 failing")
    assert default_policy().decide(FailureFacts(text=text, step="npm test")).category == "database"
