"""The API's answers match its OpenAPI description: schemathesis generates requests for every
/api/v1 operation and checks each answer's status code and body against the schema (the
dashboard's pages are fuzzed for server errors in test_openapi_fuzz.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from dashboard_seed import seeded_store
from knownfix.web.app import create_app

EXAMPLES = 30
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, str]]]:
    seeded = seeded_store(tmp_path_factory.mktemp("contract"))
    app = create_app(seeded.settings, store=seeded.store, start_worker=False)
    with TestClient(app):
        yield schemathesis.openapi.from_asgi("/openapi.json", app), {
            "Authorization": f"Bearer {seeded.writer}"}
    seeded.store.close()


@pytest.mark.slow
def test_every_api_answer_matches_the_schema(api: tuple[Any, dict[str, str]]) -> None:
    schema, headers = api
    failed: list[str] = []
    called = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith(("/api/", "/health")):
            continue
        called += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            call()
        except Exception as error:  # every operation is tried; all failures are reported
            failed.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert called >= 10
    assert not failed, "\n\n".join(failed)


def test_the_events_route_documents_its_three_bodies(api: tuple[Any, dict[str, str]]) -> None:
    schema, _headers = api
    body = schema.raw_schema["paths"]["/api/v1/events"]["post"]["requestBody"]["content"]
    assert set(body) == {"text/plain", "application/xml", "application/json"}
