"""Test helpers of self-healing: a fake action runner, a clock, a small HTTP service."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from knownfix.actions import HttpResult, ProcessResult

HEALTH_FAKE = "http://127.0.0.1:1/health"
"""A URL the fake runner answers (nothing listens there for real)."""

SERVICE = """\
import http.server, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""

START = """\
import pathlib, subprocess, sys
port, pid_file = sys.argv[1], sys.argv[2]
child = subprocess.Popen([sys.executable, str(pathlib.Path(__file__).with_name("service.py")),
                          port], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
pathlib.Path(pid_file).write_text(str(child.pid))
print("started service", child.pid, "args", sys.argv[3:])
"""


@dataclass
class FakeRunner:
    """An ActionRunner that records calls and answers from scripts (by program or URL)."""

    exit_codes: dict[str, list[int]] = field(default_factory=dict)
    statuses: dict[str, list[int | None]] = field(default_factory=dict)
    calls: list[tuple[str, Any]] = field(default_factory=list)

    def run(self, argv: Sequence[str], *, env: Mapping[str, str], cwd: str | None,
            timeout: float) -> ProcessResult:
        self.calls.append(("run", (list(argv), dict(env))))
        codes = self.exit_codes.get(argv[0], [0])
        code = codes.pop(0) if len(codes) > 1 else codes[0]
        return ProcessResult(code, f"{argv[0]} said {code}\n", 0.01)

    def request(self, method: str, url: str, *, headers: Mapping[str, str], json: Any,
                timeout: float) -> HttpResult:
        self.calls.append(("http", (method, url, json)))
        statuses = self.statuses.get(url, [200])
        status = statuses.pop(0) if len(statuses) > 1 else statuses[0]
        if status is None:
            return HttpResult(None, "", 0.01, error="connection refused")
        return HttpResult(status, "", 0.01)


@dataclass
class Clock:
    now: datetime = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def no_sleep(_seconds: float) -> None:
    """Retries in tests wait for nothing."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
        return True
    return False


@dataclass
class LocalService:
    """A tiny HTTP service on a free port, its start script, and the pid file the script
    writes; :meth:`stop` kills whatever runs it now."""

    folder: Path
    port: int
    pid_file: Path

    def start(self) -> None:
        subprocess.run([sys.executable, str(self.folder / "start.py"), str(self.port),
                        str(self.pid_file)], check=True, capture_output=True)
        assert wait_until(lambda: answers(self.port)), "the service did not come up"

    def stop(self) -> None:
        if self.pid_file.exists():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(self.pid_file.read_text()), signal.SIGKILL)
            self.pid_file.unlink()
        assert wait_until(lambda: not answers(self.port)), "the service did not stop"


def auto_restart_checks(service: LocalService) -> str:
    """A checks file that watches ``service`` every 200 ms and restarts it (auto: true)."""
    py = sys.executable
    return f"""\
allow: [{py}]
detectors:
  - {{name: web, kind: http, url: "http://127.0.0.1:{service.port}/health", timeout: 1,
     interval: 200ms}}
playbooks:
  - name: restart-web
    for: web
    auto: true
    steps:
      - run: [{py}, {service.folder}/start.py, "{service.port}", {service.pid_file}]
    verify: {{http: "http://127.0.0.1:{service.port}/health", attempts: 10, delay: 200ms}}
"""


@contextlib.contextmanager
def local_service(folder: Path) -> Iterator[LocalService]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "service.py").write_text(SERVICE)
    (folder / "start.py").write_text(START)
    service = LocalService(folder, free_port(), folder / "service.pid")
    try:
        yield service
    finally:
        service.stop()
