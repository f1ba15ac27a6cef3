"""Detector states and drift baselines in the store (rows of ``detector_states`` and
``check_baselines``), one set per scope.

A detector's state says whether it passed last time, since when it fails and when it last
passed; :func:`record_result` returns the state before, so the caller sees a transition from
passing to failing (a new detection) and can write it to the incident's audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from knownfix.storage.healing_tables import check_baselines, detector_schedule, detector_states
from knownfix.storage.incident_rows import upsert

if TYPE_CHECKING:
    from knownfix.storage.repository import Store


@dataclass(frozen=True, slots=True)
class DetectorState:
    name: str
    kind: str
    ok: bool
    message: str
    last_run_at: datetime
    last_ok_at: datetime | None = None
    failing_since: datetime | None = None
    incident_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {"name": self.name, "kind": self.kind, "ok": self.ok, "message": self.message,
                "last_run_at": iso(self.last_run_at), "last_ok_at": iso(self.last_ok_at),
                "failing_since": iso(self.failing_since), "incident_id": self.incident_id}


@dataclass(frozen=True, slots=True)
class Baseline:
    detector: str
    metric: str
    value: float
    accepted_at: datetime
    accepted_by: str
    report: str


def record_result(
    store: Store, scope: str, name: str, kind: str, *, ok: bool, message: str, now: datetime,
    incident_id: str | None = None,
) -> DetectorState | None:
    """Store a detector's latest result; returns its state before (None the first time)."""
    with store.write() as conn:
        row = conn.execute(
            select(detector_states).where(detector_states.c.scope == scope,
                                          detector_states.c.name == name).with_for_update()
        ).mappings().first()
        before = _state(row) if row is not None else None
        failing_since = None
        if not ok:
            failing_since = before.failing_since if before and not before.ok else now
        values = {
            "kind": kind, "ok": int(ok), "message": message, "last_run_at": now,
            "last_ok_at": now if ok else (before.last_ok_at if before else None),
            "failing_since": failing_since,
            "incident_id": incident_id if not ok else None,
        }
        conn.execute(
            upsert(conn, detector_states).values(scope=scope, name=name, **values)
            .on_conflict_do_update(index_elements=["scope", "name"], set_=values)
        )
        return before


def detector_states_of(store: Store, scope: str) -> list[DetectorState]:
    with store.read() as conn:
        rows = conn.execute(
            select(detector_states).where(detector_states.c.scope == scope)
            .order_by(detector_states.c.name)
        ).mappings()
        return [_state(row) for row in rows]


def get_baseline(store: Store, scope: str, detector: str) -> Baseline | None:
    with store.read() as conn:
        row = conn.execute(
            select(check_baselines).where(check_baselines.c.scope == scope,
                                          check_baselines.c.detector == detector)
        ).mappings().first()
    if row is None:
        return None
    return Baseline(row["detector"], row["metric"], float(row["value"]), row["accepted_at"],
                    row["accepted_by"], row["report"])


def set_baseline(store: Store, scope: str, baseline: Baseline) -> None:
    values = {"metric": baseline.metric, "value": baseline.value,
              "accepted_at": baseline.accepted_at, "accepted_by": baseline.accepted_by,
              "report": baseline.report}
    with store.write() as conn:
        conn.execute(
            upsert(conn, check_baselines)
            .values(scope=scope, detector=baseline.detector, **values)
            .on_conflict_do_update(index_elements=["scope", "detector"], set_=values)
        )


def claim_turn(store: Store, scope: str, name: str, *, every: timedelta, now: datetime,
               holder: str) -> bool:
    """Claim a detector's turn: True for exactly one caller per ``every`` across processes
    (the first claim inserts the row; later ones move it forward only once it is old enough)."""
    with store.write() as conn:
        inserted = conn.execute(
            upsert(conn, detector_schedule)
            .values(scope=scope, name=name, claimed_at=now, holder=holder)
            .on_conflict_do_nothing(index_elements=["scope", "name"])
            .returning(detector_schedule.c.name)
        ).scalar()
        if inserted is not None:
            return True
        moved = conn.execute(
            update(detector_schedule)
            .where(detector_schedule.c.scope == scope, detector_schedule.c.name == name,
                   detector_schedule.c.claimed_at <= now - every)
            .values(claimed_at=now, holder=holder)
        ).rowcount
        return bool(moved)


def _state(row: Any) -> DetectorState:
    return DetectorState(
        name=row["name"], kind=row["kind"], ok=bool(row["ok"]), message=row["message"],
        last_run_at=row["last_run_at"], last_ok_at=row["last_ok_at"],
        failing_since=row["failing_since"], incident_id=row["incident_id"],
    )
