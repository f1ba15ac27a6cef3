"""Bytes to text without losing any: UTF-8, and cp1252 for the bytes that are not UTF-8.

Logs and docs come from every kind of machine; a Windows tool's ``Fehler: Datei \xe4`` in a
UTF-8 log is still readable as cp1252, where UTF-8 with replacement would show ``\ufffd``.
"""

from __future__ import annotations

# The five bytes cp1252 leaves undefined map to the C1 control with the same number, as in
# latin-1, so that every byte decodes to something and nothing is dropped.
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def decode_line(raw: bytes) -> str:
    """Decode ``raw`` as UTF-8, decoding only the invalid bytes as cp1252."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    parts: list[str] = []
    rest = raw
    while rest:
        try:
            parts.append(rest.decode("utf-8"))
            break
        except UnicodeDecodeError as error:
            parts.append(rest[: error.start].decode("utf-8"))
            parts.append(_decode_cp1252(rest[error.start : error.end]))
            rest = rest[error.end :]
    return "".join(parts)


def _decode_cp1252(raw: bytes) -> str:
    return "".join(
        chr(byte) if byte in _CP1252_UNDEFINED else bytes([byte]).decode("cp1252") for byte in raw
    )


# Control bytes that text does not hold; tab, line ends, form feed, backspace and ESC (colours)
# are text in logs.
_NOT_TEXT = bytes(b for b in range(32) if b not in b"\t\n\r\f\v\b\x1b")


def looks_binary(sample: bytes) -> bool:
    """Whether the first bytes of an input are binary rather than text: NUL bytes, unless a
    few stray ones in text. A real Jenkins console holds three (the remoting preamble
    ``<===[JENKINS REMOTING CAPACITY]===>`` ends in NULs); an executable, an image or a gzip
    stream has more than one in 256 bytes, or other control bytes in more than one in 100."""
    nuls = sample.count(0)
    if not nuls:
        return False
    controls = len(sample) - len(sample.translate(None, _NOT_TEXT))
    return nuls * 256 > len(sample) or controls * 100 > len(sample)
