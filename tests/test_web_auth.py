"""Who may call what: every write route needs a writer token, reads a viewer token unless
KNOWNFIX_PUBLIC_READ; tokens are stored hashed; the CLI creates, lists and revokes them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from knownfix.cli.app import app as cli
from knownfix.services.tokens import create_token, digest
from knownfix.settings import Settings, load_settings
from knownfix.storage.repository import Store, open_store
from knownfix.storage.service_tables import api_tokens
from knownfix.web.app import create_app
from knownfix.web.dashboard.route import DashboardRoute

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
OPEN_PATHS = {"/health", "/metrics", "/docs", "/docs/oauth2-redirect", "/openapi.json"}


def make_settings(project: Path, **overrides: object) -> Settings:
    url = f"sqlite:///{project / '.knownfix' / 'knownfix.db'}"
    return load_settings({}, cwd=project, database_url=url, **overrides)


@pytest.fixture
def store(project: Path) -> Iterator[Store]:
    with open_store(make_settings(project).database_url) as opened:
        yield opened


def client_for(settings: Settings, store: Store) -> TestClient:
    app = create_app(settings, store=store, start_worker=False)
    client = TestClient(app)
    client.app_state["app"] = app
    return client


def routes(client: TestClient) -> list[tuple[str, str]]:
    """Every (method, concrete path) of the app, path parameters filled with a dummy value."""
    found = []
    for route in iter_route_contexts(client.app_state["app"].routes):
        if route.path is None or not route.methods:
            continue
        if isinstance(route.original_route, DashboardRoute):
            continue  # cookie sessions and CSRF, not bearer tokens: test_dashboard.py walks them
        path = re.sub(r"\{[^}]+\}", "x", route.path)
        found.extend((method, path) for method in sorted(route.methods) if method != "HEAD")
    return found


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_every_write_route_refuses_no_token_and_a_viewer_token(project: Path, store: Store) -> None:
    settings = make_settings(project, public_read=True)
    viewer = create_token(store, role="viewer").token
    client = client_for(settings, store)
    writes = [(m, p) for m, p in routes(client) if m in WRITE_METHODS]
    assert ("POST", "/api/v1/events") in writes
    assert ("PATCH", "/api/v1/incidents/x") in writes
    for method, path in writes:
        anonymous = client.request(method, path, content=b"x",
                                   headers={"Content-Type": "text/plain"})
        assert anonymous.status_code == 401, (method, path, anonymous.text)
        assert anonymous.headers["content-type"] == "application/problem+json"
        assert anonymous.headers["www-authenticate"] == "Bearer"
        as_viewer = client.request(method, path, content=b"x", headers=bearer(viewer))
        assert as_viewer.status_code == 403, (method, path, as_viewer.text)
        assert as_viewer.json()["code"] == "forbidden"


def test_reads_need_a_token_unless_public(project: Path, store: Store) -> None:
    viewer = create_token(store, role="viewer").token
    closed = client_for(make_settings(project), store)
    opened = client_for(make_settings(project, public_read=True), store)
    reads = [(m, p) for m, p in routes(closed) if m == "GET" and p not in OPEN_PATHS]
    assert ("GET", "/api/v1/incidents") in reads
    for method, path in reads:
        assert closed.request(method, path).status_code == 401, path
        assert closed.request(method, path, headers=bearer(viewer)).status_code != 401, path
        assert opened.request(method, path).status_code != 401, path
    assert closed.get("/health").status_code == 200
    assert closed.get("/metrics").status_code == 200


def test_unknown_and_revoked_tokens_are_refused(project: Path, store: Store) -> None:
    created = create_token(store, role="writer", name="ci")
    client = client_for(make_settings(project), store)
    assert client.get("/api/v1/incidents", headers=bearer(created.token)).status_code == 200
    assert client.get("/api/v1/incidents", headers=bearer(created.token + "x")).status_code == 401
    from knownfix.services.tokens import revoke

    revoke(store, "ci")
    fresh = client_for(make_settings(project), store)  # no cached answer
    refused = fresh.get("/api/v1/incidents", headers=bearer(created.token))
    assert refused.status_code == 401
    assert refused.json()["detail"] == "unknown or revoked token"


def test_tokens_are_stored_as_digests_only(store: Store) -> None:
    created = create_token(store, role="viewer", name="dash")
    with store.read() as conn:
        rows = conn.execute(select(api_tokens)).mappings().all()
    assert len(rows) == 1
    assert rows[0]["token_hash"] == digest(created.token)
    assert created.token not in {str(v) for v in rows[0].values()}
    assert created.token.startswith(rows[0]["hint"])


def test_static_tokens_from_the_environment(project: Path, store: Store) -> None:
    settings = make_settings(project, api_token="w-secret-123", viewer_token="v-secret-456")
    client = client_for(settings, store)
    assert client.get("/api/v1/incidents", headers=bearer("v-secret-456")).status_code == 200
    denied = client.patch("/api/v1/incidents/HIGH-001", json={"status": "resolved"},
                          headers=bearer("v-secret-456"))
    assert denied.status_code == 403
    missing = client.patch("/api/v1/incidents/HIGH-001", json={"status": "resolved"},
                           headers=bearer("w-secret-123"))
    assert missing.status_code == 404


def test_cli_token_create_prints_the_token_alone_on_its_last_line(
    project: Path, runner: CliRunner
) -> None:
    made = runner.invoke(cli, ["token", "create", "--role", "writer", "--name", "ci"])
    assert made.exit_code == 0, made.output
    token = made.output.strip().splitlines()[-1]
    assert re.fullmatch(r"kf_[A-Za-z0-9_-]{43}", token)
    listed = runner.invoke(cli, ["token", "list", "--json"])
    assert listed.exit_code == 0
    assert token not in listed.output
    assert '"name": "ci"' in listed.output
    assert '"role": "writer"' in listed.output
    again = runner.invoke(cli, ["token", "create", "--role", "writer", "--name", "ci"])
    assert again.exit_code == 2
    assert "exists already" in again.output
    bad = runner.invoke(cli, ["token", "create", "--role", "admin"])
    assert bad.exit_code == 2
    assert "writer or viewer" in bad.output
    revoked = runner.invoke(cli, ["token", "revoke", "ci"])
    assert revoked.exit_code == 0
    assert "revoked writer token 'ci'" in revoked.output
    assert runner.invoke(cli, ["token", "revoke", "ci"]).exit_code == 2
    assert runner.invoke(cli, ["token", "list", "--json"]).output.strip() == "[]"
