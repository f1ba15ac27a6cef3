"""JVM builds: Java stack traces, Maven and Surefire, Gradle, sbt and ScalaTest."""

from __future__ import annotations

from knownfix.core.extract.rules.base import LineRule

_JAVA_EXC = r"(?:[a-z_][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable|Failure|Failed)\b"

RULES: tuple[LineRule, ...] = (
    # Maven: the lines it prints around every failure, which never say why.
    LineRule(
        "maven_noise",
        r"^\[ERROR\] (?:-> \[Help|To see the full stack|Re-run Maven|For more information about"
        r"|After correcting the problems|\s*mvn <args>|\[Help \d+\]"
        r"|Failed to execute goal .*: (?:There are test failures|Compilation failure)"
        r"|Tests run:.*Fail|There are test failures|Please refer to|Crash dump)"
        r"|^\[ERROR\]\s*$",  # the empty line between them
        "noise",
        0.5,
        "none",
        "none",
    ),
    LineRule("maven_build_failure", r"^(?:\[INFO\] )?BUILD FAILURE", "closer", 0.5, "none", "none"),
    # Maven's verdict on the goal that broke the build, when it says more than "see the tests"
    # or "see the compiler" (those two are noise above): a dependency that cannot be resolved,
    # a forked VM that crashed, a check that was not met. The build's own verdict: it outranks
    # an exception the build merely logged on the way (6), not a failed test (7) or a compiler
    # error (8).
    LineRule("maven_goal_failed", r"^\[ERROR\] Failed to execute goal\b", "error", 6.5, "none"),
    LineRule(
        "maven_compile",
        r"^\[ERROR\] \S+\.(?:java|kt|scala|groovy):\[?\d+[,:]\d+\]?",
        "error",
        8,
        "none",
    ),
    LineRule("maven_compilation_header", r"^\[ERROR\] COMPILATION ERROR", "header", 4, "none"),
    LineRule(
        "maven_failed_tests",
        r"^\[ERROR\] (?:Failures|Errors|Failed tests|Tests in error):\s*$"
        r"|^(?:Failed tests|Tests in error):",
        "header",
        5,
        "none",
        "para",
    ),
    LineRule(
        "surefire_failure",
        r"<<< (?:FAILURE|ERROR)!$",
        "header",
        7,
        "none",
        "cont",
    ),
    # Static analysis run by Maven, each finding with its file, line and rule (maven-pmd-plugin,
    # maven-checkstyle-plugin at severity warning, spotbugs-maven-plugin): more specific than
    # the goal's verdict that only counts them ("You have 2 PMD violations").
    LineRule("maven_pmd_finding", r"^(?:\[\w+\] )?PMD Failure: \S+:\d+ Rule:\w+", "error", 7),
    LineRule(
        "maven_checkstyle_finding",
        r"^\[WARN(?:ING)?\] \S+\.(?:java|kt|scala|groovy):\[?\d+(?:[,:]\d+)?\]? \(\w+\) \w+: ",
        "error",
        7,
        "none",
        "none",
    ),
    LineRule(
        "spotbugs_finding",
        r"^\[(?:ERROR|WARNING|INFO)\] (?:High|Medium|Low|Scariest|Scary|Troubling|Of Concern): "
        r".* At \S+\.java:\[lines? \d+",
        "error",
        7,
        "none",
        "none",
    ),
    # the reactor's line for the module that failed: which module, never why
    LineRule(
        "maven_module_failed", r"^\[INFO\] \S.* \.{3,} FAILURE \[", "summary", 2, "none", "none"
    ),
    LineRule("maven_error", r"^\[ERROR\] \S", "error", 4, "para", "para"),
    LineRule(
        "surefire_summary",
        r"^(?:\[\w+\] )?Tests run: \d+, Failures: \d+, Errors: \d+",
        "summary",
        1.5,
        "none",
        "none",
    ),
    # Gradle
    LineRule("gradle_what", r"^\* What went wrong:", "header", 6, "none", "section"),
    LineRule(
        "gradle_try", r"^\* (?:Try|Get more help|Exception is):", "noise", 0.3, "none", "none"
    ),
    LineRule(
        "gradle_failure_banner",
        r"^FAILURE: Build failed with an exception|^\d+ actionable tasks?:",
        "closer",
        1,
        "none",
        "none",
    ),
    LineRule("gradle_failure", r"^BUILD FAILED\b", "closer", 1, "none", "none"),
    LineRule("gradle_task_failed", r"^> Task \S+ FAILED$", "summary", 2, "none", "none"),
    LineRule("gradle_test_failed", r"^\S.* > .* FAILED$", "error", 7, "none", "cont"),
    LineRule("gradle_tests_summary", r"^\d+ tests? completed, \d+ failed", "summary", 1.5),
    # sbt and ScalaTest
    LineRule(
        "sbt_noise",
        r"^\[error\] (?:Total time|\([^)]*\) sbt\.TestsFailedException|Failed: Total"
        r"|Error during tests|\(.*\) .*failed due to previous errors|one error found"
        r"|\d+ errors found|Failed tests:$)",
        "closer",
        0.8,
        "none",
        "none",
    ),
    LineRule("scalatest_failed", r"\*\*\* FAILED \*\*\*", "error", 7, "none", "cont"),
    LineRule(
        "sbt_compile",
        r"^\[error\] \S+\.(?:scala|java|sbt):\d+(?::\d+)?:",
        "error",
        8,
        "none",
        "cont",
    ),
    LineRule("sbt_error", r"^\[error\] \S", "error", 4, "para", "para"),
    # Java exceptions and their causes.
    LineRule("java_caused_by", rf"^\s*Caused by: {_JAVA_EXC}", "error", 6, "none", "cont"),
    LineRule(
        "java_exception",
        rf"^\s*(?:Exception in thread \"[^\"]*\" )?{_JAVA_EXC}(?::.*)?$",
        "error",
        6,
        "para",
        "cont",
    ),
    # Coverage gates (JaCoCo's check goal, and the like): the rule that was not met.
    LineRule(
        "coverage_threshold",
        r"Rule violated for |Coverage checks have not been met",
        "error",
        6,
        "none",
        "none",
    ),
    LineRule("junit_assert", r"^\s*(?:junit\.framework\.|org\.junit\.)\S*Failure", "error", 6),
    LineRule("kotlin_compile", r"^e: (?:file://)?\S+\.kts?:", "error", 8, "none", "cont"),
    LineRule("java_compile", r"^\S+\.java:\d+: error: ", "error", 8, "none", "cont"),
)

REPORT_FOLLOWS = frozenset({"maven_build_failure", "gradle_failure_banner"})
"""Closers the build tool's report of why follows (Maven's ``[ERROR] Failed to execute goal``
after ``BUILD FAILURE``, Gradle's ``* What went wrong:`` after ``FAILURE: Build failed``): a step
with no exit line does not end at them."""

SCAN_TERMS: tuple[str, ...] = (
    r"\[error\]",
    r"<<< (?:FAILURE|ERROR)!",
    r"Tests run: ",
    r"What went wrong",
    r"\* (?:Try|Get more help|Exception is):|actionable tasks?:",
    r"BUILD FAIL",
    r"FAILED",
    r"Tests in error",
    r"Caused by: ",
    r"(?-i:(?m:^)e: )",
    r"Exception|Error|Throwable",
    r"Rule violated for |Coverage checks have not",
    r"\.(?:java|kt|scala|groovy):\[?\d+(?:[,:]\d+)?\]? \(\w+\) ",
    r" At \S+\.java:\[lines? \d",
)

FAILURE_LISTS = frozenset({"maven_failed_tests"})
"""A test run's list of its failed tests, printed after the detailed reports (Surefire's
``Results``: ``Failed tests:``, ``Tests in error:``): shown beside the first detailed report, it
names every failed test where the report names one."""
