"""The dashboard's request cycle: who is visiting, what they may do, and HTML for every outcome.

Every dashboard route is a :class:`DashboardRoute`. Before the endpoint runs it reads the session
cookie and asks the token authority whose token the session names; after, it sets the cookie
if the session changed and adds the security headers. Whatever goes wrong becomes a page, never
a JSON error or a traceback: a visitor who must log in is sent to the login form, a refused
action gets a 403 page, a domain error its own status (404 for an unknown incident ...), a bad
query parameter a 422 page.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.responses import Response

from knownfix.errors import KnownfixError, StoreError
from knownfix.services.tokens import Principal
from knownfix.web.dashboard.context import DashboardContext, SignIn, context_of
from knownfix.web.dashboard.rendering import environment
from knownfix.web.dashboard.session import COOKIE, Session, SessionCodec, cookie_options, csrf_ok

LOGIN_PATH = "/login"
RETRY_AFTER_SECONDS = 5
SECURITY_HEADERS = {
    # No script runs on these pages; styles are inline in the report and the chart's SVG.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; "
        "object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class LoginRequired(Exception):
    """The page needs a signed-in visitor and there is none."""


class Refused(Exception):
    """The visitor may not do this; ``status`` and ``message`` say why."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message


@dataclass(slots=True)
class Visit:
    """One request's view of the session: the context, the session and who it is."""

    context: DashboardContext
    session: Session
    principal: Principal | None
    secure: bool
    changed: bool = False

    def sign_in(self, accepted: SignIn) -> None:
        """A new session for the token accepted (new CSRF token too: nothing carries over)."""
        principal = accepted.principal
        self.session = Session.fresh(accepted.ref, principal.name, principal.role)
        self.principal = principal
        self.changed = True

    def sign_out(self) -> None:
        self.session = Session.fresh()
        self.principal = None
        self.changed = True


def visit_of(request: Request) -> Visit:
    visit = getattr(request.state, "visit", None)
    if not isinstance(visit, Visit):  # pragma: no cover - every dashboard route sets it
        raise RuntimeError("not a dashboard route")
    return visit


def reader(request: Request) -> Principal | None:
    """Dependency of read pages: the visitor, who must be signed in unless reads are public."""
    visit = visit_of(request)
    if visit.principal is None and not visit.context.public_read:
        raise LoginRequired
    return visit.principal


def writer(request: Request) -> Principal:
    """Dependency of actions: a visitor signed in with a writer token."""
    principal = visit_of(request).principal
    if principal is None:
        raise LoginRequired
    if not principal.can_write:
        raise Refused(403, "Writers only",
                      f"You are signed in as {principal.name} with a viewer token: only a "
                      "writer token can change incidents.")
    return principal


def checked_form(request: Request,
                 csrf_token: Annotated[str, Form(max_length=200)] = "") -> None:
    """Dependency of every POST: the form must send back the session's CSRF token."""
    if not csrf_ok(visit_of(request).session, csrf_token):
        raise Refused(403, "Form expired",
                      "This form did not come from this session (it expired, or another site "
                      "sent it). Reload the page and try again.")


def page(request: Request, template: str, *, status: int = 200, **values: Any) -> HTMLResponse:
    """Render ``template`` with the visitor, the CSRF token and ``values``."""
    visit = visit_of(request)

    def url(name: str, **params: Any) -> str:
        return str(request.url_for(name, **params).path)

    values.setdefault("now", datetime.now(UTC))
    html = environment().get_template(template).render(
        request=request,
        user=visit.principal,
        csrf=visit.session.csrf,
        public_read=visit.context.public_read,
        url=url,
        **values,
    )
    return HTMLResponse(html, status_code=status)


def local_target(target: str | None, fallback: str = "/") -> str:
    """``target`` if it is a path on this site (no scheme, no host, no ``//``), else fallback."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return fallback
    if any(ch in target for ch in "\r\n\\") or any(ord(ch) < 32 for ch in target):
        return fallback
    return target


def see_other(target: str) -> RedirectResponse:
    return RedirectResponse(target, status_code=303)


Endpoint = Callable[[Request], Coroutine[Any, Any, Response]]


class DashboardRoute(APIRoute):
    """An API route that runs inside the dashboard's session and renders failures as pages."""

    def get_route_handler(self) -> Endpoint:
        endpoint = super().get_route_handler()

        async def handle(request: Request) -> Response:
            context = context_of(request)
            # Anonymous until the session is read, so that a store failure still gets a page.
            request.state.visit = Visit(context, Session.fresh(), None, _secure(request))
            try:
                request.state.visit = _open_visit(request, context)
                response = await endpoint(request)
            except LoginRequired:
                response = _to_login(request)
            except Refused as refused:
                response = page(request, "error.html", status=refused.status,
                                title=refused.title, message=refused.message)
            except RequestValidationError as invalid:
                response = page(request, "error.html", status=422, title="Invalid request",
                                message=_validation_message(invalid))
            except HTTPException as error:
                response = _error_page(request, error.status_code, str(error.detail))
            except KnownfixError as error:
                response = _error_page(request, error.status, error.message)
                if isinstance(error, StoreError):
                    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            _finish(request, response)
            return response

        return handle


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _open_visit(request: Request, context: DashboardContext) -> Visit:
    codec = SessionCodec(context.secret)
    session = codec.load(request.cookies.get(COOKIE))
    changed = session is None
    session = session or Session.fresh()
    principal = None
    if session.ref is not None:
        principal = context.tokens.principal(session.ref, session.name, session.role)
        if principal is None:  # revoked since: the session ends with it
            session, changed = Session.fresh(), True
    return Visit(context, session, principal, _secure(request), changed)


def _to_login(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    login = str(request.url_for("login_form").path)
    if request.method != "GET":  # after login, land on the page the form was on
        referer = urlsplit(request.headers.get("referer", ""))
        same_site = referer.netloc == request.url.netloc
        target = local_target(
            referer.path + (f"?{referer.query}" if referer.query else "") if same_site else None
        )
    return see_other(f"{login}?{urlencode({'next': target})}")


def _error_page(request: Request, status: int, message: str) -> HTMLResponse:
    titles = {400: "Bad request", 404: "Not found", 409: "Conflict", 422: "Cannot read that",
              503: "Store unavailable"}
    if status >= 500 and status != 503:
        # Configuration problems are for the operator's log, not the visitor's screen.
        message = "The server cannot do this now; the operator can find why in its log."
    return page(request, "error.html", status=status, title=titles.get(status, "Error"),
                message=message)


def _validation_message(invalid: RequestValidationError) -> str:
    parts = []
    for error in invalid.errors()[:5]:
        where = ".".join(str(part) for part in error.get("loc", ())[1:]) or "request"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "the request could not be read"


def _finish(request: Request, response: Response) -> None:
    visit = getattr(request.state, "visit", None)
    if isinstance(visit, Visit) and visit.changed:
        value = SessionCodec(visit.context.secret).dump(visit.session)
        response.set_cookie(value=value, **cookie_options(secure=visit.secure))
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
