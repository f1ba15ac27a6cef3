"""A small HTTP client on the standard library, with retries: what applications embed.

Only the standard library, so ``knownfix.client`` adds no dependency to the application that
imports it. Retries cover what a restart looks like from outside — refused connections,
timeouts, 502/503/504, 429 and 408 — with exponential backoff and jitter, and honour
``Retry-After``. Other answers (a 4xx: the request itself is wrong) come back at once.
"""

from __future__ import annotations

import json
import random
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
USER_AGENT = "knownfix-client"


@dataclass(frozen=True, slots=True)
class Answer:
    """A response: status, headers (lower-case names) and body."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    @property
    def detail(self) -> str:
        """The problem's detail, or the start of the body."""
        try:
            data = self.json()
        except ValueError:
            return self.body[:300].decode("utf-8", "replace")
        if isinstance(data, dict) and data.get("detail"):
            return str(data["detail"])
        return str(data)[:300]


class Unreachable(ConnectionError):
    """The service could not be reached, even after retries."""


def send(
    method: str, url: str, *, body: bytes | None = None, headers: Mapping[str, str] | None = None,
    timeout: float = 10.0,
) -> Answer:
    """One request; an HTTP error status is an :class:`Answer`, not an exception."""
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"User-Agent": USER_AGENT, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return Answer(response.status, _lower(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, _lower(error.headers), error.read())


def _lower(headers: Any) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in headers.items()} if headers else {}


def retry_delay(attempt: int, answer: Answer | None, *, base: float, cap: float) -> float:
    """Seconds before attempt ``attempt + 1``: the server's Retry-After, else backoff."""
    if answer is not None:
        after = answer.headers.get("retry-after", "")
        if after.strip().isdigit():
            return min(cap, float(after))
    backoff: float = min(cap, base * 2 ** attempt)
    return backoff * (0.5 + random.random() / 2)  # noqa: S311 - jitter, not a secret


def send_with_retries(
    method: str, url: str, *, body: bytes | None = None, headers: Mapping[str, str] | None = None,
    attempts: int = 5, timeout: float = 10.0, base_delay: float = 0.5, max_delay: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Answer:
    """:func:`send`, retried on connection errors and retryable statuses; the last answer, or
    :class:`Unreachable` when no answer came at all."""
    last: Answer | None = None
    error: Exception | None = None
    for attempt in range(max(1, attempts)):
        try:
            last = send(method, url, body=body, headers=headers, timeout=timeout)
            error = None
        except (OSError, urllib.error.URLError) as failure:  # refused, reset, timed out, DNS
            last, error = None, failure
        if last is not None and last.status not in RETRY_STATUSES:
            return last
        if attempt + 1 < attempts:
            sleep(retry_delay(attempt, last, base=base_delay, cap=max_delay))
    if last is not None:
        return last
    raise Unreachable(f"{url}: {getattr(error, 'reason', error)}")
