"""The API's reads and incident changes: incidents (filters, paging, detail, PATCH), known
issues, search, and the synchronous triage."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from knownfix.services.analysis import analyse_event
from service_helpers import EXAMPLE_LOGS, ServiceApp, open_service, service_settings


@pytest.fixture
def svc(project: Path) -> Iterator[ServiceApp]:
    opened = open_service(service_settings(project))
    for n, log in enumerate(sorted(EXAMPLE_LOGS.glob("*.log"))):
        if "passing" in log.name:
            continue
        accepted = opened.client.post(
            "/api/v1/events", content=log.read_bytes(),
            headers={"Content-Type": "text/plain", "X-Knownfix-Scope": f"team-{n % 2}",
                     **opened.auth()}).json()
        analyse_event(opened.store, accepted["id"], settings=opened.settings)
    yield opened
    opened.store.close()


def test_incidents_list_filters_and_pages(svc: ServiceApp) -> None:
    every = svc.client.get("/api/v1/incidents", headers=svc.auth(svc.viewer))
    assert every.status_code == 200
    incidents = every.json()
    assert len(incidents) == 5
    assert every.headers["x-total-count"] == "5"
    assert {i["scope"] for i in incidents} == {"team-0", "team-1"}
    page = svc.client.get("/api/v1/incidents?limit=2&offset=1", headers=svc.auth())
    assert [i["id"] for i in page.json()] == [i["id"] for i in incidents[1:3]]
    assert page.headers["x-total-count"] == "5"
    team = svc.client.get("/api/v1/incidents?scope=team-0", headers=svc.auth()).json()
    assert team
    assert {i["scope"] for i in team} == {"team-0"}
    high = incidents[0]["severity"]
    by_severity = svc.client.get(f"/api/v1/incidents?severity={high}", headers=svc.auth()).json()
    assert all(i["severity"] == high for i in by_severity)
    assert svc.client.get("/api/v1/incidents?status=bogus", headers=svc.auth()).status_code == 400
    assert svc.client.get("/api/v1/incidents?limit=0", headers=svc.auth()).status_code == 422


def test_incident_detail_and_changes(svc: ServiceApp) -> None:
    first = svc.client.get("/api/v1/incidents", headers=svc.auth()).json()[0]
    detail = svc.client.get(f"/api/v1/incidents/{first['id'].lower()}", headers=svc.auth())
    assert detail.status_code == 200
    body = detail.json()
    assert body["id"] == first["id"]
    assert len(body["occurrences"]) == 1
    assert body["events"][0]["action"] == "opened"
    changed = svc.client.patch(f"/api/v1/incidents/{first['id']}", headers=svc.auth(),
                               json={"status": "resolved", "note": "pinned the image"})
    assert changed.status_code == 200
    assert changed.json()["status"] == "resolved"
    trail = svc.client.get(f"/api/v1/incidents/{first['id']}", headers=svc.auth()).json()
    last = trail["events"][-1]
    assert (last["actor"], last["action"], last["detail"]["note"]) == (
        "api:w", "status", "pinned the image")
    linked = svc.client.patch(f"/api/v1/incidents/{first['id']}", headers=svc.auth(),
                              json={"known_issue": "nope"})
    assert linked.status_code == 404
    empty = svc.client.patch(f"/api/v1/incidents/{first['id']}", headers=svc.auth(), json={})
    assert empty.status_code == 400
    assert "nothing to change" in empty.json()["detail"]
    bad = svc.client.patch(f"/api/v1/incidents/{first['id']}", headers=svc.auth(),
                           json={"status": "closed"})
    assert bad.status_code == 422
    assert svc.client.get("/api/v1/incidents/HIGH-999", headers=svc.auth()).status_code == 404


def test_known_issues_and_search(svc: ServiceApp) -> None:
    issues = svc.client.get("/api/v1/known-issues?limit=3", headers=svc.auth())
    assert issues.status_code == 200
    assert len(issues.json()) == 3
    assert int(issues.headers["x-total-count"]) > 3
    one = issues.json()[0]
    shown = svc.client.get(f"/api/v1/known-issues/{one['id']}", headers=svc.auth()).json()
    assert shown == one
    hits = svc.client.get("/api/v1/search", params={"q": "alembic revision"},
                          headers=svc.auth()).json()
    assert hits
    assert "alembic" in hits[0]["id"]
    assert svc.client.get("/api/v1/search?q=", headers=svc.auth()).status_code == 422


def test_synchronous_triage_records_once_per_idempotency_key(svc: ServiceApp) -> None:
    log = (EXAMPLE_LOGS / "npm-eresolve.log").read_bytes()
    dry = svc.client.post("/api/v1/triage?record=false", content=log,
                          headers={"Content-Type": "text/plain", **svc.auth()})
    assert dry.status_code == 200
    assert dry.json()["incident"] is None
    assert dry.json()["known"] is True
    headers = {"Content-Type": "text/plain", "Idempotency-Key": "run-1", **svc.auth()}
    first = svc.client.post("/api/v1/triage", content=log, headers=headers).json()
    again = svc.client.post("/api/v1/triage", content=log, headers=headers).json()
    assert first["incident"] == {"id": first["incident"]["id"], "new": True, "count": 1}
    assert again["incident"]["count"] == 1, "the retry was not counted again"
