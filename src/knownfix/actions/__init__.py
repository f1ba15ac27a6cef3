"""The runners self-healing and detectors use: programs (argv, no shell) and HTTP calls.

:class:`ActionRunner` is the one interface the services talk to; :class:`LocalRunner` is the
real one, and tests hand in a fake. Runners execute; they decide nothing (the allowlist, the
plan and every guardrail are settled before a runner is called).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from knownfix.actions.http import HttpResult, http_request
from knownfix.actions.process import ProcessResult, run_process

__all__ = ["ActionRunner", "HttpResult", "LocalRunner", "ProcessResult"]


class ActionRunner(Protocol):
    def run(
        self, argv: Sequence[str], *, env: Mapping[str, str], cwd: str | None, timeout: float
    ) -> ProcessResult: ...

    def request(
        self, method: str, url: str, *, headers: Mapping[str, str], json: Any, timeout: float
    ) -> HttpResult: ...


class LocalRunner:
    """Runs programs on this machine and makes real HTTP calls."""

    def run(
        self, argv: Sequence[str], *, env: Mapping[str, str], cwd: str | None, timeout: float
    ) -> ProcessResult:
        return run_process(argv, env=env, cwd=cwd, timeout=timeout)

    def request(
        self, method: str, url: str, *, headers: Mapping[str, str], json: Any, timeout: float
    ) -> HttpResult:
        return http_request(method, url, headers=headers, json=json, timeout=timeout)
