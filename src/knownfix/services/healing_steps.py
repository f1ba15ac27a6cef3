"""Run the planned steps of a playbook and its verification, with retries (tenacity).

A step is tried ``retries + 1`` times, waiting with exponential backoff and jitter in between
(1 s, 2 s, 4 s … up to 30 s, plus up to 1 s at random, so many healers do not retry in step).
The verification is tried ``attempts`` times, the waits doubling from its ``delay``: a restarted
service needs a moment before it answers. Output is redacted and its tail kept for the audit.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_result,
    stop_after_attempt,
    wait_exponential,
    wait_exponential_jitter,
)
from tenacity.stop import stop_base
from tenacity.wait import wait_base

from knownfix.actions import ActionRunner
from knownfix.core.healing.plan import (
    RETRY_INITIAL_S,
    RETRY_JITTER_S,
    RETRY_MAX_S,
    VERIFY_MAX_WAIT_S,
    PlannedStep,
)
from knownfix.core.healing.records import StepOutcome
from knownfix.core.secrets.redact import redact
from knownfix.services.detectors import status_ok

OUTPUT_KEPT_CHARS = 4000


@dataclass
class StepRunner:
    """Runs planned steps through an :class:`ActionRunner`, only programs in ``allow``."""

    runner: ActionRunner
    allow: tuple[str, ...]
    base_dir: Path
    sleep: Callable[[float], None] = time.sleep

    def run_step(self, step: PlannedStep) -> StepOutcome:
        """One step with its retries; the outcome of its last attempt, attempts counted."""
        return self._tried(step, stop_after_attempt(step.retries + 1),
                           wait_exponential_jitter(initial=RETRY_INITIAL_S, max=RETRY_MAX_S,
                                                   jitter=RETRY_JITTER_S))

    def verify(self, step: PlannedStep, attempts: int, delay: float) -> StepOutcome:
        """The verification, tried until it passes or ``attempts`` are spent."""
        return self._tried(step, stop_after_attempt(attempts),
                           wait_exponential(multiplier=delay, max=VERIFY_MAX_WAIT_S))

    def _tried(self, step: PlannedStep, stop: stop_base, wait: wait_base) -> StepOutcome:
        """``step`` tried until it passes or ``stop`` says enough, waiting ``wait`` between."""
        spent = 0.0

        def attempt() -> StepOutcome:
            nonlocal spent
            outcome = self.attempt(step)
            spent += outcome.duration_s
            return outcome

        retrying = Retrying(stop=stop, wait=wait,
                            retry=retry_if_result(lambda outcome: not outcome.ok),
                            retry_error_callback=_last_result, sleep=self.sleep)
        last: StepOutcome = retrying(attempt)
        return replace(last, attempts=int(retrying.statistics.get("attempt_number", 1)),
                       duration_s=spent)

    def attempt(self, step: PlannedStep) -> StepOutcome:
        """One try of one step."""
        if step.kind == "run":
            return self._run(step)
        return self._http(step)

    def _run(self, step: PlannedStep) -> StepOutcome:
        if step.argv[0] not in self.allow:  # settled when the file was read; checked again
            return StepOutcome(step.index, "run", step.description, False, 1, 0.0,
                               error=f"{step.argv[0]!r} is not in allow")
        cwd = str(self.base_dir / step.cwd) if step.cwd else str(self.base_dir)
        result = self.runner.run(step.argv, env=dict(step.env), cwd=cwd, timeout=step.timeout)
        error = result.error
        if result.timed_out:
            error = f"timed out after {step.timeout:g} s; its process group was killed"
        elif error is None and result.exit_code not in step.expect:
            expected = " or ".join(map(str, step.expect))
            error = f"exit status {result.exit_code} (expected {expected})"
        return StepOutcome(
            index=step.index, kind="run", description=step.description, ok=error is None,
            attempts=1, duration_s=result.duration_s, exit_code=result.exit_code,
            timed_out=result.timed_out, error=error, output=_kept(result.output),
        )

    def _http(self, step: PlannedStep) -> StepOutcome:
        result = self.runner.request(step.method, step.url, headers=dict(step.headers),
                                     json=step.json, timeout=step.timeout)
        error = result.error
        if result.status is not None and not status_ok(result.status, step.expect):
            wanted = " or ".join(map(str, step.expect)) if step.expect else "2xx or 3xx"
            error = f"status {result.status} (expected {wanted})"
        return StepOutcome(
            index=step.index, kind="http", description=step.description,
            ok=error is None and result.status is not None, attempts=1,
            duration_s=result.duration_s, status=result.status, timed_out=result.timed_out,
            error=error, output=_kept(result.body),
        )


def _last_result(state: RetryCallState) -> StepOutcome:
    """When the attempts run out, the last attempt's outcome (a failure, not an exception)."""
    assert state.outcome is not None
    result: StepOutcome = state.outcome.result()
    return result


def _kept(output: str) -> str:
    text = redact(output)
    if len(text) > OUTPUT_KEPT_CHARS:
        text = "…" + text[-OUTPUT_KEPT_CHARS:]
    return text
