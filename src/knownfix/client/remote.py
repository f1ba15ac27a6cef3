"""``knownfix triage --server URL``: triage on the team's knownfix service instead of a local
store; the answer renders exactly like a local triage."""

from __future__ import annotations

import gzip
import io
import uuid
from collections.abc import Mapping
from urllib.parse import quote

from knownfix.client.http import Unreachable, send_with_retries
from knownfix.core.records import TriageResult, triage_result_from_dict
from knownfix.errors import AuthError, Forbidden, InputError, StoreError, TooLarge

MEDIA = {True: "application/xml", False: "text/plain"}


def _compressed(source: str) -> tuple[bytes, bool]:
    """The log (read like a local triage reads it) gzip-compressed; whether it is JUnit XML."""
    from knownfix.core.extract import looks_like_junit
    from knownfix.services.triage import log_chunks

    buffer = io.BytesIO()
    junit = False
    with log_chunks(source) as chunks, gzip.GzipFile(fileobj=buffer, mode="wb",
                                                     compresslevel=6, mtime=0) as out:
        for n, chunk in enumerate(chunks):
            if n == 0:
                junit = looks_like_junit(chunk)
            out.write(chunk)
    return buffer.getvalue(), junit


def triage_remote(
    server: str, token: str | None, source: str, *, record: bool = True,
    hints: Mapping[str, str] | None = None, scope: str = "", timeout: float = 120.0,
) -> TriageResult:
    """Send ``source`` (a path or ``-``) to ``POST /api/v1/triage`` and read the answer.

    Retried on connection errors and 503 (one ``Idempotency-Key`` for all attempts, so a
    retry never counts twice); 4xx answers become the matching knownfix error.
    """
    body, junit = _compressed(source)
    headers = {
        "Content-Type": MEDIA[junit],
        "Content-Encoding": "gzip",
        "X-Knownfix-Source": quote(source, safe="/:@._-+~ #?=&,"),
        "X-Knownfix-Scope": scope,
        "Idempotency-Key": uuid.uuid4().hex,
    }
    if hints:
        headers["X-Knownfix-Tags"] = ", ".join(f"{k}={v}" for k, v in hints.items())
    if token:
        headers["Authorization"] = f"Bearer {token}"
    url = f"{server.rstrip('/')}/api/v1/triage?record={'true' if record else 'false'}"
    try:
        answer = send_with_retries("POST", url, body=body, headers=headers, timeout=timeout)
    except Unreachable as error:
        raise StoreError(f"the knownfix service is unreachable: {error}") from None
    except ValueError as error:  # a URL urllib cannot use
        raise InputError(f"--server {server!r}: {error}") from None
    if answer.status == 200:
        result = triage_result_from_dict(answer.json())
        return result
    errors = {401: AuthError, 403: Forbidden, 413: TooLarge}
    kind = errors.get(answer.status, StoreError if answer.status >= 500 else InputError)
    raise kind(f"{source}: the knownfix service answered {answer.status}: {answer.detail}")
