"""The dashboard: server-rendered pages over the services, for people on call.

    install_dashboard(app, settings=settings, store=store, checker=token_checker)

Pages (see docs/dashboard.md): ``/`` overview, ``/incidents`` (filters, search), one incident
with its excerpt, matches, fix, timeline and actions, ``/known-issues`` (browse, search),
``/reports``, ``/login``. Plain HTML forms and CSS: no script runs in the browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fastapi.staticfiles import StaticFiles

from knownfix.web.dashboard.context import STATE_KEY, DashboardContext, TokenSessions
from knownfix.web.dashboard.session import session_secret

if TYPE_CHECKING:
    from fastapi import FastAPI

    from knownfix.services.tokens import TokenChecker
    from knownfix.settings import Settings
    from knownfix.storage.repository import Store

STATIC = Path(__file__).resolve().parent.parent / "static"
STATIC_PATH = "/static"


def install_dashboard(
    app: FastAPI,
    *,
    settings: Settings,
    store: Store,
    checker: TokenChecker,
) -> DashboardContext:
    """Add the dashboard's pages, forms and stylesheet to ``app``; the context it runs with."""
    from knownfix.web.dashboard import actions, healing, pages

    context = DashboardContext(
        settings=settings,
        store=store,
        tokens=TokenSessions(checker, store, settings),
        secret=session_secret(settings),
    )
    setattr(app.state, STATE_KEY, context)
    app.include_router(pages.router)
    app.include_router(actions.router)
    app.include_router(healing.pages)
    app.include_router(healing.actions)
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC), name="static")
    return context


__all__ = ["DashboardContext", "install_dashboard"]
