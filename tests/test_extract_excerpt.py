"""The excerpt API on bad and odd input: never a traceback, always spans that point at the text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from knownfix.core.extract import extract_excerpt, extract_excerpt_from_text
from knownfix.core.extract.scan import MAX_KEPT_LINES
from knownfix.core.records import Excerpt, cite_line

EMPTY = Excerpt(spans=(), text="")


@pytest.mark.parametrize(
    "chunks",
    [
        [],
        [b""],
        [b"", b""],
        [b"\n\n   \n\t\n"],
        [b"\x7fELF\x02\x01\x01\x00\x00\x00\x00error"],  # a binary, even with a failure word
        [b"PK\x03\x04" + bytes(range(256)) * 4],
    ],
    ids=["no-chunks", "empty", "empties", "blank", "elf", "zip"],
)
def test_empty_blank_and_binary_input_give_an_empty_excerpt(chunks: list[bytes]) -> None:
    assert extract_excerpt(chunks) == EMPTY


def test_invalid_utf8_is_read_as_cp1252_not_fatal() -> None:
    excerpt = extract_excerpt([b"build\nerror: bad byte \xff\xfe here\n"])
    assert excerpt.spans == ((2, 2),)
    assert excerpt.text == "error: bad byte \xff\xfe here"  # ÿþ: every byte kept


def test_ansi_codes_are_stripped_from_the_text() -> None:
    excerpt = extract_excerpt_from_text(
        "ok\n\x1b[1;31merror:\x1b[0m the \x1b[4mthing\x1b[24m broke\n"
    )
    assert excerpt.text == "error: the thing broke"


def test_a_log_without_any_failure_word_falls_back_to_its_last_lines() -> None:
    text = "".join(f"step {i}\n" for i in range(100))
    excerpt = extract_excerpt_from_text(text)
    assert excerpt.spans == ((81, 100),)
    assert excerpt.text.endswith("step 99")


@pytest.mark.parametrize(
    "text",
    ["$ npm test\nnpm ERR! code ELIFECYCLE\n", "$ make\nmake: *** [all] Error 2\n",
     "npm ERR! code ELIFECYCLE\n"],
)
def test_a_log_of_only_commands_and_boilerplate_still_shows_them(text: str) -> None:
    # Every line is one no block may grow into; the excerpt is still what the log says.
    excerpt = extract_excerpt_from_text(text)
    assert excerpt.text == text.strip()
    assert excerpt.spans == ((1, text.count("\n")),)


def test_max_lines_is_a_hard_budget() -> None:
    trace = "Traceback (most recent call last):\n" + '  File "a.py", line 1, in f\n    g()\n' * 40
    excerpt = extract_excerpt_from_text(trace + "ValueError: boom\n", max_lines=5)
    assert sum(b - a + 1 for a, b in excerpt.spans) == 5
    assert excerpt.text.startswith("Traceback")
    assert extract_excerpt_from_text("error: x\n", max_lines=0).spans == ((1, 1),)


def test_a_long_test_report_keeps_its_name_and_its_assertion() -> None:
    body = "".join(f"    line_{i} = {i}\n" for i in range(80))
    log = (
        "=== FAILURES ===\n"
        "___________________ test_long ___________________\n"
        f"{body}E       assert 1 == 2\n\ntests/test_x.py:99: AssertionError\n"
    )
    excerpt = extract_excerpt_from_text(log, max_lines=20)
    assert len(excerpt.spans) == 2
    assert "test_long" in excerpt.text
    assert "E       assert 1 == 2" in excerpt.text


def test_one_huge_line_without_line_end() -> None:
    excerpt = extract_excerpt([b"error: " + b"x" * 5_000_000])
    assert excerpt.spans == ((1, 1),)
    assert excerpt.text.startswith("error: xxx")
    assert len(excerpt.text) < 3000


def _many_errors(lines: int) -> Iterator[bytes]:
    block = b"".join(b"ERROR: disk %d is failing\n" % i for i in range(1000))
    for _ in range(lines // 1000):
        yield block


def test_memory_stays_bounded_when_every_line_is_an_error() -> None:
    excerpt = extract_excerpt(_many_errors(3 * MAX_KEPT_LINES))
    assert excerpt.spans
    assert excerpt.spans[-1][1] <= 3 * MAX_KEPT_LINES
    assert "is failing" in excerpt.text


def test_text_api_matches_bytes_api() -> None:
    log = "setup\r\nFAIL: test_x (t.T)\r\n----\r\nAssertionError: 1 != 2\r\n"
    assert extract_excerpt_from_text(log) == extract_excerpt([log.encode()])
    assert extract_excerpt_from_text(log).spans == ((2, 4),)


def test_a_long_runner_up_above_never_crowds_out_the_best_block() -> None:
    # Two failures in one step: a long weak one first, then the specific one.
    noise = "".join(f"    warning detail {i}\n" for i in range(60))
    log = (
        "travis_time:start:0a\n$ make check\n"
        f"ERROR: the first thing went wrong\n{noise}\n"
        "src/app.c:12:5: error: 'x' undeclared\n"
        "travis_time:end:0a:start=1,finish=2,duration=1\n"
        'The command "make check" exited with 2.\n'
    )
    excerpt = extract_excerpt_from_text(log, max_lines=40)
    assert "src/app.c:12:5: error: 'x' undeclared" in excerpt.text
    assert sum(b - a + 1 for a, b in excerpt.spans) <= 40
    assert list(excerpt.spans) == sorted(excerpt.spans)


def test_a_timed_out_step_shows_its_exit_line() -> None:
    log = (
        "travis_time:start:0b\n$ timeout 30m ./build.sh\n"
        + "".join(f"[{i} of 300] Compiling Module{i}\n" for i in range(60))
        + "travis_time:end:0b:start=1,finish=2,duration=1\n"
        + 'The command "timeout 30m ./build.sh" exited with 124.\n'
    )
    excerpt = extract_excerpt_from_text(log)
    assert "exited with 124." in excerpt.text


def test_a_log_cut_off_after_its_last_exit_shows_the_unfinished_step() -> None:
    log = (
        "travis_time:start:0c\n$ flake8\n./a.py:1:1: F401 'os' imported but unused\n"
        "travis_time:end:0c:start=1,finish=2,duration=1\n"
        'The command "flake8" exited with 1.\n'
        "travis_time:start:0d\n$ pytest\n"
        + "".join(f"tests/test_{i}.py .....\n" for i in range(30))
        + "Fatal Python error: Segmentation fault\n"
    )
    excerpt = extract_excerpt_from_text(log)
    assert "F401" in excerpt.text
    assert "Fatal Python error: Segmentation fault" in excerpt.text


def _travis_step(number: int, command: str, output: str, status: int) -> str:
    return (
        f"travis_time:start:{number:04x}\n$ {command}\n{output}"
        f"travis_time:end:{number:04x}:start=1,finish=2,duration=1\n"
        f'The command "{command}" exited with {status}.\n\n'
    )


def test_the_most_specific_later_failures_join_the_first() -> None:
    log = (
        _travis_step(1, "xcodebuild -destination OS=99", "xcodebuild: error: no destination\n", 70)
        + _travis_step(
            2, "xcodebuild build", "❌  /src/Cart.swift:97:2: unknown attribute 'x'\n", 65
        )
        + _travis_step(3, "pod lib lint", "Something went wrong: error in the spec\n", 1)
    )
    excerpt = extract_excerpt_from_text(log)
    assert "no destination" in excerpt.text
    assert "Cart.swift:97:2: unknown attribute" in excerpt.text


def test_a_thousand_failed_commands_still_give_a_bounded_excerpt() -> None:
    log = "".join(
        _travis_step(n, f"./check {n}", f"src/m{n}.c:1:1: error: broken {n}\n", 1)
        for n in range(1000)
    )
    excerpt = extract_excerpt_from_text(log)
    assert "broken 0" in excerpt.text
    assert sum(b - a + 1 for a, b in excerpt.spans) <= 40
    assert len(excerpt.spans) <= 4


def test_a_log_without_exit_shows_its_end_rather_than_its_first_vague_word() -> None:
    log = (
        "submodule check: cannot compare, skipped\n"
        + "".join(f"checked file {i}\n" for i in range(30))
        + "include guard missing in src/util.h\n^---- failure generated from lint-guards.sh\n"
    )
    excerpt = extract_excerpt_from_text(log)
    assert "include guard missing in src/util.h" in excerpt.text
    assert "cannot compare" not in excerpt.text


def test_excerpt_maps_its_lines_to_log_lines() -> None:
    excerpt = Excerpt(spans=((3, 4), (9, 9)), text="a\nb\nc")
    assert excerpt.line_numbers() == (3, 4, 9)
    assert cite_line(3, excerpt.line_numbers()) == "log line 9"
    assert cite_line(4, excerpt.line_numbers()) == "excerpt line 4"  # out of range: no guess
    # a JUnit message cut into more lines than its span: no mapping rather than a wrong one
    assert Excerpt(spans=((7, 7),), text="x\ny").line_numbers() is None
    assert cite_line(2, None) == "excerpt line 2"


def test_extracted_excerpt_lines_map_onto_the_log() -> None:
    lines = [f"step {n} ok" for n in range(1, 40)]
    lines[29] = "Traceback (most recent call last):"
    lines[30] = '  File "app.py", line 3, in <module>'
    lines[31] = "ValueError: bad input"
    log = "\n".join(lines) + "\n"
    excerpt = extract_excerpt_from_text(log)
    numbers = excerpt.line_numbers()
    assert numbers is not None
    by_number = dict(zip(numbers, excerpt.text.split("\n"), strict=True))
    assert by_number[32] == "ValueError: bad input"


def test_bytes_that_are_not_utf8_are_read_as_cp1252_not_lost() -> None:
    log = b"step 1 ok\n" + "Fehler: Datei nicht gefunden: \xe4\xf6\xfc.txt\n".encode("latin-1")
    excerpt = extract_excerpt([log])
    assert excerpt.text == "Fehler: Datei nicht gefunden: äöü.txt"
    assert "\ufffd" not in excerpt.text


def test_a_jenkins_console_with_remoting_nuls_is_read() -> None:
    log = (
        b"Started by user anonymous\n"
        b"<===[JENKINS REMOTING CAPACITY]===>\x00\x00\x00channel started\n"
        + b"[INFO] Building app 1.0\n" * 30
        + b"[INFO] BUILD FAILURE\n"
        + b"\x1b[8mha:////4BC0V3Lyn+AAAA==\x1b[0m[ERROR] Failed to execute goal x:y:1.0:compile"
        b" (default-compile) on project app: Unable to parse configuration of mojo x:y:1.0\n"
        + b"Finished: FAILURE\n"
    )
    excerpt = extract_excerpt([log])
    assert "Failed to execute goal" in excerpt.text
    assert "ha:" not in excerpt.text
