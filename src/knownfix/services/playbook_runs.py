"""Playbook runs as the faces see them: list and show runs, decide an approval, the circuit
breakers and the kill switch.

The CLI, the API and the dashboard reach the runs' store through here, so a rule about runs
(which statuses exist, what "now" is for a decision) lives in one place. Starting an approved
run is the healer's (``services.healing``); deciding here only records the decision, and the
service's scheduler starts what was approved.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from knownfix.core.healing.records import RUN_STATUSES, PlaybookRun
from knownfix.errors import InputError
from knownfix.storage import healing as runs

if TYPE_CHECKING:
    from knownfix.core.healing.config import BreakerPolicy
    from knownfix.core.healing.records import BreakerRecord
    from knownfix.storage.repository import Store


def list_runs(store: Store, *, status: str | None = None, incident_id: str | None = None,
              limit: int | None = None) -> list[PlaybookRun]:
    """Runs, newest first; an unknown ``status`` is an input error naming the known ones."""
    if status is not None and status not in RUN_STATUSES:
        raise InputError(f"unknown run status {status!r}: use one of {', '.join(RUN_STATUSES)}")
    return runs.list_runs(store, status=status, incident_id=incident_id, limit=limit)


def get_run(store: Store, run_id: int) -> PlaybookRun:
    """One run (``NotFound`` when there is none)."""
    return runs.get_run(store, run_id)


def decide(store: Store, run_id: int, *, approve: bool, actor: str, reason: str = ""
           ) -> PlaybookRun:
    """Approve or reject a run that waits for approval (``Conflict`` when it does not wait)."""
    return runs.decide_approval(store, run_id, approve=approve, actor=actor, reason=reason,
                                now=datetime.now(UTC))


def breakers(store: Store, policies: dict[str, BreakerPolicy] | None = None
             ) -> list[BreakerRecord]:
    """Every playbook's stored breaker; ``policies`` give when an open one may try again."""
    return runs.breakers(store, policies)


def reset_breaker(store: Store, playbook: str) -> None:
    """Close a playbook's breaker by hand (after fixing what made it fail)."""
    runs.reset_breaker(store, playbook, datetime.now(UTC))


def set_paused(store: Store, paused: bool, actor: str) -> None:
    """The kill switch: no playbook runs anywhere on this store while paused."""
    runs.set_paused(store, paused, actor, datetime.now(UTC))
