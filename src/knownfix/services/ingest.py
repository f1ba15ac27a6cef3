"""Receiving events: check a posted log, store it durably, queue it once.

    event = prepare_event("log", body, source="ci/build-42", scope="acme/api", trace_id=None)
    accepted = accept_event(store, event, guard=redis_guard, submit=queue.submit)
    accepted.to_dict()      # {"id": "…", "status": "pending", "duplicate": false}
    event_view(store, accepted.id)   # status, and the triage result once analysed

What is stored. The body is kept gzip-compressed in the ``events`` table only until a worker
has analysed it, then dropped; what stays is the triage result, whose excerpt is redacted like
every excerpt knownfix stores. The body itself is not redacted here: redaction runs at a few
MB/s, which would cap ingest far below what the API must accept, and the body is never shown
by any route. An event that fails for good keeps a redacted copy of its body instead, for
inspection. Source, service and tags, which are shown, are redacted on arrival.

Dedup. An ``Idempotency-Key`` or a ``trace_id`` seen before returns the first event with
``duplicate: true`` and queues nothing. With Redis (the distributed mode) a ``SET NX`` with
expiry answers most repeats without touching the database; the unique constraints of the store
decide every case Redis cannot (a key that expired, a winner that has not committed yet).
"""

from __future__ import annotations

import codecs
import gzip
import logging
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from knownfix.core.extract import looks_like_junit
from knownfix.core.secrets.redact import redact
from knownfix.errors import InputError, NotFound, ParseError, StoreError
from knownfix.inflate import gzip_blocks
from knownfix.storage.events import (
    DONE,
    FAILED,
    NewEvent,
    get_event,
    insert_events,
)
from knownfix.textio import SNIFF_BYTES, sniff

if TYPE_CHECKING:
    from knownfix.storage.repository import Store

log = logging.getLogger("knownfix.ingest")

KINDS = ("log", "junit", "json")
DEFAULT_SOURCE = "api"
MAX_SOURCE_CHARS = 1000
MAX_KEY_CHARS = 200
MAX_SCOPE_CHARS = 200
MAX_TAGS = 50
MAX_TAG_CHARS = 200
STORE_GZIP_LEVEL = 1
"""Fast compression for the stored body: ~180 MB/s, a CI log shrinks 5 to 10 times."""


@dataclass(frozen=True, slots=True)
class Accepted:
    """The answer to a post: the event's id, its public status, and whether it was a repeat."""

    id: str
    status: str
    duplicate: bool

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "duplicate": self.duplicate}


class DedupGuard(Protocol):
    """A fast first check of dedup keys shared by every API process (Redis ``SET NX``)."""

    def claim_many(self, claims: Sequence[tuple[str, str]]) -> list[str | None]:
        """For each ``(key, event_id)``: remember ``key`` → ``event_id`` unless ``key`` is
        taken (None), else the holder's id. In order: a key twice in ``claims`` is the first
        one's (one round trip for a batch of posts)."""

    def release(self, key: str, event_id: str) -> None:
        """Forget ``key`` if it still names ``event_id`` (the event could not be stored)."""

    def point(self, key: str, event_id: str) -> None:
        """Make ``key`` name ``event_id`` (the store chose another event than the one that
        claimed the key: a racer that found no row yet inserted first)."""


def public_status(status: str) -> str:
    """The status clients see: ``running`` is still ``pending`` to them."""
    return status if status in (DONE, FAILED) else "pending"


def _clean_text(value: str | None, what: str, limit: int) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if len(text) > limit:
        raise InputError(f"{what} is longer than {limit} characters")
    if any(ord(ch) < 32 for ch in text):
        raise InputError(f"{what} must be one line of printable text")
    return text


def _hints(service: str | None, tags: Mapping[str, str] | Sequence[str] | None) -> dict[str, str]:
    """Policy hints from the event: ``service`` and the tags (``k=v`` / ``k:v`` / ``flag``)."""
    hints: dict[str, str] = {}
    items: list[tuple[str, str]] = []
    if isinstance(tags, Mapping):
        items = [(str(k), str(v)) for k, v in tags.items()]
    elif tags is not None:
        for tag in tags:
            key, sep, value = str(tag).replace(":", "=", 1).partition("=")
            items.append((key, value if sep else "true"))
    if len(items) > MAX_TAGS:
        raise InputError(f"at most {MAX_TAGS} tags")
    for key, value in items:
        k = _clean_text(key, "a tag name", MAX_TAG_CHARS)
        if k is not None:
            hints[redact(k)] = redact(value.strip()[:MAX_TAG_CHARS])
    if service is not None:
        hints["service"] = service
    return hints


def _as_utf8(body: bytes, label: str) -> bytes:
    """The body as UTF-8-compatible bytes: refuses binary data, turns UTF-16 into UTF-8."""
    if sniff(body[:SNIFF_BYTES], label) == "utf-16":
        return codecs.decode(body, "utf-16", errors="replace").encode("utf-8", "surrogatepass")
    return body


def prepare_event(
    kind: str,
    body: bytes,
    *,
    source: str | None = None,
    scope: str | None = None,
    service: str | None = None,
    trace_id: str | None = None,
    idempotency_key: str | None = None,
    tags: Mapping[str, str] | Sequence[str] | None = None,
    gzipped: bytes | None = None,
    now: datetime | None = None,
) -> NewEvent:
    """Check a received body and its metadata; the event ready to store.

    ``kind`` is ``log`` (raw text), ``junit`` (a JUnit XML report) or ``json`` (the text
    built from a structured event). ``gzipped`` is the body as the client compressed it, if it
    did: stored as it came instead of compressing again. Raises :class:`ParseError` for a body
    that is not a log (empty, binary, XML that is not JUnit) and :class:`InputError` for bad
    metadata.
    """
    if kind not in KINDS:
        raise InputError(f"unknown event kind {kind!r}")
    if not body.strip():
        raise ParseError("the body is empty: post the log of a failure")
    try:
        text = _as_utf8(body, "the body")
    except InputError:
        raise ParseError("the body is binary data, not a log") from None
    if kind == "junit" and not looks_like_junit(text[:4096]):
        raise ParseError("the XML body is not a JUnit report (<testsuites> or <testsuite>)")
    clean_source = _clean_text(source, "the source", MAX_SOURCE_CHARS)
    clean_service = _clean_text(service, "the service", MAX_TAG_CHARS)
    stored = gzipped if gzipped is not None and text is body else gzip.compress(
        text, compresslevel=STORE_GZIP_LEVEL, mtime=0)
    return NewEvent(
        id=uuid.uuid4().hex,
        kind=kind,
        body=stored,
        body_bytes=len(text),
        source=redact(clean_source) if clean_source else DEFAULT_SOURCE,
        scope=_clean_text(scope, "the scope", MAX_SCOPE_CHARS) or "",
        received_at=now or datetime.now(UTC),
        service=redact(clean_service) if clean_service else None,
        trace_id=_clean_text(trace_id, "the trace id", MAX_KEY_CHARS),
        idempotency_key=_clean_text(idempotency_key, "the Idempotency-Key", MAX_KEY_CHARS),
        hints=_hints(clean_service, tags),
    )


def structured_text(log_text: str | None, message: str | None, stack_trace: str | None) -> str:
    """The log of a structured event: ``log``, else ``message`` and ``stack_trace``."""
    if log_text and log_text.strip():
        return log_text
    parts = [part for part in (message, stack_trace) if part and part.strip()]
    if not parts:
        raise ParseError("a JSON event needs 'log', or 'message' (and 'stack_trace')")
    return "\n".join(part.rstrip("\r\n") for part in parts) + "\n"


def dedup_keys(event: NewEvent) -> list[str]:
    """The keys a repeat of ``event`` would share with it."""
    keys = []
    if event.idempotency_key is not None:
        keys.append(f"key:{event.idempotency_key}")
    if event.trace_id is not None:
        keys.append(f"trace:{event.trace_id}")
    return keys


def accept_event(
    store: Store,
    event: NewEvent,
    *,
    submit: Callable[[str], None],
    guard: DedupGuard | None = None,
) -> Accepted:
    """Store ``event`` (or find the event it repeats) and queue a new one for analysis.

    A queue that cannot take the event does not lose it: it stays pending in the store, where
    the workers' sweep finds it.
    """
    def submit_each(event_ids: list[str]) -> None:
        for event_id in event_ids:
            submit(event_id)

    return accept_events(store, [event], submit_many=submit_each, guard=guard)[0]


def accept_events(
    store: Store,
    batch: Sequence[NewEvent],
    *,
    submit_many: Callable[[list[str]], None],
    guard: DedupGuard | None = None,
) -> list[Accepted]:
    """:func:`accept_event` for a batch: the new events are stored in one transaction (one
    commit for all) and queued together once it has committed. A :class:`StoreError` refuses
    the whole batch (nothing of it is stored; its dedup claims are released)."""
    answers: list[Accepted | None] = [None] * len(batch)
    claimed: dict[int, list[str]] = {i: [] for i in range(len(batch))}
    to_store: list[int] = []
    keys = [dedup_keys(event) for event in batch]
    holders = iter(guard.claim_many([(key, event.id) for event, mine in zip(batch, keys,
                                                                            strict=True)
                                     for key in mine]) if guard else ())
    for i, event in enumerate(batch):
        repeat = _claim_keys(store, guard, event, [(key, next(holders)) for key in keys[i]],
                             claimed[i]) if guard else None
        if repeat is not None:
            answers[i] = repeat
        else:
            to_store.append(i)
    try:
        stored = insert_events(store, [batch[i] for i in to_store]) if to_store else []
    except StoreError:
        if guard is not None:
            for i in to_store:
                for key in claimed[i]:
                    guard.release(key, batch[i].id)
        raise
    fresh: list[str] = []
    for i, (row, new) in zip(to_store, stored, strict=True):
        if new:
            fresh.append(row.id)
            answers[i] = Accepted(row.id, "pending", False)
            continue
        if guard is not None:
            for key in claimed[i]:
                guard.point(key, row.id)
        answers[i] = Accepted(row.id, public_status(row.status), True)
    if fresh:
        try:
            submit_many(fresh)
        except Exception as error:  # noqa: BLE001 - the events are stored; the sweep queues them
            log.warning("%d events stored but not queued (%s); the sweep will queue them",
                        len(fresh), error)
    return [answer for answer in answers if answer is not None]


def _claim_keys(store: Store, guard: DedupGuard, event: NewEvent,
                holders: list[tuple[str, str | None]], claimed: list[str]) -> Accepted | None:
    """Sort out ``event``'s dedup claims (each key with its holder: None where this event
    took it, appended to ``claimed``): the answer for a repeat of a stored event (its own
    claims released), or None: the store decides."""
    repeat = None
    for key, holder in holders:
        if holder is None:
            claimed.append(key)
        elif repeat is None:
            known = get_event(store, holder)
            if known is not None:
                repeat = Accepted(known.id, public_status(known.status), True)
            # else the holder has not committed yet (or never will): the store decides.
    if repeat is not None:
        for mine in claimed:
            guard.release(mine, event.id)
        claimed.clear()
    return repeat


def event_view(store: Store, event_id: str) -> dict[str, Any]:
    """What ``GET /api/v1/events/{id}`` shows: status, where it came from, and once analysed
    the triage result (the ``knownfix triage --json`` object) or why it failed."""
    row = get_event(store, event_id)
    if row is None:
        raise NotFound(f"no event {event_id!r}")
    return {
        "id": row.id,
        "status": public_status(row.status),
        "kind": row.kind,
        "source": row.source,
        "scope": row.scope,
        "service": row.service,
        "trace_id": row.trace_id,
        "received_at": row.received_at.isoformat(),
        "finished_at": row.finished_at.isoformat() if row.finished_at else None,
        "attempts": row.attempts,
        "incident_id": row.incident_id,
        "result": row.result if row.status == DONE else None,
        "error": row.error if row.status == FAILED else None,
    }


def body_blocks(stored: bytes, block: int = 1 << 20) -> Iterator[bytes]:
    """The stored (gzip) body in blocks of about ``block`` bytes, decompressed as read."""
    return gzip_blocks(stored, block)
