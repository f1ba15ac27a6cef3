"""knownfix.client: a logging handler and report_exception() posting to the API in the
background — delivered with retries, never blocking, never raising into the application."""

from __future__ import annotations

import gzip
import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import knownfix.client as client_module
from knownfix.client import KnownfixClient, KnownfixHandler, report_exception
from knownfix.client.http import retry_delay, send_with_retries
from servers import free_port, serve_in_thread, wait_until
from service_helpers import open_service, service_settings


class FlakyApi:
    """Answers 503 (Retry-After: 0) to the first ``failures`` posts, then 202."""

    def __init__(self, failures: int) -> None:
        self.keys: list[str] = []
        self.bodies: list[bytes] = []
        state = {"left": failures}
        keys, bodies = self.keys, self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                keys.append(self.headers["Idempotency-Key"])
                bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
                if state["left"] > 0:
                    state["left"] -= 1
                    self.send_response(503)
                    self.send_header("Retry-After", "0")
                    self.end_headers()
                    return
                self.send_response(202)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"id": "e1", "status": "pending", "duplicate": false}')

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def flaky() -> Iterator[FlakyApi]:
    api = FlakyApi(failures=2)
    yield api
    api.close()


def test_the_handler_posts_errors_with_their_traceback_to_a_real_service(project: Path) -> None:
    svc = open_service(service_settings(project), start_worker=True)
    logger = logging.getLogger("shop.orders")
    logger.propagate = False
    with serve_in_thread(svc.app) as url:
        handler = KnownfixHandler(url, token=svc.writer, service="orders")
        logger.addHandler(handler)
        try:
            logger.info("fine")  # below ERROR: not sent
            try:
                {}["sku"]  # noqa: B018
            except KeyError:
                logger.exception("charging failed")
            assert handler.client.flush(30)
        finally:
            logger.removeHandler(handler)
        assert handler.client.stats.sent == 1
        incidents = wait_until(svc.store.list_incidents, 30, "the event analysed")
    assert len(incidents) == 1
    occurrence = svc.store.list_occurrences(incidents[0].id)[0]
    assert occurrence.source == "shop.orders"
    assert "KeyError: 'sku'" in occurrence.excerpt_text
    svc.store.close()


def test_retries_keep_one_idempotency_key(flaky: FlakyApi) -> None:
    client = KnownfixClient(flaky.url, token="t", service="orders")
    assert client.report("boom", tags={"env": "prod"}) is True
    assert client.flush(30)
    assert client.stats.sent == 1
    assert client.stats.failed == 0
    assert len(flaky.keys) == 3
    assert len(set(flaky.keys)) == 1


def test_a_full_queue_drops_without_blocking() -> None:
    client = KnownfixClient(f"http://127.0.0.1:{free_port()}", queue_size=2, attempts=1)
    client.sender._ensure_thread = lambda: None  # type: ignore[method-assign]  # no consumer
    results = [client.report(f"boom {n}") for n in range(5)]
    assert results == [True, True, False, False, False]
    assert client.stats.dropped == 3


def test_an_unreachable_service_fails_quietly(caplog: pytest.LogCaptureFixture) -> None:
    client = KnownfixClient(f"http://127.0.0.1:{free_port()}", attempts=2, timeout=2)
    client.sender.max_delay = 0.01
    try:
        raise RuntimeError("db down")
    except RuntimeError:
        assert client.report_exception() is True
    assert client.flush(30)
    assert client.stats.failed == 1
    assert client.stats.sent == 0
    assert client.stats.last_error


def test_report_exception_uses_the_environment(
    flaky: FlakyApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client_module, "_default", {})
    monkeypatch.delenv("KNOWNFIX_URL", raising=False)
    assert report_exception(RuntimeError("x")) is False  # nowhere to send it
    monkeypatch.setenv("KNOWNFIX_URL", flaky.url)
    monkeypatch.setenv("KNOWNFIX_TOKEN", "t")
    assert report_exception() is False  # no exception being handled
    try:
        raise ValueError("bad sku")
    except ValueError:
        assert report_exception(tags={"order": "42"}) is True
    sent = client_module._default["client"]
    assert sent.flush(30)
    raw = flaky.bodies[-1]
    body = json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
    assert body["message"] == "ValueError: bad sku"
    assert 'raise ValueError("bad sku")' in body["stack_trace"]
    assert body["tags"] == {"order": "42"}


def test_retry_delay_honours_retry_after_and_backs_off() -> None:
    from knownfix.client.http import Answer

    assert retry_delay(0, Answer(503, {"retry-after": "7"}, b""), base=0.5, cap=30) == 7
    assert retry_delay(0, Answer(503, {"retry-after": "999"}, b""), base=0.5, cap=30) == 30
    assert 1.0 <= retry_delay(2, None, base=0.5, cap=30) <= 2.0
    naps: list[float] = []
    with pytest.raises(ConnectionError):
        send_with_retries("POST", f"http://127.0.0.1:{free_port()}/x", attempts=3,
                          sleep=naps.append, timeout=1)
    assert len(naps) == 2, "three attempts, two waits"
