"""Structured logs: one JSON object per line, for ``knownfix serve`` and ``knownfix worker``.

    {"ts": "2026-12-07T10:15:02.123Z", "level": "info", "logger": "knownfix.worker",
     "message": "event 3f2… analysed", "event_id": "3f2…", "incident": "HIGH-004"}

Fields passed with ``extra=`` become keys of the object. ``KNOWNFIX_LOG_FORMAT=text`` keeps
classic lines for a terminal.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

_STANDARD = set(vars(logging.makeLogRecord({}))) | {
    "message", "asctime", "taskName", "color_message"}


class JsonFormatter(logging.Formatter):
    """Formats a record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(log_format: str = "json", level: str | int = "INFO") -> None:
    """Send knownfix's, uvicorn's and Celery's logs to stderr in one format."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "celery"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True


def uvicorn_log_config() -> dict[str, Any]:
    """A uvicorn ``log_config`` that leaves logging as :func:`configure_logging` set it."""
    return {"version": 1, "disable_existing_loggers": False}
