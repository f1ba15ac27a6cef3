"""Streaming text input: line endings kept, any bytes decoded, binary refused, memory bounded."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knownfix import textio
from knownfix.errors import InputError
from knownfix.textio import decode_line, iter_text_lines


def lines_of(data: bytes) -> list[str]:
    return list(iter_text_lines(io.BytesIO(data)))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", []),
        (b"one", ["one"]),
        (b"one\n", ["one\n"]),
        (b"one\ntwo", ["one\n", "two"]),
        (b"a\r\nb\r\n", ["a\r\n", "b\r\n"]),
        (b"a\rb\rc", ["a\r", "b\r", "c"]),
        (b"a\n\n\nb", ["a\n", "\n", "\n", "b"]),
        (b"a\r\n\rb\n\r", ["a\r\n", "\r", "b\n", "\r"]),
        ("caf\u00e9 \u2705\n".encode(), ["caf\u00e9 \u2705\n"]),
        (b"\xef\xbb\xbfBOM first\n", ["BOM first\n"]),
    ],
    ids=["empty", "no-eol", "lf", "two", "crlf", "lone-cr", "blank", "mixed", "utf8", "bom"],
)
def test_lines_and_endings(data: bytes, expected: list[str]) -> None:
    assert lines_of(data) == expected


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"plain", "plain"),
        (b"caf\xe9", "caf\u00e9"),  # latin-1/cp1252 byte in an otherwise ASCII line
        (b"\x93quoted\x94 \xe2\x9c\x85", "\u201cquoted\u201d \u2705"),  # cp1252 beside UTF-8
        (b"\x81\x8d\x8f\x90\x9d", "\x81\x8d\x8f\x90\x9d"),  # bytes cp1252 leaves undefined
        (b"cut \xe2\x9c", "cut \u00e2\u0153"),  # truncated UTF-8 sequence
    ],
)
def test_invalid_utf8_bytes_decode_as_cp1252(raw: bytes, text: str) -> None:
    assert decode_line(raw) == text


@given(st.binary(max_size=300).filter(lambda b: b"\x00" not in b))
def test_no_bytes_are_ever_lost(data: bytes) -> None:
    lines = lines_of(data)
    line_ends = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
    assert len(lines) in (line_ends, line_ends + 1)
    assert all(line for line in lines)
    # Every UTF-8-valid input comes back byte for byte.
    try:
        expected = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return
    assert "".join(lines) == expected


def test_cr_lf_split_across_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textio, "CHUNK_BYTES", 4)
    data = b"x" * (textio.SNIFF_BYTES - 1) + b"\r\nnext\rlast\r"
    assert lines_of(data) == ["x" * (textio.SNIFF_BYTES - 1) + "\r\n", "next\r", "last\r"]


def test_long_lines_come_in_bounded_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textio, "MAX_LINE_BYTES", 10)
    data = ("é" * 12 + "\nshort\n").encode()  # 24 bytes of two-byte characters
    pieces = lines_of(data)
    assert "".join(pieces) == "é" * 12 + "\nshort\n"
    assert all(len(p.encode()) <= 10 for p in pieces[:-2])
    assert pieces[-1] == "short\n"
    assert not pieces[0].endswith("\n")


def test_binary_is_refused_with_the_name(tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match=r"image\.png: binary file, not text"):
        iter_text_lines(path)


def test_nul_after_the_sniffed_head_is_kept_as_text() -> None:
    data = b"a" * textio.SNIFF_BYTES + b"\x00z\n"
    assert "".join(lines_of(data)).endswith("\x00z\n")


def test_a_few_stray_nuls_in_text_are_text() -> None:
    # a real Jenkins console: the remoting preamble ends in NULs, the rest is a Maven build
    head = b"Started by user x\n<===[JENKINS REMOTING CAPACITY]===>\x00\x00\x00channel started\n"
    head += b"[INFO] Scanning for projects...\n" * 40
    assert textio.sniff(head, "x") == "utf-8"
    with pytest.raises(InputError, match="binary file"):
        textio.sniff(b"\x1f\x8b\x08\x00" + bytes(range(1, 200)) * 4, "x")  # gzip-like


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "powershell.log"
    path.write_bytes("first\r\nsecond ✅\n".encode("utf-16"))
    assert list(iter_text_lines(path)) == ["first\r\n", "second ✅\n"]


def test_utf16_bom_without_nul_bytes_is_two_bad_bytes_of_utf8(tmp_path: Path) -> None:
    # FF FE before plain ASCII: not UTF-16 (no high NUL bytes), so no text turns into CJK
    path = tmp_path / "damaged.log"
    path.write_bytes(b"\xff\xfe build ERROR: boom\nnext\n")
    assert list(iter_text_lines(path)) == ["\xff\xfe build ERROR: boom\n", "next\n"]
    assert textio.sniff(b"\xff\xfeplain", "x") == "utf-8"
    assert textio.sniff("a".encode("utf-16"), "x") == "utf-16"
    assert textio.sniff(b"\xff\xfe", "x") == "utf-16"  # an empty UTF-16 file
    with pytest.raises(InputError, match="binary file"):
        textio.sniff(b"\x7fELF\x02\x01\x00\x00", "x")


def test_empty_file_has_no_lines(tmp_path: Path) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    assert list(iter_text_lines(path)) == []


def test_missing_file_and_directory_fail_at_call_time(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        iter_text_lines(tmp_path / "missing.md")
    with pytest.raises(InputError, match="is a directory"):
        iter_text_lines(tmp_path)


def test_stream_name_is_used_in_errors() -> None:
    with pytest.raises(InputError, match=r"^<stdin>: binary"):
        iter_text_lines(io.BytesIO(b"\x00"))
    with pytest.raises(InputError, match=r"^-: binary"):
        iter_text_lines(io.BytesIO(b"\x00"), name="-")


def test_file_is_closed_after_reading(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("one\ntwo\n")
    lines = iter_text_lines(path)
    assert list(lines) == ["one\n", "two\n"]
    path.unlink()  # would still work on POSIX, but the generator finished its `with`
    assert list(lines) == []


def test_short_reads_from_pipes_are_handled() -> None:
    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = data

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            chunk, self.data = self.data[:3], self.data[3:]
            buffer[: len(chunk)] = chunk
            return len(chunk)

    stream = Trickle(b"alpha\r\nbeta\rgamma\n")
    assert list(iter_text_lines(stream)) == ["alpha\r\n", "beta\r", "gamma\n"]  # type: ignore[arg-type]


def test_closing_unread_lines_releases_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("one\n")
    with iter_text_lines(path) as lines:
        pass  # never read: leaving the block still closes the file (no ResourceWarning)
    assert list(lines) == []
    textio.check_text_file(path)
    path.write_bytes(b"\x00\x01")
    with pytest.raises(InputError, match="binary"):
        textio.check_text_file(path, name="shown.md")
