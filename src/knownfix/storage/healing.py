"""Playbook runs, breakers, leases and the kill switch in the store (rows of ``healing_tables``).

Admitting a run is one write transaction: the playbook's breaker row is created if missing and
locked (``FOR UPDATE`` on PostgreSQL; SQLite has one writer), the breaker is asked
(:func:`knownfix.core.healing.breaker.admit`), the runs already in the rate-limit windows are
counted, and the lease of what the run heals is taken — an ``INSERT … ON CONFLICT DO NOTHING``
on its key, or the take-over of an expired lease by a conditional ``UPDATE``. Only then is the
run written as running. Any refusal is written as a refused run: every attempt is audited.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select, text, update
from sqlalchemy.engine import Connection

from knownfix.core.healing import breaker as cb
from knownfix.core.healing import ratelimit
from knownfix.core.healing.config import BreakerPolicy, Rate
from knownfix.core.healing.records import (
    ABANDONED,
    APPROVED,
    AWAITING_APPROVAL,
    EXECUTED,
    REFUSED,
    RUNNING,
    PlaybookRun,
    StepOutcome,
)
from knownfix.errors import Conflict
from knownfix.storage.healing_reads import (
    PAUSED_FLAG,
    breaker_state,
    breakers,
    count_runs,
    detections,
    get_run,
    healing_paused,
    list_runs,
    run_by_id,
)
from knownfix.storage.healing_tables import (
    healing_flags,
    healing_leases,
    playbook_breakers,
    playbook_runs,
)
from knownfix.storage.incident_rows import add_event, incident_pk, upsert

if TYPE_CHECKING:
    from knownfix.storage.repository import Store


@dataclass(frozen=True, slots=True)
class RunRequest:
    """A run about to be admitted (or parked for approval)."""

    playbook: str
    trigger: str
    actor: str
    target: str
    lease_key: str
    lease_for: timedelta
    plan: dict[str, Any]
    plan_digest: str
    breaker: BreakerPolicy
    rate: Rate | None = None
    rate_per_target: Rate | None = None
    incident_id: str | None = None
    episode_started_at: datetime | None = None
    run_id: int | None = None  # an approved run being started


# --- admitting and finishing ----------------------------------------------------------------


def admit_run(store: Store, request: RunRequest, now: datetime, *,
              quiet_repeats: bool = False) -> PlaybookRun:
    """Write the run as running if every guardrail lets it through, else as refused.

    ``quiet_repeats`` (automatic runs) leaves a refusal unwritten when the last run of the
    playbook for the same incident was refused for the same reason: a service checking every
    30 s while a breaker is open would otherwise write a row per check. The refusal is returned
    all the same, with id 0.
    """
    with store.write() as conn:
        state = _locked_breaker(conn, request.playbook, now)
        admission = cb.admit(state, request.breaker, now)
        reason = admission.reason
        if admission.allowed:
            if conn.dialect.name == "postgresql":
                # The breaker row orders runs of one playbook; this orders runs of every
                # playbook on one target, so the per-target count below is exact.
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                             {"key": "knownfix-target:" + request.target})
            reason = _rate_refusal(conn, request, now)
        if not reason:
            holder = _lease_holder(conn, request.lease_key, now)
            if holder is not None:
                reason = _busy(holder, request.target)
        if reason and quiet_repeats and _repeated(conn, request, reason):
            return PlaybookRun(id=0, playbook=request.playbook, status=REFUSED,
                               trigger=request.trigger, actor=request.actor,
                               target=request.target, created_at=now, finished_at=now,
                               incident_id=request.incident_id, reason=reason)
        run_id = _write_run(conn, request, now, RUNNING if not reason else REFUSED, reason,
                            trial=admission.trial and not reason)
        if not reason:
            holder = _take_lease(conn, request, run_id, now)
            if holder is not None:  # taken by a writer that committed after our look
                reason = _busy(holder, request.target)
                _update_run(conn, run_id, status=REFUSED, reason=reason, finished_at=now,
                            started_at=None, trial=0)
        if not reason:
            _store_breaker(conn, request.playbook, admission.state, now)
        return run_by_id(conn, run_id)


def _busy(holder: int, target: str) -> str:
    return f"run {holder} is already healing {target}; one run at a time"


def _refusal_kind(reason: str) -> str:
    """What a refusal is about, for spotting repeats: its first clause, numbers masked."""
    return re.sub(r"\d+", "#", reason.split(";")[0].split(":")[0])[:80]


def _repeated(conn: Connection, request: RunRequest, reason: str) -> bool:
    last = conn.execute(
        select(playbook_runs.c.status, playbook_runs.c.reason)
        .where(playbook_runs.c.playbook == request.playbook,
               playbook_runs.c.incident_id == request.incident_id
               if request.incident_id else playbook_runs.c.target == request.target)
        .order_by(playbook_runs.c.id.desc()).limit(1)
    ).first()
    return (last is not None and last.status == REFUSED
            and _refusal_kind(last.reason or "") == _refusal_kind(reason))


def _lease_holder(conn: Connection, key: str, now: datetime) -> int | None:
    """The run holding ``key``'s lease now (an expired lease holds nothing)."""
    holder = conn.execute(
        select(healing_leases.c.run_id)
        .where(healing_leases.c.key == key, healing_leases.c.expires_at > now)
    ).scalar()
    return int(holder) if holder is not None else None


def park_for_approval(store: Store, request: RunRequest, now: datetime) -> PlaybookRun:
    """Write a run that waits for a writer's approval; nothing runs yet."""
    with store.write() as conn:
        return run_by_id(conn, _write_run(conn, request, now, AWAITING_APPROVAL, "", False))


def record_progress(store: Store, run_id: int, steps: Sequence[StepOutcome]) -> None:
    """Save the steps done so far, so a watcher sees a run's progress."""
    with store.write() as conn:
        _update_run(conn, run_id, steps=[s.to_dict() for s in steps])


def finish_run(
    store: Store,
    run_id: int,
    *,
    succeeded: bool,
    reason: str,
    steps: Sequence[StepOutcome],
    verify: StepOutcome | None,
    policy: BreakerPolicy,
    now: datetime,
    counts: bool = True,
) -> tuple[PlaybookRun, cb.Transition]:
    """Record a run's outcome, move its playbook's breaker, and release its lease.

    ``counts`` False (a run stopped by the kill switch) leaves the breaker's count alone: the
    playbook did not fail.
    """
    with store.write() as conn:
        run = run_by_id(conn, run_id)
        _update_run(conn, run_id, status="succeeded" if succeeded else "failed", reason=reason,
                    finished_at=now, steps=[s.to_dict() for s in steps],
                    verify=verify.to_dict() if verify else None)
        state = _locked_breaker(conn, run.playbook, now)
        if counts:
            transition = cb.record(state, policy, succeeded, now)
        else:
            transition = cb.Transition(replace(state, trial_started_at=None))
        _store_breaker(conn, run.playbook, transition.state, now)
        conn.execute(delete(healing_leases).where(healing_leases.c.run_id == run_id))
        return run_by_id(conn, run_id), transition


def decide_approval(store: Store, run_id: int, *, approve: bool, actor: str, reason: str,
                    now: datetime) -> PlaybookRun:
    """Approve or reject a waiting run (only a waiting one: Conflict otherwise)."""
    values: dict[str, Any] = {"approved_by": actor, "approved_at": now}
    if approve:
        values["status"] = "approved"
    else:
        values.update(status="rejected", reason=reason or f"rejected by {actor}",
                      finished_at=now)
    with store.write() as conn:
        done = conn.execute(
            update(playbook_runs)
            .where(playbook_runs.c.id == run_id, playbook_runs.c.status == AWAITING_APPROVAL)
            .values(**values)
        ).rowcount
        run = run_by_id(conn, run_id)
        if not done:
            raise Conflict(f"run {run_id} is {run.status.replace('_', ' ')}, not awaiting "
                           "approval")
        return run


def abandon_run(store: Store, run_id: int, reason: str, now: datetime) -> PlaybookRun:
    """Close a run that cannot go on (its approval went stale, its plan changed)."""
    with store.write() as conn:
        _update_run(conn, run_id, status=REFUSED, reason=reason, finished_at=now)
        conn.execute(delete(healing_leases).where(healing_leases.c.run_id == run_id))
        return run_by_id(conn, run_id)


def reset_breaker(store: Store, playbook: str, now: datetime) -> None:
    """Close a playbook's breaker by hand."""
    with store.write() as conn:
        _store_breaker(conn, playbook, cb.reset(), now)


# --- the kill switch and incident notes ------------------------------------------------------


def set_paused(store: Store, paused: bool, actor: str, now: datetime) -> None:
    with store.write() as conn:
        conn.execute(
            upsert(conn, healing_flags)
            .values(name=PAUSED_FLAG, value="true" if paused else "false", actor=actor,
                    updated_at=now)
            .on_conflict_do_update(index_elements=["name"],
                                   set_={"value": "true" if paused else "false",
                                         "actor": actor, "updated_at": now})
        )


def note_incident(store: Store, display_id: str, actor: str, action: str,
                  detail: dict[str, Any], now: datetime) -> None:
    """Append one entry to an incident's audit trail (healing's own entries)."""
    with store.write() as conn:
        add_event(conn, incident_pk(conn, display_id), now, actor, action, detail)


# --- rows ------------------------------------------------------------------------------------


def _locked_breaker(conn: Connection, playbook: str, now: datetime) -> cb.BreakerState:
    conn.execute(
        upsert(conn, playbook_breakers)
        .values(playbook=playbook, state=cb.CLOSED, failures=0, updated_at=now)
        .on_conflict_do_nothing(index_elements=["playbook"])
    )
    row = conn.execute(
        select(playbook_breakers).where(playbook_breakers.c.playbook == playbook)
        .with_for_update()
    ).mappings().one()
    return breaker_state(row)


def _store_breaker(conn: Connection, playbook: str, state: cb.BreakerState,
                   now: datetime) -> None:
    conn.execute(
        upsert(conn, playbook_breakers)
        .values(playbook=playbook, state=state.state, failures=state.failures,
                opened_at=state.opened_at, trial_started_at=state.trial_started_at,
                updated_at=now)
        .on_conflict_do_update(
            index_elements=["playbook"],
            set_={"state": state.state, "failures": state.failures,
                  "opened_at": state.opened_at, "trial_started_at": state.trial_started_at,
                  "updated_at": now},
        )
    )


def _rate_refusal(conn: Connection, request: RunRequest, now: datetime) -> str:
    checks = ((request.rate, playbook_runs.c.playbook == request.playbook, "this playbook"),
              (request.rate_per_target, playbook_runs.c.target == request.target,
               request.target))
    for rate, condition, what in checks:
        if rate is None:
            continue
        started = conn.execute(
            select(playbook_runs.c.started_at).where(
                condition, playbook_runs.c.status.in_(EXECUTED),
                playbook_runs.c.started_at > now - rate.per,
            )
        ).scalars()
        verdict = ratelimit.check(rate, [t for t in started if t is not None], now)
        if not verdict.allowed:
            when = f"{verdict.retry_at:%Y-%m-%d %H:%M:%S} UTC" if verdict.retry_at else "later"
            return f"rate limit: {rate} for {what} reached; next run allowed from {when}"
    return ""


def _take_lease(conn: Connection, request: RunRequest, run_id: int, now: datetime
                ) -> int | None:
    """Take the lease of ``request.lease_key`` for ``run_id``; the holder's run id if busy."""
    expires = now + request.lease_for
    taken = conn.execute(
        upsert(conn, healing_leases)
        .values(key=request.lease_key, run_id=run_id, holder=request.actor, expires_at=expires)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(healing_leases.c.key)
    ).scalar()
    if taken is not None:
        return None
    stale = conn.execute(
        select(healing_leases.c.run_id)
        .where(healing_leases.c.key == request.lease_key, healing_leases.c.expires_at <= now)
    ).scalar()
    if stale is not None:
        claimed = conn.execute(
            update(healing_leases)
            .where(healing_leases.c.key == request.lease_key,
                   healing_leases.c.expires_at <= now)
            .values(run_id=run_id, holder=request.actor, expires_at=expires)
        ).rowcount
        if claimed:
            conn.execute(
                update(playbook_runs)
                .where(playbook_runs.c.id == stale, playbook_runs.c.status == RUNNING)
                .values(status=ABANDONED, finished_at=now,
                        reason="its lease expired: the process running it stopped")
            )
            return None
    holder = conn.execute(
        select(healing_leases.c.run_id).where(healing_leases.c.key == request.lease_key)
    ).scalar()
    return int(holder) if holder is not None else -1


def _write_run(conn: Connection, request: RunRequest, now: datetime, status: str,
               reason: str, trial: bool) -> int:
    started = now if status == RUNNING else None
    finished = now if status == REFUSED else None
    if request.run_id is not None:
        claimed = conn.execute(
            update(playbook_runs)
            .where(playbook_runs.c.id == request.run_id, playbook_runs.c.status == APPROVED)
            .values(status=status, reason=reason, started_at=started, finished_at=finished,
                    trial=int(trial))
        ).rowcount
        if not claimed:  # another process started this approved run first
            raise Conflict(f"run {request.run_id} is no longer waiting to start")
        return request.run_id
    return int(conn.execute(
        playbook_runs.insert()
        .values(playbook=request.playbook, status=status, trigger=request.trigger,
                actor=request.actor, target=request.target, incident_id=request.incident_id,
                reason=reason, created_at=now, started_at=started, finished_at=finished,
                episode_started_at=request.episode_started_at, trial=int(trial),
                plan=request.plan, plan_digest=request.plan_digest, steps=[], verify=None)
        .returning(playbook_runs.c.id)
    ).scalar_one())


def _update_run(conn: Connection, run_id: int, **values: Any) -> None:
    conn.execute(update(playbook_runs).where(playbook_runs.c.id == run_id).values(**values))


# Reads live in healing_reads; callers use this module as the one door to healing's rows.
__all__ = [
    "PAUSED_FLAG", "RunRequest", "abandon_run", "admit_run", "breakers", "count_runs",
    "decide_approval", "detections", "finish_run", "get_run", "healing_paused", "list_runs",
    "note_incident", "park_for_approval", "record_progress", "reset_breaker", "set_paused",
]
