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
