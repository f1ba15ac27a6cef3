"""How a job ended: failed, passed, or an empty log.

Teams run triage on every job (``if: always()``), so a passing run must be recognised as one.
Success is judged on how the job *ended*, never on a success line somewhere in it: a log can
show passing tests and then fail in a later step. In order:

1. The CI system's verdict among the log's last lines ("Job succeeded", "Done. Your build
   exited with 0.", "Finished: SUCCESS"; a non-zero one is a failure).
2. Any non-zero step exit ("##[error]Process completed with exit code 1", "The command ...
   exited with 1.") or CI error annotation: failed.
3. The CI system's last words, printed whatever the outcome (GitHub Actions' "Cleaning up
   orphan processes", Azure's "##[section]Finishing: ..."), with no error in the whole log:
   passed.
4. A log framed by a CI system (its step markers) but without its verdict was cut short or
   lost its end: not a pass.
5. Output of tools alone (no CI framing), judged by the last tool summary: passed when it
   reports nothing failed ("4 passed in 1.87s", "BUILD SUCCESS", "test result: ok.") and
   nothing after it reports a failure, and nothing anywhere in the log counts failures or is
   an unmistakable failure (a compiler error, a failed test's report).

Anything else is a failure: a wrong "passed" would hide a red build, a wrong "failed" only asks
for a look.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knownfix.core.extract.rules.ci import STEP_OPENERS
from knownfix.core.extract.scan import Anchor
from knownfix.core.extract.view import LogView
from knownfix.core.records import Outcome

VERDICT_REACH = 8
"""Non-blank lines at the end of a log in which the CI system's verdict must stand."""
FAILURE_WEIGHT = 2.5
"""Weight from which an error line after the last success line says the job did not pass
(generic failure words count; a stray "error" inside a word does not)."""
UNMISTAKABLE = 7.0
"""Rule weight of the failures no passing run prints: compiler errors, failed tests' reports
(a logged exception, weight 6, is printed by passing runs too)."""
_JOB_PASSED = "job_passed_"
_JOB_ENDED = "job_ended_"
_FAILED_JOB = frozenset({"travis_done", "jenkins_finished", "gitlab_exit", "taskcluster_exit"})
_CI_ERRORS = frozenset({"gha_error", "gha_annotation"})
_CI_ERROR_LINE = re.compile(r"##\[error\]\S|::error(?: [^:]*)?::")
_CI_FRAMING = STEP_OPENERS | {"travis_end", "gitlab_section_end", "gitlab_after_section"}
_REPORTS_FAILURE = frozenset({"summary", "closer", "exit"})
_FAILURE_WORD = re.compile(
    r"\b(?:fail\w*|errors?|exceptions?|fatal|denied|abort\w*|panic\w*|killed|timed? ?out|"
    r"cannot|can't|unable|not found|missing|invalid|violations?|problems?|offen[cs]es?)\b"
    r"|[✖✗✘✕]",
    re.IGNORECASE,
)
"""Summary and closing lines print in passing runs too ("5 actionable tasks: 5 executed",
"Ran all test suites."): only those that say something failed count."""
_NONZERO_EXIT = re.compile(
    r"\b(?:exit(?:ed)?|returned|status|code)\b[^\n]{0,24}?(?:code|status)[: ]+\(?-?[1-9]\d*\b"
    r"|\bnon-zero exit\b",
    re.IGNORECASE,
)
"""A wrapper's report of a non-zero exit ("exited with code 1", "returned non-zero exit
status 2"): whatever printed success before it, the command failed."""
_TAIL_FAILURE = re.compile(
    r"\b(?:errors?|fail(?:ed|ure|ures|ing)?|fatal|denied|exception|traceback|abort(?:ed)?"
    r"|panic\w*|killed|cannot|can't|unable to|not found|refused|timed out)\b",
    re.IGNORECASE,
)
_ZERO_FAILURES = re.compile(r"\b(?:0|no) (?:errors?|failures?|failed|failing)\b", re.IGNORECASE)
_FAILURE_COUNT = re.compile(r"\b[1-9]\d* (?:failed|failures?|errors?|failing|broken)\b", re.I)
"""A count of failures, whatever rule classified its line ("1 failed, 3 passed in 2.01s")."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """How the job ended, the line that says so (if any) and why, in a few words."""

    outcome: Outcome
    line: int | None = None
    reason: str = ""


def judge_outcome(view: LogView) -> Verdict:
    """The outcome of the job whose log ``view`` shows (see the module docstring)."""
    last = _last_content_line(view)
    if last == 0:
        return Verdict("empty", None, "the log is empty or blank")
    anchors = view.anchors
    passes = [a for a in anchors if a.rule.role == "pass"]
    final = _final_verdict(view, anchors, last)
    if final is not None:
        return final
    failure = next((a for a in anchors if _fails_job(a)), None)
    if failure is not None:
        return Verdict("failed", failure.line, "a step failed")
    ended = [a for a in passes if a.rule.name.startswith(_JOB_ENDED)]
    if ended and _within_reach(view, ended[-1].line, last):
        return Verdict("passed", ended[-1].line, "the job ended with no step failed")
    if any(a.rule.name in _CI_FRAMING for a in anchors):
        return Verdict("failed", None, "the CI system's verdict is missing (a log cut short?)")
    summaries = [a for a in passes if not a.rule.name.startswith((_JOB_ENDED, _JOB_PASSED))]
    if not summaries:
        return Verdict("failed", None, "no line says the job succeeded")
    summary = summaries[-1]
    later = next((a for a in anchors if a.line > summary.line and _reports_failure(a)), None)
    later_line = _failure_word_after(view, summary.line) if later is None else later.line
    if later_line is not None:
        return Verdict("failed", later_line, "a failure follows the last success")
    counted = next((a for a in anchors if _counts_failures(a)), None)
    if counted is not None:
        return Verdict("failed", counted.line, "the log reports a failure")
    return Verdict("passed", summary.line, "the last summary reports nothing failed")


def _final_verdict(view: LogView, anchors: list[Anchor], last: int) -> Verdict | None:
    """The CI system's own verdict, when one of the log's last lines gives it."""
    for anchor in reversed(anchors):
        if not _within_reach(view, anchor.line, last):
            return None
        name = anchor.rule.name
        if name.startswith(_JOB_PASSED):
            return Verdict("passed", anchor.line, "the CI system says the job succeeded")
        if name in _FAILED_JOB:
            return Verdict("failed", anchor.line, "the CI system says the job failed")
    return None


def _counts_failures(anchor: Anchor) -> bool:
    """True for a line that says the run failed wherever it stands: a summary counting
    failures, a non-zero exit, or an unmistakable failure (passing runs log exceptions, never
    these)."""
    rule = anchor.rule
    if rule.role in ("summary", "closer", "header"):  # "The following tests FAILED:"
        return _FAILURE_WORD.search(anchor.clean) is not None or _NONZERO_EXIT.search(
            anchor.clean) is not None
    if rule.role != "error":
        return False
    return rule.weight >= UNMISTAKABLE or _FAILURE_COUNT.search(anchor.clean) is not None


def _fails_job(anchor: Anchor) -> bool:
    # A GitHub Actions error annotation fails the step whatever other rule claimed its line
    # ("##[error]The process '/usr/bin/git' failed with exit code 128" reads as a child's exit).
    return (anchor.rule.role == "exit" or anchor.rule.name in _CI_ERRORS
            or _CI_ERROR_LINE.match(anchor.clean) is not None)


def _reports_failure(anchor: Anchor) -> bool:
    rule = anchor.rule
    if rule.role == "exit":
        return True
    if rule.role in _REPORTS_FAILURE:
        return _FAILURE_WORD.search(anchor.clean) is not None or _NONZERO_EXIT.search(
            anchor.clean) is not None
    return rule.role in ("error", "header") and rule.weight >= FAILURE_WEIGHT


def _failure_word_after(view: LogView, line: int) -> int | None:
    """The first kept line after ``line`` that says something failed, in words no rule knows
    ("denied: requested access to the resource is denied"): a pass is never taken on trust."""
    for number in range(line + 1, view.total + 1):
        text = view.clean(number)
        if text and _TAIL_FAILURE.search(text) and not _ZERO_FAILURES.search(text):
            return number
    return None


def _last_content_line(view: LogView) -> int:
    """The last line with something on it; 0 for a log of blank lines only.

    The scan keeps the log's last lines: a log whose kept end is all blank but which is longer
    than that may hold something earlier, so its end counts as content (it is not empty).
    """
    for number in range(view.total, 0, -1):
        text = view.clean(number)
        if text is None:
            return view.total
        if text.strip():
            return number
    return 0


def _within_reach(view: LogView, line: int, last: int) -> bool:
    """True when at most :data:`VERDICT_REACH` non-blank lines follow ``line`` up to ``last``."""
    after = 0
    for number in range(line + 1, last + 1):
        text = view.clean(number)
        if text is None:
            return False
        if text.strip():
            after += 1
            if after > VERDICT_REACH:
                return False
    return True
