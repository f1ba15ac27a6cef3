"""Streaming text input for files and stdin: one line at a time, any bytes, bounded memory.

Used by the importer now and by log triage later. Every line keeps its line ending, and a line
ends at ``\\n``, ``\\r\\n`` or a lone ``\\r`` (DESIGN §6 counts each as one line end). Bytes are
decoded as UTF-8; the bytes of a line that are not valid UTF-8 are decoded as cp1252 instead, so
a damaged line never stops the read and never loses text. A UTF-16 file (the NUL bytes its ASCII
characters have, with or without a byte order mark) is decoded as UTF-16. Any other file with a
NUL byte in its first 8 KiB is binary and refused.

Memory stays bounded: the input is read in 64 KiB chunks, and a line longer than
:data:`MAX_LINE_BYTES` is handed out in pieces; every piece but the last has no line ending.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, cast

from knownfix.core.text.decoding import decode_line, looks_binary
from knownfix.errors import InputError

__all__ = ["SNIFF_BYTES", "TextLines", "check_text_file", "decode_line", "is_regular_file",
           "iter_text_lines", "open_binary", "printable_path", "read_exactly", "sniff",
           "stdin_binary"]

SNIFF_BYTES = 8192
CHUNK_BYTES = 65536
MAX_LINE_BYTES = 1 << 20
"""Longest piece handed out at once; longer lines come in several pieces (see module doc)."""

_LINE_END = re.compile(rb"\r\n|\r|\n")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

Source = str | os.PathLike[str] | BinaryIO


class TextLines(Iterator[str]):
    """The lines of one input; closes a file it opened when exhausted, closed or left."""

    def __init__(self, lines: Iterator[str], stream: BinaryIO | None) -> None:
        self._lines = lines
        self._stream = stream

    def __next__(self) -> str:
        try:
            return next(self._lines)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Stop; release the file if it was opened here (a stream passed in stays open)."""
        self._lines = iter(())
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def __enter__(self) -> TextLines:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def iter_text_lines(source: Source, *, name: str | None = None) -> TextLines:
    """Lines of a text file or binary stream, endings kept; raises InputError if unreadable.

    Opening and the binary check happen at call time, so a missing or binary file fails before
    the first line is asked for. ``name`` is used in error messages (default: the path, or the
    stream's ``name``, or ``<stdin>``). A file opened here is closed at the end of the lines, by
    ``close()``, or by leaving a ``with`` block.
    """
    if isinstance(source, str | os.PathLike):
        label = name or str(source)
        stream = open_binary(Path(source), label)
        owned: BinaryIO | None = stream
    else:
        stream = source
        label = name or _stream_name(source)
        owned = None
    try:
        head = read_exactly(stream, SNIFF_BYTES, label)
        encoding = sniff(head, label)
        if encoding != "utf-8":
            lines = _utf16_lines(head, stream, label, encoding)
        else:
            lines = _utf8_lines(head, stream, label)
    except BaseException:
        if owned is not None:
            owned.close()
        raise
    return TextLines(lines, owned)


def check_text_file(path: str | os.PathLike[str], *, name: str | None = None) -> None:
    """Raise the InputError :func:`iter_text_lines` would raise for ``path``, reading 8 KiB."""
    iter_text_lines(path, name=name).close()


def sniff(head: bytes, label: str) -> str:
    """The encoding of an input from its first bytes: ``"utf-8"``, ``"utf-16"`` (with a byte
    order mark), ``"utf-16-le"`` or ``"utf-16-be"`` (without one); ``InputError`` if binary.

    A UTF-16 byte order mark counts only when NUL bytes follow it (the high bytes of ASCII
    characters: every real UTF-16 log has them); otherwise ``FF FE`` is just two bad bytes at
    the start of a UTF-8 file, and decoding the rest as UTF-16 would turn it into nonsense.
    Without a byte order mark, UTF-16 shows as NUL bytes in every other position.
    """
    sample = head[:SNIFF_BYTES]
    if sample.startswith(_UTF16_BOMS) and (len(sample) == 2 or b"\x00" in sample[2:]):
        return "utf-16"
    if b"\x00" in sample:
        order = _utf16_without_bom(sample)
        if order is not None:
            return order
        if looks_binary(sample):
            raise InputError(f"{label}: binary file, not text")
    return "utf-8"


def _utf16_without_bom(sample: bytes) -> str | None:
    """``"utf-16-le"`` / ``"utf-16-be"`` when NULs fill one byte of each pair and the text
    decodes to printable characters; None otherwise."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    nul_even, nul_odd = sample[0 : pairs * 2 : 2].count(0), sample[1 : pairs * 2 : 2].count(0)
    # ASCII text puts a NUL in (nearly) every pair; a short sample must show it in all but one.
    share = 0.5 if pairs >= 32 else (pairs - 1) / pairs
    if nul_odd >= pairs * share and nul_even <= pairs * 0.02:
        order = "utf-16-le"
    elif nul_even >= pairs * share and nul_odd <= pairs * 0.02:
        order = "utf-16-be"
    else:
        return None
    text = sample[: pairs * 2].decode(order, errors="replace")
    odd = sum(1 for c in text if c == "\ufffd" or not (c.isprintable() or c in "\t\n\r\f\v"))
    return order if odd <= len(text) * 0.02 else None


def open_binary(path: Path, label: str) -> BinaryIO:
    """Open ``path`` for reading bytes; a clear ``InputError`` for a folder or a missing file."""
    if path.is_dir():
        raise InputError(f"{label}: is a directory, not a file")
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{label}: no such file") from None
    except OSError as error:
        raise InputError(f"{label}: cannot read: {error.strerror or error}") from None


def stdin_binary() -> BinaryIO:
    """Standard input as bytes; a clear InputError when it is closed (``knownfix triage - <&-``)."""
    stream = sys.stdin
    buffer = getattr(stream, "buffer", None) if stream is not None else None
    if buffer is None:
        raise InputError("<stdin>: standard input is closed; pass a file instead")
    return cast(BinaryIO, buffer)


def is_regular_file(path: str | os.PathLike[str]) -> bool:
    """True for a regular file (or a link to one); False for a pipe, a device, a socket …"""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def printable_path(name: str) -> str:
    """A file name as text that can be stored and printed anywhere.

    A name whose bytes are not UTF-8 reaches Python with surrogates in it (``bad\\udcffname``),
    which no UTF-8 database or output accepts; its odd bytes are written ``\\xff`` instead.
    """
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that was never a byte
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def _stream_name(stream: BinaryIO) -> str:
    name = getattr(stream, "name", None)
    return name if isinstance(name, str) and not name.startswith("<") else "<stdin>"


def _read(stream: BinaryIO, size: int, label: str) -> bytes:
    try:
        return stream.read(size)
    except OSError as error:
        raise InputError(f"{label}: cannot read: {error.strerror or error}") from None


def read_exactly(stream: BinaryIO, size: int, label: str) -> bytes:
    """Up to ``size`` bytes, fewer only at the end (pipes may return short reads)."""
    parts: list[bytes] = []
    wanted = size
    while wanted > 0:
        chunk = _read(stream, wanted, label)
        if not chunk:
            break
        parts.append(chunk)
        wanted -= len(chunk)
    return b"".join(parts)


def _utf8_lines(head: bytes, stream: BinaryIO, label: str) -> Iterator[str]:
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    for raw in _split_lines(head, stream, label):
        yield decode_line(raw)


def _split_lines(head: bytes, stream: BinaryIO, label: str) -> Iterator[bytes]:
    """Raw lines with their endings; a ``\\r`` at a chunk edge waits for a possible ``\\n``."""
    buffer = head
    eof = not head
    while True:
        start = 0
        for found in _LINE_END.finditer(buffer):
            if found.group() == b"\r" and found.end() == len(buffer) and not eof:
                break  # maybe the first half of "\r\n": read on before deciding
            yield from _pieces(buffer[start : found.end()])
            start = found.end()
        buffer = buffer[start:]
        while len(buffer) > MAX_LINE_BYTES:
            cut = _utf8_boundary(buffer, MAX_LINE_BYTES)
            yield buffer[:cut]
            buffer = buffer[cut:]
        if eof:
            if buffer:
                yield buffer
            return
        chunk = _read(stream, CHUNK_BYTES, label)
        eof = not chunk
        buffer += chunk


def _pieces(line: bytes) -> Iterator[bytes]:
    """``line`` itself, or pieces of at most MAX_LINE_BYTES when it is longer."""
    while len(line) > MAX_LINE_BYTES:
        cut = _utf8_boundary(line, MAX_LINE_BYTES)
        yield line[:cut]
        line = line[cut:]
    yield line


def _utf8_boundary(data: bytes, limit: int) -> int:
    """A cut position at or before ``limit`` that does not split a UTF-8 sequence."""
    cut = limit
    while cut > limit - 3 and data[cut] & 0xC0 == 0x80:
        cut -= 1
    return cut


def _utf16_lines(head: bytes, stream: BinaryIO, label: str, encoding: str) -> Iterator[str]:
    # newline="" keeps the endings and still splits on \r, \n and \r\n.
    joined = io.BufferedReader(_Prefixed(head, stream, label))
    text = io.TextIOWrapper(joined, encoding=encoding, errors="replace", newline="")
    max_chars = MAX_LINE_BYTES // 2
    while line := text.readline(max_chars):
        yield line


class _Prefixed(io.RawIOBase):
    """A raw stream that replays the sniffed head before the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO, label: str) -> None:
        self._head = head
        self._stream = stream
        self._label = label

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        chunk = _read(self._stream, len(buffer), self._label)
        buffer[: len(chunk)] = chunk
        return len(chunk)
