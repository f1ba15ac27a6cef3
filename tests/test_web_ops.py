"""/health, /metrics, CORS, trusted hosts and the JSON logs; a broker that is down."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from knownfix.observability.logs import JsonFormatter
from knownfix.services.analysis import analyse_event
from knownfix.storage.events import get_event
from servers import free_port
from service_helpers import EXAMPLE_LOGS, ServiceApp, metric, open_service, service_settings

LOG = (EXAMPLE_LOGS / "go-test-failure.log").read_bytes()


@pytest.fixture
def svc(project: Path) -> Iterator[ServiceApp]:
    opened = open_service(service_settings(project))
    yield opened
    opened.store.close()


def test_health_checks_the_store(svc: ServiceApp) -> None:
    answer = svc.client.get("/health")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok"
    assert body["mode"] == "embedded"
    assert body["checks"]["database"]["ok"] is True


def test_metrics_count_events_incidents_and_the_queue(svc: ServiceApp) -> None:
    before = svc.client.get("/metrics").text
    received = metric(before, 'knownfix_events_received_total{kind="log"}', default=0.0)
    accepted = svc.client.post("/api/v1/events", content=LOG,
                               headers={"Content-Type": "text/plain", **svc.auth()}).json()
    text = svc.client.get("/metrics").text
    assert metric(text, 'knownfix_events_received_total{kind="log"}') == received + 1
    assert metric(text, 'knownfix_events{status="pending"}') == 1
    assert metric(text, "knownfix_queue_depth") == 1
    analyse_event(svc.store, accepted["id"], settings=svc.settings)
    text = svc.client.get("/metrics").text
    assert metric(text, 'knownfix_events{status="done"}') == 1
    incident = svc.store.list_incidents()[0]
    assert metric(text, f'knownfix_incidents_open{{severity="{incident.severity}"}}') == 1
    assert "knownfix_triage_seconds_bucket" in text
    assert "knownfix_worker_failures_total" in text


def test_cors_and_trusted_hosts(project: Path) -> None:
    svc = open_service(service_settings(project, cors_origins="https://ops.example.com",
                                        trusted_hosts="knownfix.example.com,testserver"))
    preflight = svc.client.options("/api/v1/incidents", headers={
        "Origin": "https://ops.example.com", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "Authorization"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://ops.example.com"
    other = svc.client.options("/api/v1/incidents", headers={
        "Origin": "https://evil.example.net", "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in other.headers
    assert svc.client.get("/health").status_code == 200
    assert svc.client.get("/health", headers={"Host": "evil.example.net"}).status_code == 400
    svc.store.close()


def test_a_broker_that_is_down_fails_health_but_not_ingest(project: Path) -> None:
    broker = f"redis://127.0.0.1:{free_port()}/0"
    svc = open_service(service_settings(project, broker_url=broker))
    health = svc.client.get("/health")
    assert health.status_code == 503
    assert health.headers["retry-after"] == "5"
    checks = health.json()["checks"]
    assert checks["database"]["ok"] is True
    assert checks["broker"]["ok"] is False
    assert checks["broker"]["error"]
    accepted = svc.client.post("/api/v1/events", content=LOG, headers={
        "Content-Type": "text/plain", "Idempotency-Key": "k1", **svc.auth()})
    assert accepted.status_code == 202, "stored; the sweep queues it once the broker is back"
    row = get_event(svc.store, accepted.json()["id"])
    assert row is not None
    assert row.status == "pending"
    svc.store.close()


def test_json_logs_are_one_object_per_line() -> None:
    record = logging.LogRecord("knownfix.worker", logging.INFO, __file__, 1, "event %s done",
                               ("e1",), None)
    record.event_id = "e1"
    record.color_message = "\x1b[1mevent\x1b[0m"
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["message"] == "event e1 done"
    assert entry["level"] == "info"
    assert entry["logger"] == "knownfix.worker"
    assert entry["event_id"] == "e1"
    assert "color_message" not in entry
    assert entry["ts"].endswith("Z")
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    assert "ValueError: boom" in json.loads(JsonFormatter().format(record))["exception"]
