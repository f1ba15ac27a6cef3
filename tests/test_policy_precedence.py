"""A summary yields to the cause it reports (core/policy/rules.py, ``summary`` and ``cause``).

A summary rule's evidence says a stage failed (a test run's closing count, a bundler's
``Failed to compile.``, a step that ran a linter); a cause rule's says why (a crash signal, a
database error, a resource limit, a refused connection, a budget). The cause decides when it
stands in the summary's message or before it, whatever the rules' order; a cause after the
summary is a later command's failure, and a cause a test only asserts on is no cause.
"""

from __future__ import annotations

import pytest

from knownfix.core.policy import FailureFacts, default_policy, load_policy, policy_to_yaml
from knownfix.core.policy.wider import decide_wider

SMALL = """
version: 1
rules:
  - name: count
    when: {summary: true, earliest_wins: true, any_regex: ['(?m)^\\d+ failed in']}
    then: {category: test}
  - name: count-test-words
    when: {any_regex: ['\\bsegfault-test\\b']}
    then: {category: test}
  - name: segfault
    when: {cause: true, outside_test_reports: true, any_regex: ['\\bSegmentation fault\\b']}
    then: {category: crash}
"""


def decide(text: str, step: str = "") -> tuple[str, str | None]:
    decision = decide_wider(default_policy(), FailureFacts(text=text, step=step), lambda: None)
    return decision.category, decision.rule


def test_a_cause_before_the_summary_decides_whatever_the_rule_order() -> None:
    policy = load_policy(SMALL, origin="small.yaml")
    text = "Segmentation fault (core dumped)\n1 failed in 0.20s"
    assert policy.decide(FailureFacts(text=text)).rule == "segfault"
    # an unmarked rule between them that matches does not stop the cause either
    text = "segfault-test\nSegmentation fault (core dumped)\n1 failed in 0.20s"
    assert policy.decide(FailureFacts(text=text)).rule == "segfault"


def test_a_cause_after_the_summary_is_a_later_commands_failure() -> None:
    policy = load_policy(SMALL, origin="small.yaml")
    text = "1 failed in 0.20s\nThe command \"pytest\" exited with 1.\nSegmentation fault"
    assert policy.decide(FailureFacts(text=text)).rule == "count"


def test_without_a_summary_the_order_decides() -> None:
    policy = load_policy(SMALL.replace("summary: true, ", ""), origin="small.yaml")
    text = "Segmentation fault (core dumped)\n1 failed in 0.20s"
    assert policy.decide(FailureFacts(text=text)).rule == "count"


def test_summary_and_cause_survive_writing_the_policy_out() -> None:
    policy = load_policy(SMALL, origin="small.yaml")
    again = load_policy(policy_to_yaml(policy), origin="again.yaml")
    assert again == policy
    count, segfault = again.rule("count"), again.rule("segfault")
    assert count is not None
    assert segfault is not None
    assert count.when.summary
    assert segfault.when.cause


# (category, rule, failed step, excerpt): the default policy
CAUSE_WINS = [
    # automake's closing count under the test program that died of SIGSEGV (before: test)
    ("crash", "crash-signal", "make check",
     "/bin/bash: line 5:  4242 Segmentation fault      (core dumped) ./test_parse\n"
     "FAIL: test_parse\n======================\n# TOTAL: 3\n# PASS:  2\n# FAIL:  1"),
    # a pytest run whose test could not connect: what the test raised, then the count
    ("network", "network", "pytest",
     "____ test_fetch ____\n    def test_fetch():\n>       fetch('http://localhost:8080')\n"
     "E   ConnectionRefusedError: [Errno 111] Connection refused\n"
     "1 failed, 3 passed in 0.41s"),
    # a check script's budget: the step names a linter, the output a regression (before: lint)
    ("performance", "performance-regression", "./ci/check-bench.sh",
     "parse/small   time: [1.2034 us 1.2101 us 1.2170 us]\n"
     "                        Performance has regressed.\n"
     "Error: benchmark regression beyond the allowed tolerance (25% > 10%)"),
    # a linter that segfaulted is a crash, whatever the step ran (before: lint)
    ("crash", "crash-signal", "npm run lint",
     "> eslint src\n\nSegmentation fault (core dumped)\nnpm ERR! code ELIFECYCLE"),
]

SUMMARY_STANDS = [
    # a test that asserts on a connection error's message failed its assertion
    ("test", "test-summary-first", "pytest",
     "____ test_message ____\n"
     "E   AssertionError: assert 'timed out' == 'Connection refused'\n"
     "1 failed, 3 passed in 0.41s"),
    # the same for a crash message a test expects
    ("test", "test-summary-first", "pytest",
     "____ test_report ____\n"
     "E   AssertionError: assert 'ok' == 'Segmentation fault'\n"
     "1 failed, 3 passed in 0.41s"),
    # C's assert in a test program is the test's check (CTest's `Subprocess aborted`)
    ("test", "test-summary-first", "ctest --output-on-failure",
     "1/2 Test #1: strbuf_append ....Subprocess aborted***Exception:   0.01 sec\n"
     "test_strbuf: test_strbuf.c:6: main: Assertion `strlen(b) == 4' failed.\n"
     "The following tests FAILED:\n\t  1 - strbuf_append (Subprocess aborted)"),
    # a compile error under the build's closing line stays compile (the headline stands first)
    ("compile", "compile-summary", "npm run build",
     "Failed to compile.\n\n./src/App.js\nSyntaxError: src/App.js: Unexpected token (3:4)"),
]


@pytest.mark.parametrize(("category", "rule", "step", "text"), CAUSE_WINS)
def test_the_cause_outranks_the_summary_of_its_consequence(
        category: str, rule: str, step: str, text: str) -> None:
    assert decide(text, step) == (category, rule)


@pytest.mark.parametrize(("category", "rule", "step", "text"), SUMMARY_STANDS)
def test_the_summary_stands_when_no_cause_made_the_stage_fail(
        category: str, rule: str, step: str, text: str) -> None:
    assert decide(text, step) == (category, rule)


def test_a_cause_around_a_summary_only_excerpt_decides() -> None:
    """webpack prints ``Failed to compile.`` over the budget it failed on; when the excerpt
    keeps only the headline, the lines around it name the cause."""
    facts = FailureFacts(text="Failed to compile.", step="razzle build")
    window = ("Failed to compile.\nasset size limit: The following asset(s) exceed the "
              "recommended size limit (244 KiB).\nThis can impact web performance.")
    assert decide_wider(default_policy(), facts, lambda: window).category == "performance"
    # with no cause around it, the headline decides
    plain = "Creating an optimized production build...\nFailed to compile."
    assert decide_wider(default_policy(), facts, lambda: plain).rule == "compile-summary"
    # nor when the excerpt holds the compiler's error under it: that is why it failed
    facts_error = FailureFacts(text="Failed to compile.\n./src/App.js\nSyntaxError: "
                               "src/App.js: Unexpected token (3:4)", step="razzle build")
    assert decide_wider(default_policy(), facts_error, lambda: window).category == "compile"
    # and only a cause may override it from the window: not another stage's report
    other = "Failed to compile.\n2 failed, 10 passed in 1.20s"
    assert decide_wider(default_policy(), facts, lambda: other).rule == "compile-summary"


def test_a_summary_around_the_excerpt_does_not_name_the_steps_stage() -> None:
    """partest prints a test's result as ``[compilation failed]``: read in the lines around a
    test step's excerpt, that summary does not make the test step a compile failure."""
    facts = FailureFacts(text="!! 12 - run/t1234.scala   [output differs]",
                         step="sbt -warn test/it:testAll")
    window = ("!! 11 - neg/t742.scala   [compilation failed]\n"
              "!! 12 - run/t1234.scala   [output differs]")
    assert decide_wider(default_policy(), facts, lambda: window).category == "test"
