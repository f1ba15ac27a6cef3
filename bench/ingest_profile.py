"""Where the API's CPU goes when it accepts events: ``POST /api/v1/events`` in one process.

The logs service_load posts (LogChunks, the held-out half: this measures speed, not quality),
gzip-compressed, each posted once with its own ``Idempotency-Key`` through the ASGI app
(httpx's ``ASGITransport``: no socket, no HTTP parsing) in the distributed mode's setup: a fresh
PostgreSQL database, Redis ``SET NX`` dedup and a Celery publish per event (to a queue of its
own key prefix, emptied at the end; no worker runs). ``--embedded`` posts to a SQLite file with
the embedded worker left stopped instead.

The posts go one after the other. ``--profile N`` runs each post's blocking part (checking,
storing, dedup, publishing: a worker thread's work in the server) in the event loop's thread so
that cProfile sees it, and prints the N heaviest functions (cProfile on CPU time).

Prints CPU milliseconds per accepted event (``time.process_time``: this process only), the
statements, commits and connection checkouts the store saw per event. The CPU includes the
client's side (httpx building each request: ~1 ms), the same before and after a change.

    KNOWNFIX_DATASETS=/path/to/datasets .venv/bin/python bench/ingest_profile.py \
        [--events 600] [--embedded] [--profile 30]

An in-process bench script runs the code of the checkout it sits in (``logchunks.py`` puts
that checkout's ``src`` first on ``sys.path``): to measure older code, copy the script into the
older checkout's ``bench/`` and run it from there.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gzip
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from analysis_profile import count_store, fresh_database, print_profile  # noqa: E402
from service_load import REDIS, held_out_logs  # noqa: E402


async def post_all(app: Any, token: str, bodies: list[tuple[str, bytes]],
                   profiler: cProfile.Profile | None) -> tuple[float, int]:
    """Post every body one after the other; (CPU seconds, how many answered 202)."""
    import httpx

    accepted = 0
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://knownfix") as client:
        started = time.process_time()
        if profiler is not None:
            profiler.enable()
        for source, body in bodies:
            answer = await client.post("/api/v1/events", content=body, headers={
                "Content-Type": "text/plain", "Content-Encoding": "gzip",
                "Authorization": f"Bearer {token}", "X-Knownfix-Source": source,
                "Idempotency-Key": uuid.uuid4().hex})
            accepted += answer.status_code == 202
        if profiler is not None:
            profiler.disable()
        return time.process_time() - started, accepted


def inline_blocking_work() -> None:
    """Run the route's thread-pool work in the calling thread (cProfile sees one thread)."""
    from knownfix.web.api import events

    async def inline(function: Any, *args: Any) -> Any:
        return function(*args)

    events.run_in_threadpool = inline  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", help="folder holding logchunks/ (KNOWNFIX_DATASETS)")
    parser.add_argument("--events", type=int, default=600, help="how many posts")
    parser.add_argument("--embedded", action="store_true", help="SQLite, no Redis, no Celery")
    parser.add_argument("--profile", type=int, default=0, help="print the N heaviest functions")
    parser.add_argument("--stats", type=Path, help="with --profile: save the pstats data here")
    args = parser.parse_args()

    from knownfix.services.tokens import create_token
    from knownfix.settings import load_settings
    from knownfix.storage.repository import open_store
    from knownfix.web.app import create_app

    logs = held_out_logs(args.datasets)
    bodies = [(path.name, gzip.compress(path.read_bytes(), 6, mtime=0)) for path in logs]
    bodies = [bodies[n % len(bodies)] for n in range(args.events)]
    prefix = f"kfprofile_{uuid.uuid4().hex[:8]}"
    drop = None
    workdir = tempfile.TemporaryDirectory()
    if args.embedded:
        url = f"sqlite:///{workdir.name}/knownfix.db"
        extra: dict[str, Any] = {}
    else:
        url, drop = fresh_database()
        extra = {"broker_url": REDIS, "key_prefix": prefix}
    try:
        settings = load_settings(env={}, database_url=url, max_body_bytes=16 << 20, **extra)
        store = open_store(url)
        token = create_token(store, role="writer").token
        app = create_app(settings, store=store, start_worker=False, start_healing=False)
        seen = count_store(store)
        # Warm: the first post builds the statements, the token's cache, Celery's producer.
        asyncio.run(post_all(app, token, bodies[:5], None))
        seen.update(dict.fromkeys(seen, 0))
        profiler = None
        if args.profile:
            profiler = cProfile.Profile(time.process_time)
            inline_blocking_work()
        cpu, accepted = asyncio.run(post_all(app, token, bodies, profiler))
        store.close()
    finally:
        if drop is not None:
            drop()
        if not args.embedded:
            import redis

            client = redis.Redis.from_url(REDIS)
            for key in client.scan_iter(match=f"{prefix}*", count=1000):
                client.delete(key)
        workdir.cleanup()
    n = len(bodies)
    print(f"{n} posts ({'embedded' if args.embedded else 'distributed'}), pid {os.getpid()}: "
          f"{accepted} accepted, {cpu / n * 1000:.3f} CPU ms per post "
          f"({n / cpu:.0f} per CPU-s)")
    print("per post: " + ", ".join(f"{count / n:.2f} {what}" for what, count in seen.items()))
    if profiler is not None:
        if args.stats is not None:
            profiler.dump_stats(args.stats)
        print_profile(profiler, args.profile)


if __name__ == "__main__":
    main()
