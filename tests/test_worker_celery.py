"""How ``knownfix worker`` starts Celery: the pool follows ``--concurrency``; Celery's lines
per task only at DEBUG."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from celery import Celery

from knownfix.settings import Settings, load_settings
from knownfix.worker.celery_app import PER_TASK_LOGGERS, run_worker


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


@pytest.mark.parametrize(("loglevel", "level"), [("INFO", logging.WARNING),
                                                 ("DEBUG", logging.NOTSET)])
def test_celerys_per_task_lines_are_left_out_at_info(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, loglevel: str, level: int,
) -> None:
    """At INFO the worker's own line per event is the only one; DEBUG keeps Celery's."""
    monkeypatch.setattr(Celery, "worker_main", lambda _app, argv: None)
    for name in PER_TASK_LOGGERS:
        monkeypatch.setattr(logging.getLogger(name), "level", logging.NOTSET)
    run_worker(settings, concurrency=1, loglevel=loglevel)
    assert {logging.getLogger(name).level for name in PER_TASK_LOGGERS} == {level}
    assert set(PER_TASK_LOGGERS) == {"celery.worker.strategy", "celery.app.trace"}
