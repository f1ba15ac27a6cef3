"""``/api/v1/healing`` and ``/api/v1/playbook-runs``: where self-healing stands, the audit of
playbook runs, and the approval of runs that wait for a writer.

Approving only approves: the service's healing scheduler starts the run at its next pass (a
request does not wait for a restart to finish). Rejecting closes the run; nothing runs.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from knownfix.core.healing.records import RUN_STATUSES, PlaybookRun
from knownfix.services import playbook_runs as runs
from knownfix.services.healing_status import healing_status
from knownfix.services.tokens import Principal
from knownfix.web.auth import require_viewer, require_writer
from knownfix.web.problems import problem_responses
from knownfix.web.state import service_of

router = APIRouter(tags=["healing"])

RunId = Annotated[int, Path(ge=1, le=2**31 - 1, description="A playbook run's number.")]
MAX_RUNS = 500


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class StepOut(_Open):
    index: int = Field(description="1-based; 0 is the verification.")
    kind: str
    description: str
    ok: bool
    attempts: int
    duration_s: float
    exit_code: int | None
    status: int | None
    timed_out: bool
    error: str | None
    output: str = Field(description="The tail of the output, redacted.")


class PlaybookRunOut(_Open):
    id: int
    playbook: str
    status: str = Field(description=", ".join(RUN_STATUSES))
    trigger: str = Field(description="manual, check, service or approval")
    actor: str = Field(description="Who or what started it.")
    target: str
    incident_id: str | None
    reason: str
    created_at: str
    started_at: str | None
    finished_at: str | None
    steps: list[StepOut]
    verify: StepOut | None
    approved_by: str | None
    approved_at: str | None
    episode_started_at: str | None
    trial: bool
    plan: dict[str, Any] = Field(description="What the run does (secrets masked).")


class HealingOut(_Open):
    since: str
    mode: str = Field(description="KNOWNFIX_HEALING: on, manual or off")
    paused_by: str | None
    checks_file: str | None
    checks_error: str | None
    kpis: dict[str, Any]
    breakers: list[dict[str, Any]]
    detectors: list[dict[str, Any]]
    awaiting_approval: list[PlaybookRunOut]
    recent_runs: list[PlaybookRunOut]


class RejectIn(BaseModel):
    reason: str | None = Field(None, max_length=2000, description="Why, for the audit.")


@router.get("/healing", summary="Self-healing: KPIs of the last 30 days, breakers, detectors, "
            "runs awaiting approval", response_model=HealingOut,
            responses=problem_responses(401, 500, 503))
def get_healing(request: Request, who: Annotated[Principal, Depends(require_viewer)]
                ) -> JSONResponse:
    service = service_of(request)
    return JSONResponse(healing_status(service.store, service.settings).to_dict())


@router.get("/playbook-runs", summary="Playbook runs, newest first (the audit of healing)",
            response_model=list[PlaybookRunOut], responses=problem_responses(400, 401, 503))
def get_runs(
    request: Request,
    who: Annotated[Principal, Depends(require_viewer)],
    status: Annotated[str | None, Query(max_length=20, description=", ".join(RUN_STATUSES))]
    = None,
    incident: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_RUNS)] = 100,
) -> JSONResponse:
    found = runs.list_runs(service_of(request).store, status=status, incident_id=incident,
                           limit=limit)
    return JSONResponse([run.to_dict() for run in found])


@router.get("/playbook-runs/{run_id}", summary="One playbook run: its plan, steps and outcome",
            response_model=PlaybookRunOut, responses=problem_responses(401, 404, 503))
def get_run(request: Request, run_id: RunId,
            who: Annotated[Principal, Depends(require_viewer)]) -> JSONResponse:
    return JSONResponse(runs.get_run(service_of(request).store, run_id).to_dict())


@router.post("/playbook-runs/{run_id}/approve", summary="Approve a run that waits for approval",
             response_model=PlaybookRunOut, responses=problem_responses(401, 403, 404, 409, 503))
async def approve_run(request: Request, run_id: RunId,
                      who: Annotated[Principal, Depends(require_writer)]) -> JSONResponse:
    """The run becomes `approved`; the service starts it on the plan that was approved (a
    playbook changed since is refused). `409` when the run is not waiting."""
    run = await run_in_threadpool(_decide, request, run_id, who, True, "")
    return JSONResponse(run.to_dict())


@router.post("/playbook-runs/{run_id}/reject", summary="Reject a run that waits for approval",
             response_model=PlaybookRunOut, responses=problem_responses(401, 403, 404, 409, 503))
async def reject_run(request: Request, run_id: RunId,
                     who: Annotated[Principal, Depends(require_writer)],
                     body: Annotated[RejectIn | None, Body()] = None) -> JSONResponse:
    """Nothing runs; the reason goes to the audit."""
    reason = (body.reason or "").strip() if body else ""
    run = await run_in_threadpool(_decide, request, run_id, who, False, reason)
    return JSONResponse(run.to_dict())


def _decide(request: Request, run_id: int, who: Principal, approve: bool, reason: str
            ) -> PlaybookRun:
    return runs.decide(service_of(request).store, run_id, approve=approve, actor=who.actor,
                       reason=reason)
