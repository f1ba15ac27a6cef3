"""Service load: events posted to `knownfix serve` by an async load generator, accepted and
analysed end to end — the distributed mode (API + 1 Celery worker process + PostgreSQL +
Redis) beside the embedded mode (one process: API + worker thread + SQLite) in the same run.

Logs are real failed CI builds (LogChunks, the held-out half), posted as `text/plain` with
`Content-Encoding: gzip` (compressed before the clock starts, as a CI step would send them)
and one `Idempotency-Key` each, by `--concurrency` connections at once. Reported per mode:

* accepted/s — posts answered 202 per second of the posting phase, with the post latency
  percentiles (the analysis runs at the same time, on the same two cores);
* analysed/s — events done per second, from the first post to the last event done, and the
  end-to-end latency percentiles (received → done, from the store's timestamps);
* per CPU-second — events accepted per CPU-second of the API processes, events analysed per
  CPU-second of the worker, and events (accepted and analysed) per CPU-second of all of them
  (the embedded mode's only figure: one process does both). On a shared machine the
  per-second rates depend on the neighbours; these much less: they are what one core sustains;
* while posting, the CPU of the load generator itself (this process: asyncio streams with the
  requests' bytes built by hand; ``--client httpx`` for httpx's client, ~40 times its cost),
  of the database's backends, and of the whole host (``/proc/stat``) with its heaviest commands:
  what shared the two cores with the API.

The knowledge base is the seed docs (`${KNOWNFIX_DATASETS}/../seed-docs`), else the examples.
Writes `bench/results/service_load.json`.

    KNOWNFIX_DATASETS=/path/to/datasets .venv/bin/python bench/service_load.py \
        [--events 2000] [--concurrency 32] [--modes embedded,distributed] [--api-workers 1] \
        [--client raw|httpx] [--py-spy DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_client import post_all, post_all_httpx  # noqa: E402
from logchunks import RESULTS, ROOT, dataset_dir, is_dev, unpack  # noqa: E402
from proc_cpu import cpu_by_command, host_busy, store_cpu, top_users, tree_cpu  # noqa: E402

PG_SERVER = os.environ.get("KNOWNFIX_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("KNOWNFIX_TEST_REDIS", "redis://127.0.0.1:6379/0")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def held_out_logs(datasets: str | None) -> list[Path]:
    data = dataset_dir(datasets)
    root = unpack(data)
    cases = [json.loads(line) for line in (data / "cases.jsonl").open(encoding="utf-8")]
    logs = sorted({root / "logs" / case["log"] for case in cases if not is_dev(case["repo"])})
    return [path for path in logs if path.is_file()]


def knowledge_base(datasets: str | None) -> Path:
    base = Path(datasets or os.environ.get("KNOWNFIX_DATASETS") or ROOT / ".." / "shared" /
                "datasets")
    seed = base.resolve().parent / "seed-docs"
    return seed if seed.is_dir() else ROOT / "examples" / "kb"


@dataclass
class Mode:
    name: str
    env: dict[str, str]
    workdir: Path
    procs: list[subprocess.Popen[bytes]]

    def knownfix(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "knownfix", *args], env=self.env,
                              capture_output=True, text=True, check=True, timeout=600)
        return done.stdout

    def spawn(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.workdir / f"{name}.log").open("ab")
        proc = subprocess.Popen([sys.executable, "-m", "knownfix", *args], env=self.env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)


@contextmanager
def embedded_mode(workdir: Path) -> Iterator[Mode]:
    env = base_env(f"sqlite:///{workdir / 'knownfix.db'}")
    mode = Mode("embedded (SQLite, worker thread)", env, workdir, [])
    try:
        yield mode
    finally:
        mode.stop()


@contextmanager
def distributed_mode(workdir: Path) -> Iterator[Mode]:
    import psycopg
    import redis

    name = f"knownfix_bench_{uuid.uuid4().hex[:8]}"
    prefix = f"kfbench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env = base_env(f"{PG_SERVER}/{name}", KNOWNFIX_BROKER_URL=REDIS, KNOWNFIX_KEY_PREFIX=prefix)
    mode = Mode("distributed (PostgreSQL, Redis, 1 Celery worker process)", env, workdir, [])
    try:
        yield mode
    finally:
        mode.stop()
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        client = redis.Redis.from_url(REDIS)
        for key in client.scan_iter(match=f"{prefix}*", count=1000):
            client.delete(key)


def base_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOWNFIX_")}
    env.update(KNOWNFIX_DATABASE_URL=database_url, KNOWNFIX_LOG_FORMAT="json",
               KNOWNFIX_MAX_BODY_BYTES="16m", **extra)
    return env


def wait_healthy(url: str, timeout: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} never became healthy")


def start_spies(spy_dir: Path | None, pids: dict[str, int]) -> list[subprocess.Popen[bytes]]:
    """py-spy sampling each named process into ``spy_dir/<name>.txt`` (collapsed stacks)."""
    if spy_dir is None:
        return []
    spy_dir.mkdir(parents=True, exist_ok=True)
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    return [subprocess.Popen([py_spy, "record", "--pid", str(pid), "--rate", "250",
                              "--nonblocking", "--gil", "--format", "raw", "-o",
                              str(spy_dir / f"{name}.txt")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for name, pid in pids.items()]


def stop_spies(spies: list[subprocess.Popen[bytes]]) -> None:
    for spy in spies:
        spy.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
    for spy in spies:
        spy.wait(60)


def run_mode(mode: Mode, kb: Path, bodies: list[tuple[str, bytes]], concurrency: int,
             api_workers: int, distributed: bool, spy_dir: Path | None = None,
             client: str = "raw") -> dict[str, Any]:
    from sqlalchemy import func, select

    from knownfix.storage.repository import open_store
    from knownfix.storage.service_tables import events

    mode.knownfix("import", str(kb))
    token = mode.knownfix("token", "create", "--role", "writer").strip().splitlines()[-1]
    port = free_port()
    api = mode.spawn("api", "serve", "--port", str(port), "--workers", str(api_workers))
    worker = mode.spawn("worker", "worker", "--concurrency", "1") if distributed else None
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url)
    store = open_store(mode.env["KNOWNFIX_DATABASE_URL"])
    # Warm up: one event through, so each process has built its knowledge-base index.
    post = post_all_httpx if client == "httpx" else post_all
    warm = asyncio.run(post(url, token, bodies[:1], 1))
    wait_all_done(store, 1, 300)
    cpu_api, cpu_worker = tree_cpu(api.pid), tree_cpu(worker.pid) if worker else 0.0
    spies = start_spies(spy_dir, {"api": api.pid, **({"worker": worker.pid} if worker else {})})
    db_url = mode.env["KNOWNFIX_DATABASE_URL"]
    cpu_store, cpu_host, by_command = store_cpu(db_url), host_busy(), cpu_by_command()
    started = time.perf_counter()
    cpu_client = time.process_time()
    first, last, latencies, refused = asyncio.run(post(url, token, bodies, concurrency))
    cpu_client = time.process_time() - cpu_client
    posting = last - first
    cpu_api_posting = tree_cpu(api.pid) - cpu_api
    cpu_worker_posting = (tree_cpu(worker.pid) - cpu_worker) if worker else 0.0
    cpu_store = store_cpu(db_url) - cpu_store  # backends that lived through the posting
    cpu_host = host_busy() - cpu_host
    by_command = top_users(by_command, cpu_by_command())
    done_at = wait_all_done(store, len(bodies) + 1, 3600)
    stop_spies(spies)
    analysing = done_at - started
    cpu_api = tree_cpu(api.pid) - cpu_api
    cpu_worker = (tree_cpu(worker.pid) - cpu_worker) if worker else 0.0
    with store.read() as conn:
        rows = conn.execute(
            select(events.c.received_at, events.c.finished_at, events.c.status)
            .order_by(events.c.received_at).offset(1)).all()
        failed = conn.execute(select(func.count()).where(events.c.status == "failed")).scalar()
    store.close()
    e2e = [(f - r).total_seconds() for r, f, _s in rows if f is not None]
    mb = sum(len(b) for _s, b in bodies) / 1e6
    del warm
    return {
        "mode": mode.name,
        "events": len(bodies),
        "gzip_mb_posted": round(mb, 1),
        "accepted_per_s": round(len(bodies) / posting, 1),
        "post_ms": {p: round(percentile(latencies, p) * 1000, 1) for p in (50, 90, 99)},
        "refused": refused,
        "analysed_per_s": round(len(bodies) / analysing, 1),
        "end_to_end_s": {p: round(percentile(e2e, p), 2) for p in (50, 90, 99)},
        "failed": int(failed or 0),
        # CPU seconds the service's processes used: what the work costs, whatever else runs.
        # Embedded, one process both accepts and analyses: its CPU covers both.
        "cpu_s": {"api": round(cpu_api, 2), "api_while_posting": round(cpu_api_posting, 2),
                  "worker": round(cpu_worker, 2),
                  "worker_while_posting": round(cpu_worker_posting, 2),
                  "load_generator": round(cpu_client, 2),
                  "postgresql_while_posting": round(cpu_store, 2),
                  "host_while_posting": round(cpu_host, 2),
                  "by_command_while_posting": by_command},
        "posting_s": round(posting, 2),
        "accepted_per_api_cpu_s": round(len(bodies) / cpu_api, 1) if worker else None,
        "analysed_per_worker_cpu_s": round(len(bodies) / cpu_worker, 1) if worker else None,
        "accepted_and_analysed_per_cpu_s": round(len(bodies) / (cpu_api + cpu_worker), 1),
    }


def wait_all_done(store: Any, count: int, timeout: float) -> float:
    from sqlalchemy import func, select

    from knownfix.storage.service_tables import events

    deadline = time.monotonic() + timeout
    statement = select(func.count()).where(events.c.status.in_(("done", "failed")))
    while time.monotonic() < deadline:
        with store.read() as conn:
            if int(conn.execute(statement).scalar() or 0) >= count:
                return time.perf_counter()
        time.sleep(0.05)
    raise RuntimeError(f"not all {count} events were analysed within {timeout} s")


def print_shares(spy_dir: Path, result: dict[str, Any]) -> None:
    """Where each sampled process's CPU went, in ms per event (bench/stack_shares.py)."""
    from stack_shares import table

    n = result["events"]
    for kind, cpu in (("api", result["cpu_s"]["api"]), ("worker", result["cpu_s"]["worker"])):
        path = spy_dir / f"{kind}.txt"
        if path.is_file():
            print(table(path, kind, cpu / n * 1000 if cpu else None), end="\n\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", help="folder holding logchunks/ (KNOWNFIX_DATASETS)")
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--api-workers", type=int, default=1)
    parser.add_argument("--modes", default="embedded,distributed")
    parser.add_argument("--client", choices=("raw", "httpx"), default="raw",
                        help="the load generator: asyncio streams (default) or httpx's client")
    parser.add_argument("--py-spy", type=Path, metavar="DIR",
                        help="sample the API and worker with py-spy into DIR/<mode>/<process>"
                             ".txt and print where their CPU went (bench/stack_shares.py)")
    args = parser.parse_args()

    logs = held_out_logs(args.datasets)
    kb = knowledge_base(args.datasets)
    compressed = [(p.name, gzip.compress(p.read_bytes(), compresslevel=6)) for p in logs]
    raw_sizes = sorted(p.stat().st_size for p in logs)
    bodies = [compressed[n % len(compressed)] for n in range(args.events)]
    print(f"{len(logs)} held-out LogChunks logs (median {raw_sizes[len(raw_sizes) // 2] / 1e3:.0f}"
          f" KB, gzip ~{sum(len(b) for _s, b in compressed) / len(compressed) / 1e3:.0f} KB), "
          f"{args.events} posts, {args.concurrency} connections, knowledge base {kb}")
    results = []
    load_before = os.getloadavg()
    for name in args.modes.split(","):
        workdir = Path(tempfile.mkdtemp(prefix=f"knownfix-load-{name}-"))
        context = embedded_mode if name == "embedded" else distributed_mode
        try:
            with context(workdir) as mode:
                result = run_mode(mode, kb, bodies, args.concurrency, args.api_workers,
                                  distributed=name != "embedded",
                                  spy_dir=args.py_spy / name if args.py_spy else None,
                                  client=args.client)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        results.append(result)
        print(json.dumps(result))
        if args.py_spy:
            print_shares(args.py_spy / name, result)
    print()
    print("| mode | accepted/s | post p50 / p90 / p99 ms | analysed/s | end-to-end p50 / p90 / "
          "p99 s | per CPU-s: accepted (API) / analysed (worker) / both | refused | failed |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        post, e2e = r["post_ms"], r["end_to_end_s"]
        per_cpu = " / ".join(str(r[k]) if r[k] is not None else "-" for k in (
            "accepted_per_api_cpu_s", "analysed_per_worker_cpu_s",
            "accepted_and_analysed_per_cpu_s"))
        print(f"| {r['mode']} | {r['accepted_per_s']} | {post[50]} / {post[90]} / {post[99]} | "
              f"{r['analysed_per_s']} | {e2e[50]} / {e2e[90]} / {e2e[99]} | {per_cpu} | "
              f"{r['refused']} | {r['failed']} |")
    RESULTS.mkdir(parents=True, exist_ok=True)
    load_after = os.getloadavg()
    print(f"\nload average (1 min) {load_before[0]:.1f} before, {load_after[0]:.1f} after: "
          "other processes share these cores")
    out = {"host": platform.node(), "cpus": os.cpu_count(), "python": platform.python_version(),
           "loadavg_before": load_before, "loadavg_after": load_after,
           "logs": len(logs), "events": args.events, "concurrency": args.concurrency,
           "api_workers": args.api_workers, "kb": str(kb), "results": results}
    (RESULTS / "service_load.json").write_text(json.dumps(out, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
