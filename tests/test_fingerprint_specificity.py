"""Fingerprints 2026-12-12: an excerpt none of whose lines says what failed (only a runner's exit
line, a build tool's summary, an echoed command, a line of unrelated output) is also grouped by
the failed step, so two commands' failures are two incidents; and Maven's pointers and banners
are boilerplate. Module: ``knownfix.core.signature.specificity``."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knownfix.core.signature.fingerprint import (
    FINGERPRINT_VERSION,
    _classify,
    compat_loose_fingerprints,
    fingerprint_excerpt,
)

TEST_STEP = 'npm test\njest --ci\nnpm ERR! Exit status 1\nThe command "npm test" exited with 1.'
LINT_STEP = (
    'npm run lint\neslint .\nnpm ERR! Exit status 1\nThe command "npm run lint" exited with 1.'
)

WEAK = [
    "",
    'The command "make" exited with 2.',
    "npm ERR! Test failed.  See above for more details.",
    "added 200 packages in 3.2s",
    "[INFO] BUILD FAILURE\n[ERROR] Failed to execute goal org.apache.maven.plugins:maven-"
    "surefire-plugin:2.22.0:test (default-test) on project core: There are test failures.\n"
    "[ERROR] Please refer to /home/travis/build/o/r/core/target/surefire-reports for the "
    "individual test results.\n[ERROR] -> [Help 1]",
    "FAILURE: Build failed with an exception.\n> Task :app:test FAILED",
    "##[error]Process completed with exit code 1.",
    "DeprecationWarning: the imp module is deprecated in favour of importlib",
]
SPECIFIC = [
    "TypeError: cannot read property 'id' of undefined",
    "src/a.c:3:1: error: unused variable 'x'",
    "E   assert 3 == 4",
    "--- FAIL: TestTotal (0.01s)",
    "npm ERR! Test failed.  See above for more details.\nerror[E0308]: mismatched types",
]


@pytest.mark.parametrize("excerpt", WEAK)
def test_a_weak_excerpt_is_told_apart_by_its_failed_step(excerpt: str) -> None:
    test, lint = (fingerprint_excerpt(excerpt, step=step) for step in (TEST_STEP, LINT_STEP))
    assert test.loose_fingerprint != lint.loose_fingerprint
    assert test.fingerprint != lint.fingerprint
    # The same command on another machine, another run: the same failure.
    rerun = fingerprint_excerpt(excerpt, step=TEST_STEP.replace("jest --ci", "jest  --ci"))
    assert rerun.loose_fingerprint == test.loose_fingerprint
    assert "of the failed step (weak excerpt)" in test.reasons[2]


def test_the_step_is_normalized_like_the_excerpt() -> None:
    def step(build: str, seconds: str) -> str:
        return f"./gradlew test --build-cache -Dout=/home/{build}/out\nBUILD FAILED in {seconds}"

    first = fingerprint_excerpt(
        "FAILURE: Build failed with an exception.", step=step("travis/build/o/r", "3s")
    )
    again = fingerprint_excerpt(
        "FAILURE: Build failed with an exception.", step=step("runner/work/r/r", "41s")
    )
    assert first.loose_fingerprint == again.loose_fingerprint
    assert first.fingerprint == again.fingerprint


@pytest.mark.parametrize("excerpt", SPECIFIC)
def test_an_excerpt_that_says_what_failed_ignores_the_step(excerpt: str) -> None:
    plain = fingerprint_excerpt(excerpt)
    for step in (TEST_STEP, LINT_STEP):
        signature = fingerprint_excerpt(excerpt, step=step)
        assert (signature.fingerprint, signature.loose_fingerprint) == (
            plain.fingerprint,
            plain.loose_fingerprint,
        )
        assert "failed step" not in signature.reasons[2]


def test_older_strategies_ignore_the_step_and_find_the_incidents_they_opened() -> None:
    assert FINGERPRINT_VERSION >= "2026-12-12"
    excerpt = "npm ERR! Test failed.  See above for more details."
    old = [
        fingerprint_excerpt(excerpt, step=step, version="2026-12-11").loose_fingerprint
        for step in (TEST_STEP, LINT_STEP, "")
    ]
    assert len(set(old)) == 1
    current = fingerprint_excerpt(excerpt, step=TEST_STEP)
    assert old[0] in compat_loose_fingerprints(excerpt, current)


@pytest.mark.parametrize(
    "line",
    [
        "[ERROR] Please refer to /home/u/b/core/target/surefire-reports for the individual test "
        "results.",
        "[ERROR] Please refer to dump files (if any exist) [date].dump, [date]-jvmRun[N].dump and "
        "[date].dumpstream.",
        "[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoFailureException",
        "[ERROR] After correcting the problems, you can resume the build with the command",
        "[INFO] ------------------------------------------------------------------------",
        "[INFO] Final Memory: 45M/512M",
        "[INFO] BUILD FAILURE",
    ],
)
def test_maven_pointers_and_banners_are_boilerplate(line: str) -> None:
    assert _classify(1, line).kind == "boilerplate"


def test_a_maven_pointer_no_longer_stands_for_the_failure() -> None:
    text = (
        "[ERROR] Please refer to /b/core/target/surefire-reports for the individual test "
        "results.\n  CartTest.totalIncludesVat:27 expected:<1> but was:<2>"
    )
    assert "Please refer" in fingerprint_excerpt(text, version="2026-12-11").title
    assert "totalIncludesVat" in fingerprint_excerpt(text).title


# ---- properties -------------------------------------------------------------------------

WEAK_LINE = st.sampled_from(
    [
        'The command "make test" exited with 2.',
        "npm ERR! Test failed.  See above for more details.",
        "BUILD FAILURE",
        "$ make test",
        "Done in 3.21s.",
        "[INFO] Final Memory: 45M/512M",
        "",
        "rake aborted!",
        "    at Object.<anonymous> (test/a.js:3:9)",
        "make: *** [test] Error 1",
    ]
)
STEP_LINE = st.sampled_from(
    [
        "make test",
        "make lint",
        "npm ERR! Exit status 1",
        'The command "make test" exited with 2.',
        "make: *** [Makefile:12: test] Error 1",
        "./gradlew :app:test",
        "",
    ]
)
# One value as two runs print it.
RUN_VALUES = st.sampled_from(
    [
        ("3", "42"),
        ("2019-08-01T10:00:00Z", "2020-01-02T03:04:05Z"),
        ("in 3.2s", "in 41s"),
        ("/home/travis/build/o/r/x.py", "/home/runner/work/r/r/x.py"),
        ("0x7f3a2b", "0x10ffee"),
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(WEAK_LINE, max_size=6),
    st.lists(STEP_LINE, max_size=4),
    st.lists(STEP_LINE, max_size=4),
)
def test_equal_strict_fingerprints_keep_equal_loose_ones(
    lines: list[str], step: list[str], other: list[str]
) -> None:
    a = fingerprint_excerpt("\n".join(lines), step="\n".join(step))
    b = fingerprint_excerpt("\n".join(lines), step="\n".join(other))
    if a.fingerprint == b.fingerprint:
        assert a.loose_fingerprint == b.loose_fingerprint


@settings(max_examples=200, deadline=None)
@given(
    st.lists(WEAK_LINE, max_size=6),
    st.lists(STEP_LINE, min_size=1, max_size=4),
    RUN_VALUES,
    st.lists(st.integers(0, 6), max_size=3),
)
def test_a_rerun_keeps_a_weak_excerpts_fingerprints(
    lines: list[str], step: list[str], values: tuple[str, str], spots: list[int]
) -> None:
    # Another run's numbers, times, paths and addresses in the step, and an exit line or a blank
    # line cut into the excerpt or left out: the same failure.
    noisy = list(lines)
    for spot in spots:
        noisy.insert(min(spot, len(noisy)), "Process completed with exit code 1.")
        noisy.insert(min(spot, len(noisy)), "")
    value, other = values
    first = fingerprint_excerpt(
        "\n".join(lines), step="\n".join(f"{line} {value}" for line in step)
    )
    again = fingerprint_excerpt(
        "\r\n".join(noisy), step="\n".join(f"{line} {other}" for line in step)
    )
    assert (first.fingerprint, first.loose_fingerprint) == (
        again.fingerprint,
        again.loose_fingerprint,
    )
