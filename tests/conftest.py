"""Shared fixtures: an isolated project directory, the CLI runner, and the real servers.

Servers: with ``CI=true`` a missing PostgreSQL or Redis is a test failure; elsewhere the tests
that need one are skipped, saying why.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

DATA = Path(__file__).parent / "data"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_server(name: str, reason: str) -> None:
    """Fail under CI, skip elsewhere: a missing server must never pass silently in CI."""
    message = f"{name} is not reachable: {reason}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def no_ci_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run the same inside a CI job: its repository variables would become the default
    incident scope (settings.ci_scope), so they are cleared; tests that want one set it."""
    from knownfix.settings import CI_REPOSITORY_VARIABLES

    for name in CI_REPOSITORY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working directory with no knownfix configuration leaking in from the host."""
    for key in list(os.environ):
        if key.startswith("KNOWNFIX_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def data_dir() -> Path:
    return DATA


# --- PostgreSQL (store and search integration tests) ----------------------------------------
POSTGRES_SERVER = os.environ.get("KNOWNFIX_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A database ``knownfix_test_<random>`` for this test run (per xdist worker), then dropped."""
    import uuid

    try:
        import psycopg
    except ImportError:  # pragma: no cover - the postgres extra is part of [all]
        require_server("PostgreSQL", "psycopg is not installed")
    name = f"knownfix_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        require_server("PostgreSQL", str(error).strip().splitlines()[0])
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{POSTGRES_SERVER}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(postgres_database: str) -> str:
    """A store URL on an empty schema of its own, so each test starts from nothing."""
    import uuid

    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_database, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return f"{postgres_database}?options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store URL, once per backend: a SQLite file, then a PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / '.knownfix' / 'knownfix.db'}"
    return str(request.getfixturevalue("postgres_url"))


# --- Redis and a PostgreSQL cluster of a test's own (the service's integration tests) -----------
@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own on the local Redis; its keys are deleted afterwards."""
    import uuid

    from servers import redis_client

    try:
        client = redis_client()
        client.ping()  # type: ignore[attr-defined]
    except Exception as error:  # noqa: BLE001 - redis-py missing or the server down
        require_server("Redis", str(error))
    prefix = f"kftest_{uuid.uuid4().hex[:10]}"
    yield prefix
    for key in client.scan_iter(match=f"{prefix}*", count=1000):  # type: ignore[attr-defined]
        client.delete(key)  # type: ignore[attr-defined]
    client.close()  # type: ignore[attr-defined]


@pytest.fixture
def pg_cluster() -> Iterator[object]:
    """A PostgreSQL cluster of this test's own (initdb + pg_ctl on a free port in a temporary
    folder), which the test may stop and start; never the shared server."""
    from servers import new_cluster, remove_cluster

    try:
        cluster = new_cluster()
    except FileNotFoundError as error:
        require_server("PostgreSQL binaries", str(error))
    try:
        yield cluster
    finally:
        remove_cluster(cluster)
