"""Inflating gzip bodies: ISA-L (``isal``) where installed, the standard library elsewhere.

Every posted event is inflated twice on its way: by the API, whole, to enforce the size limit
and check that it is valid gzip and text, then by the worker that analyses it. ISA-L inflates
the same bytes (same results, same checks: CRC and length trailers, several members) two to
three times faster than zlib: on the held-out LogChunks logs (~26 KB gzip, ~170 KB inflated)
0.22 → 0.09 ms a body in the API, 0.27 → 0.11 ms in the worker. It is optional (the ``server``
and ``worker`` extras install it where wheels exist): without it nothing changes but speed.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from typing import Any

_zlib: Any = zlib
_gzip_file: Any = gzip.GzipFile
try:
    from isal import igzip as _igzip
    from isal import isal_zlib as _isal_zlib
except ImportError:  # pragma: no cover - exercised where isal is not installed
    pass
else:
    _zlib, _gzip_file = _isal_zlib, _igzip.GzipFile

GZIP_WBITS = 16 + zlib.MAX_WBITS
ERRORS: tuple[type[Exception], ...] = tuple({zlib.error, _zlib.error})
"""What a stream that is not valid gzip raises (zlib's error, or ISA-L's)."""


def decompressobj() -> Any:
    """An inflater of one gzip member, with zlib's interface (``decompress(data, max_length)``,
    ``unconsumed_tail``, ``unused_data``, ``eof``)."""
    return _zlib.decompressobj(GZIP_WBITS)


def gzip_blocks(data: bytes, block: int = 1 << 20) -> Iterator[bytes]:
    """The gzip ``data`` inflated, in blocks of about ``block`` bytes, as read."""
    with _gzip_file(fileobj=io.BytesIO(data)) as handle:
        while chunk := handle.read(block):
            yield chunk
