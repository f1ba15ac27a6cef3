"""schemathesis against the OpenAPI of the whole app, API and dashboard: whatever it sends,
no answer is a server error.

Every operation is called with a writer's bearer token (the API) and a writer's dashboard
session with its CSRF token (the forms), so the generated data reaches the code behind the
checks instead of stopping at a 401 or 403. The examples are derandomized: the same run in CI
as here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from dashboard_seed import dashboard_app, seeded_store

EXAMPLES = 25
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Writer:
    headers: dict[str, str]
    cookies: dict[str, str]
    csrf: str


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Writer]]:
    seeded = seeded_store(tmp_path_factory.mktemp("fuzz"))
    app = dashboard_app(seeded)
    with TestClient(app, follow_redirects=False) as client:
        form = client.get("/login")
        csrf = CSRF.search(form.text)
        assert csrf
        signed_in = client.post("/login", data={"csrf_token": csrf.group(1),
                                                "token": seeded.writer})
        assert signed_in.status_code == 303
        session = client.cookies.get("knownfix_session")
        assert session
        page = client.get("/incidents")
        fresh = CSRF.search(page.text)
        assert fresh
        writer = Writer({"Authorization": f"Bearer {seeded.writer}"},
                        {"knownfix_session": session}, fresh.group(1))
        yield app, writer
    seeded.store.close()


@pytest.fixture(scope="module")
def whole_app(fuzzed: tuple[Any, Writer]) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", fuzzed[0])


@pytest.fixture(scope="module")
def writer(fuzzed: tuple[Any, Writer]) -> Writer:
    return fuzzed[1]


def fuzz(operation: Any, writer: Writer) -> None:
    """Call ``operation`` with :data:`EXAMPLES` generated requests; raise on a server error."""

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def call(case: Any) -> None:
        if isinstance(case.body, dict) and case.method.upper() == "POST" and not (
                case.path.startswith("/api/")):
            case.body = {**case.body, "csrf_token": writer.csrf}  # the forms' code runs too
        case.call_and_validate(headers=writer.headers, cookies=writer.cookies,
                               checks=[not_a_server_error])

    call()


@pytest.mark.slow
def test_no_server_errors(whole_app: Any, writer: Writer) -> None:
    failed: list[str] = []
    called = 0
    for result in whole_app.get_all_operations():
        operation = result.ok()
        called += 1
        try:
            fuzz(operation, writer)
        except Exception as error:  # every operation is tried; all failures are reported
            failed.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert called >= 20
    assert not failed, "\n\n".join(failed)


def test_the_schema_covers_the_api_and_the_dashboard(whole_app: Any) -> None:
    raw = whole_app.raw_schema["paths"]
    assert "/api/v1/events" in raw
    assert "/incidents/{display_id}/acknowledge" in raw
    assert "/" in raw
