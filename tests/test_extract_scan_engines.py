"""The two scan engines, Hyperscan and RE2, hand the rules the same candidate lines; Hyperscan's
compiled database is cached on disk, and a bad or unwritable cache only costs a compile."""

from __future__ import annotations

import platform
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import knownfix.core.extract.rules as rules
from conftest import DATA, IN_CI
from knownfix.core.extract import hsscan
from knownfix.core.extract.lines import iter_line_blocks
from knownfix.core.extract.rules import SCAN_TERMS, candidate_lines, re2_candidate_lines

WHEEL_PLATFORM = platform.system() in {"Darwin", "Windows"} or (
    platform.system() == "Linux" and platform.machine() == "x86_64"
)


@pytest.fixture(scope="module")
def fast(tmp_path_factory: pytest.TempPathFactory) -> hsscan.HyperscanLines:
    if hsscan._hs is None:
        if IN_CI and WHEEL_PLATFORM:
            pytest.fail("hyperscan is a dependency on this platform but is not installed")
        pytest.skip("hyperscan has no wheel for this platform: RE2 scans here")
    scanner = hsscan.compile_terms(SCAN_TERMS, tmp_path_factory.mktemp("scan-cache"))
    assert scanner is not None
    return scanner


# Pieces of lines: scan terms in several cases, their look-alikes, ANSI codes, separators.
FRAGMENTS = [
    "error", "Error: ", "ERROR", "errors", "FAIL", "failed", "Failure", "warning: ", "Warning: ",
    "WARNING: ", "*** [", "***", "*** Waiting", "\x1b[31m", "\x1b[0m", "E   ", "E: ", "e: ", "! ",
    "Tests run: ", "tests: ", "Tests: ", "timeout", "timeouts", "timed out", ":12:3: ", ":in `",
    "': ", "undefined", "undefined reference to", "stdout ----", "---- ", "ERROR | ", "WARN\t| ",
    "Traceback (most recent call last):", "npm ERR!", "travis_fold:start:", "##[error]", "ok",
    "x", "0", " ", "\t", "lua", "Latexmk: Errors", "Latexmk: ", "There were 2", "there were 2",
    "expected", "assert failed", "AssertionError", "✖", "checkstyle] ", "checkstyle",
]
LINES = st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=40))
def test_engines_find_the_same_lines(fast: hsscan.HyperscanLines, lines: list[str]) -> None:
    block = ("\n".join(lines) + "\n").encode()
    assert fast(block) == re2_candidate_lines(block)


def test_engines_agree_on_every_fixture_log(fast: hsscan.HyperscanLines) -> None:
    logs = sorted(DATA.rglob("*.log"))
    assert len(logs) > 50
    found = 0
    for path in logs:
        for block in iter_line_blocks([path.read_bytes()]):
            expected = re2_candidate_lines(block)
            assert fast(block) == expected, path
            found += len(expected)
    assert found > 300  # the fixtures do hold failures


def test_the_compiled_database_is_cached_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast: hsscan.HyperscanLines
) -> None:
    block = b"ok\nmake: *** [all] Error 2\nfine\n"
    first = hsscan.compile_terms(SCAN_TERMS, tmp_path)
    assert first is not None
    assert len(list(tmp_path.glob("scan-*.hsdb"))) == 1

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled although the cache holds the database")

    monkeypatch.setattr(hsscan._hs, "Database", no_compiling)
    again = hsscan.compile_terms(SCAN_TERMS, tmp_path)
    assert again is not None
    assert again(block) == first(block) == [(3, 26)]


def test_a_corrupt_cache_is_compiled_again(tmp_path: Path, fast: hsscan.HyperscanLines) -> None:
    hsscan.compile_terms(SCAN_TERMS, tmp_path)
    (cached,) = tmp_path.glob("scan-*.hsdb")
    cached.write_bytes(b"not a database")
    scanner = hsscan.compile_terms(SCAN_TERMS, tmp_path)
    assert scanner is not None
    assert scanner(b"a\nan error\n") == [(2, 10)]
    assert cached.read_bytes() != b"not a database"  # replaced by a good one


def test_an_unwritable_cache_only_costs_the_compile(
    tmp_path: Path, fast: hsscan.HyperscanLines
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    scanner = hsscan.compile_terms(SCAN_TERMS, blocker / "cache")
    assert scanner is not None
    assert scanner(b"FAILED\n") == [(0, 6)]


def test_threads_scan_at_once(fast: hsscan.HyperscanLines) -> None:
    block = b"".join(b"line %d\nTraceback (most recent call last):\n" % n for n in range(2000))
    expected = re2_candidate_lines(block)
    results: list[bool] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.extend(fast(block) == expected for _ in range(20))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert results == [True] * 160


def test_re2_can_be_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(hsscan.DISABLE_VARIABLE, "re2")
    assert not hsscan.available()
    assert rules._fast_lines() is None
    block = b"x\nerror here\n"
    assert candidate_lines(block) == re2_candidate_lines(block) == [(2, 12)]


def test_overlapping_words_are_scanned_once() -> None:
    terms = ["error", "Error", "error ", "Exception|Error|Throwable", "(?-i:Warning: )", r"\d+ x"]
    assert hsscan.fewest_terms(terms) == [
        "(?-i:Warning: )",
        r"\d+ x",
        "error",
        "exception",
        "throwable",
    ]


def test_the_cache_folder_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNOWNFIX_CACHE_DIR", str(tmp_path / "explicit"))
    assert hsscan.default_cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("KNOWNFIX_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert hsscan.default_cache_dir() == tmp_path / "xdg" / "knownfix"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert hsscan.default_cache_dir() == tmp_path / "home" / ".cache" / "knownfix"
