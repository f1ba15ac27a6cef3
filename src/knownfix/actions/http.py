"""One HTTP call with a timeout (httpx); never raises for network failures, it reports them."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

BODY_TAIL_CHARS = 4096


@dataclass(frozen=True, slots=True)
class HttpResult:
    status: int | None  # None: no answer (refused, timed out, bad TLS …)
    body: str  # the start of the answer's body
    duration_s: float
    error: str | None = None
    timed_out: bool = False


def http_request(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    json: Any = None,
    timeout: float,
) -> HttpResult:
    """Send one request without following redirects; a failure is an :class:`HttpResult`."""
    started = time.monotonic()
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            response = client.request(method, url, headers=dict(headers or {}), json=json)
            body = response.text[:BODY_TAIL_CHARS]
            return HttpResult(response.status_code, body, time.monotonic() - started)
    except httpx.TimeoutException:
        return HttpResult(None, "", time.monotonic() - started,
                          error=f"no answer within {timeout:g} s", timed_out=True)
    except httpx.HTTPError as error:
        return HttpResult(None, "", time.monotonic() - started, error=_reason(error))
    except (httpx.InvalidURL, ValueError, UnicodeError) as error:  # an URL it cannot send
        return HttpResult(None, "", time.monotonic() - started, error=f"invalid request: {error}")


def _reason(error: httpx.HTTPError) -> str:
    text = str(error).strip() or type(error).__name__
    if "Connection refused" in text or "connection attempts failed" in text.lower():
        return "connection refused"
    return text.splitlines()[0]
