"""Both inflaters (ISA-L where installed, the standard library) read gzip bodies alike: the
same bytes, the same refusals (over the limit, cut short, corrupt)."""

from __future__ import annotations

import gzip
import zlib

import pytest

from knownfix import inflate
from knownfix.errors import InputError, TooLarge
from knownfix.services.ingest import body_blocks
from knownfix.web.body import gunzip_bounded

LOG = b"".join(b"step %d: error: something failed\n" % n for n in range(5000))
PACKED = gzip.compress(LOG, mtime=0)
BAD_CRC = PACKED[:-8] + bytes([PACKED[-8] ^ 1]) + PACKED[-7:]

ENGINES = ["stdlib"]
try:
    from isal import igzip, isal_zlib
except ImportError:  # pragma: no cover - isal is an optional speed-up
    pass
else:
    ENGINES.append("isal")


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "stdlib":
        monkeypatch.setattr(inflate, "_zlib", zlib)
        monkeypatch.setattr(inflate, "_gzip_file", gzip.GzipFile)
    else:
        monkeypatch.setattr(inflate, "_zlib", isal_zlib)
        monkeypatch.setattr(inflate, "_gzip_file", igzip.GzipFile)
    return str(request.param)


def test_bodies_inflate_alike(engine: str) -> None:
    assert gunzip_bounded(PACKED, len(LOG)) == LOG
    assert gunzip_bounded(PACKED + gzip.compress(b"more"), len(LOG) + 4) == LOG + b"more"
    assert b"".join(body_blocks(PACKED, 4096)) == LOG


@pytest.mark.parametrize(("data", "limit", "refusal", "message"), [
    (PACKED, len(LOG) - 1, TooLarge, "inflates to over"),
    (PACKED[: len(PACKED) // 2], len(LOG), InputError, "cut short"),
    (BAD_CRC, len(LOG), InputError, "not valid gzip"),
    (b"\x1f\x8b not gzip after all", len(LOG), InputError, "not valid gzip"),
])
def test_bad_bodies_are_refused_alike(
    engine: str, data: bytes, limit: int, refusal: type[Exception], message: str
) -> None:
    with pytest.raises(refusal, match=message):
        gunzip_bounded(data, limit)
