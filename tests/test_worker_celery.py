"""How ``knownfix worker`` starts Celery: the pool follows ``--concurrency``."""

from __future__ import annotations

from pathlib import Path

import pytest
from celery import Celery

from knownfix.settings import Settings, load_settings
from knownfix.worker.celery_app import run_worker


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({}, cwd=tmp_path, database_url=f"sqlite:///{tmp_path / 'k.db'}",
                         broker_url="redis://127.0.0.1:6379/0")


@pytest.mark.parametrize(
    ("concurrency", "expected", "absent"),
    [
        (1, "--pool=solo", "--concurrency"),  # one process: no pool child to hand tasks to
        (3, "--concurrency=3", "--pool"),
        (None, None, "--pool"),  # Celery's default: one child per core
    ],
)
def test_the_pool_follows_the_concurrency(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, concurrency: int | None,
    expected: str | None, absent: str,
) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(Celery, "worker_main", lambda _app, argv: started.append(argv))
    run_worker(settings, concurrency=concurrency)
    [argv] = started
    assert argv[0] == "worker"
    if expected is not None:
        assert expected in argv
    assert not any(arg.startswith(absent) for arg in argv)
