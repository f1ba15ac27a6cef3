"""POST /api/v1/events and GET /api/v1/events/{id}: the three body kinds, limits, bad bodies,
dedup, and what is stored (no secret outlives the analysis)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from knownfix.cli.app import app as cli
from knownfix.errors import InputError
from knownfix.services.analysis import analyse_event
from knownfix.services.triage import TriageSession
from knownfix.storage.events import get_event
from knownfix.storage.incident_tables import occurrences
from knownfix.storage.service_tables import events
from service_helpers import EXAMPLE_LOGS, FakeGuard, ServiceApp, open_service, service_settings

DATA = Path(__file__).parent / "data" / "triage"
SECRETS = ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "hunter2secret")


@pytest.fixture
def svc(project: Path) -> Iterator[ServiceApp]:
    opened = open_service(service_settings(project, max_body_bytes=1 << 20))
    yield opened
    opened.store.close()


def post(svc: ServiceApp, body: bytes, content_type: str = "text/plain",
         **headers: str) -> dict[str, object]:
    answer = svc.client.post("/api/v1/events", content=body,
                             headers={"Content-Type": content_type, **svc.auth(), **headers})
    assert answer.status_code == 202, answer.text
    assert answer.headers["location"] == f"/api/v1/events/{answer.json()['id']}"
    return dict(answer.json())


def analysed(svc: ServiceApp, event_id: str) -> dict[str, object]:
    outcome = analyse_event(svc.store, event_id, settings=svc.settings)
    assert outcome.state in {"done", "failed"}
    answer = svc.client.get(f"/api/v1/events/{event_id}", headers=svc.auth(svc.viewer))
    assert answer.status_code == 200
    return dict(answer.json())


def unordered_terms(match: dict[str, object]) -> dict[str, object]:
    """A match with the words of its "shared terms" reason as a set: their order follows
    Python's string hashing, which differs from one process to the next."""
    reasons = []
    for reason in match["reasons"]:  # type: ignore[attr-defined]
        head, sep, terms = str(reason).partition("shared terms: ")
        reasons.append((head, frozenset(terms.split(", "))) if sep else reason)
    return {**match, "reasons": reasons}


def problem(svc: ServiceApp, body: bytes, content_type: str = "text/plain",
            **headers: str) -> tuple[int, dict[str, object]]:
    answer = svc.client.post("/api/v1/events", content=body,
                             headers={"Content-Type": content_type, **svc.auth(), **headers})
    assert answer.headers["content-type"] == "application/problem+json", answer.text
    body_json = answer.json()
    assert body_json["status"] == answer.status_code
    return answer.status_code, body_json


def test_a_raw_log_is_stored_then_analysed_like_the_cli_triage(
    svc: ServiceApp, project: Path
) -> None:
    log = EXAMPLE_LOGS / "alembic-missing-revision.log"
    cli_run = CliRunner().invoke(
        cli, ["--db", svc.settings.database_url, "triage", str(log), "--json", "--no-record"])
    expected = json.loads(cli_run.output.splitlines()[0])
    accepted = post(svc, log.read_bytes(), "text/plain; charset=utf-8",
                    **{"X-Knownfix-Source": "ci/migrate#42", "X-Knownfix-Scope": "shop/orders"})
    assert accepted == {"id": accepted["id"], "status": "pending", "duplicate": False}
    pending = svc.client.get(f"/api/v1/events/{accepted['id']}", headers=svc.auth())
    assert pending.json()["status"] == "pending"
    assert pending.json()["result"] is None
    view = analysed(svc, str(accepted["id"]))
    assert view["status"] == "done"
    assert view["source"] == "ci/migrate#42"
    assert view["scope"] == "shop/orders"
    result = view["result"]
    assert isinstance(result, dict)
    assert result["incident"] == {"id": view["incident_id"], "new": True, "count": 1}
    # The same object as `knownfix triage --json`, incident aside.
    for key in ("excerpt", "signature", "triage", "known"):
        assert result[key] == expected[key], key
    assert [unordered_terms(m) for m in result["matches"]] == [
        unordered_terms(m) for m in expected["matches"]]
    assert result["known"] is True
    assert result["source"] == "ci/migrate#42"


def test_gzip_bodies_are_read_and_gzip_bombs_refused(svc: ServiceApp) -> None:
    log = (EXAMPLE_LOGS / "npm-eresolve.log").read_bytes()
    accepted = post(svc, gzip.compress(log), **{"Content-Encoding": "gzip"})
    assert analysed(svc, str(accepted["id"]))["result"]["known"] is True  # type: ignore[index]
    bomb = gzip.compress(b"\0" * (64 << 20))  # 64 MiB of zeros in ~64 KB
    assert len(bomb) < svc.settings.max_body_bytes
    status, body = problem(svc, bomb, **{"Content-Encoding": "gzip"})
    assert status == 413
    assert "inflates to over 1.0 MiB" in str(body["detail"])
    status, body = problem(svc, b"not gzip at all", **{"Content-Encoding": "gzip"})
    assert status == 400
    assert "not valid gzip" in str(body["detail"])
    status, _ = problem(svc, log, **{"Content-Encoding": "br"})
    assert status == 415


def test_bodies_over_the_limit_get_413(svc: ServiceApp) -> None:
    status, body = problem(svc, b"x" * ((1 << 20) + 1))
    assert status == 413
    assert body["code"] == "too_large"
    assert "1.0 MiB" in str(body["detail"])


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [
        (b"", "text/plain", 422, "empty"),
        (b"   \n\n", "text/plain", 422, "empty"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)), "text/plain", 422, "binary"),
        (b"<html><body>hi</body></html>", "application/xml", 422, "not a JUnit report"),
        (b"error: boom", "application/octet-stream", 415, "text/plain"),
        (b"error: boom", "", 415, "Content-Type none"),
        (b"{not json", "application/json", 422, "see errors"),
        (b"[1, 2]", "application/json", 422, "see errors"),
        (b'{"source": "x"}', "application/json", 422, "needs 'log'"),
        (b'{"log": "boom", "tags": {"a": [1]}}', "application/json", 422, "see errors"),
        (b'{"log": "boom", "trace_id": "' + b"t" * 201 + b'"}', "application/json", 422,
         "see errors"),
    ],
)
def test_a_body_that_is_not_a_log_gets_a_4xx_problem(
    svc: ServiceApp, body: bytes, content_type: str, status: int, words: str
) -> None:
    got, problem_body = problem(svc, body, content_type)
    assert got == status
    assert words in str(problem_body["detail"])


def test_bad_metadata_is_a_400(svc: ServiceApp) -> None:
    status, body = problem(svc, b"ERROR: boom\n", **{"X-Knownfix-Scope": "s" * 201})
    assert status == 422
    status, body = problem(svc, b"ERROR: boom\n", **{"X-Knownfix-Source": "a\tb"})
    assert status == 400
    assert "one line" in str(body["detail"])


def test_a_junit_report_and_a_structured_event(svc: ServiceApp) -> None:
    junit = post(svc, (DATA / "report.xml").read_bytes(), "application/xml")
    view = analysed(svc, str(junit["id"]))
    assert view["kind"] == "junit"
    assert "credit total is 0" in view["result"]["excerpt"]["text"]  # type: ignore[index]
    event = {
        "source": "orders-api", "service": "orders", "message": "KeyError: 'sku'",
        "stack_trace": 'Traceback (most recent call last):\n  File "app.py", line 3, in <module>\n'
                       "KeyError: 'sku'",
        "tags": {"env": "prod"}, "scope": "shop", "level": "error",
    }
    structured = post(svc, json.dumps(event).encode(), "application/json")
    view = analysed(svc, str(structured["id"]))
    assert view["kind"] == "json"
    assert (view["service"], view["scope"], view["source"]) == ("orders", "shop", "orders-api")
    assert "KeyError: 'sku'" in view["result"]["excerpt"]["text"]  # type: ignore[index]
    with svc.store.read() as conn:
        hints = conn.execute(select(events.c.hints).where(events.c.id == structured["id"])).scalar()
    assert hints == {"env": "prod", "service": "orders"}


def test_repeats_answer_the_first_event_and_queue_nothing(svc: ServiceApp) -> None:
    queue = svc.app.state.knownfix.queue
    first = post(svc, b"ERROR: disk full\n", **{"Idempotency-Key": "job-7"})
    again = post(svc, b"ERROR: something else\n", **{"Idempotency-Key": "job-7"})
    assert again == {"id": first["id"], "status": "pending", "duplicate": True}
    trace = {"log": "ERROR: boom\n", "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"}
    by_trace = post(svc, json.dumps(trace).encode(), "application/json")
    repeat = post(svc, json.dumps({**trace, "log": "other"}).encode(), "application/json",
                  **{"Idempotency-Key": "new-key"})
    assert repeat["id"] == by_trace["id"]
    assert repeat["duplicate"] is True
    assert queue.depth() == 2
    analysed(svc, str(first["id"]))
    done = post(svc, b"ERROR: disk full\n", **{"Idempotency-Key": "job-7"})
    assert done == {"id": first["id"], "status": "done", "duplicate": True}
    with svc.store.read() as conn:
        assert conn.execute(select(events.c.id)).all().__len__() == 2


def test_no_secret_outlives_the_analysis(svc: ServiceApp) -> None:
    log = (DATA / "secret.log").read_bytes()
    accepted = post(svc, log, **{"X-Knownfix-Source": "deploy?token=ghp_" + "a1B2" * 9})
    view = analysed(svc, str(accepted["id"]))
    shown = json.dumps(view)
    assert "REDACTED" in shown
    for secret in (*SECRETS, "ghp_" + "a1B2" * 9):
        assert secret not in shown
    with svc.store.read() as conn:
        body = conn.execute(select(events.c.body).where(events.c.id == accepted["id"])).scalar()
        stored = " ".join(str(row) for row in conn.execute(select(occurrences)).all())
    assert body is None  # dropped once analysed
    assert not any(secret in stored for secret in SECRETS)


def test_a_log_that_fails_analysis_keeps_only_a_redacted_body(
    svc: ServiceApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = (DATA / "secret.log").read_bytes()
    accepted = post(svc, log)

    def unreadable(*_args: object, **_kwargs: object) -> None:
        raise InputError(f"cannot read: AWS_SECRET_ACCESS_KEY={SECRETS[0]}")

    monkeypatch.setattr(TriageSession, "triage", unreadable)
    view = analysed(svc, str(accepted["id"]))
    assert view["status"] == "failed"
    assert view["result"] is None
    assert str(view["error"]).startswith("cannot read: AWS_SECRET_ACCESS_KEY=[REDACTED")
    with svc.store.read() as conn:
        body = conn.execute(select(events.c.body).where(events.c.id == accepted["id"])).scalar()
    text = gzip.decompress(body).decode()
    assert "./deploy.sh" in text
    assert "[REDACTED" in text
    assert not any(secret in text for secret in SECRETS)


def test_unknown_event_is_a_404_problem(svc: ServiceApp) -> None:
    answer = svc.client.get("/api/v1/events/nope", headers=svc.auth())
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"
    assert get_event(svc.store, "nope") is None


def test_the_guard_follows_the_store_when_a_racer_stored_first(svc: ServiceApp) -> None:
    from knownfix.services.ingest import accept_event, prepare_event

    guard = FakeGuard()
    # A racer saw the key taken, found no row yet, and stored its own event first …
    racer = prepare_event("log", b"ERROR: boom\n", idempotency_key="k")
    stored = accept_event(svc.store, racer, submit=lambda _id: None)
    # … so the post that claimed the key loses in the store, and the key follows the winner.
    mine = prepare_event("log", b"ERROR: boom\n", idempotency_key="k")
    answer = accept_event(svc.store, mine, submit=lambda _id: None, guard=guard)
    assert answer.id == stored.id
    assert answer.duplicate is True
    assert guard.keys == {"key:k": stored.id}, "later repeats are answered by the guard"
    again = prepare_event("log", b"ERROR: boom\n", idempotency_key="k")
    assert accept_event(svc.store, again, submit=lambda _id: None, guard=guard).id == stored.id
