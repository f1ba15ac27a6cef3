"""Records of self-healing: a playbook run and its steps, a breaker's state, a detector's state.

Field names are what ``--json`` prints and the API returns; extend, never rename.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

AWAITING_APPROVAL = "awaiting_approval"
APPROVED = "approved"
RUNNING = "running"
SUCCEEDED = "succeeded"
FAILED = "failed"
REFUSED = "refused"
REJECTED = "rejected"
ABANDONED = "abandoned"
RUN_STATUSES = (AWAITING_APPROVAL, APPROVED, RUNNING, SUCCEEDED, FAILED, REFUSED, REJECTED,
                ABANDONED)
EXECUTED = (RUNNING, SUCCEEDED, FAILED, ABANDONED)
"""Statuses of runs whose steps started: what rate limits count."""
FINISHED = (SUCCEEDED, FAILED, REFUSED, REJECTED, ABANDONED)

TRIGGERS = ("manual", "check", "service", "approval")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """What one step (or the verification) did; ``output`` is redacted and shortened."""

    index: int  # 1-based; 0 is the verification
    kind: str  # run | http
    description: str
    ok: bool
    attempts: int
    duration_s: float
    exit_code: int | None = None  # run
    status: int | None = None  # http
    timed_out: bool = False
    error: str | None = None
    output: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index, "kind": self.kind, "description": self.description,
            "ok": self.ok, "attempts": self.attempts, "duration_s": round(self.duration_s, 3),
            "exit_code": self.exit_code, "status": self.status, "timed_out": self.timed_out,
            "error": self.error, "output": self.output,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StepOutcome:
        return cls(
            index=int(data["index"]), kind=str(data["kind"]),
            description=str(data.get("description") or ""), ok=bool(data["ok"]),
            attempts=int(data.get("attempts") or 0),
            duration_s=float(data.get("duration_s") or 0.0),
            exit_code=data.get("exit_code"), status=data.get("status"),
            timed_out=bool(data.get("timed_out")), error=data.get("error"),
            output=str(data.get("output") or ""),
        )


@dataclass(frozen=True, slots=True)
class PlaybookRun:
    """One run of a playbook, from request to outcome: the audit record."""

    id: int
    playbook: str
    status: str
    trigger: str  # manual | check | service | approval
    actor: str  # who or what started it
    target: str
    created_at: datetime
    incident_id: str | None = None
    reason: str = ""  # why refused, failed or rejected
    started_at: datetime | None = None
    finished_at: datetime | None = None
    steps: tuple[StepOutcome, ...] = ()
    verify: StepOutcome | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    episode_started_at: datetime | None = None  # when the failure it answers was detected
    plan: dict[str, Any] = field(default_factory=dict)
    plan_digest: str = ""
    trial: bool = False  # the half-open breaker's trial run

    @property
    def healed(self) -> bool:
        return self.status == SUCCEEDED

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "playbook": self.playbook, "status": self.status,
            "trigger": self.trigger, "actor": self.actor, "target": self.target,
            "incident_id": self.incident_id, "reason": self.reason,
            "created_at": _iso(self.created_at), "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
            "steps": [s.to_dict() for s in self.steps],
            "verify": self.verify.to_dict() if self.verify else None,
            "approved_by": self.approved_by, "approved_at": _iso(self.approved_at),
            "episode_started_at": _iso(self.episode_started_at),
            "trial": self.trial, "plan": self.plan,
        }


@dataclass(frozen=True, slots=True)
class BreakerRecord:
    """A playbook's circuit breaker as stored."""

    playbook: str
    state: str
    failures: int
    opened_at: datetime | None = None
    trial_started_at: datetime | None = None
    updated_at: datetime | None = None
    reopens_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "playbook": self.playbook, "state": self.state, "failures": self.failures,
            "opened_at": _iso(self.opened_at), "reopens_at": _iso(self.reopens_at),
            "trial_started_at": _iso(self.trial_started_at), "updated_at": _iso(self.updated_at),
        }


@dataclass(frozen=True, slots=True)
class Detection:
    """A detector's move from passing to failing: the failure was seen at ``detected_at`` and
    was not there at ``last_ok_at`` (None when the detector never passed before)."""

    incident_id: str
    detector: str
    detected_at: datetime
    last_ok_at: datetime | None

    @property
    def delay_s(self) -> float | None:
        """The longest the failure can have gone unseen (seconds)."""
        if self.last_ok_at is None:
            return None
        return max(0.0, (self.detected_at - self.last_ok_at).total_seconds())
