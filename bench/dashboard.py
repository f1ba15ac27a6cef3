"""Dashboard: how long each page takes to render over a store with many incidents.

Seeds a fresh store through the services (the example knowledge base, then ``--incidents``
incidents with ``--per`` occurrences each, spread over the last 40 days at random severities,
categories and scopes), builds the whole app (``create_app``) and times each dashboard page
through the ASGI app: the first request (cold: the chart is drawn, the knowledge base compiled)
and the median of ``--repeat`` more.

Anchor, in the same run: the overview's figures computed the way the status report computes its
KPIs (``core.report.build_report`` over every occurrence of the window), which is what the
overview did before it asked the database for daily counts.

    .venv/bin/python bench/dashboard.py [--incidents 1000] [--per 10] [--repeat 5]
        [--database-url postgresql://postgres@127.0.0.1/knownfix_bench]

Writes ``bench/results/dashboard.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from knownfix.core.report.model import build_report  # noqa: E402
from knownfix.services.knowledge import import_paths  # noqa: E402
from knownfix.services.tokens import create_token  # noqa: E402
from knownfix.settings import load_settings  # noqa: E402
from knownfix.storage.incidents import NewOccurrence  # noqa: E402
from knownfix.storage.repository import Store, open_store  # noqa: E402

RESULTS = ROOT / "bench" / "results"
SEVERITIES = ("critical", "high", "medium", "low")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def seed(store: Store, incidents: int, per: int, now: datetime) -> None:
    rng = random.Random(12)
    import_paths(store, [ROOT / "examples" / "kb"])
    for n in range(incidents):
        severity = rng.choice(SEVERITIES)
        for k in range(per):
            store.record_occurrence(NewOccurrence(
                source=f"ci/job-{n}-{k}.log", title=f"Failure {n} in module m{n % 50}",
                fingerprint=f"strict-{n}-{k}", loose_fingerprint=f"loose-{n}",
                fingerprint_version="bench", spans=((40, 42),),
                excerpt_text=f"Traceback (most recent call last):\n  File m{n % 50}.py\n"
                             f"Error {n}: the build failed",
                category=f"category-{n % 7}", severity=severity, response_time="4 hours",
                scope=f"org/repo-{n % 5}",
                received_at=now - timedelta(minutes=rng.randint(0, 40 * 24 * 60)),
            ))


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """(first call, median of ``repeat`` more) in milliseconds."""
    start = time.perf_counter()
    call()
    cold = (time.perf_counter() - start) * 1000
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        runs.append((time.perf_counter() - start) * 1000)
    return cold, statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1000)
    parser.add_argument("--per", type=int, default=10, help="occurrences per incident")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", help="a PostgreSQL URL (default: SQLite in a temp dir)")
    args = parser.parse_args()
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

    from knownfix.web.app import create_app

    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        settings = load_settings({}, cwd=Path(folder), database_url=url)
        store = open_store(url)
        now = datetime.now(UTC)
        started = time.perf_counter()
        seed(store, args.incidents, args.per, now)
        seeding = time.perf_counter() - started
        token = create_token(store, role="viewer", name="bench").token
        with TestClient(create_app(settings, store=store, start_worker=False)) as client:
            form = client.get("/login")
            found = CSRF.search(form.text)
            assert found
            client.post("/login", data={"csrf_token": found.group(1), "token": token})
            some = store.list_incidents()[len(store.list_incidents()) // 2].id

            def anchor() -> None:
                since = now - timedelta(days=30)
                build_report((), store.list_incidents(), store.list_occurrences(since=since),
                             now=now, since=since)

            rows: list[dict[str, Any]] = []
            cases: list[tuple[str, Callable[[], Any]]] = [
                ("overview KPIs the report's way (anchor)", anchor),
                ("overview, 30 days", lambda: client.get("/")),
                ("overview, 365 days", lambda: client.get("/?days=365")),
                ("incidents (unresolved, page 1)", lambda: client.get("/incidents")),
                ("incidents, filtered and searched",
                 lambda: client.get("/incidents?status=&severity=High&q=module+m7")),
                ("one incident", lambda: client.get(f"/incidents/{some}")),
                ("known issues", lambda: client.get("/known-issues")),
                ("known-issue search", lambda: client.get("/known-issues?q=alembic+revision")),
            ]
            for name, call in cases:
                cold, warm = timed(call, args.repeat)
                rows.append({"page": name, "cold_ms": round(cold, 1), "warm_ms": round(warm, 1)})
        store.close()
    backend = "postgresql" if args.database_url else "sqlite"
    print(f"{args.incidents} incidents x {args.per} occurrences on {backend} "
          f"(seeded in {seeding:.0f} s); median of {args.repeat} warm requests")
    print(f"| {'page':42} | cold ms | warm ms |")
    print(f"|{'-' * 44}|---------|---------|")
    for row in rows:
        print(f"| {row['page']:42} | {row['cold_ms']:7.0f} | {row['warm_ms']:7.0f} |")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "dashboard.json").write_text(json.dumps({
        "incidents": args.incidents, "per": args.per, "backend": backend,
        "repeat": args.repeat, "rows": rows,
    }, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
