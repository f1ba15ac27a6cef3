"""Who may call what: bearer tokens with a role, checked by two FastAPI dependencies.

    @router.get("/x")                                   # a read
    def read_x(who: Principal = Depends(require_viewer)): ...
    @router.post("/x")                                  # a write
    def write_x(who: Principal = Depends(require_writer)): ...

A read needs a viewer or writer token unless ``KNOWNFIX_PUBLIC_READ=1``; a write always needs a
writer token. No token or an unknown one answers 401 (``WWW-Authenticate: Bearer``), a viewer
token on a write 403. The dashboard builds its cookie sessions on :func:`principal_for_token`
(a login form checks the token once) and keeps its own CSRF protection for forms.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from knownfix.errors import AuthError, Forbidden
from knownfix.services.tokens import ANONYMOUS, Principal
from knownfix.web.state import service_of

bearer = HTTPBearer(
    auto_error=False,
    description="A token from `knownfix token create --role writer|viewer`.",
)


def principal_for_token(request: Request, token: str) -> Principal | None:
    """The principal of a presented token (store tokens and the static ones of the settings)."""
    return service_of(request).tokens.check(token)


async def _principal(
    request: Request, credentials: HTTPAuthorizationCredentials | None
) -> Principal:
    if credentials is None or not credentials.credentials.strip():
        raise AuthError("a bearer token is required (Authorization: Bearer <token>)")
    checker = service_of(request).tokens
    # Most calls are answered from the checker's cache, without leaving the event loop.
    hit, principal = checker.cached(credentials.credentials)
    if not hit:
        principal = await run_in_threadpool(checker.check, credentials.credentials)
    if principal is None:
        raise AuthError("unknown or revoked token")
    return principal


Credentials = Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]


async def require_viewer(request: Request, credentials: Credentials) -> Principal:
    """Any valid token; nobody at all when reads are public."""
    if credentials is None and service_of(request).settings.public_read:
        return ANONYMOUS
    return await _principal(request, credentials)


async def require_writer(request: Request, credentials: Credentials) -> Principal:
    """A writer token, whatever the read setting."""
    principal = await _principal(request, credentials)
    if not principal.can_write:
        raise Forbidden(f"token {principal.name!r} is a viewer token: writing needs a writer token")
    return principal


WRITER_SECURITY: dict[str, Any] = {"security": [{bearer.scheme_name: []}]}
"""What ``Depends(require_writer)`` documents in the OpenAPI, for a route that calls
:func:`writer_of` itself."""


async def writer_of(request: Request) -> Principal:
    """:func:`require_writer` called by the route itself: FastAPI solving the dependency (and
    the bearer scheme under it) on every post cost ~7% of the ingest route's CPU. The same
    401 and 403; the route documents it with :data:`WRITER_SECURITY`."""
    return await require_writer(request, await bearer(request))
