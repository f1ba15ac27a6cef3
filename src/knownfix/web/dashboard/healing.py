"""The dashboard's self-healing page: KPIs, runs awaiting approval (approve or reject, writers
only), circuit breakers, detectors and recent runs.

Approving only approves: the service's healing scheduler starts the run at its next pass, on
the plan the page showed (a playbook changed since is refused, and says so in the run).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from knownfix.errors import KnownfixError, StoreError
from knownfix.services import playbook_runs as runs
from knownfix.services.healing_status import healing_status
from knownfix.services.tokens import Principal
from knownfix.web.dashboard.context import actor
from knownfix.web.dashboard.route import (
    DashboardRoute,
    checked_form,
    page,
    reader,
    see_other,
    visit_of,
    writer,
)

NOTICES = {
    "approved": "Approved: the service starts the run at its next pass (about a second).",
    "rejected": "Rejected: nothing ran.",
}
RunId = Annotated[int, Path(ge=1, le=2**31 - 1)]

pages = APIRouter(route_class=DashboardRoute, tags=["dashboard"],
                  default_response_class=HTMLResponse)
actions = APIRouter(route_class=DashboardRoute, tags=["dashboard"],
                    default_response_class=HTMLResponse, dependencies=[Depends(checked_form)])


@pages.get("/healing", name="healing", summary="Dashboard: self-healing — KPIs, approvals, "
           "breakers, detectors, runs")
def healing_page(request: Request, user: Annotated[Principal | None, Depends(reader)],
                 notice: Annotated[str, Query(max_length=40)] = "") -> Response:
    return render_healing(request, notice=NOTICES.get(notice))


def render_healing(request: Request, *, notice: str | None = None, error: str | None = None,
                   status: int = 200) -> Response:
    context = visit_of(request).context
    return page(request, "healing.html", status=status, nav="healing",
                healing=healing_status(context.store, context.settings), notice=notice,
                error=error)


@actions.post("/healing/runs/{run_id}/approve", name="approve_run",
              summary="Dashboard: approve a playbook run")
def approve(request: Request, run_id: RunId,
            who: Annotated[Principal, Depends(writer)]) -> Response:
    return _decide(request, run_id, who, approve=True, reason="")


@actions.post("/healing/runs/{run_id}/reject", name="reject_run",
              summary="Dashboard: reject a playbook run")
def reject(request: Request, run_id: RunId, who: Annotated[Principal, Depends(writer)],
           reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    return _decide(request, run_id, who, approve=False, reason=reason.strip())


def _decide(request: Request, run_id: int, who: Principal, *, approve: bool,
            reason: str) -> Response:
    try:
        runs.decide(visit_of(request).context.store, run_id, approve=approve, actor=actor(who),
                    reason=reason)
    except StoreError:
        raise
    except KnownfixError as error:  # not waiting any more, or no such run
        return render_healing(request, error=error.message, status=error.status)
    target = str(request.url_for("healing").path)
    return see_other(f"{target}?{urlencode({'notice': 'approved' if approve else 'rejected'})}")
