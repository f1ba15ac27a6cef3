"""Real servers for the service's integration tests: ``knownfix serve`` and ``knownfix worker``
as processes, a Redis key prefix per test, and a throwaway PostgreSQL cluster of our own.

Each process runs in its own session (process group), so a test can SIGKILL a worker with its
pool children, and every process is stopped when the test ends.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path

import httpx

REDIS_URL = os.environ.get("KNOWNFIX_TEST_REDIS", "redis://127.0.0.1:6379/0")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: object, timeout: float, what: str, every: float = 0.1) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()  # type: ignore[operator]
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"{what}: not within {timeout} s")


@dataclass
class Process:
    """A knownfix command running in its own process group; its output goes to a file."""

    args: list[str]
    env: dict[str, str]
    log_path: Path
    popen: subprocess.Popen[bytes] | None = None

    def start(self) -> Process:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.log_path.open("ab")
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "knownfix", *self.args], env=self.env, stdout=handle,
            stderr=subprocess.STDOUT, start_new_session=True)
        handle.close()
        return self

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send ``sig`` to the whole process group (a Celery worker and its pool children)."""
        if self.popen is not None and self.popen.poll() is None:
            os.killpg(self.popen.pid, sig)
            try:
                self.popen.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(10)

    def stop(self) -> None:
        self.kill(signal.SIGTERM)

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@dataclass
class Stack:
    """The environment of one test's service, and the processes started with it."""

    env: dict[str, str]
    workdir: Path
    processes: list[Process] = field(default_factory=list)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "knownfix", *args], env=self.env,
                              capture_output=True, text=True, timeout=120, check=True)

    def token(self, role: str = "writer") -> str:
        return self.run("token", "create", "--role", role).stdout.strip().splitlines()[-1]

    def api(self, *args: str, **extra_env: str) -> tuple[Process, str]:
        port = free_port()
        name = f"api-{len(self.processes)}"
        proc = Process(["serve", "--port", str(port), *args], {**self.env, **extra_env},
                       self.workdir / f"{name}.log").start()
        self.processes.append(proc)
        url = f"http://127.0.0.1:{port}"

        def healthy() -> bool:
            if proc.popen is not None and proc.popen.poll() is not None:
                raise AssertionError(f"knownfix serve exited:\n{proc.output()[-3000:]}")
            try:
                return httpx.get(f"{url}/health", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(healthy, 180, "the API answering /health")
        return proc, url

    def worker(self, **extra_env: str) -> Process:
        name = f"worker-{len(self.processes)}"
        proc = Process(["worker", "--concurrency", "1", "--loglevel", "INFO"],
                       {**self.env, **extra_env}, self.workdir / f"{name}.log").start()
        self.processes.append(proc)
        wait_until(lambda: "ready" in proc.output() or _exited(proc), 180, "the worker ready")
        if _exited(proc):
            raise AssertionError(f"knownfix worker exited:\n{proc.output()[-3000:]}")
        return proc

    def close(self) -> None:
        for proc in reversed(self.processes):
            proc.stop()


def _exited(proc: Process) -> bool:
    return proc.popen is not None and proc.popen.poll() is not None


def base_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOWNFIX_")}
    env.update(KNOWNFIX_DATABASE_URL=database_url, KNOWNFIX_LOG_FORMAT="json", **extra)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return env


@contextmanager
def stack(env: Mapping[str, str], workdir: Path) -> Iterator[Stack]:
    running = Stack(dict(env), workdir)
    try:
        yield running
    finally:
        running.close()


# --- Redis --------------------------------------------------------------------------------------

# --- A PostgreSQL cluster of our own (restarted by a test) -------------------------------------

@dataclass
class Cluster:
    """A throwaway PostgreSQL cluster on a free port, in a temporary folder."""

    bindir: Path
    datadir: Path
    port: int
    as_user: list[str]

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-w",
             "-t", "60", "-l", str(self.datadir / "server.log"), *args],
            check=True, capture_output=True, timeout=90)

    def start(self) -> None:
        self.ctl("-o", f"-p {self.port} -k {self.datadir} -c listen_addresses=127.0.0.1", "start")

    def stop(self) -> None:
        self.ctl("-m", "fast", "stop")


def redis_client(url: str = REDIS_URL) -> object:
    import redis

    return redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3)


def new_cluster() -> Cluster:
    """initdb a cluster in a temporary folder (as the postgres user when run as root) and
    start it on a free port."""
    bindir = postgres_bindir()
    if bindir is None:
        raise FileNotFoundError("initdb is not installed")
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="knownfix-pg-"))
    if os.geteuid() == 0:  # initdb refuses to run as root
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    datadir = folder / "data"
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(datadir), "-U", "postgres",
                    "-A", "trust", "--no-sync"], check=True, capture_output=True, timeout=120)
    cluster = Cluster(bindir, datadir, free_port(), as_user)
    cluster.start()
    return cluster


def remove_cluster(cluster: Cluster) -> None:
    try:
        cluster.stop()
    finally:
        shutil.rmtree(cluster.datadir.parent, ignore_errors=True)


def postgres_bindir() -> Path | None:
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
    on_path = shutil.which("initdb")
    if found:
        return Path(found[-1]).parent
    return Path(on_path).parent if on_path else None


@contextmanager
def serve_in_thread(app: object) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on a free port in a thread; yields its base URL."""
    import threading

    import uvicorn

    config = uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning",
                            lifespan="on", log_config=None)  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started or not thread.is_alive(), 30, "uvicorn started")
    if not server.started:
        raise AssertionError("uvicorn did not start")
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(30)
