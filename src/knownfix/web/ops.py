"""``/health`` (is the store reachable, is the broker?) and ``/metrics`` (Prometheus)."""

from __future__ import annotations

import asyncio
import time

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from knownfix.observability.healing import HealingCollector
from knownfix.observability.metrics import StoreCollector, exposition
from knownfix.web.schemas import HealthOut
from knownfix.web.state import WebService, service_of

router = APIRouter(tags=["operations"])

CHECK_TIMEOUT_SECONDS = 2.0
PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"


def _ping_store(service: WebService) -> None:
    with service.store.read() as conn:
        conn.execute(text("SELECT 1"))


def _ping_broker(service: WebService) -> None:
    client = getattr(service.queue, "redis", None)
    if client is not None:
        client.ping()


async def _check(fn: object, service: WebService) -> dict[str, object]:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(run_in_threadpool(fn, service),  # type: ignore[arg-type]
                               CHECK_TIMEOUT_SECONDS)
    except TimeoutError:
        return {"ok": False, "error": f"no answer within {CHECK_TIMEOUT_SECONDS:g} s"}
    except Exception as error:  # noqa: BLE001 - any failure is the answer
        return {"ok": False, "error": str(error).strip().splitlines()[0][:300]}
    return {"ok": True, "latency_ms": round((time.perf_counter() - started) * 1000, 2)}


@router.get(
    "/health",
    summary="Whether the store and the broker answer",
    response_model=HealthOut,
    responses={503: {"model": HealthOut, "description": "A dependency does not answer."}},
)
async def health(request: Request) -> JSONResponse:
    """`200` when every dependency answers within 2 s, else `503`; each check says why."""
    service = service_of(request)
    checks = {"database": await _check(_ping_store, service)}
    if service.mode == "distributed":
        checks["broker"] = await _check(_ping_broker, service)
    ok = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if ok else "unavailable", "mode": service.mode, "checks": checks}
    return JSONResponse(body, status_code=200 if ok else 503,
                        headers=None if ok else {"Retry-After": "5"})


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {PROMETHEUS_TEXT: {"schema": {"type": "string"}}}}},
)
async def prometheus_metrics(request: Request) -> Response:
    """Events received and analysed, triage latency, worker failures (every process of this
    machine with `PROMETHEUS_MULTIPROC_DIR`), open incidents by severity, events by status and
    the queue depth (read from the store and the broker)."""
    service = service_of(request)
    collector = StoreCollector(service.store, service.queue.depth,
                               extra=[HealingCollector(service.store, service.settings)])
    try:
        body = await asyncio.wait_for(run_in_threadpool(exposition, collector),
                                      CHECK_TIMEOUT_SECONDS * 2)
    except Exception:  # noqa: BLE001 - the store is down: still answer the process metrics
        body = await run_in_threadpool(exposition, None)
    return Response(body, media_type=PROMETHEUS_TEXT)


