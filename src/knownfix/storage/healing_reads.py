"""Reading playbook runs, breakers, detections and the kill switch from the store.

The writes (admitting, finishing, approving runs; breakers and leases) are in
:mod:`knownfix.storage.healing`, which also re-exports these reads.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, RowMapping

from knownfix.core.healing import breaker as cb
from knownfix.core.healing.config import BreakerPolicy
from knownfix.core.healing.records import BreakerRecord, Detection, PlaybookRun, StepOutcome
from knownfix.errors import NotFound
from knownfix.storage.healing_tables import healing_flags, playbook_breakers, playbook_runs
from knownfix.storage.incident_tables import incident_events, incidents

if TYPE_CHECKING:
    from knownfix.storage.repository import Store

PAUSED_FLAG = "paused"


def get_run(store: Store, run_id: int) -> PlaybookRun:
    with store.read() as conn:
        return run_by_id(conn, run_id)


def list_runs(
    store: Store,
    *,
    status: str | None = None,
    playbook: str | None = None,
    incident_id: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
) -> list[PlaybookRun]:
    """Runs, newest first."""
    statement = select(playbook_runs).order_by(playbook_runs.c.id.desc())
    if status is not None:
        statement = statement.where(playbook_runs.c.status == status)
    if playbook is not None:
        statement = statement.where(playbook_runs.c.playbook == playbook)
    if incident_id is not None:
        statement = statement.where(playbook_runs.c.incident_id == incident_id.strip().upper())
    if since is not None:
        statement = statement.where(playbook_runs.c.created_at >= since)
    if limit is not None:
        statement = statement.limit(limit)
    with store.read() as conn:
        return [run_from_row(row) for row in conn.execute(statement).mappings()]


def breakers(store: Store, policies: dict[str, BreakerPolicy] | None = None
             ) -> list[BreakerRecord]:
    """Every stored breaker, by playbook name; ``policies`` give their re-open times."""
    policies = policies or {}
    with store.read() as conn:
        rows = conn.execute(select(playbook_breakers).order_by(playbook_breakers.c.playbook))
        out = []
        for row in rows.mappings():
            state = breaker_state(row)
            policy = policies.get(row["playbook"])
            out.append(BreakerRecord(
                playbook=row["playbook"], state=state.state, failures=state.failures,
                opened_at=state.opened_at, trial_started_at=state.trial_started_at,
                updated_at=row["updated_at"],
                reopens_at=state.reopens_at(policy) if policy else None,
            ))
        return out


def detections(store: Store, since: datetime | None = None) -> list[Detection]:
    """Every "detected" entry of the incidents' audit trails (oldest first)."""
    statement = (
        select(incident_events.c.at, incident_events.c.detail, incidents.c.display_id)
        .select_from(incident_events.join(incidents,
                                          incident_events.c.incident_id == incidents.c.id))
        .where(incident_events.c.action == "detected")
        .order_by(incident_events.c.id)
    )
    if since is not None:
        statement = statement.where(incident_events.c.at >= since)
    out = []
    with store.read() as conn:
        for row in conn.execute(statement).mappings():
            detail = dict(row["detail"] or {})
            last_ok = detail.get("last_ok_at")
            out.append(Detection(
                incident_id=row["display_id"], detector=str(detail.get("detector") or ""),
                detected_at=row["at"],
                last_ok_at=datetime.fromisoformat(last_ok) if last_ok else None,
            ))
    return out


def healing_paused(store: Store) -> tuple[bool, str | None]:
    """Whether a person paused healing in the store, and who."""
    with store.read() as conn:
        row = conn.execute(
            select(healing_flags).where(healing_flags.c.name == PAUSED_FLAG)
        ).mappings().first()
    if row is None or row["value"] != "true":
        return False, None
    return True, f"{row['actor']} at {row['updated_at']:%Y-%m-%d %H:%M} UTC"


def breaker_state(row: RowMapping) -> cb.BreakerState:
    return cb.BreakerState(state=row["state"], failures=int(row["failures"]),
                           opened_at=row["opened_at"], trial_started_at=row["trial_started_at"])


def run_by_id(conn: Connection, run_id: int) -> PlaybookRun:
    row = conn.execute(
        select(playbook_runs).where(playbook_runs.c.id == run_id)
    ).mappings().first()
    if row is None:
        raise NotFound(f"no playbook run {run_id}")
    return run_from_row(row)


def run_from_row(row: RowMapping) -> PlaybookRun:
    verify = row["verify"]
    return PlaybookRun(
        id=int(row["id"]), playbook=row["playbook"], status=row["status"],
        trigger=row["trigger"], actor=row["actor"], target=row["target"],
        created_at=row["created_at"], incident_id=row["incident_id"], reason=row["reason"] or "",
        started_at=row["started_at"], finished_at=row["finished_at"],
        steps=tuple(StepOutcome.from_dict(s) for s in row["steps"] or []),
        verify=StepOutcome.from_dict(verify) if verify else None,
        approved_by=row["approved_by"], approved_at=row["approved_at"],
        episode_started_at=row["episode_started_at"], plan=dict(row["plan"] or {}),
        plan_digest=row["plan_digest"] or "", trial=bool(row["trial"]),
    )


def count_runs(store: Store) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(playbook_runs)).scalar_one())
