"""Send failures from any Python application to a knownfix service.

    import logging
    from knownfix.client import KnownfixHandler

    logging.getLogger().addHandler(
        KnownfixHandler("https://knownfix.example.com", token="kf_…", service="orders"))
    log.exception("charging failed")          # ERROR and above are posted, with the traceback

    from knownfix.client import configure, report_exception

    configure("https://knownfix.example.com", token="kf_…", service="orders")
    try:
        charge(order)
    except Exception:
        report_exception()                     # the exception being handled, with its trace

Events go through a bounded queue to one background thread that posts them to
``POST /api/v1/events`` with retries (each event keeps one ``Idempotency-Key`` across them, so
a retry never makes two). Nothing here blocks the application or raises into it: a full queue
drops the event, a service that stays down fails it, and both are counted in ``stats``.
Only the standard library is used. ``configure()`` without arguments reads ``KNOWNFIX_URL``
and ``KNOWNFIX_TOKEN``.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from collections.abc import Mapping
from typing import Any

from knownfix.client.http import Answer, Unreachable, send, send_with_retries
from knownfix.client.sender import Sender, SenderStats

__all__ = ["Answer", "KnownfixClient", "KnownfixHandler", "SenderStats", "Unreachable",
           "configure", "report_exception", "send", "send_with_retries"]

_OWN_LOGGERS = ("knownfix.client",)


class KnownfixClient:
    """Posts structured events (``source``, ``message``, ``stack_trace``, ``service`` …)."""

    def __init__(
        self, url: str, token: str | None = None, *, service: str | None = None,
        scope: str | None = None, queue_size: int = 1000, attempts: int = 5,
        timeout: float = 10.0,
    ) -> None:
        self.service = service
        self.scope = scope
        self.sender = Sender(url, token, queue_size=queue_size, attempts=attempts,
                             timeout=timeout)

    @property
    def stats(self) -> SenderStats:
        return self.sender.stats

    def event(
        self, message: str, *, stack_trace: str | None = None, source: str | None = None,
        trace_id: str | None = None, tags: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """The JSON event for a message (and its stack trace)."""
        event: dict[str, Any] = {"message": message, "source": source or self.service or "app"}
        if stack_trace:
            event["stack_trace"] = stack_trace
        if self.service:
            event["service"] = self.service
        if self.scope:
            event["scope"] = self.scope
        if trace_id:
            event["trace_id"] = trace_id
        if tags:
            event["tags"] = {str(k): str(v) for k, v in tags.items()}
        return event

    def report(self, message: str, **fields: Any) -> bool:
        """Queue an event (never blocks, never raises); False if it was dropped."""
        try:
            return self.sender.submit(self.event(message, **fields))
        except Exception:  # noqa: BLE001 - never into the application
            return False

    def report_exception(
        self, error: BaseException | None = None, *, source: str | None = None,
        tags: Mapping[str, str] | None = None, trace_id: str | None = None,
    ) -> bool:
        """Queue the exception being handled (or ``error``) with its traceback."""
        try:
            if error is None:
                error = sys.exc_info()[1]
            if error is None:
                return False
            trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
            message = "".join(traceback.format_exception_only(type(error), error)).strip()
            return self.report(message, stack_trace=trace, source=source, tags=tags,
                               trace_id=trace_id)
        except Exception:  # noqa: BLE001 - never into the application
            return False

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait for queued events to be sent (at most ``timeout`` seconds)."""
        return self.sender.flush(timeout)


class KnownfixHandler(logging.Handler):
    """A logging handler posting records at ``level`` (ERROR) and above to knownfix.

    ``extra={"trace_id": …}`` on a record makes posts of one trace one event; other extras are
    not sent. Records of ``knownfix.client`` itself are ignored (no loops).
    """

    def __init__(
        self, url: str, token: str | None = None, *, service: str | None = None,
        scope: str | None = None, level: int = logging.ERROR, queue_size: int = 1000,
        client: KnownfixClient | None = None,
    ) -> None:
        super().__init__(level)
        self.client = client or KnownfixClient(url, token, service=service, scope=scope,
                                               queue_size=queue_size)

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(_OWN_LOGGERS):
            return
        try:
            stack = None
            if record.exc_info and record.exc_info[1] is not None:
                stack = "".join(traceback.format_exception(*record.exc_info))
            elif record.stack_info:
                stack = record.stack_info
            trace_id = getattr(record, "trace_id", None)
            self.client.report(
                record.getMessage(), stack_trace=stack, source=record.name,
                trace_id=str(trace_id) if trace_id else None,
                tags={"logger": record.name, "level": record.levelname},
            )
        except Exception:  # noqa: BLE001 - a handler must never raise into the application
            pass

    def flush(self) -> None:
        self.client.flush(2.0)

    def close(self) -> None:
        self.client.flush(2.0)
        super().close()


_default: dict[str, KnownfixClient] = {}
_default_lock = threading.Lock()


def configure(
    url: str | None = None, token: str | None = None, *, service: str | None = None,
    scope: str | None = None,
) -> KnownfixClient | None:
    """Set the client :func:`report_exception` uses (default: ``KNOWNFIX_URL`` and
    ``KNOWNFIX_TOKEN``); None when no URL is known."""
    url = url or os.environ.get("KNOWNFIX_URL")
    if not url:
        return None
    client = KnownfixClient(url, token or os.environ.get("KNOWNFIX_TOKEN"), service=service,
                            scope=scope)
    with _default_lock:
        _default["client"] = client
    return client


def report_exception(
    error: BaseException | None = None, *, tags: Mapping[str, str] | None = None,
    trace_id: str | None = None, client: KnownfixClient | None = None,
) -> bool:
    """Post the exception being handled (or ``error``) to knownfix in the background.

    Returns True when it was queued; False when no client is configured or the queue is full.
    Never blocks and never raises.
    """
    try:
        if client is None:
            with _default_lock:
                client = _default.get("client")
            client = client or configure()
        if client is None:
            return False
        return client.report_exception(error, tags=tags, trace_id=trace_id)
    except Exception:  # noqa: BLE001 - never into the application
        return False


