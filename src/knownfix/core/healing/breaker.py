"""The circuit breaker of one playbook, as a pure state machine over stored state.

    closed ──N consecutive failed runs──▶ open ──cool-down passed──▶ half-open (one trial)
       ▲                                    ▲                            │
       └────────────── trial succeeds ──────┼──────── trial fails ───────┘

While open, every run is refused (and the incident escalated); after the cool-down exactly one
trial run is let through — :func:`admit` marks it in ``trial_started_at``, so a second caller
sees a trial in flight and is refused. The store persists :class:`BreakerState` and applies
these functions under a row lock, so the breaker holds across processes and restarts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from knownfix.core.healing.config import BreakerPolicy

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half-open"
BREAKER_STATES = (CLOSED, OPEN, HALF_OPEN)
STALE_TRIAL = timedelta(hours=1)
"""A trial that never reported back (its process died) stops blocking after this long."""


@dataclass(frozen=True, slots=True)
class BreakerState:
    state: str = CLOSED
    failures: int = 0  # consecutive failed runs
    opened_at: datetime | None = None
    trial_started_at: datetime | None = None

    def reopens_at(self, policy: BreakerPolicy) -> datetime | None:
        """When an open breaker lets a trial through (None unless open)."""
        if self.state != OPEN or self.opened_at is None:
            return None
        return self.opened_at + policy.cooldown


@dataclass(frozen=True, slots=True)
class Admission:
    allowed: bool
    state: BreakerState  # the state to store
    reason: str = ""
    trial: bool = False  # this run is the half-open trial


def admit(state: BreakerState, policy: BreakerPolicy, now: datetime) -> Admission:
    """May a run start now? Moves an open breaker whose cool-down passed to half-open."""
    if state.state == CLOSED:
        return Admission(True, state)
    if state.state == OPEN:
        reopens = state.reopens_at(policy)
        if reopens is not None and now < reopens:
            return Admission(False, state, f"circuit breaker open after {state.failures} "
                             "consecutive failures; one trial allowed from "
                             f"{reopens:%Y-%m-%d %H:%M:%S} UTC")
        return Admission(True, replace(state, state=HALF_OPEN, trial_started_at=now), trial=True)
    started = state.trial_started_at
    if started is not None and now - started < STALE_TRIAL:
        return Admission(False, state, "circuit breaker half-open: a trial run is in progress")
    return Admission(True, replace(state, trial_started_at=now), trial=True)


@dataclass(frozen=True, slots=True)
class Transition:
    state: BreakerState
    opened: bool = False  # this failure opened the breaker
    closed: bool = False  # this success closed it again


def record(state: BreakerState, policy: BreakerPolicy, succeeded: bool,
           now: datetime) -> Transition:
    """The breaker after a run ended."""
    if succeeded:
        return Transition(BreakerState(), closed=state.state != CLOSED)
    failures = state.failures + 1
    if state.state == HALF_OPEN or failures >= policy.failures:
        return Transition(BreakerState(OPEN, failures, now, None), opened=True)
    return Transition(replace(state, failures=failures))


def reset() -> BreakerState:
    """A closed breaker, as after a person closed it by hand."""
    return BreakerState()
