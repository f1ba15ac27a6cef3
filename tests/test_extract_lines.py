"""Line splitting and cleaning: properties that hold for any bytes, however they are chunked."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knownfix.core.extract import extract_excerpt
from knownfix.core.extract.lines import (
    MAX_LINE_BYTES,
    clean_line,
    count_line_ends,
    iter_line_blocks,
    strip_ansi,
)

# Pieces that exercise every line-end rule and multibyte UTF-8 (2, 3 and 4 bytes).
PIECES = st.sampled_from(
    ["a", "error", " ", "\n", "\r", "\r\n", "é", "✖", "😀", "\x1b[31m", "Traceback", "\t", ":"]
)
TEXTS = st.lists(PIECES, max_size=60).map("".join)


def reference_lines(data: bytes) -> list[bytes]:
    """Lines as DESIGN §6 counts them: each \\n, \\r\\n or lone \\r ends one line."""
    if not data:
        return []
    lines = re.split(rb"\r\n|\r|\n", data)
    if lines[-1] == b"":
        lines.pop()
    return lines


def split_at(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(data)) for c in cuts} | {0, len(data)})
    return [data[a:b] for a, b in zip(points, points[1:], strict=False)]


@given(TEXTS, st.lists(st.integers(min_value=0, max_value=400), max_size=12))
def test_blocks_hold_exactly_the_reference_lines(text: str, cuts: list[int]) -> None:
    data = text.encode()
    blocks = list(iter_line_blocks(split_at(data, cuts)))
    assert all(block.endswith(b"\n") for block in blocks)
    assert b"\r" not in b"".join(blocks)
    assert b"".join(blocks).split(b"\n")[:-1] == reference_lines(data)


@given(TEXTS)
def test_count_line_ends_counts_crlf_once(text: str) -> None:
    data = text.encode()
    expected = len(re.findall(rb"\r\n|\r|\n", data))
    assert count_line_ends(data) == expected


@pytest.mark.parametrize(
    ("chunks", "lines"),
    [
        ([b"a\r", b"\nb"], [b"a", b"b"]),  # \r\n split across chunks is one line end
        ([b"a\r", b"b"], [b"a", b"b"]),  # a lone \r at a chunk's end is a line end
        ([b"a\r", b"\r", b"\n"], [b"a", b""]),  # \r then \r\n: two line ends
        ([b"\xc3", b"\xa9\n"], ["é".encode()]),  # a character split across chunks
        ([b"", b"x"], [b"x"]),
        ([b"\n\n"], [b"", b""]),
    ],
)
def test_chunk_boundaries(chunks: list[bytes], lines: list[bytes]) -> None:
    assert b"".join(iter_line_blocks(chunks)).split(b"\n")[:-1] == lines


def test_an_over_long_line_is_cut_not_buffered() -> None:
    chunks = [b"start "] + [b"x" * 65536] * 40 + [b" end\nnext line\n"]
    lines = b"".join(iter_line_blocks(chunks)).split(b"\n")[:-1]
    assert len(lines) == 2
    assert len(lines[0]) == MAX_LINE_BYTES
    assert lines[1] == b"next line"


LOG_LINES = st.sampled_from(
    [
        "Collecting requests",
        "Downloading 10%\r20%\r100%",
        "\x1b[31mERROR\x1b[0m: something broke",
        "Traceback (most recent call last):",
        '  File "app.py", line 3, in <module>',
        "ValueError: bad value é✖😀",
        "npm ERR! code ELIFECYCLE",
        "src/main.c:3:9: error: expected ';'",
        "   |         ^",
        "--- FAIL: TestX (0.00s)",
        'The command "make test" exited with 2.',
        "2024-01-01T00:00:00.1234567Z ##[error]Process completed with exit code 1.",
        "",
        "ok",
    ]
)
LINE_ENDS = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def logs(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(st.tuples(LOG_LINES, LINE_ENDS), max_size=40))
    return "".join(text + end for text, end in lines).encode()


@settings(max_examples=60, deadline=None)
@given(logs(), st.lists(st.integers(min_value=0, max_value=3000), max_size=15))
def test_excerpt_does_not_depend_on_chunking(data: bytes, cuts: list[int]) -> None:
    assert extract_excerpt(split_at(data, cuts)) == extract_excerpt([data])


@settings(max_examples=60, deadline=None)
@given(logs(), st.integers(min_value=1, max_value=50))
def test_spans_are_in_range_ordered_and_match_the_text(data: bytes, max_lines: int) -> None:
    total = len(reference_lines(data))
    excerpt = extract_excerpt([data], max_lines=max_lines)
    previous = 0
    for first, last in excerpt.spans:
        assert previous < first <= last <= total
        previous = last
    size = sum(last - first + 1 for first, last in excerpt.spans)
    assert size <= max_lines
    assert (excerpt.text.split("\n") if excerpt.spans else []) == [
        strip_ansi(reference_lines(data)[n - 1].decode("utf-8", "replace"))
        for first, last in excerpt.spans
        for n in range(first, last + 1)
    ]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\x1b[1;31merror\x1b[0m: boom", "error: boom"),
        ("2024-01-01T00:00:00.1234567Z ##[error]boom", "##[error]boom"),
        ("[12:01:02] Starting 'lint'...", "Starting 'lint'..."),
        ("12:01:02.345 ERROR x", "ERROR x"),
        ("[2024-01-01 10:00:00,123] ERROR x", "ERROR x"),
        ("\x1b]0;title\x07plain", "plain"),
        # Jenkins' ConsoleNote is concealed text (SGR 8): hidden, payload and all
        ("\x1b[8mha:////4BC0V3Lyn+AAAA==\x1b[0m[ERROR] Failed to execute goal",
         "[ERROR] Failed to execute goal"),
        ("tab\tkept", "tab\tkept"),
        ("bell\x07gone", "bellgone"),
        ("[INFO] Building", "[INFO] Building"),
        # a logger's level after the time (mozharness, Python's logging)
        ("[task 2025-02-13T21:47:57.540Z] 21:47:57    ERROR -  error: linking", "error: linking"),
        ("21:47:57     INFO -            lld-link: error: x", "          lld-link: error: x"),
        ("INFO - no time before it, kept", "INFO - no time before it, kept"),
        # Logback's and Log4j's default layout: time, [thread], level, logger, " - "
        ("05:24:25.174 [Thread-8] DEBUG f.i.s.r.Handler - [ERROR] Failed to execute goal",
         "[ERROR] Failed to execute goal"),
        ("12:00:01.000 [main] WARN  com.acme.Billing - retrying", "retrying"),
        ("12:00:01.000 [main] says hello", "[main] says hello"),
        # go test -json: the line an output event carries; other events and cut lines stay
        ('{"Time":"2024-01-02T03:04:05Z","Action":"output","Package":"p","Output":"panic: x\\n"}',
         "panic: x"),
        ('2024-01-02T03:04:05.1Z {"Action":"output","Package":"p","Output":"\\tat a.go:3\\n"}',
         "\tat a.go:3"),
        ('{"Time":"2024-01-02T03:04:05Z","Action":"fail","Package":"p","Elapsed":0.1}',
         '{"Time":"2024-01-02T03:04:05Z","Action":"fail","Package":"p","Elapsed":0.1}'),
        ('{"Action":"output","Output":"cut short …', '{"Action":"output","Output":"cut short …'),
    ],
)
def test_clean_line(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


LEVELS = st.sampled_from(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "FATAL"])
TIMES = st.sampled_from(["21:47:57", "[task 2025-02-13T21:47:57.540Z] 21:47:57", "[12:01:02]"])
MESSAGES = st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=40)


@given(TIMES, LEVELS, st.integers(min_value=1, max_value=6), MESSAGES)
def test_a_logger_level_after_the_time_is_looked_past(
    time: str, level: str, pad: int, message: str
) -> None:
    """Whatever the level and its padding, the line reads as the message the logger wrote,
    the same as without the level (mozharness pads the level to a width, one space after -)."""
    assert clean_line(f"{time}{' ' * pad}{level} -  {message}") == clean_line(f"{time} {message}")
