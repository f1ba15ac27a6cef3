"""The FastAPI app: ``create_app(settings)`` builds it, nothing happens at import time.

    app = create_app(load_settings())           # what `knownfix serve` runs
    install_dashboard(app, ...)                  # the dashboard's pages, forms, stylesheet

It holds one :class:`~knownfix.web.state.WebService`: the store (opened and migrated here),
the token checker, and the analysis queue — the embedded worker thread by default, Celery when
``KNOWNFIX_BROKER_URL`` is set (then a Redis ``SET NX`` guards dedup too). The worker thread
starts with the app and stops with it; the store closes last.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from knownfix import __version__
from knownfix.services.tokens import TokenChecker
from knownfix.settings import Settings
from knownfix.storage.repository import Store, open_store
from knownfix.web.api import api_router
from knownfix.web.dashboard import install_dashboard
from knownfix.web.ops import router as ops_router
from knownfix.web.problems import install_problem_handlers
from knownfix.web.state import WebService

log = logging.getLogger("knownfix.web")

DESCRIPTION = """\
knownfix's HTTP API: post failures (raw logs, JUnit reports, structured events) for analysis,
read incidents and known issues, triage a log on the spot.

Authenticate with `Authorization: Bearer <token>` (`knownfix token create --role writer`).
Errors are RFC 9457 problem details (`application/problem+json`).
"""


def _service(settings: Settings, store: Store, *, start_worker: bool) -> WebService:
    tokens = TokenChecker(store, settings)
    if settings.broker_url:
        from knownfix.worker.celery_app import CeleryQueue, RedisDedup

        queue = CeleryQueue(settings)
        shared = None if settings.redis_url else queue.redis  # one connection pool if one Redis
        return WebService(settings, store, tokens, queue, dedup=RedisDedup(settings, shared),
                          mode="distributed", on_close=[queue.close])
    from knownfix.worker.embedded import EmbeddedWorker
    from knownfix.worker.runtime import WorkerRuntime

    worker = EmbeddedWorker(WorkerRuntime(store, settings))
    return WebService(settings, store, tokens, worker, worker=worker if start_worker else None)


def create_app(
    settings: Settings, *, store: Store | None = None, start_worker: bool = True,
    start_healing: bool = True,
) -> FastAPI:
    """The app for ``settings``; ``store`` (already open) is used instead of opening one, and
    ``start_worker=False`` leaves events pending (tests that analyse them by hand).
    ``start_healing`` runs the checks file's detectors on their intervals, heals with its
    ``auto: true`` playbooks and starts approved runs (docs/healing.md)."""
    from knownfix.services.scheduler import scheduler_for

    own_store = store is None
    store = store or open_store(settings.database_url)
    service = _service(settings, store, start_worker=start_worker)
    healing = scheduler_for(store, settings) if start_healing else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if service.worker is not None:
            service.worker.start()
        if healing is not None:
            healing.start()
        log.info("knownfix %s serving (%s mode, store %s)", __version__, service.mode, store.url)
        try:
            yield
        finally:
            if healing is not None:
                healing.stop()
            if service.worker is not None:
                service.worker.stop()
            for close in service.on_close:
                close()
            if own_store:
                store.close()

    app = FastAPI(
        title="knownfix",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.knownfix = service
    install_problem_handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PATCH"],
            allow_headers=["Authorization", "Content-Type", "Content-Encoding", "Idempotency-Key",
                           "X-Knownfix-Source", "X-Knownfix-Scope", "X-Knownfix-Tags"],
            expose_headers=["Location", "Retry-After", "X-Total-Count"],
        )
    if settings.trusted_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.trusted_hosts))
    app.include_router(ops_router)
    app.include_router(api_router())
    install_dashboard(app, settings=settings, store=store, checker=service.tokens)
    return app


def app_from_environment() -> FastAPI:
    """The app of the environment's settings (``uvicorn --factory``, several worker processes)."""
    from knownfix.services.heap import mark_long_lived
    from knownfix.settings import load_settings

    app = create_app(load_settings())
    mark_long_lived()  # a process of `knownfix serve --workers N`, started
    return app
