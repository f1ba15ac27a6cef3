"""The runners: programs without a shell, timeouts that kill the whole process group, HTTP."""

from __future__ import annotations

import os
import socket
import sys
import time
from pathlib import Path

from healing_helpers import free_port, local_service, wait_until
from knownfix.actions.http import http_request
from knownfix.actions.process import OUTPUT_TAIL_BYTES, run_process

PY = sys.executable


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); its state in /proc says whether it runs.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_exit_status_and_output(tmp_path: Path) -> None:
    result = run_process([PY, "-c", "import sys; print('out'); print('err', file=sys.stderr); "
                          "sys.exit(3)"], timeout=10)
    assert result.exit_code == 3
    assert "out" in result.output
    assert "err" in result.output
    assert not result.timed_out


def test_a_program_that_is_not_there(tmp_path: Path) -> None:
    result = run_process([str(tmp_path / "nope")], timeout=5)
    assert result.exit_code is None
    assert result.error is not None
    assert "cannot start" in result.error


def test_arguments_are_never_shell_text(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    result = run_process([PY, "-c", "import sys; print(sys.argv[1])", f"$(touch {marker})"],
                         timeout=10)
    assert result.output.strip() == f"$(touch {marker})"
    assert not marker.exists()


def test_env_is_added(tmp_path: Path) -> None:
    result = run_process([PY, "-c", "import os; print(os.environ['KF_X'])"],
                         env={"KF_X": "a b;c"}, timeout=10)
    assert result.output.strip() == "a b;c"


def test_a_timeout_kills_the_whole_process_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    script = (
        "import subprocess, sys, time, pathlib\n"
        f"child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        f"pathlib.Path({str(pid_file)!r}).write_text(str(child.pid))\n"
        "time.sleep(60)\n"
    )
    started = time.monotonic()
    result = run_process([PY, "-c", script], timeout=2)
    assert result.timed_out
    assert result.exit_code is None
    assert time.monotonic() - started < 30
    assert wait_until(pid_file.exists, 5)
    child = int(pid_file.read_text())
    assert wait_until(lambda: not _alive(child), 10), "the grandchild survived the timeout"


def test_a_service_started_in_the_background_does_not_hold_the_step(tmp_path: Path) -> None:
    with local_service(tmp_path / "svc") as service:
        started = time.monotonic()
        result = run_process([PY, str(service.folder / "start.py"), str(service.port),
                              str(service.pid_file)], timeout=20)
        assert result.exit_code == 0
        assert time.monotonic() - started < 15
        assert "started service" in result.output
        # The step returns before its service listens (that is the point), and on a loaded
        # host the service can take a while to bind: it must come up and outlive the step.
        url = f"http://127.0.0.1:{service.port}/"
        assert wait_until(lambda: http_request("GET", url, timeout=5).status == 200, 20)


def test_only_the_tail_of_a_long_output_is_kept() -> None:
    result = run_process([PY, "-c", "print('x' * 100 + '\\n') ; print('y\\n' * 100000); "
                          "print('last line')"], timeout=20)
    assert len(result.output.encode()) <= OUTPUT_TAIL_BYTES + 4
    assert result.output.rstrip().endswith("last line")
    assert result.output.startswith("…")


def test_http_answers_refusals_and_timeouts(tmp_path: Path) -> None:
    refused = http_request("GET", f"http://127.0.0.1:{free_port()}/", timeout=2)
    assert refused.status is None
    assert refused.error == "connection refused"
    with local_service(tmp_path / "svc") as service:
        service.start()
        ok = http_request("GET", f"http://127.0.0.1:{service.port}/health", timeout=5)
        assert (ok.status, ok.body) == (200, "ok")
    bad = http_request("GET", "http://[::1", timeout=1)
    assert bad.status is None
    assert bad.error is not None


def test_http_gives_up_at_its_timeout() -> None:
    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        result = http_request("GET", f"http://127.0.0.1:{port}/", timeout=0.5)
    assert result.timed_out
    assert result.error == "no answer within 0.5 s"
