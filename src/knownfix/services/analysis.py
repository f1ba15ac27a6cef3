"""Analysing stored events: what a worker — the embedded thread of ``knownfix serve`` or a
Celery task of ``knownfix worker`` — does with an event id.

    outcome = analyse_event(store, event_id, settings=settings)
    outcome.state      # done, failed, skipped (finished before), busy (another worker), missing

Idempotent: a worker claims the event under a lease before triage, so two never analyse it at
once; the occurrence is recorded and the event marked done in one transaction, under the
idempotency key ``event:<id>``, so an event whose occurrence was recorded before (by a worker
that recorded and finished apart) counts nothing twice: the next attempt finds the occurrence
and only finishes the event.

The knowledge base is compiled once per process (:func:`process_triage_session`) and rebuilt
when an import changed it.
"""

from __future__ import annotations

import gzip
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential

from knownfix.core.records import TriageResult
from knownfix.core.secrets.redact import redact
from knownfix.errors import InputError, StoreError
from knownfix.services.heap import settle_after_load
from knownfix.services.ingest import body_blocks
from knownfix.services.triage import TriageSession, open_triage
from knownfix.storage.events import (
    EventRow,
    claim_event,
    due_events,
    fail_event,
    mark_done,
    release_event,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from knownfix.settings import Settings
    from knownfix.storage.repository import Store

log = logging.getLogger("knownfix.worker")

MAX_ATTEMPTS = 3
"""Analyses of one event that may end in an unexpected error before it is marked failed."""
REFRESH_SECONDS = 30.0
"""How often a long-lived process checks whether an import changed the knowledge base."""
SWEEP_GRACE = timedelta(seconds=30)
"""A pending event younger than this is still on its way through the queue, not lost."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What analysing one event did."""

    event_id: str
    state: str  # done, failed, skipped, busy, missing
    result: TriageResult | None = None
    retry_in: float | None = None  # busy: seconds until the other worker's lease ends
    error: str | None = None


class _SessionCache:
    """One triage session per process and store, rebuilt when the knowledge base changed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, tuple[TriageSession, object, float]] = {}

    def get(self, store: Store, settings: Settings) -> TriageSession:
        now = time.monotonic()
        with self._lock:
            cached = self._sessions.get(store.url)
            if cached is not None and now - cached[2] < REFRESH_SECONDS:
                return cached[0]
            version = _kb_version(store)
            if cached is not None and cached[1] == version:
                self._sessions[store.url] = (cached[0], version, now)
                cached[0].history.update(store.fingerprint_links())
                return cached[0]
            session = open_triage(store, settings)
            self._sessions[store.url] = (session, version, now)
            # The process will look terms up for every log, and walk none of this again.
            session.match_index.compiled.warm()
            settle_after_load()
            return session

    def clear(self) -> None:
        with self._lock:
            self._sessions.clear()


def _kb_version(store: Store) -> object:
    """Changes whenever an import ran: the latest import run's id."""
    runs = store.import_runs(limit=1)
    return runs[0]["id"] if runs else None


_SESSIONS = _SessionCache()


def process_triage_session(store: Store, settings: Settings) -> TriageSession:
    """The triage session of this process for ``store``: the knowledge base compiled once,
    rebuilt within :data:`REFRESH_SECONDS` of an import. Every event and every synchronous
    triage of the service gets its session here, and only here."""
    return _SESSIONS.get(store, settings)


def reset_triage_sessions() -> None:
    """Forget the compiled sessions (a forked worker process must build its own)."""
    _SESSIONS.clear()


def occurrence_key(event_id: str) -> str:
    """The idempotency key an event's occurrence is recorded under."""
    return f"event:{event_id}"


_store_retry = retry(
    retry=retry_if_exception_type(StoreError),
    wait=wait_exponential(multiplier=0.2, max=5),
    stop=stop_after_attempt(5),
    reraise=True,
)


@_store_retry
def _record_and_finish(
    store: Store, session: TriageSession, event_id: str, triaged: TriageResult, event: EventRow
) -> TriageResult:
    """Record the event's occurrence and mark the event done, in one write transaction (one
    round trip of a pooled connection, one commit); the result with its incident.

    Retried: after a triage that may have taken seconds, a short store outage must not waste
    it (a commit that did land and failed to answer finds its occurrence on the next try)."""
    result = session.record(
        triaged, hints=event.hints, idempotency_key=occurrence_key(event_id),
        scope=event.scope, then=lambda conn, recorded: _mark_done(conn, event_id, recorded),
    )
    if result.incident is None:  # nothing to record (a passing run): finished on its own
        with store.write() as conn:
            _mark_done(conn, event_id, result)
    return result


def _mark_done(conn: Connection, event_id: str, result: TriageResult) -> None:
    incident = result.incident.id if result.incident else None
    mark_done(conn, event_id, result=result.to_dict(), incident_id=incident,
              now=datetime.now(UTC))


def analyse_event(
    store: Store,
    event_id: str,
    *,
    settings: Settings,
    session: TriageSession | None = None,
    on_result: Callable[[TriageResult], None] | None = None,
) -> Outcome:
    """Claim, triage, record and finish one event (see the module doc).

    Raises :class:`StoreError` when the store fails (the caller retries later); a log that
    cannot be read fails the event for good; any other error fails it after
    :data:`MAX_ATTEMPTS` attempts and is re-raised so the caller counts it.
    """
    now = datetime.now(UTC)
    claim = claim_event(store, event_id, now=now,
                        lease=timedelta(seconds=settings.task_lease_seconds))
    if claim.state == "missing":
        log.warning("event %s does not exist", event_id)
        return Outcome(event_id, "missing")
    if claim.state == "finished":
        return Outcome(event_id, "skipped")
    if claim.state == "busy":
        until = claim.lease_until or now
        return Outcome(event_id, "busy", retry_in=max(1.0, (until - now).total_seconds()))
    event, body = claim.event, claim.body
    assert event is not None
    if body is None:  # pragma: no cover - a pending event always has its body
        fail_event(store, event_id, error="the event has no body", now=now)
        return Outcome(event_id, "failed", error="the event has no body")
    session = session or process_triage_session(store, settings)
    try:
        triaged = session.triage(event.source, body_blocks(body), record=False,
                                 hints=event.hints, scope=event.scope)
        result = _record_and_finish(store, session, event_id, triaged, event)
    except InputError as error:
        message = redact(str(error))
        fail_event(store, event_id, error=message, now=datetime.now(UTC),
                   body=_redacted_body(body))
        return Outcome(event_id, "failed", error=message)
    except StoreError:
        raise
    except Exception as error:
        if event.attempts >= MAX_ATTEMPTS:
            message = f"internal error after {event.attempts} attempts: {type(error).__name__}"
            fail_event(store, event_id, error=message, now=datetime.now(UTC),
                       body=_redacted_body(body))
        else:
            release_event(store, event_id)
        raise
    if on_result is not None:
        on_result(result)
    return Outcome(event_id, "done", result=result)


def _redacted_body(stored: bytes) -> bytes:
    """The stored body with its secrets redacted (kept only for events that failed)."""
    text = b"".join(body_blocks(stored)).decode("utf-8", errors="replace")
    return gzip.compress(redact(text).encode("utf-8"), compresslevel=1, mtime=0)


def events_due(store: Store, *, limit: int = 500, grace: timedelta = SWEEP_GRACE) -> list[str]:
    """Events a worker should pick up: pending for longer than ``grace`` (their queue message
    was lost: a broker restart, a full queue) or running under a dead lease.

    The embedded worker passes no grace: in one process nobody else holds a pending event."""
    now = datetime.now(UTC)
    return due_events(store, now=now, older_than=now - grace, limit=limit)
