"""`knownfix serve` and `knownfix worker` refuse settings that cannot work, in one line."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from knownfix.cli.app import app as cli


@pytest.fixture(autouse=True)
def untouched_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The commands must fail before they take over logging or set the metrics folder: this
    process runs other tests next."""
    handlers = list(logging.getLogger().handlers)
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    yield
    assert logging.getLogger().handlers == handlers
    assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ


def test_worker_needs_a_redis_broker(project: Path, runner: CliRunner) -> None:
    none = runner.invoke(cli, ["worker"])
    assert none.exit_code == 2
    assert "knownfix worker needs a broker: set KNOWNFIX_BROKER_URL=redis://" in none.output
    amqp = runner.invoke(cli, ["worker"], env={"KNOWNFIX_BROKER_URL": "amqp://rabbit//"})
    assert amqp.exit_code == 2
    assert "runs on Redis" in amqp.output
    assert "amqp://…" in amqp.output


def test_bad_service_settings_are_one_line(project: Path, runner: CliRunner) -> None:
    for env, words in (
        ({"KNOWNFIX_MAX_BODY_BYTES": "lots"}, "KNOWNFIX_MAX_BODY_BYTES must be a whole number"),
        ({"KNOWNFIX_PUBLIC_READ": "maybe"}, "KNOWNFIX_PUBLIC_READ must be true or false"),
        ({"KNOWNFIX_LOG_FORMAT": "xml"}, "KNOWNFIX_LOG_FORMAT must be json or text"),
        ({"KNOWNFIX_BROKER_URL": "amqp://rabbit//"}, "runs on Redis"),
    ):
        result = runner.invoke(cli, ["serve", "--port", "0"], env=env)
        assert result.exit_code == 2, (env, result.output)
        assert words in result.output
        assert "Traceback" not in result.output


def test_serve_and_worker_explain_themselves(runner: CliRunner) -> None:
    for command in ("serve", "worker"):
        shown = runner.invoke(cli, [command, "--help"], terminal_width=200)
        assert shown.exit_code == 0
        assert "Example:" in shown.output
        assert "--concurrency" in shown.output if command == "worker" else "--port" in shown.output
