"""``/api/v1/known-issues``, ``/api/v1/search`` and ``POST /api/v1/triage``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse

from knownfix.services.analysis import process_triage_session
from knownfix.services.ingest import NewEvent, body_blocks
from knownfix.services.knowledge import list_issues, search, show_issue
from knownfix.services.tokens import Principal
from knownfix.web.api.events import (
    LOG_BODY,
    received_event,
)
from knownfix.web.auth import require_viewer, require_writer
from knownfix.web.problems import problem_responses
from knownfix.web.schemas import KnownIssueOut, SearchHitOut, TriageOut
from knownfix.web.state import WebService, service_of

router = APIRouter()

MAX_PAGE = 1000


@router.get(
    "/known-issues",
    tags=["knowledge"],
    summary="Known issues ordered by id",
    response_model=list[KnownIssueOut],
    responses=problem_responses(401, 503),
)
def get_known_issues(
    request: Request,
    who: Annotated[Principal, Depends(require_viewer)],
    include_retired: bool = False,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> JSONResponse:
    """The objects of `knownfix kb list --json`; the total is in `X-Total-Count`."""
    issues = list_issues(service_of(request).store, include_retired=include_retired)
    page = [issue.to_dict() for issue in issues[offset:offset + limit]]
    return JSONResponse(page, headers={"X-Total-Count": str(len(issues))})


@router.get(
    "/known-issues/{issue_id}",
    tags=["knowledge"],
    summary="One known issue",
    response_model=KnownIssueOut,
    responses=problem_responses(401, 404, 503),
)
def get_known_issue(
    request: Request,
    issue_id: Annotated[str, Path(max_length=200)],
    who: Annotated[Principal, Depends(require_viewer)],
) -> JSONResponse:
    return JSONResponse(show_issue(service_of(request).store, issue_id).to_dict())


@router.get(
    "/search",
    tags=["knowledge"],
    summary="Known issues ranked by relevance to a query",
    response_model=list[SearchHitOut],
    responses=problem_responses(400, 401, 503),
)
def get_search(
    request: Request,
    who: Annotated[Principal, Depends(require_viewer)],
    q: Annotated[str, Query(min_length=1, max_length=2000)],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> JSONResponse:
    hits = search(service_of(request).store, q, limit=limit)
    return JSONResponse([hit.to_dict() for hit in hits])


@router.post(
    "/triage",
    tags=["triage"],
    summary="Triage a log now and answer its triage",
    response_model=TriageOut,
    responses=problem_responses(400, 401, 403, 413, 415, 422, 503),
    openapi_extra=LOG_BODY,
)
async def post_triage(
    request: Request,
    who: Annotated[Principal, Depends(require_writer)],
    record: Annotated[bool, Query(description="Record the incident (false: read-only).")] = True,
) -> JSONResponse:
    """Like `knownfix triage --json` on the server: the same bodies as `POST /api/v1/events`,
    analysed in the request. With `record`, an `Idempotency-Key` makes retries count once."""
    service = service_of(request)
    result = await received_event(
        request, service, lambda event: _triage(service, event, record))
    return JSONResponse(result)


def _triage(service: WebService, event: NewEvent, record: bool) -> dict[str, object]:
    session = process_triage_session(service.store, service.settings)
    key = f"triage:{event.idempotency_key}" if event.idempotency_key else None
    result = session.triage(event.source, body_blocks(event.body), record=record,
                            hints=event.hints, idempotency_key=key, scope=event.scope)
    return result.to_dict()
