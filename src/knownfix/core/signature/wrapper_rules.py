"""What build tools, test runners and CI systems print *around* a failure: line rules.

A wrapper reports that a step failed and points elsewhere (``[ERROR] Failed to execute goal …
on project core: There are test failures.``, ``Execution failed for task ':app:test'.``,
``npm ERR! Test failed.  See above for more details.``, ``ERROR: ct failed while processing
…: rebar_abort``). Its line names no failure, so it must not stand for one:

- an **epilogue** (the exit status, the help pointer) is boilerplate: left out of both
  fingerprints;
- a **summary** is a title of the lowest weight and a *generic* one: it is the title only when
  no other line can be, and then every other line of the excerpt joins the loose fingerprint;
- a **detail** Gradle indents under ``* What went wrong:`` (``> Could not resolve …``) is the
  failure's own message, not a command echoed after a prompt.

Ordered into :data:`knownfix.core.signature.fingerprint_rules.LINE_RULES`; each rule carries the
strategy that added it (``since``), so older strategies replay unchanged.
"""

from __future__ import annotations

from knownfix.core.signature.line_rule import BOILERPLATE, TITLE, LineRule

__all__ = ["SUMMARY_RULES", "WRAPPER_BOILERPLATE", "WRAPPER_DETAILS"]

WRAPPERS_SINCE = "2026-12-11"

# A wrapper's or runner's summary, the whole line: an optional error prefix, then only that a
# build, test run, command … failed (with an exception, with exit code N), optionally pointing
# elsewhere ("See above for more details"). Nothing in it says which failure.
_SUMMARY_PREFIX = (
    r"(?:npm ERR!|yarn error|error|\[(?:ERROR|FATAL|FAIL(?:ED|URE)?)\]|(?:ERROR|Error|FATAL"
    r"|FAIL(?:ED|URE)?|Failure|E)[:!]|##\[error\]|::error[^:]{0,200}::)?\s*"
)
_SUMMARY_SUBJECT = (
    r"(?:the |some |one or more |all |<num> )?(?:build|compilation|tests?|test (?:run|suite)s?"
    r"|testing|specs?|examples?|checks?|lint(?:ing)?|command|process|task|script|job|step|errors"
    r"|exceptions|subtests|test programs)"
)
_SUMMARY_TAIL = (
    r"(?:,? with (?:an? )?(?:exception|errors?|failures?|(?:exit )?(?:code|status)\W*\d+))?"
    r"[.!:;,]*(?i:\s+(?:see|check|look at|refer to) .*(?:above|below|log|details|output|report)"
    r".*)?\s*$"
)
_SUMMARY_BODY = (
    _SUMMARY_SUBJECT + r"(?: (?:has|have|was|were))? (?:failed|aborted|errored|occurred)"
    + r"|rake aborted|build failure|failures|there (?:were|are) failing tests"
    r"|there (?:was|were|are|is) (?:<num> )?(?:test )?"
    r"(?:failures?|errors?)|failed(?: test summary)?|errors while running ctest"
    r"|(?:process|command|script) (?:exited|completed|finished|returned|failed) with"
    r"(?: a)?(?: non-zero)? (?:exit )?(?:code|status)\W*\d+"
    r"|failed <num>/<num> (?:subtests|test programs)[^:]*"
)
_SUMMARY = _SUMMARY_PREFIX + r"(?i:" + _SUMMARY_BODY + r")" + _SUMMARY_TAIL

# -- since 2026-12-11: the wrappers of the mainstream build tools -----------------------------
# sbt names the task it ran and the exception that ended it ("[error] (Test / test)
# sbt.TestsFailedException: Tests unsuccessful"); cabal its own name.
_WRAPPER_PREFIX = (
    r"(?:npm ERR!|yarn error|error|\[(?:ERROR|FATAL|FAIL(?:ED|URE)?|error)\]"
    r"(?: \([^)]{0,200}\))?(?: [\w.]+(?:Exception|Error):)?"
    r"|(?:ERROR|Error|error|FATAL|fatal|FAIL(?:ED|URE)?|Failure|E)[:!]|##\[error\]"
    r"|::error[^:]{0,200}::"
    r"|cabal:)?\s*"
)
# What the wrappers of Maven, Gradle, sbt, cargo, tox, rebar, rake, execa, xcodebuild and cabal
# say when a step they ran failed: the step's own output, above, says why.
_WRAPPER_BODY = (
    r"compilation failure(?:: compilation failure)?|tests? unsuccessful"
    r"|(?:[\w.-]+: )?commands? failed|invocationerror for command .*"
    r"|\w+ failed while processing \S+: rebar_abort|execution failed for task '[^']*'"
    r"|test failed, to rerun pass .*|failed tests"
    r"|command failed(?: with (?:exit code|status)\W*(?:\d+|<num>)\W*?)?: .*"
    r"|\*\* (?:build|test|archive|analyze|clean)(?: \w+)? failed \*\*"
    r"|the following build commands failed|failed to build \S+?"
    r"|\S*makefile:(?:<line>|<num>): recipe for target '[^']*' failed"
)
# The same tail, and Maven's pointer to its help page after the message.
_WRAPPER_TAIL = (
    r"(?:,? with (?:an? )?(?:exception|errors?|failures?|(?:exit )?(?:code|status)\W*\d+))?"
    r"[.!:;,]*(?:\s*-> \[Help <num>\])?"
    r"(?i:\s+(?:see|check|look at|refer to) .*(?:above|below|log|details|output|report).*)?\s*$"
)
# A count of findings, a few words around it, nothing that says which ("ERROR: Detected <num>
# broken links. Scanned <num> links in <duration>.", "Error building site: logged <num>
# error(s)", "Latex failed to resolve <num> reference(s)"): the findings are listed elsewhere.
_COUNT = (
    r"(?:[A-Za-z][\w-]*[ :]+){0,4}?(?i:found|detected|logged|reported|failed to resolve"
    r"|there (?:is|are)) <num> (?:broken )?(?i:errors?|error\(s\)|problems?|issues?"
    r"|offen[cs]es?|violations?|warnings?|failures?|links?|references?|reference\(s\))[.!]?"
    r"(?:\s+[A-Z][a-z]+ <num> \w+(?: in <duration>)?\.?)*\s*$"
)
# Maven's goal line is a wrapper whose reason may be generic ("There are test failures.",
# "Compilation failure", "You have <num> Checkstyle violations.") or say what failed ("Could not
# resolve dependencies for project …"): only the former is a summary.
_MAVEN_GOAL = (
    r"\[ERROR\] Failed to execute goal .*? on project [^\s:]+: (?i:there (?:are|were|was|is)"
    r" (?:test )?(?:failures?|errors?)|compilation failure(?:: compilation failure)?"
    r"|you have <num> checkstyle violations?|(?:found|there (?:is|are)) <num> \w+ violations?)"
    r"[.!:]*(?:\s*-> \[Help <num>\])?\s*$"
)

# One rule, so that a line tries one regex for all of them (every excerpt line is classified).
_EPILOGUE = (
    # make's, Maven's and npm's epilogues with their numbers masked (the older rules expected
    # digits, which normalization has already replaced): "make: *** [Makefile:<num>: test]
    # Error <num>", "[ERROR] -> [Help <num>]", "npm ERR! shop@<version> test: `jest`", "npm ERR!
    # Exit status 1", npm 7's "npm ERR! Lifecycle script `test` failed with error:"
    r"make(?:\[<num>\])?: \*\*\* .*Error <num>(?: \(ignored\))?\s*$"
    r"|\[ERROR\] -> \[Help <num>\]\s*$"
    r"|npm ERR! (?:Failed at the .* script\b|\S+ [\w:.-]+: `|Exit status \S+\s*$"
    r"|command failed\s*$|command sh -c |Lifecycle script `[^`]*` failed|path <path>"
    r"|\s*(?:in workspace|at location):)"
    # Jenkins' and Azure Pipelines' exit lines, sbt's closing time
    r"|Build step '[^']*' marked build as failure"
    r"|##\[error\]\S+ (?:exited|failed) with (?:exit )?code '?(?:<num>|\d+)'?\.?\s*$"
    r"|\[(?:error|info|success|warn)\] Total time:"
    # GitLab's runner around the job's script: its sections, executor, image and clean-up
    r"|section_(?:start|end):|Running with gitlab-runner |on \S+ \S+, system ID:"
    r"|Preparing the \"[^\"]*\" executor|Preparing environment\s*$|Using Docker executor "
    r"|Using docker image |Pulling docker image |Running on runner-|Getting source from Git"
    r" repository|Executing \"\w+\" stage of the job script|Cleaning up (?:project directory"
    r"|file based variables)|Job succeeded\s*$"
)

# -- since 2026-12-12: Maven's pointers and banners -------------------------------------------
# Maven closes every failed build with the same lines around its goal line: where the reports
# are, its help page, how to resume, its separators and memory use. They were error lines
# ("[ERROR] Please refer to <path>/surefire-reports for the individual test results." was the
# title of any excerpt that held only Maven's epilogue) or context lines ("Final Memory: 45M/512M"
# differs from run to run); none says which failure.
MAVEN_POINTERS_SINCE = "2026-12-12"
_MAVEN_POINTER = (
    r"\[(?:ERROR|INFO|WARNING)\] (?:Please refer to .* for the individual test results"
    r"|Please refer to dump files\b|\[Help <num>\] https?://\S+\s*$"
    r"|After correcting the problems, you can resume the build|Final Memory:"
    r"|-{3,}\s*$|BUILD FAILURE\s*$)"
)

WRAPPER_BOILERPLATE: tuple[LineRule, ...] = (
    LineRule("wrapper-epilogue", BOILERPLATE, _EPILOGUE, since=WRAPPERS_SINCE),
    LineRule("maven-pointer", BOILERPLATE, _MAVEN_POINTER, since=MAVEN_POINTERS_SINCE),
)

WRAPPER_DETAILS: tuple[LineRule, ...] = (
    # Gradle's reasons under "* What went wrong:", indented with ">": a summary of their own
    # ("> There were failing tests. See the report at: …") or the message ("> Could not resolve
    # all files for configuration ':app:debugCompileClasspath'."); its task and configuration
    # headers ("> Task :app:test FAILED", "> Configure project :app") stay asides, and so does a
    # command after a prompt ("> jest --ci"), which is not a capitalized sentence of failure.
    LineRule("gradle-detail-summary", TITLE,
             r"(?:>\s+)+(?i:" + _SUMMARY_BODY + "|" + _WRAPPER_BODY + r")" + _WRAPPER_TAIL,
             weight=2, summary=True, since=WRAPPERS_SINCE),
    LineRule(
        "gradle-detail",
        TITLE,
        r"(?:>\s+)+(?!Task :|Configure project )(?P<msg>(?=[A-Z])(?=.*?\b(?i:failed|failing"
        r"|failure|could not|cannot|can't|unable to|not found|no such|errors?|exception|problem"
        r"|denied|refused|timed out|non-zero|invalid|missing|unexpected|unsupported|not allowed"
        r"|incompatible)\b).*)$",
        weight=5,
        family="jvm",
        since=WRAPPERS_SINCE,
    ),
)

SUMMARY_RULES: tuple[LineRule, ...] = (
    # A build tool's wrapper, or a count of findings (since 2026-12-11, above; one regex)
    LineRule("wrapper-summary", TITLE, _WRAPPER_PREFIX + r"(?:(?i:" + _SUMMARY_BODY + "|"
             + _WRAPPER_BODY + r")" + _WRAPPER_TAIL + "|" + _COUNT + ")", weight=2, summary=True,
             since=WRAPPERS_SINCE),
    LineRule("maven-goal-summary", TITLE, _MAVEN_GOAL, weight=2, summary=True, family="jvm",
             since=WRAPPERS_SINCE),
    # A wrapper or runner reporting that a step failed, pointing elsewhere ("Build failed with
    # an exception.", "npm ERR! Test failed.  See above for more details.", "rake aborted!",
    # "There were test failures", "Process exited with code: 2"). A title only when nothing
    # says more, and then a generic one; before the titles, which would take them for error
    # messages.
    LineRule("summary", TITLE, _SUMMARY, weight=2, summary=True, since="2026-12-09"),
    # … and a checker's or runner's count of what it found ("Found <num> error.", "✖ <num>
    # problem (…)", "<num> files inspected, <num> offense detected", CTest's "<num>% tests
    # passed, <num> tests failed out of <num>", Yarn's "Failed with errors"): the findings
    # themselves, listed above, say which failure.
    LineRule(
        "summary-count",
        TITLE,
        r"(?:(?:Found|There (?:is|are)) <num> (?:errors?|problems?|issues?|offen[cs]es?"
        r"|violations?)\b.*$|✖ <num> problems? \(.*\)$|<num> files? inspected, <num> offen[cs]es?"
        r" detected\b.*$|<num>% tests passed, <num> tests? failed out of <num>\s*$"
        r"|➤ YN0000: Failed with errors\b.*$"
        r"|(?:\[\w+\] )?You have <num> Checkstyle violations?\.?$)",
        weight=2,
        summary=True,
        since="2026-12-10",
    ),
)
