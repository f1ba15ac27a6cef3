"""``POST /api/v1/events`` (ingest) and ``GET /api/v1/events/{id}`` (its status and result),
and the body reading that ``POST /api/v1/triage`` shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from knownfix.observability.metrics import metrics
from knownfix.services.ingest import (
    Accepted,
    NewEvent,
    accept_events,
    event_view,
    prepare_event,
    structured_text,
)
from knownfix.services.tokens import Principal
from knownfix.web.auth import WRITER_SECURITY, require_viewer, writer_of
from knownfix.web.batcher import GroupRunner
from knownfix.web.body import decode_body, media_kind, read_raw
from knownfix.web.problems import problem_responses
from knownfix.web.schemas import AcceptedOut, EventIn, EventOut
from knownfix.web.state import WebService, service_of

router = APIRouter(tags=["events"])
T = TypeVar("T")

# The event's headers, read from the request by ``received_event`` rather than declared as
# FastAPI ``Header`` parameters: solving four header parameters on every post cost ~10% of the
# API's CPU per accepted event. Documented in the OpenAPI through ``LOG_BODY``, checked alike
# (too long: 422).
EVENT_HEADERS = (  # (header, most characters, description)
    ("X-Knownfix-Source", 1000,
     "Where the log comes from (a job, a file); JSON events carry `source` instead."),
    ("X-Knownfix-Scope", 200,
     "Keeps this project's incidents apart from other projects' (default: shared)."),
    ("X-Knownfix-Tags", 4000,
     "Facts policy rules can test, `key=value, key2=value2` (JSON events: `tags`)."),
    ("Idempotency-Key", 200, "Posts with one key make one event (retries are safe)."),
)

LOG_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "text/plain": {"schema": {"type": "string"}},
            "application/xml": {"schema": {"type": "string"},
                                "example": "<testsuite><testcase name='t'>"
                                           "<failure message='boom'/></testcase></testsuite>"},
            "application/json": {"schema": {"$ref": "#/components/schemas/EventIn"}},
        },
    },
    "parameters": [
        {"name": name, "in": "header", "required": False, "description": description,
         "schema": {"type": "string", "maxLength": most}}
        for name, most, description in EVENT_HEADERS
    ],
}


def event_headers(request: Request) -> list[str | None]:
    """The values of :data:`EVENT_HEADERS` (None where absent); 422 for one too long."""
    values = [request.headers.get(name) for name, _, _ in EVENT_HEADERS]
    errors = [
        {"type": "string_too_long", "loc": ("header", name),
         "msg": f"String should have at most {most} characters", "input": value,
         "ctx": {"max_length": most}}
        for (name, most, _), value in zip(EVENT_HEADERS, values, strict=True)
        if value is not None and len(value) > most
    ]
    if errors:
        raise RequestValidationError(errors)
    return values


async def received_event(
    request: Request, service: WebService, then: Callable[[NewEvent], T]) -> T:
    """Read the posted event (any of the three media types) and its headers, then — in one
    worker thread, as checking and storing it is blocking work — prepare it and pass it to
    ``then``."""
    prepare = await received(request, service)
    return await run_in_threadpool(lambda: then(prepare()))


async def received(request: Request, service: WebService) -> Callable[[], NewEvent]:
    """Read the posted event's body and headers; what prepares the event from them (blocking
    work: inflating and checking the body)."""
    source, scope, tags, idempotency_key = event_headers(request)
    kind = media_kind(request.headers.get("content-type"))
    limit = service.settings.max_body_bytes
    raw, gzipped = await read_raw(request, limit)
    tag_list = [t.strip() for t in tags.split(",") if t.strip()] if tags else None
    return lambda: _prepare(kind, raw, gzipped, limit, source, scope, idempotency_key, tag_list)


def _prepare(
    kind: str, raw: bytes, gzipped: bool, limit: int, source: str | None, scope: str | None,
    idempotency_key: str | None, tags: list[str] | None,
) -> NewEvent:
    body, as_sent = decode_body(raw, gzipped, limit)
    if kind != "json":
        return prepare_event(kind, body, source=source, scope=scope, tags=tags,
                             idempotency_key=idempotency_key, gzipped=as_sent)
    try:
        event = EventIn.model_validate_json(body)
    except ValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e.get("loc", ()))} for e in error.errors()]
        ) from None
    text = structured_text(event.log, event.message, event.stack_trace)
    return prepare_event(
        "json", text.encode("utf-8"), source=event.source or source,
        scope=event.scope if event.scope is not None else scope, service=event.service,
        trace_id=event.trace_id, idempotency_key=idempotency_key,
        tags=event.tags if event.tags is not None else tags,
    )


@router.post(
    "/events",
    status_code=202,
    summary="Post a failure: a raw log, a JUnit XML report or a structured event",
    response_model=AcceptedOut,
    responses=problem_responses(400, 401, 403, 413, 415, 422, 503),
    openapi_extra={**LOG_BODY, **WRITER_SECURITY},
)
async def post_event(request: Request) -> JSONResponse:
    """Store the event, then answer ``202`` with its id; a worker analyses it. A repeat (same
    `Idempotency-Key`, or same `trace_id` in a JSON event) answers the first event's id with
    `duplicate: true` and starts nothing. `Content-Encoding: gzip` is welcome."""
    await writer_of(request)
    service = service_of(request)
    if service.accepts is None:
        service.accepts = GroupRunner(_accept_batch(service))
    accepted = await service.accepts.submit(await received(request, service))
    return JSONResponse(accepted.to_dict(), status_code=202,
                        headers={"Location": f"{request.url.path}/{accepted.id}"})


Prepare = Callable[[], NewEvent]


def _accept_batch(service: WebService) -> Callable[[list[Prepare]], list[Accepted | BaseException]]:
    """The group commit of posts (:mod:`knownfix.web.batcher`): each post's event prepared
    (its own 4xx if it fails), then the good ones accepted together — stored in one
    transaction, queued in one call; a store error is each of their 503s."""

    def run(prepares: list[Prepare]) -> list[Accepted | BaseException]:
        outcomes: list[Accepted | BaseException] = []
        ready: list[tuple[int, NewEvent]] = []
        for prepare in prepares:
            try:
                ready.append((len(outcomes), prepare()))
                outcomes.append(RuntimeError("not accepted"))  # replaced below
            except Exception as error:  # noqa: BLE001 - this post's answer (400, 413, 422 …)
                outcomes.append(error)
        if not ready:
            return outcomes
        try:
            answers = accept_events(service.store, [event for _, event in ready],
                                    submit_many=service.queue.submit_many, guard=service.dedup)
        except Exception as error:  # noqa: BLE001 - StoreError: 503 for each of them
            for i, _ in ready:
                outcomes[i] = error
            return outcomes
        m = metrics()
        for (i, event), accepted in zip(ready, answers, strict=True):
            outcomes[i] = accepted
            if accepted.duplicate:
                m.events_duplicate.inc()
            else:
                m.events_received.labels(event.kind).inc()
        return outcomes

    return run


@router.get(
    "/events/{event_id}",
    summary="An event's status and, once analysed, its triage",
    response_model=EventOut,
    responses=problem_responses(401, 404, 503),
)
def get_event(
    request: Request,
    event_id: Annotated[str, Path(max_length=64)],
    who: Annotated[Principal, Depends(require_viewer)],
) -> JSONResponse:
    """`status` is `pending` until a worker has analysed the event, then `done` with `result`
    (the object `knownfix triage --json` prints, with its incident) or `failed` with `error`."""
    return JSONResponse(event_view(service_of(request).store, event_id))
