"""Reading a request body within limits: size before and after gzip, media type, encoding.

A body over ``KNOWNFIX_MAX_BODY_BYTES`` is refused with 413 as soon as it is known to be —
from ``Content-Length``, while streaming, or while inflating a gzip body, so a small gzip bomb
never becomes a large buffer.
"""

from __future__ import annotations

from fastapi import Request

from knownfix.errors import InputError, TooLarge, UnsupportedMedia
from knownfix.inflate import ERRORS, decompressobj

MEDIA_KINDS = {
    "text/plain": "log",
    "application/xml": "junit",
    "text/xml": "junit",
    "application/json": "json",
}
GZIP_ENCODINGS = {"gzip", "x-gzip"}


def media_kind(content_type: str | None) -> str:
    """``log``, ``junit`` or ``json`` for a Content-Type; 415 for anything else."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    kind = MEDIA_KINDS.get(media)
    if kind is None:
        shown = media or "none"
        raise UnsupportedMedia(
            f"Content-Type {shown} is not read here: send text/plain (a raw log), "
            "application/xml (a JUnit report) or application/json (a structured event)"
        )
    return kind


def _limit_text(limit: int) -> str:
    return f"{limit / (1 << 20):.1f} MiB" if limit >= 1 << 20 else f"{limit} bytes"


async def read_raw(request: Request, limit: int) -> tuple[bytes, bool]:
    """The body as sent (at most ``limit`` bytes), and whether it is gzip-compressed."""
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in GZIP_ENCODINGS | {"identity", ""}:
        raise UnsupportedMedia(f"Content-Encoding {encoding} is not supported: use gzip")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"the body is {int(declared)} bytes; the limit is {_limit_text(limit)}")
    parts: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"the body is over the limit of {_limit_text(limit)}")
        parts.append(chunk)
    return b"".join(parts), encoding in GZIP_ENCODINGS


def decode_body(raw: bytes, gzipped: bool, limit: int) -> tuple[bytes, bytes | None]:
    """The body inflated if need be, and the gzip bytes as sent (None if not compressed).
    CPU work: call it from a worker thread, not the event loop."""
    if not gzipped:
        return raw, None
    return gunzip_bounded(raw, limit), raw


def gunzip_bounded(data: bytes, limit: int) -> bytes:
    """Inflate gzip ``data`` (several members allowed) to at most ``limit`` bytes."""
    out: list[bytes] = []
    size = 0
    rest = data
    try:
        while rest:
            inflater = decompressobj()
            piece = inflater.decompress(rest, limit - size + 1)
            size += len(piece)
            if size > limit or inflater.unconsumed_tail:
                raise TooLarge(f"the body inflates to over {_limit_text(limit)}")
            out.append(piece)
            if not inflater.eof:
                raise InputError("the gzip body is cut short")
            rest = inflater.unused_data
    except ERRORS as error:
        raise InputError(f"the body is not valid gzip: {error}") from None
    return b"".join(out)
