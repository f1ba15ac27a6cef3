"""Shared helpers of the service tests: an app over a fresh store with a token, and waiting."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from fastapi import FastAPI
from fastapi.testclient import TestClient

from knownfix.services.knowledge import import_paths
from knownfix.services.tokens import create_token
from knownfix.settings import Settings, load_settings
from knownfix.storage.repository import Store, open_store
from knownfix.web.app import create_app

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_KB = REPO / "examples" / "kb"
EXAMPLE_LOGS = REPO / "examples" / "logs"
T = TypeVar("T")


@dataclass
class ServiceApp:
    settings: Settings
    store: Store
    app: FastAPI
    client: TestClient
    writer: str
    viewer: str

    def auth(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.writer}"}


def service_settings(project: Path, url: str | None = None, **overrides: object) -> Settings:
    url = url or f"sqlite:///{project / '.knownfix' / 'knownfix.db'}"
    project.mkdir(parents=True, exist_ok=True)  # a project folder that does not exist is refused
    return load_settings({}, cwd=project, database_url=url, **overrides)


def open_service(settings: Settings, *, kb: bool = True, start_worker: bool = False) -> ServiceApp:
    """An app over the settings' store (the example knowledge base imported) and two tokens."""
    store = open_store(settings.database_url)
    if kb:
        import_paths(store, [EXAMPLE_KB])
    writer = create_token(store, role="writer", name="w").token
    viewer = create_token(store, role="viewer", name="v").token
    app = create_app(settings, store=store, start_worker=start_worker)
    return ServiceApp(settings, store, app, TestClient(app), writer, viewer)


def wait_for(check: Callable[[], T | None], timeout: float = 30.0, every: float = 0.05) -> T:
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout} s for {check}")
        time.sleep(every)


def metric(text: str, name: str, default: float | None = None) -> float:
    """The value of one sample (``name`` with its labels) in a Prometheus exposition."""
    for line in text.splitlines():
        key, _, value = line.rpartition(" ")
        if key == name:
            return float(value)
    if default is not None:
        return default
    raise AssertionError(f"{name} not in /metrics")


class FakeGuard:
    """An in-memory stand-in for the Redis guard (the real one runs in the distributed tests)."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}

    def claim_many(self, claims: Sequence[tuple[str, str]]) -> list[str | None]:
        holders: list[str | None] = []
        for key, event_id in claims:
            holders.append(self.keys.get(key))
            self.keys.setdefault(key, event_id)
        return holders

    def release(self, key: str, event_id: str) -> None:
        if self.keys.get(key) == event_id:
            del self.keys[key]

    def point(self, key: str, event_id: str) -> None:
        self.keys[key] = event_id
