"""The JSON API under ``/api/v1`` (DESIGN §6): events, incidents, known issues, search, triage,
self-healing."""

from __future__ import annotations

from fastapi import APIRouter

from knownfix.web.api import events, healing, incidents, knowledge

API_PREFIX = "/api/v1"


def api_router() -> APIRouter:
    router = APIRouter(prefix=API_PREFIX)
    for module in (events, incidents, knowledge, healing):
        router.include_router(module.router)
    return router
