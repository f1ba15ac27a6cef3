"""The types knownfix front matter values must have; a wrong one is reported and not stored.

``severity: [1, 2]`` or ``status: {a: b}`` would otherwise be stored as the text of a YAML
list or mapping, and ``response_time: -5 parsecs`` as an SLA nobody can keep. Each key's check
returns the problem with its value, or None; the caller reports it at the key's line and drops
the value. Text that is merely unusual (a severity knownfix does not rank, "Best effort") is
the team's to write and stays as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

Check = Callable[[Any], tuple[str, str] | None]
"""A value → ``("error", message)`` for its problem, or None when it is fine."""

_SCALAR = (str, int, float, bool, date)  # YAML reads 2026-01-31 as a date: a fine text too
_NEGATIVE = re.compile(r"(?<![\w.])-\s*\d")


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _text(key: str) -> Check:
    def check(value: Any) -> tuple[str, str] | None:
        if value is None or isinstance(value, _SCALAR):
            return None
        kind = "a list" if isinstance(value, list) else "a mapping" if isinstance(
            value, dict) else type(value).__name__
        return "error", f"front matter {key} must be a text, not {kind} ({_shown(value)})"
    return check


def _response_time(value: Any) -> tuple[str, str] | None:
    problem = _text("response_time")(value)
    if problem or value is None:
        return problem
    if isinstance(value, bool) or (isinstance(value, int | float) and value < 0) or (
        isinstance(value, str) and _NEGATIVE.search(value)
    ):
        return "error", (f"front matter response_time {_shown(value)} is not a duration "
                         "(write e.g. '4 hours', 'Immediate', 'Next sprint')")
    return None


def _list_of_texts(key: str) -> Check:
    def check(value: Any) -> tuple[str, str] | None:
        if value is None or isinstance(value, str):
            return None
        if isinstance(value, list) and all(v is None or isinstance(v, _SCALAR) for v in value):
            return None
        return "error", f"front matter {key} must be a list of texts, not {_shown(value)}"
    return check


def _mapping(key: str) -> Check:
    def check(value: Any) -> tuple[str, str] | None:
        if value is None or isinstance(value, dict):
            return None
        return "error", f"front matter {key} must be a mapping (key: value), not {_shown(value)}"
    return check


def _updated_at(value: Any) -> tuple[str, str] | None:
    if value is None or isinstance(value, date | datetime):
        return None
    if isinstance(value, str):
        try:
            datetime.fromisoformat(value)
            return None
        except ValueError:
            pass
    return "error", f"front matter updated_at must be a date (2026-01-31), not {_shown(value)}"


def _retired(value: Any) -> tuple[str, str] | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().lower() in {"true", "false", "yes", "no"}:
        return None
    return "error", f"front matter retired must be true or false, not {_shown(value)}"


CHECKS: dict[str, Check] = {
    "id": _text("id"),
    "title": _text("title"),
    "severity": _text("severity"),
    "status": _text("status"),
    "category": _text("category"),
    "escalation": _text("escalation"),
    "self_healing": _text("self_healing"),
    "response_time": _response_time,
    "updated_at": _updated_at,
    "retired": _retired,
    "tags": _list_of_texts("tags"),
    "resolution_steps": _list_of_texts("resolution_steps"),
    "signature": _mapping("signature"),
    "extra": _mapping("extra"),
}


def check_types(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(key, severity, message)`` for each value of the wrong type or an unusable one."""
    found = []
    for key, value in data.items():
        check = CHECKS.get(key)
        problem = check(value) if check is not None else None
        if problem is not None:
            found.append((key, *problem))
    return found
