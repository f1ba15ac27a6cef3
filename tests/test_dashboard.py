"""The dashboard in process: sign-in, sessions, CSRF, rights, actions, filters, escaping, errors.

The browser tests (test_dashboard_browser.py) click through the same flows in chromium; these
pin each rule down where a failure says exactly which one broke.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from dashboard_seed import SCRIPT, Seeded, dashboard_app, seeded_store
from knownfix.services import incidents as incident_service
from knownfix.services.tokens import revoke
from knownfix.storage.incidents import NewOccurrence
from knownfix.web.dashboard.route import DashboardRoute

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
READ_PAGES = ("/", "/incidents", "/known-issues", "/known-issues/KF-0001", "/reports",
              "/reports/status.html")


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[Seeded]:
    seeded = seeded_store(tmp_path)
    yield seeded
    seeded.store.close()


@pytest.fixture
def client(seeded: Seeded) -> Iterator[TestClient]:
    with TestClient(dashboard_app(seeded), follow_redirects=False) as client:
        yield client


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has a form with a CSRF token"
    return found.group(1)


def sign_in(client: TestClient, token: str) -> str:
    """Sign in through the form; the new session's CSRF token."""
    form = client.get("/login")
    answer = client.post("/login", data={"csrf_token": csrf_of(form.text), "token": token,
                                         "next": "/incidents"})
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/incidents"
    return csrf_of(client.get("/incidents").text)


def dashboard_routes(client: TestClient) -> list[tuple[str, str, str]]:
    """Every (method, path template, name) the dashboard adds to the app."""
    app = client.app
    assert isinstance(app, FastAPI)
    return [(method, route.path, route.name)
            for route in iter_route_contexts(app.routes)
            if isinstance(route.original_route, DashboardRoute)
            for method in sorted(route.methods or ()) if method != "HEAD"]


def action_routes(client: TestClient) -> dict[str, str]:
    """Every dashboard form that changes an incident: name → path template."""
    return {name: path for method, path, name in dashboard_routes(client)
            if method == "POST" and "{display_id}" in path}


def status_of(seeded: Seeded, display_id: str) -> tuple[str, str | None, int]:
    incident = seeded.store.get_incident(display_id)
    return incident.status, incident.merged_into, len(seeded.store.incident_events(display_id))


# --- sessions -------------------------------------------------------------------------------


def test_every_dashboard_route_turns_a_stranger_away(client: TestClient, seeded: Seeded) -> None:
    """The walk over every route the dashboard adds: reads send a stranger to the login form,
    forms refuse a post without the session's CSRF token, and with it send a stranger to log in
    too (the login form itself refuses a wrong token)."""
    routes = dashboard_routes(client)
    assert {path for _, path, _ in routes} >= {
        "/", "/incidents", "/incidents/{display_id}", "/known-issues",
        "/known-issues/{issue_id:path}", "/reports", "/reports/status.{fmt}", "/login"}
    incident = seeded.incidents["npm-eresolve.log"]
    before = status_of(seeded, incident)
    for method, template, name in routes:
        path = template.replace("{display_id}", incident).replace("{fmt}", "html").replace(
            "{issue_id:path}", "KF-0001").replace("{issue_id}", "KF-0001")
        if method == "GET":
            answer = client.get(path)
            if name == "login_form":
                assert answer.status_code == 200
                continue
            assert answer.status_code == 303, path
            assert answer.headers["location"].startswith("/login?next="), path
            continue
        assert method == "POST", (method, path)
        assert client.post(path, data={"token": seeded.writer}).status_code == 403, path
        csrf = csrf_of(client.get("/login").text)  # signing out (one of the forms) renews it
        answer = client.post(path, data={"csrf_token": csrf, "into": "x", "token": "kf_no"})
        if name == "login":
            assert answer.status_code == 403
        else:
            assert answer.status_code == 303, path
            assert answer.headers["location"].startswith("/login"), path
    assert status_of(seeded, incident) == before


def test_public_read_opens_the_read_pages_and_nothing_else(tmp_path: Path) -> None:
    seeded = seeded_store(tmp_path, public_read=True)
    with TestClient(dashboard_app(seeded), follow_redirects=False) as client:
        for path in READ_PAGES:
            assert client.get(path).status_code == 200, path
        incident = seeded.incidents["npm-eresolve.log"]
        page = client.get(f"/incidents/{incident}")
        assert "Sign in</a> with a writer token" in page.text
        assert "Acknowledge</button>" not in page.text
        csrf = csrf_of(client.get("/login").text)  # a stranger's session has one too
        answer = client.post(f"/incidents/{incident}/acknowledge", data={"csrf_token": csrf})
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login?next=")
        assert seeded.store.get_incident(incident).status == "open"
    seeded.store.close()


def test_a_wrong_token_is_refused_and_signs_nobody_in(client: TestClient) -> None:
    form = client.get("/login")
    answer = client.post("/login", data={"csrf_token": csrf_of(form.text), "token": "kf_wrong"})
    assert answer.status_code == 403
    assert "That token is not valid" in answer.text
    assert client.get("/").status_code == 303


def test_the_session_cookie_is_httponly_lax_and_secure_over_https(seeded: Seeded) -> None:
    with TestClient(dashboard_app(seeded), follow_redirects=False) as plain:
        cookie = plain.get("/login").headers["set-cookie"]
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie
        assert "Path=/" in cookie
        assert "Secure" not in cookie
    with TestClient(dashboard_app(seeded), base_url="https://dash.example",
                    follow_redirects=False) as secure:
        assert "Secure" in secure.get("/login").headers["set-cookie"]


def test_signing_in_renews_the_csrf_token_and_the_token_never_reaches_the_cookie(
    client: TestClient, seeded: Seeded
) -> None:
    before = csrf_of(client.get("/login").text)
    after = sign_in(client, seeded.writer)
    assert before != after
    cookie = client.cookies.get("knownfix_session") or ""
    assert seeded.writer not in cookie
    assert seeded.writer.removeprefix("kf_")[:20] not in cookie


def test_signing_out_ends_the_session(client: TestClient, seeded: Seeded) -> None:
    csrf = sign_in(client, seeded.viewer)
    answer = client.post("/logout", data={"csrf_token": csrf})
    assert answer.status_code == 303
    assert client.get("/").status_code == 303


def test_a_revoked_token_ends_its_sessions_at_once(client: TestClient, seeded: Seeded) -> None:
    sign_in(client, seeded.writer)
    assert client.get("/").status_code == 200
    revoke(seeded.store, "alice")
    answer = client.get("/")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


def test_a_forged_cookie_is_a_stranger(client: TestClient, seeded: Seeded) -> None:
    sign_in(client, seeded.writer)
    value = client.cookies.get("knownfix_session") or ""
    client.cookies.clear()
    client.cookies.set("knownfix_session", value[:-3] + ("aaa" if value[-3:] != "aaa" else "bbb"))
    assert client.get("/").status_code == 303


def test_after_login_only_local_targets(client: TestClient, seeded: Seeded) -> None:
    for target, landed in [("//evil.example/x", "/"), ("https://evil.example", "/"),
                           ("/\\evil.example", "/"), ("/known-issues?q=a", "/known-issues?q=a")]:
        form = client.get("/login")
        answer = client.post("/login", data={"csrf_token": csrf_of(form.text),
                                             "token": seeded.viewer, "next": target})
        assert answer.headers["location"] == landed, target


# --- CSRF and rights --------------------------------------------------------------------------


def test_every_form_needs_the_session_csrf_token(client: TestClient, seeded: Seeded) -> None:
    csrf = sign_in(client, seeded.writer)
    incident = seeded.incidents["npm-eresolve.log"]
    before = status_of(seeded, incident)
    routes = action_routes(client)
    assert set(routes) >= {"acknowledge", "resolve", "reopen", "merge", "unmerge", "link"}
    form = {"into": seeded.incidents["go-test-failure.log"], "known_issue": "KF-0001"}
    for name, route in routes.items():
        path = route.replace("{display_id}", incident)
        for sent in ({}, {"csrf_token": csrf[:-1] + "x"}, {"csrf_token": ""}):
            answer = client.post(path, data={**form, **sent})
            assert answer.status_code == 403, (name, sent)
            assert "Form expired" in answer.text
    for path in ("/logout", "/login"):
        assert client.post(path, data={"token": seeded.writer}).status_code == 403
    assert status_of(seeded, incident) == before
    assert client.get("/").status_code == 200, "still signed in: logout without CSRF refused"


def test_a_viewer_cannot_act(client: TestClient, seeded: Seeded) -> None:
    csrf = sign_in(client, seeded.viewer)
    incident = seeded.incidents["npm-eresolve.log"]
    page = client.get(f"/incidents/{incident}")
    assert "viewer token" in page.text
    assert "Acknowledge</button>" not in page.text
    before = status_of(seeded, incident)
    form = {"csrf_token": csrf, "into": seeded.incidents["go-test-failure.log"],
            "known_issue": "KF-0001"}
    for name, route in action_routes(client).items():
        answer = client.post(route.replace("{display_id}", incident), data=form)
        assert answer.status_code == 403, name
        assert "only a writer token can change incidents" in answer.text
    assert status_of(seeded, incident) == before


# --- actions ----------------------------------------------------------------------------------


def test_a_writer_acknowledges_resolves_reopens(client: TestClient, seeded: Seeded) -> None:
    csrf = sign_in(client, seeded.writer)
    incident = seeded.incidents["npm-eresolve.log"]
    answer = client.post(f"/incidents/{incident}/acknowledge",
                         data={"csrf_token": csrf, "note": "on it"})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/incidents/{incident}?notice=acknowledged"
    assert seeded.store.get_incident(incident).status == "investigating"
    page = client.get(answer.headers["location"])
    assert "Acknowledged: the incident is now investigating." in page.text
    assert "web:alice" in page.text

    again = client.post(f"/incidents/{incident}/acknowledge", data={"csrf_token": csrf})
    assert again.status_code == 409
    assert "is investigating, not open" in again.text

    client.post(f"/incidents/{incident}/resolve", data={"csrf_token": csrf, "note": "pinned"})
    assert seeded.store.get_incident(incident).status == "resolved"
    client.post(f"/incidents/{incident}/reopen", data={"csrf_token": csrf})
    assert seeded.store.get_incident(incident).status == "open"
    trail = seeded.store.incident_events(incident)
    assert [(e["actor"], e["detail"]["to"]) for e in trail if e["action"] == "status"] == [
        ("web:alice", "investigating"), ("web:alice", "resolved"), ("web:alice", "open")]
    assert [e["detail"].get("note") for e in trail if e["action"] == "status"] == [
        "on it", "pinned", None]


def test_merge_unmerge_and_link(client: TestClient, seeded: Seeded) -> None:
    csrf = sign_in(client, seeded.writer)
    source, target = seeded.incidents["go-test-failure.log"], seeded.incidents["npm-eresolve.log"]
    answer = client.post(f"/incidents/{source}/merge", data={"csrf_token": csrf, "into": target})
    assert answer.headers["location"] == f"/incidents/{target}?notice=merged"
    assert seeded.store.get_incident(source).merged_into == target
    assert seeded.store.get_incident(target).count == 2
    assert f"Unmerge from {target}" in client.get(f"/incidents/{source}").text

    refused = client.post(f"/incidents/{target}/merge", data={"csrf_token": csrf,
                                                              "into": "NOPE-404"})
    assert refused.status_code == 404
    assert "no incident" in refused.text
    assert target in refused.text

    client.post(f"/incidents/{source}/unmerge", data={"csrf_token": csrf})
    assert seeded.store.get_incident(source).merged_into is None

    client.post(f"/incidents/{source}/link", data={"csrf_token": csrf, "known_issue": "KF-0001"})
    assert seeded.store.get_incident(source).known_issue_id == "KF-0001"
    client.post(f"/incidents/{source}/link", data={"csrf_token": csrf, "known_issue": ""})
    assert seeded.store.get_incident(source).known_issue_id is None


# --- pages ------------------------------------------------------------------------------------


def incident_ids(html: str) -> set[str]:
    table = html.split('id="incident-list"', 1)[-1].split("</table>", 1)[0]
    return set(re.findall(r'href="/incidents/([A-Z]+-\d+)"', table))


def test_incident_list_filters(client: TestClient, seeded: Seeded) -> None:
    sign_in(client, seeded.viewer)
    every = incident_service.list_incidents(seeded.store)
    assert incident_ids(client.get("/incidents").text) == {i.id for i in every}
    high = {i.id for i in every if i.severity.lower() == "high"}
    assert high
    assert high != {i.id for i in every}
    assert incident_ids(client.get("/incidents?severity=High").text) == high
    some = every[0]
    by_category = {i.id for i in every if i.category == some.category}
    assert incident_ids(client.get(f"/incidents?category={some.category}").text) == by_category
    assert incident_ids(client.get("/incidents?q=ERESOLVE").text) == {
        seeded.incidents["npm-eresolve.log"]}
    incident_service.resolve_incident(seeded.store, some.id, actor="test")
    assert some.id not in incident_ids(client.get("/incidents").text)
    assert incident_ids(client.get("/incidents?status=resolved").text) == {some.id}
    assert some.id in incident_ids(client.get("/incidents?status=").text)


def test_past_sla_on_the_overview_and_as_a_filter(client: TestClient, seeded: Seeded) -> None:
    late = seeded.store.record_occurrence(NewOccurrence(
        source="ci.log", title="Deploy timed out", fingerprint="late", loose_fingerprint="late",
        fingerprint_version="t", excerpt_text="deploy timed out", category="deploy",
        severity="critical", response_time="1 hour",
        received_at=datetime.now(UTC) - timedelta(hours=3))).incident
    sign_in(client, seeded.viewer)
    overview = client.get("/").text
    breaches = overview.split('id="sla-breaches"', 1)[1].split("</table>", 1)[0]
    assert set(re.findall(r'href="/incidents/([A-Z]+-\d+)"', breaches)) == {late.id}
    assert incident_ids(client.get("/incidents?overdue=1").text) == {late.id}
    assert "past SLA" in client.get(f"/incidents/{late.id}").text


def test_incident_page_shows_excerpt_lines_matches_fix_and_timeline(
    client: TestClient, seeded: Seeded
) -> None:
    sign_in(client, seeded.viewer)
    incident = seeded.incidents["npm-eresolve.log"]
    page = client.get(f"/incidents/{incident}").text
    excerpt = page.split('id="excerpt"', 1)[1].split("</table>", 1)[0]
    numbers = [int(n) for n in re.findall(r'<td class="ln">(\d+)</td>', excerpt)]
    assert numbers
    assert numbers == sorted(numbers)
    assert numbers[0] > 1
    assert "npm ERR! code ERESOLVE" in excerpt
    assert 'id="matches"' in page
    assert "KF-0001" in page
    assert "npm explain react" in page, "the linked known issue's commands"
    assert "npm ls react" in page, "its verification"
    assert "opened</strong> by knownfix" in page


def test_known_issue_search_and_page(client: TestClient, seeded: Seeded) -> None:
    sign_in(client, seeded.viewer)
    listing = client.get("/known-issues").text
    assert "KF-0001" in listing
    assert "Dependencies" in listing
    assert "KF-0001" in client.get("/known-issues?category=dependencies").text
    assert "CI-001" not in client.get("/known-issues?category=dependencies").text
    assert "KF-0001" in client.get("/known-issues?q=npm&category=Dependencies").text
    assert "KF-0001" not in client.get("/known-issues?q=npm&category=Lint").text
    hits = client.get("/known-issues?q=alembic revision").text
    assert "<mark>" in hits
    assert "broken-alembic-migration-chain" in hits
    page = client.get("/known-issues/KF-0001").text
    assert "npm explain react" in page
    assert seeded.incidents["npm-eresolve.log"] in page, "the incidents linked to it"


def test_overview_shows_counts_matrix_and_chart(client: TestClient, seeded: Seeded) -> None:
    sign_in(client, seeded.viewer)
    page = client.get("/?days=7").text
    assert 'id="open-by-severity"' in page
    assert 'id="status-matrix"' in page
    assert f'<span class="count">{len(seeded.incidents)}</span>' in page
    assert "<svg" in page.split('id="occurrence-chart"', 1)[1]
    assert client.get("/?days=0").status_code == 422


def test_reports(client: TestClient, seeded: Seeded) -> None:
    sign_in(client, seeded.viewer)
    assert 'id="report-frame"' in client.get("/reports?since=30d").text
    html = client.get("/reports/status.html?since=30d&title=Weekly")
    assert html.status_code == 200
    assert "Weekly" in html.text
    markdown = client.get("/reports/status.md")
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert "attachment" in markdown.headers["content-disposition"]
    assert markdown.text.startswith("# Known issues status report")
    bad = client.get("/reports?since=yesterday")
    assert bad.status_code == 400
    assert "--since" in bad.text
    assert client.get("/reports/status.exe").status_code == 422
    pdf = client.get("/reports/status.pdf")
    if importlib.util.find_spec("weasyprint") is None:
        assert pdf.status_code == 501
        assert "WeasyPrint" in pdf.text
    else:
        assert pdf.status_code == 200
        assert pdf.content.startswith(b"%PDF-")


# --- escaping and errors -----------------------------------------------------------------------


def test_log_text_and_doc_text_are_escaped(client: TestClient, seeded: Seeded) -> None:
    sign_in(client, seeded.viewer)
    pages = {
        "incident": client.get(f"/incidents/{seeded.incidents['hostile']}").text,
        "list": client.get("/incidents").text,
        "overview": client.get("/").text,
        "issue": client.get("/known-issues/XSS-1").text,
        "issues": client.get("/known-issues").text,
        "search": client.get("/known-issues?q=template escaping").text,
    }
    for name, html in pages.items():
        assert "<script" not in html.lower(), name
        assert "<img" not in html.lower(), name
        assert "<b>" not in html, name
        assert "<i>" not in html, name
        assert "\x1b" not in html, name
        assert "\x07" not in html, name
    assert "&lt;script&gt;" in pages["incident"]
    assert "template.html" in pages["incident"], "ANSI codes go, the text stays"
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages["incident"], "the source too"
    assert "&lt;i&gt;Web&lt;/i&gt;" in pages["issue"]
    assert SCRIPT.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;") in pages["issue"]


def test_errors_are_pages_with_their_status(client: TestClient, seeded: Seeded) -> None:
    sign_in(client, seeded.viewer)
    missing = client.get("/incidents/HIGH-999")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "no incident" in missing.text
    assert client.get("/known-issues/nope").status_code == 404
    assert client.get("/incidents?page=abc").status_code == 422
    assert client.get("/incidents?status=gone").status_code == 400


def test_security_headers(client: TestClient) -> None:
    headers = client.get("/login").headers
    assert "script-src 'none'" in headers["content-security-policy"]
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"


def test_the_stylesheet_is_served(client: TestClient) -> None:
    answer = client.get("/static/dashboard.css")
    assert answer.status_code == 200
    assert "@media (max-width" in answer.text
