"""Run one program: an argument list (``shell=False``), a timeout, the whole process group
killed when it is exceeded, and the output's tail kept.

Output goes to a temporary file, not a pipe: a step that starts a service in the background
(``nohup server &`` in a script) leaves that service holding the pipe, and reading a pipe would
wait for the service to end. With a file we wait for the program only, then read what it wrote.
The program runs in a session of its own, so on timeout ``killpg`` reaches every process it
started (SIGTERM, then SIGKILL after a grace period).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO

OUTPUT_TAIL_BYTES = 64 * 1024
KILL_GRACE_S = 3.0


@dataclass(frozen=True, slots=True)
class ProcessResult:
    exit_code: int | None  # None: it could not start, or was killed at its timeout
    output: str  # stdout and stderr interleaved, the last OUTPUT_TAIL_BYTES
    duration_s: float
    timed_out: bool = False
    error: str | None = None  # why it could not start

    @property
    def started(self) -> bool:
        return self.error is None


def run_process(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    timeout: float,
) -> ProcessResult:
    """Run ``argv`` with ``env`` added to this process's environment; never raises for the
    program's own failures (not found, not executable, timed out, killed)."""
    started = time.monotonic()
    environment = {**os.environ, **(env or {})}
    with tempfile.TemporaryFile() as out:
        try:
            process = subprocess.Popen(  # noqa: S603 - an argv list from the plan, no shell
                list(argv), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                cwd=cwd, env=environment, shell=False, start_new_session=True,
            )
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            return ProcessResult(None, "", time.monotonic() - started,
                                 error=f"cannot start {argv[0]!r}: {reason}")
        timed_out = False
        try:
            code: int | None = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(process)
            code = None
        duration = time.monotonic() - started
        return ProcessResult(code, _tail(out), duration, timed_out=timed_out)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the program's whole process group, SIGKILL if it is still there after a
    grace period."""
    for sig, wait in ((signal.SIGTERM, KILL_GRACE_S), (signal.SIGKILL, KILL_GRACE_S)):
        try:
            os.killpg(process.pid, sig)
        except (ProcessLookupError, PermissionError):
            break
        try:
            process.wait(timeout=wait)
            if sig == signal.SIGTERM:
                # The leader is gone; children that ignored SIGTERM still get SIGKILL.
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)
            return
        except subprocess.TimeoutExpired:
            continue


def _tail(stream: IO[bytes]) -> str:
    size = stream.seek(0, os.SEEK_END)
    stream.seek(max(0, size - OUTPUT_TAIL_BYTES))
    data = stream.read()
    text = data.decode("utf-8", errors="replace")
    if size > OUTPUT_TAIL_BYTES:
        text = "…" + text.split("\n", 1)[-1]
    return text
