"""Fingerprints 2026-12-11: what build tools and CI systems print around a failure (a Maven goal,
a Gradle task, sbt, cargo, tox, rebar, npm's script lines, make's and Maven's epilogues, counts of
findings) never stands for the failure: epilogues are boilerplate, wrappers are generic summaries,
so the lines they wrap tell two failures apart. Rules: ``knownfix.core.signature.wrapper_rules``."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knownfix.core.signature.fingerprint import _classify, fingerprint_excerpt

# (name, line, kind, summary): the kind the current strategy gives the line
LINE_CASES = [
    ("maven goal, test failures",
     "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.22.2:test "
     "(default-test) on project core: There are test failures.", "title", True),
    ("maven goal, compilation failure",
     "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.8.1:compile"
     " (default-compile) on project core: Compilation failure: Compilation failure:",
     "title", True),
    ("maven goal, checkstyle count",
     "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-checkstyle-plugin:3.1.0:check"
     " (validate) on project core: You have 1 Checkstyle violation. -> [Help 1]", "title", True),
    ("gradle task", "Execution failed for task ':app:testDebugUnitTest'.", "title", True),
    ("gradle detail summary",
     "> There were failing tests. See the report at: file:///home/u/b/build/reports/index.html",
     "title", True),
    ("sbt", "[error] (Test / test) sbt.TestsFailedException: Tests unsuccessful", "title", True),
    ("sbt compile", "[error] (compile:compileIncremental) Compilation failed", "title", True),
    ("sbt list header", "[error] Failed tests:", "title", True),
    ("cargo", "error: test failed, to rerun pass '--lib'", "title", True),
    ("tox invocation",
     "ERROR: InvocationError for command /home/u/.tox/py37/bin/pytest (exited with code 1)",
     "title", True),
    ("tox env", "ERROR:   py37: commands failed", "title", True),
    ("rebar", "ERROR: ct failed while processing /home/travis/build/o/ejabberd: rebar_abort",
     "title", True),
    ("rake", "Command failed with status (1): [ruby -I/home/u/gems/rspec/lib /x/rspec]",
     "title", True),
    ("execa", "Error: Command failed with exit code 1: npm run build", "title", True),
    ("xcodebuild", "** TEST FAILED **", "title", True),
    ("xcodebuild list", "The following build commands failed:", "title", True),
    ("cabal", "cabal: Failed to build foo-0.1.0.", "title", True),
    ("make recipe", "Makefile:120: recipe for target 'xref' failed", "title", True),
    ("count, links", "ERROR: Detected 1 broken links. Scanned 583 links in 2.3 s.", "title", True),
    ("count, hugo", "Error: Error building site: logged 102 error(s)", "title", True),
    ("count, latex", "Latex failed to resolve 3 reference(s)", "title", True),
    ("make epilogue", "make: *** [Makefile:12: test] Error 1", "boilerplate", False),
    ("make epilogue, nested", "make[2]: *** [src/CMakeFiles/foo.dir/all] Error 2",
     "boilerplate", False),
    ("maven help", "[ERROR] -> [Help 1]", "boilerplate", False),
    ("npm script line", "npm ERR! shop@1.0.0 test: `jest --ci`", "boilerplate", False),
    ("npm failed at", "npm ERR! Failed at the shop@1.0.0 test script.", "boilerplate", False),
    ("npm exit status", "npm ERR! Exit status 1", "boilerplate", False),
    ("jenkins", "Build step 'Execute shell' marked build as failure", "boilerplate", False),
    ("azure", "##[error]Bash exited with code '1'.", "boilerplate", False),
    ("sbt total time", "[error] Total time: 12 s, completed Jan 1, 2019 10:00:00 AM",
     "boilerplate", False),
    ("gitlab section", "section_end:1796648901:step_script", "boilerplate", False),
    ("gitlab stage", 'Executing "step_script" stage of the job script', "boilerplate", False),
    ("gitlab image", "Using docker image sha256:7f8f7eed for golang:1.22 with digest golang@sha"
     "256:c614106a ...", "boilerplate", False),
    ("gitlab clean-up", "Cleaning up project directory and file based variables", "boilerplate",
     False),
    ("go vet", "vet: ./inventory.go:20:2: invalid operation: s[item] -= item (mismatched types "
     "int and string)", "title", False),
    # Gradle's reasons are messages, not commands; its task headers and prompts stay asides
    ("gradle detail",
     "> Could not resolve all files for configuration ':app:debugCompileClasspath'.",
     "title", False),
    ("gradle nested detail", "   > Could not find com.android.tools.build:gradle:3.5.0.",
     "title", False),
    ("gradle task header", "> Task :app:compileJava FAILED", "aside", False),
    ("npm prompt", "> jest --ci", "aside", False),
    ("npm script echo", "> shop@1.0.0 test /home/travis/build/o/shop", "aside", False),
    # a wrapper that says what failed stays an error message
    ("maven goal, dependency",
     "[ERROR] Failed to execute goal on project core: Could not resolve dependencies for project"
     " a:b:jar:1.0: Could not find artifact c:d:jar:2.0 in central", "title", False),
]


@pytest.mark.parametrize(("name", "line", "kind", "summary"), LINE_CASES,
                         ids=[case[0] for case in LINE_CASES])
def test_wrapper_lines(name: str, line: str, kind: str, summary: bool) -> None:
    classified = _classify(1, line)
    assert classified.kind == kind, name
    assert bool(classified.rule and classified.rule.summary) == summary, name


# What a wrapper wraps: two failures and a rerun of the first (another line number and timing).
WRAPPED = (
    "Failed tests:\n  InvoiceTest.totalIncludesVat:27 expected:<119> but was:<100>\n",
    "Failed tests:\n  InvoiceTest.roundsHalfUp:41 expected:<3> but was:<2>\n",
    "Failed tests:\n  InvoiceTest.totalIncludesVat:29 expected:<119> but was:<100>\n",
)
WRAPPERS = [
    "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.12.4:test "
    "(default-test) on project billing: There are test failures.\n[ERROR] -> [Help 1]",
    "FAILURE: Build failed with an exception.\n* What went wrong:\nExecution failed for task "
    "':test'.\n> There were failing tests. See the report at: file:///b/build/index.html",
    "[error] (test:test) sbt.TestsFailedException: Tests unsuccessful\n[error] Total time: 3 s",
    "npm ERR! billing@1.0.0 test: `mocha`\nnpm ERR! Exit status 1\nnpm ERR! Failed at the "
    "billing@1.0.0 test script.",
    "make: *** [Makefile:12: test] Error 1",
]


@pytest.mark.parametrize("wrapper", WRAPPERS, ids=["maven", "gradle", "sbt", "npm", "make"])
def test_a_wrapper_does_not_stand_for_what_it_wraps(wrapper: str) -> None:
    first, other, rerun = (fingerprint_excerpt(body + wrapper) for body in WRAPPED)
    assert first.loose_fingerprint != other.loose_fingerprint
    assert first.loose_fingerprint == rerun.loose_fingerprint
    assert "Failed to execute goal" not in first.title
    assert "Error <num>" not in first.title


def test_a_count_of_findings_yields_to_the_findings() -> None:
    def links(url: str) -> str:
        return f"[404] {url}\n\nERROR: Detected 1 broken links. Scanned 583 links in 2.3 s."

    local = fingerprint_excerpt(links("http://localhost:5422"))
    bundle = fingerprint_excerpt(links("http://localhost:5710/docs/4.3/dist/js/bundle.js"))
    assert local.title == "[<num>] http://localhost:<port>"
    assert local.loose_fingerprint != bundle.loose_fingerprint


def test_a_line_that_only_holds_a_failure_word_is_generic() -> None:
    # codespell's hint names no misspelling: the words it found, above, do.
    hint = ("^ Warning: codespell identified likely spelling errors. Any false positives? Add "
            "them to the list of ignored words in test/lint/lint-spelling.ignore-words.txt")
    a = fingerprint_excerpt(f"src/wallet.cpp:12: teh ==> the\n{hint}")
    b = fingerprint_excerpt(f"src/net.cpp:40: recieve ==> receive\n{hint}")
    assert a.title == b.title
    assert a.loose_fingerprint != b.loose_fingerprint
    assert "(generic title)" in a.reasons[2]
    older = [fingerprint_excerpt(text, version="2026-12-10").loose_fingerprint
             for text in (f"src/wallet.cpp:12: teh ==> the\n{hint}",
                          f"src/net.cpp:40: recieve ==> receive\n{hint}")]
    assert older[0] == older[1]


def test_older_strategies_replay_the_wrappers_as_they_were() -> None:
    text = ("[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.12.4"
            ":test (default-test) on project billing: There are test failures.\n"
            "Tests in error:\n  InvoiceTest.totalIncludesVat:27 » NullPointer")
    old = fingerprint_excerpt(text, version="2026-12-10")
    assert old.title.startswith("[ERROR] Failed to execute goal")
    current = fingerprint_excerpt(text)
    assert current.title.startswith("Tests in error: InvoiceTest.totalIncludesVat")
    assert current.loose_fingerprint != old.loose_fingerprint


# ---- properties -------------------------------------------------------------------------

EPILOGUE = st.sampled_from([
    "make: *** [Makefile:12: test] Error 1", "make[1]: *** [all] Error 2", "[ERROR] -> [Help 1]",
    "npm ERR! shop@1.0.0 test: `jest`", "npm ERR! Exit status 1", "##[error]Bash exited with "
    "code '1'.", "Build step 'Execute shell' marked build as failure",
    "The command \"make test\" exited with 2.", "",
])
FAILURE = st.sampled_from([
    "E   AssertionError: assert 3 == 4", "src/a.c:3:1: error: unused variable 'x'",
    "TypeError: cannot read property 'id' of undefined", "--- FAIL: TestTotal (0.01s)",
    "    expected: 3", "Could not find artifact c:d:jar:2.0", "ok 1 - parses",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(FAILURE, min_size=1, max_size=6), st.lists(EPILOGUE, max_size=4),
       st.lists(st.integers(0, 6), max_size=4))
def test_epilogues_change_no_fingerprint(lines: list[str], epilogues: list[str],
                                         spots: list[int]) -> None:
    noisy = list(lines)
    for epilogue, spot in zip(epilogues, spots, strict=False):
        noisy.insert(min(spot, len(noisy)), epilogue)
    a, b = fingerprint_excerpt("\n".join(lines)), fingerprint_excerpt("\n".join(noisy))
    assert (a.title, a.fingerprint, a.loose_fingerprint) == (b.title, b.fingerprint,
                                                              b.loose_fingerprint)


SUMMARY = st.sampled_from([case[1] for case in LINE_CASES if case[3]])


@settings(max_examples=200, deadline=None)
@given(SUMMARY, st.sampled_from(["totalIncludesVat", "roundsHalfUp", "test_parse_date"]),
       st.sampled_from(["roundsHalfUp", "test_format_line", "emptyCart"]), st.integers(1, 999))
def test_a_summary_never_joins_two_tests(summary: str, one: str, other: str, line: int) -> None:
    def run(test: str, number: int) -> str:
        return fingerprint_excerpt(
            f"  InvoiceTest.{test}:{number} expected:<1> but was:<2>\n{summary}"
        ).loose_fingerprint

    assert run(one, line) == run(one, line + 7)
    assert (run(one, line) == run(other, line)) == (one == other)


@pytest.mark.parametrize("template", [
    "com.acme.CartTest > {}() FAILED\n    java.lang.AssertionError at CartTest.java:12",
    "Test Case '-[CartTests {}]' failed (0.012 seconds).",
], ids=["gradle", "xctest"])
def test_gradle_and_xctest_name_the_failing_test(template: str) -> None:
    a = fingerprint_excerpt(template.format("totalIsSummed"))
    b = fingerprint_excerpt(template.format("emptyCart"))
    assert a.loose_fingerprint != b.loose_fingerprint
    assert "test " in a.reasons[2]
    assert "totalIsSummed" in a.reasons[2]
