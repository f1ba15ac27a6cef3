"""``/api/v1/incidents``: list (filtered, paged), show (occurrences and audit trail), change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from knownfix.errors import InputError
from knownfix.services.incidents import list_incidents, show_incident, update_incident
from knownfix.services.tokens import Principal
from knownfix.web.auth import require_viewer, require_writer
from knownfix.web.problems import problem_responses
from knownfix.web.schemas import IncidentDetailOut, IncidentOut, IncidentPatch
from knownfix.web.state import service_of

router = APIRouter(tags=["incidents"])

IncidentId = Annotated[str, Path(max_length=32, description="A display id such as HIGH-004.")]
MAX_PAGE = 1000


@router.get(
    "/incidents",
    summary="Incidents, most recently seen first",
    response_model=list[IncidentOut],
    responses=problem_responses(400, 401, 503),
)
def get_incidents(
    request: Request,
    who: Annotated[Principal, Depends(require_viewer)],
    status: Annotated[str | None, Query(
        max_length=20, description="open, investigating, mitigated, resolved or unresolved",
    )] = None,
    severity: Annotated[str | None, Query(max_length=50)] = None,
    category: Annotated[str | None, Query(max_length=200)] = None,
    scope: Annotated[str | None, Query(max_length=200)] = None,
    q: Annotated[str | None, Query(max_length=500, description="Words of the id or title.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> JSONResponse:
    """The total before paging is in the `X-Total-Count` header."""
    found = list_incidents(service_of(request).store, status, scope=scope, severity=severity,
                           category=category, query=q)
    page = [incident.to_dict() for incident in found[offset:offset + limit]]
    return JSONResponse(page, headers={"X-Total-Count": str(len(found))})


@router.get(
    "/incidents/{incident_id}",
    summary="One incident with its occurrences and audit trail",
    response_model=IncidentDetailOut,
    responses=problem_responses(401, 404, 503),
)
def get_incident(
    request: Request, incident_id: IncidentId, who: Annotated[Principal, Depends(require_viewer)]
) -> JSONResponse:
    return JSONResponse(show_incident(service_of(request).store, incident_id).to_dict())


@router.patch(
    "/incidents/{incident_id}",
    summary="Change an incident's status or its known issue",
    response_model=IncidentOut,
    responses=problem_responses(400, 401, 403, 404, 422, 503),
)
async def patch_incident(
    request: Request,
    incident_id: IncidentId,
    change: IncidentPatch,
    who: Annotated[Principal, Depends(require_writer)],
) -> JSONResponse:
    """`{"status": "resolved", "note": "pinned the base image"}`; `{"known_issue": "KF-12"}`
    links a known issue (`"-"` unlinks). The audit trail names the token."""
    if change.status is None and change.known_issue is None:
        raise InputError("nothing to change: give status and/or known_issue")
    incident = await run_in_threadpool(
        update_incident, service_of(request).store, incident_id, status=change.status,
        note=change.note, known_issue=change.known_issue, actor=who.actor,
    )
    return JSONResponse(incident.to_dict())
