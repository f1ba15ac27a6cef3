"""A playbook and an event → the exact plan of what would run: argv lists, HTTP calls, checks.

The dry run prints this plan and stops; an execution runs exactly this plan; an approval is
given to this plan (its :meth:`Plan.digest`), and a playbook changed in between is refused.
Only the parameters a playbook lists in ``params:`` are filled in; each value is checked
(no NUL, not huge, not an option-like whole argument, no line break in a header).
"""

from __future__ import annotations

import hashlib
import json
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from knownfix.core.healing.config import HttpStep, Playbook, RunStep, Step
from knownfix.core.healing.params import (
    check_argument,
    check_header,
    check_value,
    fill,
    fill_json,
    placeholders,
)
from knownfix.core.secrets.redact import redact

RETRY_INITIAL_S = 1.0
RETRY_MAX_S = 30.0
RETRY_JITTER_S = 1.0
"""Backoff between a step's attempts: 1 s, 2 s, 4 s … at most 30 s, plus up to 1 s at random."""
VERIFY_MAX_WAIT_S = 60.0
"""The longest wait between two attempts of a verification."""


@dataclass(frozen=True, slots=True)
class PlannedStep:
    """One step with its parameters filled in, ready to run."""

    index: int  # 1-based; 0 for the verification
    kind: str  # run | http
    timeout: float  # seconds
    retries: int = 0
    argv: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    cwd: str | None = None
    expect: tuple[int, ...] = ()
    method: str = ""
    url: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    json: Any = None

    @property
    def description(self) -> str:
        """The step in one line, secrets masked: a shell-quoted argv, or ``METHOD url``."""
        if self.kind == "run":
            text = shlex.join(self.argv)
            if self.env:
                text = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env) + " " + text
        else:
            text = f"{self.method} {self.url}"
        return redact(text)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"index": self.index, "kind": self.kind,
                                "timeout_s": self.timeout, "retries": self.retries}
        if self.kind == "run":
            data.update(argv=[redact(a) for a in self.argv],
                        env={k: redact(v) for k, v in self.env}, cwd=self.cwd,
                        expect=list(self.expect))
        else:
            data.update(method=self.method, url=redact(self.url),
                        headers={k: redact(v) for k, v in self.headers},
                        json=_redacted_json(self.json), expect=list(self.expect))
        return data


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything one run of a playbook would do, and the guardrails around it."""

    playbook: str
    origin: str
    target: str
    incident_id: str | None
    steps: tuple[PlannedStep, ...]
    verify: PlannedStep
    verify_attempts: int
    verify_delay: float
    params: tuple[tuple[str, str], ...] = ()
    auto: bool = False
    approval: bool = False
    breaker_failures: int = 5
    breaker_cooldown: float = 300.0
    rate: str | None = None
    rate_per_target: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def timeout_budget(self) -> float:
        """The longest the run can take: every attempt of every step and of the verification,
        plus the waits between verification attempts (a lease must outlive it)."""
        steps = sum(s.timeout * (s.retries + 1) + s.retries * (RETRY_MAX_S + RETRY_JITTER_S)
                    for s in self.steps)
        waits = sum(min(self.verify_delay * 2**n, VERIFY_MAX_WAIT_S)
                    for n in range(self.verify_attempts - 1))
        return float(steps + self.verify.timeout * self.verify_attempts + waits)

    def digest(self) -> str:
        """A hash of what would run (unredacted): an approval is valid for this plan only."""
        raw = {
            "playbook": self.playbook, "target": self.target, "incident": self.incident_id,
            "steps": [_raw(s) for s in (*self.steps, self.verify)],
        }
        return hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        return {
            "playbook": self.playbook,
            "origin": self.origin,
            "target": self.target,
            "incident_id": self.incident_id,
            "params": {k: redact(v) for k, v in self.params},
            "steps": [s.to_dict() for s in self.steps],
            "verify": {**self.verify.to_dict(), "attempts": self.verify_attempts,
                       "delay_s": self.verify_delay},
            "auto": self.auto,
            "approval": "required" if self.approval else "none",
            "breaker": {"failures": self.breaker_failures, "cooldown_s": self.breaker_cooldown},
            "rate_limit": {"playbook": self.rate, "target": self.rate_per_target},
            "notes": list(self.notes),
        }


def build_plan(
    playbook: Playbook,
    event: Mapping[str, str],
    *,
    target: str,
    incident_id: str | None,
    notes: tuple[str, ...] = (),
) -> Plan:
    """The plan of ``playbook`` for ``event``; InputError when event data cannot be passed on."""
    values = {name: check_value(name, event.get(name, "")) for name in playbook.params}
    steps = tuple(_planned(step, n, values) for n, step in enumerate(playbook.steps, start=1))
    return Plan(
        playbook=playbook.name,
        origin=f"{playbook.origin}:{playbook.line}",
        target=target,
        incident_id=incident_id,
        steps=steps,
        verify=_planned(playbook.verify.step, 0, values),
        verify_attempts=playbook.verify.attempts,
        verify_delay=playbook.verify.delay.total_seconds(),
        params=tuple(sorted(values.items())),
        auto=playbook.auto,
        approval=playbook.approval,
        breaker_failures=playbook.breaker.failures,
        breaker_cooldown=playbook.breaker.cooldown.total_seconds(),
        rate=str(playbook.rate) if playbook.rate else None,
        rate_per_target=str(playbook.rate_per_target) if playbook.rate_per_target else None,
        notes=notes,
    )


def _planned(step: Step, index: int, values: Mapping[str, str]) -> PlannedStep:
    if isinstance(step, RunStep):
        for template in step.argv:
            for name in placeholders(template):
                check_argument(name, template, values[name])
        return PlannedStep(
            index=index, kind="run", timeout=step.timeout.total_seconds(), retries=step.retries,
            argv=tuple(fill(a, values) for a in step.argv),
            env=tuple((k, fill(v, values)) for k, v in step.env),
            cwd=step.cwd, expect=step.expect,
        )
    assert isinstance(step, HttpStep)
    for _key, template in step.headers:
        for name in placeholders(template):
            check_header(name, values[name])
    return PlannedStep(
        index=index, kind="http", timeout=step.timeout.total_seconds(), retries=step.retries,
        method=step.method, url=fill(step.url, values, encode_url=True),
        headers=tuple((k, fill(v, values)) for k, v in step.headers),
        json=fill_json(step.json, values), expect=step.expect,
    )


def _redacted_json(data: Any) -> Any:
    if isinstance(data, str):
        return redact(data)
    if isinstance(data, list):
        return [_redacted_json(item) for item in data]
    if isinstance(data, dict):
        return {key: _redacted_json(value) for key, value in data.items()}
    return data


def _raw(step: PlannedStep) -> dict[str, Any]:
    return {"kind": step.kind, "argv": list(step.argv), "env": [list(p) for p in step.env],
            "cwd": step.cwd, "method": step.method, "url": step.url,
            "headers": [list(p) for p in step.headers], "json": step.json,
            "expect": list(step.expect), "timeout": step.timeout, "retries": step.retries}
