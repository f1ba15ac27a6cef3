"""What the dashboard needs from the app that mounts it, in one object on ``app.state``.

The dashboard signs people in with the API's own bearer tokens (:mod:`knownfix.services.tokens`)
but never keeps a token: a session names the token by its digest (:class:`TokenSessions`), and
every request asks the store whether that token is still live, so revoking a token ends its
dashboard sessions at once.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import Request

from knownfix.errors import ConfigError
from knownfix.services.tokens import Principal, TokenChecker, digest, holder_of

if TYPE_CHECKING:
    from knownfix.settings import Settings
    from knownfix.storage.repository import Store

STATE_KEY = "dashboard"


def actor(principal: Principal) -> str:
    """How the audit trail names a change made from the dashboard: ``web:<token name>``."""
    return f"web:{principal.name}"


@dataclass(frozen=True, slots=True)
class SignIn:
    """A token accepted at the login form: who it is, and how a session names it."""

    principal: Principal
    ref: str


class TokenSessions:
    """The API tokens as the dashboard uses them: check one at login, re-check a session's."""

    def __init__(self, checker: TokenChecker, store: Store, settings: Settings) -> None:
        self.checker = checker
        self.store = store
        # The tokens of KNOWNFIX_API_TOKEN / KNOWNFIX_VIEWER_TOKEN live in the settings, not the
        # store: their digests are compared instead.
        self._static = [digest(t) for t in (settings.api_token, settings.viewer_token) if t]

    def sign_in(self, token: str) -> SignIn | None:
        """The holder of ``token`` and the session's reference to it; None for a bad token."""
        principal = self.checker.check(token)
        if principal is None:
            return None
        return SignIn(principal, digest(token.strip()))

    def principal(self, ref: str, name: str, role: str) -> Principal | None:
        """The holder of the token a session names (by ``ref``); None once it is revoked.

        ``name`` and ``role`` are what the signed session recorded at login: a store token's
        current ones win, the settings' tokens keep them.
        """
        if any(hmac.compare_digest(ref, known) for known in self._static):
            return Principal(name, role)
        return holder_of(self.store, ref)


@dataclass(frozen=True, slots=True)
class DashboardContext:
    """The settings, store, tokens and session key of one app."""

    settings: Settings
    store: Store
    tokens: TokenSessions
    secret: bytes

    @property
    def public_read(self) -> bool:
        return self.settings.public_read


def context_of(request: Request) -> DashboardContext:
    """The context :func:`knownfix.web.dashboard.install_dashboard` put on the app."""
    context = getattr(request.app.state, STATE_KEY, None)
    if not isinstance(context, DashboardContext):
        raise ConfigError("the dashboard is not installed on this app")
    return context
