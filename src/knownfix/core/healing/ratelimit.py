"""Rate limits of playbook runs: at most N runs in any window, per playbook and per target.

Pure arithmetic over the start times of the runs already admitted; the store counts them and
calls :func:`check` inside the transaction that admits a new run, so two processes cannot both
take the last slot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from knownfix.core.healing.config import Rate


@dataclass(frozen=True, slots=True)
class RateVerdict:
    allowed: bool
    retry_at: datetime | None = None  # when the oldest run in the window leaves it


def check(rate: Rate | None, started: Iterable[datetime], now: datetime) -> RateVerdict:
    """May one more run start at ``now``, given the start times of earlier runs?"""
    if rate is None:
        return RateVerdict(True)
    window_start = now - rate.per
    recent = sorted(t for t in started if t > window_start)
    if len(recent) < rate.count:
        return RateVerdict(True)
    return RateVerdict(False, recent[len(recent) - rate.count] + rate.per)
