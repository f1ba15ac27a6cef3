"""The dashboard's forms: sign in and out, and change an incident (writers only).

Every POST carries the session's CSRF token (:func:`checked_form`, checked before anything else).
A change that works answers 303 to the incident page with a notice (so reloading it does not
post again); one the store refuses (acknowledging an incident that is not open, merging into an
unknown incident) shows the incident page again with the reason and the error's status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from knownfix.core.records import Incident
from knownfix.errors import KnownfixError, StoreError
from knownfix.services import incidents
from knownfix.services.tokens import Principal
from knownfix.web.dashboard.context import actor
from knownfix.web.dashboard.pages import render_incident
from knownfix.web.dashboard.route import (
    DashboardRoute,
    checked_form,
    local_target,
    page,
    see_other,
    visit_of,
    writer,
)

if TYPE_CHECKING:
    from knownfix.storage.repository import Store

router = APIRouter(route_class=DashboardRoute, tags=["dashboard"],
                   default_response_class=HTMLResponse, dependencies=[Depends(checked_form)])

Writer = Annotated[Principal, Depends(writer)]
IncidentId = Annotated[str, Path(max_length=64)]
Note = Annotated[str, Form(max_length=2000)]


@router.post("/login", name="login", summary="Dashboard: sign in with an API token")
def login(request: Request, token: Annotated[str, Form(max_length=500)] = "",
          next_page: Annotated[str, Form(alias="next", max_length=2000)] = "/") -> Response:
    visit = visit_of(request)
    accepted = visit.context.tokens.sign_in(token)
    if accepted is None:
        return page(request, "login.html", status=403, nav="login", next=local_target(next_page),
                    error="That token is not valid: it may be mistyped, or revoked.")
    visit.sign_in(accepted)
    return see_other(local_target(next_page))


@router.post("/logout", name="logout", summary="Dashboard: sign out")
def logout(request: Request) -> Response:
    visit_of(request).sign_out()
    return see_other(str(request.url_for("login_form").path))


@router.post("/incidents/{display_id}/acknowledge", name="acknowledge",
             summary="Dashboard: acknowledge an open incident")
def acknowledge(request: Request, display_id: IncidentId, who: Writer,
                note: Note = "") -> Response:
    return _change(request, display_id, "acknowledged", lambda: incidents.acknowledge_incident(
        _store(request), display_id, note=note.strip() or None, actor=actor(who)))


@router.post("/incidents/{display_id}/resolve", name="resolve",
             summary="Dashboard: resolve an incident")
def resolve(request: Request, display_id: IncidentId, who: Writer, note: Note = "") -> Response:
    return _change(request, display_id, "resolved", lambda: incidents.resolve_incident(
        _store(request), display_id, note=note.strip() or None, actor=actor(who)))


@router.post("/incidents/{display_id}/reopen", name="reopen",
             summary="Dashboard: reopen a resolved incident")
def reopen(request: Request, display_id: IncidentId, who: Writer, note: Note = "") -> Response:
    return _change(request, display_id, "reopened", lambda: incidents.update_incident(
        _store(request), display_id, status=incidents.OPEN, note=note.strip() or None,
        actor=actor(who)))


@router.post("/incidents/{display_id}/merge", name="merge",
             summary="Dashboard: merge an incident into another")
def merge(request: Request, display_id: IncidentId, who: Writer,
          into: Annotated[str, Form(max_length=64)] = "", note: Note = "") -> Response:
    return _change(request, display_id, "merged", lambda: incidents.merge_incidents(
        _store(request), display_id, into.strip(), note=note.strip() or None, actor=actor(who)))


@router.post("/incidents/{display_id}/unmerge", name="unmerge",
             summary="Dashboard: undo the merge of an incident")
def unmerge(request: Request, display_id: IncidentId, who: Writer) -> Response:
    return _change(request, display_id, "unmerged", lambda: incidents.unmerge_incident(
        _store(request), display_id, actor=actor(who)))


@router.post("/incidents/{display_id}/link", name="link",
             summary="Dashboard: link an incident to a known issue (- unlinks)")
def link(request: Request, display_id: IncidentId, who: Writer,
         known_issue: Annotated[str, Form(max_length=300)] = "") -> Response:
    return _change(request, display_id, "linked", lambda: incidents.update_incident(
        _store(request), display_id, known_issue=known_issue.strip() or "-", actor=actor(who)))


def _store(request: Request) -> Store:
    return visit_of(request).context.store


def _change(request: Request, display_id: str, notice: str,
            change: Callable[[], Incident]) -> Response:
    """Run ``change``; 303 to the incident it returns, or the page again with the reason."""
    try:
        changed = change()
    except StoreError:
        raise
    except KnownfixError as error:
        return render_incident(request, display_id, error=error.message, status=error.status)
    target = str(request.url_for("incident", display_id=changed.id).path)
    return see_other(f"{target}?{urlencode({'notice': notice})}")
