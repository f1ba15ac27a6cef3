"""Notifications through apprise to a local HTTP receiver: a new incident, a reopened one, an
SLA breach; once each across processes; rate-limited; never in the caller's thread."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest

from knownfix.core.records import Excerpt, IncidentRef, Signature, TriageDecision, TriageResult
from knownfix.services.analysis import analyse_event
from knownfix.services.ingest import accept_event, prepare_event
from knownfix.services.notify import Notifier, apprise_send, escalation_urls
from knownfix.settings import Settings
from knownfix.storage.repository import Store, open_store
from servers import serve_in_thread
from service_helpers import EXAMPLE_LOGS, open_service, service_settings, wait_for

LOG = (EXAMPLE_LOGS / "go-test-failure.log").read_bytes()


class Receiver:
    """A local HTTP server that keeps every request it gets."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, bytes]] = []
        received = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                length = int(self.headers.get("Content-Length", 0))
                received.append((self.path, self.headers.get("Content-Type", ""),
                                 self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def json_bodies(self, path: str) -> list[dict[str, str]]:
        return [json.loads(body) for p, _t, body in self.requests if p == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()


def policy_with_escalation(project: Path, url: str) -> Path:
    path = project / "knownfix-policy.yaml"
    path.write_text(
        "version: 1\nname: test\n"
        f"default: {{category: tests, severity: high, response_time: 1 hour, "
        f"escalation: 'Platform {url}'}}\n"
        "rules: []\n", encoding="utf-8")
    return path


@pytest.fixture
def settings(project: Path, receiver: Receiver) -> Settings:
    policy = policy_with_escalation(project, f"form://127.0.0.1:{receiver.port}/team")
    return service_settings(project, notify_urls=f"json://127.0.0.1:{receiver.port}/all",
                            policy_path=str(policy))


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    with open_store(settings.database_url) as opened:
        yield opened


def analyse(store: Store, settings: Settings, notifier: Notifier, key: str) -> None:
    event = prepare_event("log", LOG, source="ci", idempotency_key=key)
    accepted = accept_event(store, event, submit=lambda _id: None)
    outcome = analyse_event(store, accepted.id, settings=settings,
                            on_result=notifier.incident_changed)
    assert outcome.state == "done"


def test_new_reopened_and_sla_breached_incidents_are_sent_once(
    store: Store, settings: Settings, receiver: Receiver
) -> None:
    notifier = Notifier(store, settings)
    analyse(store, settings, notifier, "a")
    analyse(store, settings, notifier, "b")  # the same failure again: no news
    notifier.drain()
    opened = receiver.json_bodies("/all")
    assert len(opened) == 1
    incident = store.list_incidents()[0]
    assert opened[0]["title"] == f"[knownfix] New incident {incident.id}: {incident.title}"
    assert "severity: high" in opened[0]["message"]
    assert "escalation: Platform\n" in opened[0]["message"] + "\n", "the team, not the URL"
    team = [body for path, _t, body in receiver.requests if path == "/team"]
    assert len(team) == 1
    assert parse_qs(team[0].decode())["title"] == [opened[0]["title"]]

    store.set_incident_status(incident.id, "resolved")
    analyse(store, settings, notifier, "c")
    notifier.drain()
    assert receiver.json_bodies("/all")[-1]["title"].startswith(
        f"[knownfix] Incident reopened {incident.id}")

    later = datetime.now(UTC) + timedelta(hours=2)
    assert notifier.check_sla(now=later) == 1
    assert notifier.check_sla(now=later) == 1  # queued again, but sent once: claimed in store
    notifier.drain()
    titles = [b["title"] for b in receiver.json_bodies("/all")]
    assert [t.split(":")[0] for t in titles] == [
        f"[knownfix] New incident {incident.id}", f"[knownfix] Incident reopened {incident.id}",
        f"[knownfix] SLA breached {incident.id}"]
    other = Notifier(store, settings)  # another process: the claims are in the store
    other.check_sla(now=later)
    other.drain()
    assert len(receiver.json_bodies("/all")) == 3


def test_each_target_is_rate_limited(store: Store, settings: Settings) -> None:
    sent: list[tuple[str, ...]] = []
    outcomes: list[str] = []
    clock = [0.0]

    def send(urls: object, title: str, body: str) -> int:
        sent.append(tuple(urls))  # type: ignore[arg-type]
        return len(sent[-1])

    limited = Notifier(store, replace(settings, notify_per_minute=1), send=send,
                       clock=lambda: clock[0], on_outcome=outcomes.append)
    analyse(store, settings, limited, "a")
    store.set_incident_status(store.list_incidents()[0].id, "resolved")
    analyse(store, settings, limited, "b")
    limited.drain()
    assert len(sent) == 1, "the reopen came within the minute: dropped for both targets"
    assert len(sent[0]) == 2
    assert outcomes.count("rate_limited") == 2
    clock[0] += 60.0
    limited.check_sla(now=datetime.now(UTC) + timedelta(hours=2))
    limited.drain()
    assert len(sent) == 2
    assert outcomes.count("sent") == 4


def test_notes_are_sent_from_the_notifier_thread_never_the_callers(
    store: Store, settings: Settings
) -> None:
    threads: list[str] = []
    done = threading.Event()

    def send(urls: object, title: str, body: str) -> int:
        threads.append(threading.current_thread().name)
        done.set()
        return 0

    notifier = Notifier(store, settings, send=send)
    notifier.start()
    try:
        analyse(store, settings, notifier, "a")
        assert done.wait(30)
    finally:
        notifier.stop()
    assert threads == ["knownfix-notify"]


def test_escalation_urls_are_the_words_with_a_scheme() -> None:
    assert escalation_urls("Platform team json://ops/hook, mailto://a@b.c") == [
        "json://ops/hook", "mailto://a@b.c"]
    assert escalation_urls("On-call DBA") == []
    assert escalation_urls(None) == []


def test_apprise_send_counts_what_was_accepted(receiver: Receiver) -> None:
    ok = f"json://127.0.0.1:{receiver.port}/x"
    assert apprise_send([ok, "not a url", f"json://127.0.0.1:{_closed_port()}/y"], "t", "b") == 1
    assert receiver.json_bodies("/x")[0]["title"] == "t"


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_posted_failure_reaches_the_receiver_through_the_running_service(
    project: Path, receiver: Receiver
) -> None:
    settings = service_settings(project / "svc",
                                notify_urls=f"json://127.0.0.1:{receiver.port}/hook")
    svc = open_service(settings, start_worker=True)
    with serve_in_thread(svc.app) as url:
        answer = httpx.post(f"{url}/api/v1/events", content=LOG, timeout=30, headers={
            "Content-Type": "text/plain", "Authorization": f"Bearer {svc.writer}"})
        assert answer.status_code == 202
        bodies = wait_for(lambda: receiver.json_bodies("/hook"), timeout=60)
    incident = svc.store.list_incidents()[0]
    assert bodies[0]["title"] == f"[knownfix] New incident {incident.id}: {incident.title}"
    svc.store.close()


def test_a_new_incident_with_nobody_to_tell_is_not_read_back(project: Path) -> None:
    class NoReads:
        def get_incident(self, incident_id: str) -> None:
            raise AssertionError(f"{incident_id} read back")

    notifier = Notifier(NoReads(), service_settings(project))  # type: ignore[arg-type]
    result = TriageResult(
        source="ci", excerpt=Excerpt(spans=((1, 1),), text="boom\n"),
        signature=Signature(title="boom", fingerprint="f", loose_fingerprint="l", version="v"),
        decision=TriageDecision(category="tests", severity="high", escalation="Platform team"),
        known=False, matches=(), incident=IncidentRef("HIGH-001", new=True, count=1))
    notifier.incident_changed(result)  # no URL in the escalation, none global
    with pytest.raises(AssertionError, match="read back"):  # a reopened one is read
        notifier.incident_changed(replace(result, incident=IncidentRef(
            "HIGH-001", new=False, count=2, reopened=True)))
