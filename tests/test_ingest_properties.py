"""Property tests of what reads posted bodies: whatever arrives, a correct result or one of
knownfix's own errors (which the API turns into a 4xx problem), never anything else."""

from __future__ import annotations

import contextlib
import gzip
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from knownfix.errors import InputError, TooLarge
from knownfix.services.ingest import body_blocks, prepare_event, structured_text
from knownfix.web.body import gunzip_bounded, media_kind

LIMIT = 4096


@given(st.binary(max_size=3 * LIMIT))
def test_gzip_round_trips_within_the_limit_and_refuses_beyond(data: bytes) -> None:
    packed = gzip.compress(data)
    if len(data) <= LIMIT:
        assert gunzip_bounded(packed, LIMIT) == data
        assert gunzip_bounded(packed + gzip.compress(b"more"), LIMIT + 4) == data + b"more"
    else:
        try:
            gunzip_bounded(packed, LIMIT)
        except TooLarge:
            pass
        else:
            raise AssertionError("over the limit but accepted")


@given(st.binary(max_size=2048))
def test_garbage_that_claims_to_be_gzip_is_an_input_error(data: bytes) -> None:
    with contextlib.suppress(InputError):  # anything else fails the test
        gunzip_bounded(data, LIMIT)


@given(st.text(max_size=80))
def test_any_content_type_is_read_or_refused(content_type: str) -> None:
    refused: InputError | None = None
    try:
        kind = media_kind(content_type)
    except InputError as error:
        refused = error
    if refused is not None:
        assert refused.status == 415
    else:
        assert kind in {"log", "junit", "json"}


@given(st.sampled_from(["log", "junit", "json"]), st.binary(max_size=4096),
       st.one_of(st.none(), st.text(max_size=300)), st.one_of(st.none(), st.text(max_size=300)))
@settings(max_examples=300)
def test_prepare_event_stores_what_it_read_or_says_why_not(
    kind: str, body: bytes, source: str | None, key: str | None
) -> None:
    refused: InputError | None = None
    try:
        event = prepare_event(kind, body, source=source, idempotency_key=key)
    except InputError as error:
        refused = error
    if refused is not None:
        assert refused.status in {400, 422}
        return
    stored = b"".join(body_blocks(event.body))
    assert event.body_bytes == len(stored)
    if body[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        assert stored == body  # UTF-16 aside, the bytes are kept exactly
    assert event.source
    assert "\n" not in event.source


@given(st.one_of(st.none(), st.text(max_size=200)), st.one_of(st.none(), st.text(max_size=200)),
       st.one_of(st.none(), st.text(max_size=200)))
def test_a_structured_event_has_a_log_or_is_refused(
    log: str | None, message: str | None, trace: str | None
) -> None:
    try:
        text = structured_text(log, message, trace)
    except InputError:
        assert not any(part and part.strip() for part in (log, message, trace))
        return
    for part in (message, trace) if not (log and log.strip()) else (log,):
        if part and part.strip():
            assert part.rstrip("\r\n") in text
    json.dumps(text)
