"""Atomic dedup across processes: 64 `knownfix triage` runs of one log at once, one store.

Real subprocesses (``python -m knownfix``), all started before any is waited for, against a
brand-new SQLite file and a brand-new PostgreSQL schema: exactly one incident, counted 64 times,
and every run saw a different count (the increments were serialised, none was lost).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from knownfix.storage.repository import open_store

PROCESSES = 64
LOG = Path(__file__).parent / "data" / "triage" / "disk.log"


def run_many(url: str, cwd: Path) -> list[dict[str, object]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOWNFIX_")}
    env["KNOWNFIX_DATABASE_URL"] = url
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "knownfix", "triage", str(LOG), "--json"],
            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(PROCESSES)
    ]
    outputs = [proc.communicate(timeout=600) for proc in procs]
    failures = [err for proc, (_, err) in zip(procs, outputs, strict=True)
                if proc.returncode not in (0, 1)]
    assert not failures, failures[:3]
    return [json.loads(out) for out, _ in outputs]


def check(url: str, results: list[dict[str, object]]) -> None:
    incidents = [r["incident"] for r in results]
    assert {i["id"] for i in incidents} == {"HIGH-001"}  # type: ignore[index]
    assert sum(1 for i in incidents if i["new"]) == 1  # type: ignore[index]
    assert sorted(i["count"] for i in incidents) == list(range(1, PROCESSES + 1))  # type: ignore[index]
    with open_store(url) as store:
        [incident] = store.list_incidents()
        assert (incident.id, incident.count) == ("HIGH-001", PROCESSES)
        assert len(store.list_occurrences("HIGH-001")) == PROCESSES
        assert [e["action"] for e in store.incident_events("HIGH-001")] == ["opened"]


@pytest.mark.slow
def test_concurrent_triage_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / '.knownfix' / 'knownfix.db'}"
    check(url, run_many(url, tmp_path))


@pytest.mark.slow
@pytest.mark.postgres
def test_concurrent_triage_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    check(postgres_url, run_many(postgres_url, tmp_path))
