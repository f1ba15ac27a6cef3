"""Maven and Surefire in a Travis job: which of the build's reports explain its failure."""

from __future__ import annotations

from knownfix.core.extract import extract_excerpt_from_text


def _travis_mvn(output: str) -> str:
    return (
        "travis_time:start:0a\n$ mvn clean verify -B\n"
        + output
        + "travis_time:end:0a:start=1,finish=2,duration=1\n"
        + 'The command "mvn clean verify -B" exited with 1.\n\nDone. Your build exited with 1.\n'
    )


_PASSING_CLASS_LOGS_A_TRACE = (
    "Running com.acme.CloseablesTest\n"
    "WARNING: Error occurred while closing com.acme.CloseablesTest$Stub@2a0de98e\n"
    "java.io.IOException: boom\n"
    "\tat com.acme.CloseablesTest.ignoresErrors(CloseablesTest.java:37)\n"
    "\tat org.junit.runners.ParentRunner.run(ParentRunner.java:363)\n"
    "\n"
    "Tests run: 3, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.002 sec - in "
    "com.acme.CloseablesTest\n"
)


def test_a_trace_a_passing_test_class_logged_loses_to_the_goal_that_failed() -> None:
    log = _travis_mvn(
        _PASSING_CLASS_LOGS_A_TRACE
        + "".join(f"[INFO] Analyzed bundle 'core' with {i} classes\n" for i in range(30))
        + "[WARNING] Rule violated for bundle core: lines covered ratio is 0.00, but expected "
        "minimum is 0.80\n"
        "[INFO] BUILD FAILURE\n"
        "[ERROR] Failed to execute goal org.jacoco:jacoco-maven-plugin:0.7.9:check "
        "(default-check) on project core: Coverage checks have not been met. See log for "
        "details. -> [Help 1]\n"
    )
    excerpt = extract_excerpt_from_text(log)
    assert "Rule violated for bundle core" in excerpt.text
    assert "java.io.IOException" not in excerpt.text


def test_the_same_trace_counts_when_its_test_class_failed() -> None:
    log = _travis_mvn(
        _PASSING_CLASS_LOGS_A_TRACE.replace("Failures: 0, Errors: 0", "Failures: 0, Errors: 1")
        + "[INFO] BUILD FAILURE\n"
    )
    assert "java.io.IOException: boom" in extract_excerpt_from_text(log).text


def test_surefires_list_of_failed_tests_is_shown_beside_the_first_report() -> None:
    log = _travis_mvn(
        "Running com.acme.InvoiceTest\n"
        "Tests run: 4, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.05 sec <<< FAILURE!"
        " - in com.acme.InvoiceTest\n"
        "totalIncludesVat(com.acme.InvoiceTest)  Time elapsed: 0.01 sec  <<< FAILURE!\n"
        "java.lang.AssertionError: expected:<119> but was:<100>\n"
        "\tat com.acme.InvoiceTest.totalIncludesVat(InvoiceTest.java:27)\n\n"
        + "".join(
            f"Running com.acme.Other{i}Test\nTests run: 2, Failures: 0, Errors: 0, Skipped: 0, "
            f"Time elapsed: 0.1 sec - in com.acme.Other{i}Test\n"
            for i in range(80)
        )
        + "\nResults :\n\nFailed tests: \n"
        "  InvoiceTest.totalIncludesVat:27 expected:<119> but was:<100>\n\n"
        "Tests run: 164, Failures: 1, Errors: 0, Skipped: 0\n\n[INFO] BUILD FAILURE\n"
    )
    excerpt = extract_excerpt_from_text(log)
    assert "totalIncludesVat(com.acme.InvoiceTest)" in excerpt.text  # the report: why
    assert "Failed tests: \n  InvoiceTest.totalIncludesVat:27" in excerpt.text  # the list: which


def test_a_dependency_maven_could_not_resolve_is_the_failure() -> None:
    log = _travis_mvn(
        "[INFO] Building twitter-search 1.0-SNAPSHOT\n"
        "WARNING: Failed downloading org/acme/api/1.0-SNAPSHOT/maven-metadata.xml. Reason:\n"
        "org.eclipse.aether.transfer.MetadataNotFoundException: Could not find metadata "
        "org.acme:api:1.0-SNAPSHOT/maven-metadata.xml in apache-snapshots\n"
        "INFO: started\n"
        "[INFO] BUILD FAILURE\n"
        "[ERROR] Failed to execute goal on project twitter-search: Could not resolve "
        "dependencies for project org.acme:twitter-search:war:1.0-SNAPSHOT: Could not find "
        "artifact org.acme:twitter-api:jar:1.0-SNAPSHOT\n"
        "[ERROR] \n[ERROR] -> [Help 1]\n"
    )
    excerpt = extract_excerpt_from_text(log)
    assert "on project twitter-search: Could not resolve dependencies" in excerpt.text


def test_maven_lines_behind_a_logback_prefix_are_read_as_maven() -> None:
    prefix = "05:24:24.635 [Thread-8] DEBUG f.i.s.r.MavenOutputHandler - "
    log = "".join(
        prefix + line + "\n"
        for line in [
            "[INFO] Running com.acme.FooTest",
            "[INFO] ------------------------------------------------------------------------",
            "[INFO] BUILD FAILURE",
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.19.1"
            ":test (default-test) on project core: The forked VM terminated without properly "
            "saying goodbye. VM crash or System.exit called?",
            "[ERROR] -> [Help 1]",
        ]
    )
    excerpt = extract_excerpt_from_text(log)
    assert excerpt.text.count("\n") <= 1
    assert "The forked VM terminated" in excerpt.text


def test_gradles_report_points_back_at_the_failed_tasks_own_output() -> None:
    log = (
        "travis_time:start:0b\n$ ./gradlew build --continue\n"
        ":api:compileJava\n"
        "error  : Cannot find /error/aQute.libg;version=[3.5.0,4.0.0) Not found in [bnd-cache]\n"
        "error  : biz.aQute.bndlib;version=[3.5.0,4.0.0) Not found in [bnd-cache]\n"
        " FAILED\n"
        + "".join(f":module{i}:processResources UP-TO-DATE\n" for i in range(40))
        + "FAILURE: Build completed with 1 failure.\n\n"
        "* What went wrong:\n"
        "Execution failed for task ':api:compileJava'.\n"
        "> api has errors, 2 errors were reported\n\n"
        "* Try:\nRun with --stacktrace option to get the stack trace.\n\n"
        "BUILD FAILED in 22s\n"
        "travis_time:end:0b:start=1,finish=2,duration=1\n"
        'The command "./gradlew build --continue" exited with 1.\n'
    )
    excerpt = extract_excerpt_from_text(log)
    assert "Execution failed for task ':api:compileJava'." in excerpt.text
    assert "Cannot find /error/aQute.libg" in excerpt.text


def test_a_static_analysis_finding_outranks_the_goal_that_counts_it() -> None:
    log = _travis_mvn(
        "[INFO] --- maven-pmd-plugin:3.8:check (pmd-check) @ abstract-factory ---\n"
        "[INFO] PMD Failure: com.acme.App:42 Rule:UnusedImports Priority:4 Avoid unused imports"
        " such as 'java.util.List'.\n"
        "[INFO] ------------------------------------------------------------------------\n"
        "[INFO] Reactor Summary:\n[INFO] \n"
        "[INFO] patterns ........................................... SUCCESS [  0.512 s]\n"
        "[INFO] abstract-factory ................................... FAILURE [  2.344 s]\n"
        "[INFO] ------------------------------------------------------------------------\n"
        "[INFO] BUILD FAILURE\n"
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-pmd-plugin:3.8:check "
        "(pmd-check) on project abstract-factory: You have 1 PMD violation. For more details see:"
        " /home/travis/build/acme/patterns/abstract-factory/target/pmd.xml -> [Help 1]\n"
    )
    excerpt = extract_excerpt_from_text(log)
    assert excerpt.text.startswith("[INFO] PMD Failure: com.acme.App:42 Rule:UnusedImports")
