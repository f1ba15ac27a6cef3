"""Baseline diff: lines a passing run of the same job also prints are not the failure."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knownfix.core.extract import build_baseline, extract_excerpt_from_text
from knownfix.core.extract.baseline import normalize_text


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("took 12.3s", "took 4s"),
        ("job 81234 finished", "job 81377 finished"),
        ("2024-03-01T10:00:00Z start", "2024-03-02T11:30:59.123Z start"),
        ("at 0x7f3b2c1d9e80", "at 0x55d0aa01"),
        ("commit 5d1e2f3a4b5c6d7e8f9a", "commit a0b1c2d3e4f5a6b7c8d9"),
        ("id 123e4567-e89b-12d3-a456-426614174000", "id 00000000-0000-4000-8000-000000000000"),
        ("wrote /tmp/tmp.Xy12ab/out.txt", "wrote /tmp/tmp.Qw98zz/out.txt"),
        ("\x1b[31mERROR\x1b[0m boom", "ERROR boom"),
        ("[12:01:02] step", "[23:59:59] step"),
        ("a   b", "a b"),
    ],
)
def test_normalize_masks_what_differs_between_runs(a: str, b: str) -> None:
    assert normalize_text(a) == normalize_text(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ImportError: No module named foo", "ImportError: No module named bar"),
        ("error: expected ';'", "error: expected ')'"),
    ],
)
def test_normalize_keeps_what_matters(a: str, b: str) -> None:
    assert normalize_text(a) != normalize_text(b)


@given(st.lists(st.text(alphabet="ab1 :\t./x", max_size=20), min_size=1, max_size=8))
def test_normalizing_a_block_equals_normalizing_each_line(lines: list[str]) -> None:
    assert normalize_text("\n".join(lines)).split("\n") == [normalize_text(x) for x in lines]


NOISE = """Downloading fixtures (4212k)
WARNING: the error reporting endpoint is unreachable, retrying in 2s
ERROR: could not upload coverage for job 81234, continuing
"""


def test_noise_of_the_passing_run_is_ignored() -> None:
    failing = NOISE.replace("81234", "99999") + "check schema ... FAILED\n  schema 41 != 42\n"
    baseline = build_baseline([NOISE.encode() + b"all checks passed\n"])
    without = extract_excerpt_from_text(failing)
    with_baseline = extract_excerpt_from_text(failing, baseline=baseline)
    assert "could not upload coverage" in without.text
    assert with_baseline.text == "check schema ... FAILED\n  schema 41 != 42"
    assert with_baseline.spans == ((4, 5),)


def test_an_empty_baseline_changes_nothing() -> None:
    log = NOISE + "Traceback (most recent call last):\nValueError: x\n"
    empty = build_baseline([b""])
    assert len(empty) == 0
    assert extract_excerpt_from_text(log, baseline=empty) == extract_excerpt_from_text(log)


def test_baseline_reads_any_line_ends_and_chunks() -> None:
    data = b"one\r\ntwo\rthree\n"
    whole = build_baseline([data])
    chunked = build_baseline([data[i : i + 1] for i in range(len(data))])
    assert whole.hashes == chunked.hashes
    assert whole.lines_read == 3
    assert whole.seen("two")
    assert not whole.seen("four")


def test_when_everything_is_in_the_baseline_the_tail_is_not_blamed_on_it() -> None:
    log = "setup\nERROR: flaky network, retrying\ndone\n"
    excerpt = extract_excerpt_from_text(log, baseline=build_baseline([log.encode()]))
    assert excerpt.spans == ()
