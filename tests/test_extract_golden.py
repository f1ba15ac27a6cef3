"""Golden files: for each log family, a realistic log and the excerpt it must give.

Regenerate after an intended change with
``KNOWNFIX_REGEN_GOLDEN=1 .venv/bin/pytest tests/test_extract_golden.py`` and review the diff
of ``tests/data/extract/**/*.expected.json`` like code. Independent of the golden files, each
fixture names lines its excerpt must contain (and must not), so a careless regeneration cannot
bless a wrong excerpt.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from knownfix.core.extract import build_baseline, extract_excerpt, extract_from_junit
from knownfix.core.records import Excerpt

DATA = Path(__file__).parent / "data" / "extract"
REGEN = os.environ.get("KNOWNFIX_REGEN_GOLDEN") == "1"
LOGS = sorted(DATA.glob("*.log"))

# fixture -> (lines the excerpt must contain, lines it must not contain)
MUST: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "python_traceback": (
        (
            "psycopg2.errors.UndefinedColumn",
            "django.db.utils.ProgrammingError",
            "The above exception was the direct cause",
        ),
        ("Successfully installed", "exited with 1"),
    ),
    "pytest": (
        ("E       AssertionError: assert Decimal('20.00')", "tests/test_cart.py:42"),
        ("collected 214 items",),
    ),
    "pytest_fixture": (("fixture 'report_month' not found",), ("collected 3 items",)),
    "unittest": (
        ("ERROR: test_divide_by_zero", "ZeroDivisionError: division by zero"),
        ("test_add (test_calc.CalcTest) ... ok",),
    ),
    "go_test": (
        ("balance after transfer: got 90, want 100", "--- FAIL: TestBalance"),
        ("--- PASS", "go: downloading"),
    ),
    "go_panic": (("panic: runtime error: index out of range",), ("ok  \tgithub.com",)),
    "maven": (
        ("totalIncludesVat", "AssertionFailedError: expected: <119.00> but was: <100.00>"),
        ("Downloaded from central", "[Help 1]"),
    ),
    "maven_compile": (("OrderController.java:[58,31] cannot find symbol",), ("[Help 1]",)),
    "gradle": (
        ("expiredSessionsAreEvicted() FAILED", "session store not initialised"),
        ("* Try:",),
    ),
    "sbt": (
        ("computes the great-circle distance *** FAILED ***", "was not equal to 5585.0"),
        ("welcome to sbt",),
    ),
    "npm_eresolve": (
        ("ERESOLVE could not resolve", "Could not resolve dependency:"),
        ("A complete log of this run",),
    ),
    "yarn": (
        ("● Cart › shows the empty state", "Your cart is empty"),
        ("Resolving packages", "Visit https://yarnpkg.com"),
    ),
    "pnpm": (("ERR_PNPM_OUTDATED_LOCKFILE",), ("Progress: resolved",)),
    "cargo": (
        (
            "error[E0308]: mismatched types",
            "--> src/account.rs:42:20",
            "expected `i64`, found `usize`",
        ),
        ("Compiling serde",),
    ),
    "cargo_test": (("panicked at 'assertion failed",), ("Running unittests",)),
    "make_parallel": (
        ("http.c:214:25: error: 'MAX_HEADER' undeclared", "MAX_HEADERS"),
        ("cc -O2", "unused variable 'spare'", "Waiting for unfinished jobs"),
    ),
    "gcc_make": (
        ("resize.c:88:17: error: 'scale_x' undeclared", "^~~~~~~"),
        ("make: *** [Makefile:91: all] Error 2", "Building C object"),
    ),
    "cmake_error": (("CMake Error at CMakeLists.txt:14 (find_package):",), ("Detecting CXX",)),
    "tsc": (("error TS2322", "error TS2307"), ("tsc --noEmit",)),
    "eslint": (("12:7  error  'config' is assigned a value but never used",), ("npm ERR!",)),
    "rspec": (
        ("Failure/Error: expect(invoice.total).to eq(119)", "got: 100"),
        ("Randomized with seed",),
    ),
    "exunit": (("1) test checkout charges the card", "** (MatchError)"), ("Compiling 14 files",)),
    "phpunit": (
        ("There was 1 failure:", "Failed asserting that 20.0 matches expected 23.8."),
        ("Runtime:",),
    ),
    "github_actions": (
        ("Can't locate revision identified by 'c0ffee42'",),
        ("##[group]", "Successfully installed"),
    ),
    # no exit line: the step goes on past Gradle's banner to its report of why
    "gradle_resolve": (
        ("* What went wrong:", "> Could not find com.acme:payments:3.0.0."),
        ("> Run with --stacktrace option",),
    ),
    # the error Maven repeats after BUILD FAILURE is shown once
    "maven_compile_repeat": (
        ("[ERROR] COMPILATION ERROR", "class CartItem is public"),
        ("-> [Help 1]", "[ERROR] Failed to execute goal"),
    ),
    "maven_enforcer": (
        ("[ERROR] Detected JDK version 11.0.22",),
        ("To see the full stack trace",),
    ),
    "testthat_check": (
        ("── Failure ('test-add.R:3:3'): add works", "`expected`: 3"),
        ("checking PDF version of manual",),
    ),
    "jenkins": (("gradle-wrapper.properties: Permission denied",), ("Started by user",)),
    "crlf_progress": (("error CS0103: The name 'taxRate' does not exist",), ("Progress: 45%",)),
    "travis_plain": (
        ("man/git-summary.md is required for bin/git-summary",),
        ("The command", "Cloning into"),
    ),
    "npm_coloured": (
        ("Code style issues found in the above file(s)", "src/styles/theme.css"),
        ("Failed at the", "A complete log of this run"),
    ),
    "travis_two_steps": (
        ("E302 expected 2 blank lines", "No module named 'weasyprint'"),
        ("PYTHONHASHSEED", "The command"),
    ),
    "tasty": (("tables:", "FAIL (0.05s)", "+  12 | a | b |"), ("footnotes:", "headings:")),
    "docker_build": (
        ("pg_config executable not found.", "pg_config is required to build psycopg2"),
        ("Step 1/9", "Sending build context"),
    ),
    "catch2": (
        ("polygon_test.cpp:64: FAILED:", "10.0 == Approx( 12.5 )"),
        ("Scanning dependencies", "Total Test time"),
    ),
    "shellcheck": (("In scripts/deploy.sh line 14:", "SC2115"), ("For more information:",)),
    "vstest": (
        ("X Shop.Tests.CartTests.TotalIncludesVat", "Assert.Equal() Failure"),
        ("Passed Shop.Tests.CartTests.EmptyCartIsFree", "Starting test execution"),
    ),
    "black": (
        ("would reformat /home/runner/work/invoices/invoices/invoices/render.py",),
        ("##[group]", "black --check ."),
    ),
    "silent_check": (
        ("Test run failed! Reason:", "{badmatch,{error,econnrefused}}"),
        ("add_item ok", "grep -q"),
    ),
    "sphinx_werror": (
        ("Warning, treated as error:", "undefined label: 'checkout-flow'"),
        ("loading pickled environment", "Leaving directory"),
    ),
    "composer": (
        ("Your requirements could not be resolved", "requires php ^8.1"),
        ("Loading composer repositories",),
    ),
    # mozharness: a logger level after the time ("ERROR -  error: linking"), and a call echoed
    # with its configuration ('command not found' quoted in an error_list) that is no failure
    "mozharness_link": (
        ("error: linking with", "lld-link: error: undefined symbol: PropVariantToUInt32"),
        ("Calling run_command", "Successfully installed"),
    ),
    # TAP: a failing test's diagnostics are indented after the "#"; a test script that died
    # says why on the line above Test::More's note
    "perl_tap": (("#          got: '6'", "#     expected: '4'"), ("cpanm", "t/00-load.t")),
    "perl_die": (("division by zero in ratio()",), ("Parse errors",)),
    "vader": (
        ("(X) Vim(call):E117: Unknown function: calc#labels", "> command line..function"),
        ("+acl", "(1/3) [EXECUTE] add two numbers"),
    ),
    "xpcshell_crash": (
        ("PROCESS-CRASH | application crashed",),
        ("runxpcshelltests.py", "TEST-PASS | dom/indexedDB"),
    ),
}


def _chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)] or [b""]


def _check_golden(expected_path: Path, excerpt: Excerpt) -> None:
    got = excerpt.to_dict()
    if REGEN:
        expected_path.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert expected_path.exists(), (
        f"no golden file; run with KNOWNFIX_REGEN_GOLDEN=1 ({expected_path})"
    )
    assert got == json.loads(expected_path.read_text("utf-8"))


def test_every_fixture_has_expectations() -> None:
    assert sorted(p.stem for p in LOGS) == sorted(MUST)


@pytest.mark.parametrize("path", LOGS, ids=lambda p: p.stem)
def test_golden_excerpt(path: Path) -> None:
    excerpt = extract_excerpt(_chunks(path.read_bytes(), 1 << 20))
    _check_golden(path.with_suffix(".expected.json"), excerpt)
    must, must_not = MUST[path.stem]
    for text in must:
        assert text in excerpt.text, f"{path.stem}: excerpt lacks {text!r}"
    for text in must_not:
        assert text not in excerpt.text, f"{path.stem}: excerpt has noise {text!r}"


@pytest.mark.parametrize("path", LOGS, ids=lambda p: p.stem)
def test_golden_excerpt_independent_of_chunking(path: Path) -> None:
    data = path.read_bytes()
    assert extract_excerpt(_chunks(data, 7)) == extract_excerpt([data])


@pytest.mark.parametrize("path", sorted((DATA / "junit").glob("*.xml")), ids=lambda p: p.stem)
def test_golden_junit(path: Path) -> None:
    excerpt = extract_from_junit(_chunks(path.read_bytes(), 5))
    _check_golden(path.with_suffix(".expected.json"), excerpt)


def test_golden_baseline() -> None:
    passing = (DATA / "baseline" / "passing.log").read_bytes()
    failing = (DATA / "baseline" / "failing.log").read_bytes()
    excerpt = extract_excerpt([failing], baseline=build_baseline([passing]))
    _check_golden(DATA / "baseline" / "failing.expected.json", excerpt)
    assert "schema version 41" in excerpt.text
    assert "error reporting endpoint" not in excerpt.text
