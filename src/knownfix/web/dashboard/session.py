"""Dashboard sessions: a signed cookie that names a token and carries the CSRF token.

    codec = SessionCodec(secret)
    session = codec.load(request.cookies.get(COOKIE)) or Session.fresh()
    codec.dump(session)                          # the cookie value, signed and dated

The cookie holds no token, only its digest, and the token is checked against the store on
every request, so revoking a token ends its sessions at once; a cookie expires
:data:`MAX_AGE` after it was issued. It is ``HttpOnly``, ``SameSite=Lax`` and ``Secure`` when
the request came over https. Every form carries the session's CSRF token, and every POST must
send it back (:func:`csrf_ok`); logging in issues a new session, so a token planted in a
visitor's browser before login is worthless after it.

The signing key is ``KNOWNFIX_SECRET_KEY`` when set (and must be the same on every API machine),
else a random key kept in ``.knownfix/session-key`` and made on first use.
"""

from __future__ import annotations

import hmac
import os
import secrets
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from knownfix.errors import ConfigError
from knownfix.settings import Settings

COOKIE = "knownfix_session"
MAX_AGE = timedelta(hours=12)
KEY_FILE = "session-key"
MIN_SECRET_CHARS = 16
_SALT = "knownfix.dashboard.session"


@dataclass(frozen=True, slots=True)
class Session:
    """One browser's session: its CSRF token and, once signed in, the token it acts with
    (``ref``, the token's digest) with the name and role it had at sign-in."""

    csrf: str
    ref: str | None = None
    name: str = ""
    role: str = ""

    @classmethod
    def fresh(cls, ref: str | None = None, name: str = "", role: str = "") -> Session:
        """A new session with a new CSRF token (anonymous unless ``ref`` is given)."""
        return cls(csrf=secrets.token_urlsafe(32), ref=ref, name=name, role=role)


class SessionCodec:
    """Turns sessions into signed, dated cookie values and back."""

    def __init__(self, secret: bytes) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt=_SALT)

    def dump(self, session: Session) -> str:
        data: dict[str, Any] = {"c": session.csrf}
        if session.ref is not None:
            data.update(t=session.ref, n=session.name, r=session.role)
        return self._serializer.dumps(data)

    def load(self, value: str | None) -> Session | None:
        """The session in a cookie value; None when absent, forged, malformed or expired."""
        if not value:
            return None
        try:
            data = self._serializer.loads(value, max_age=int(MAX_AGE.total_seconds()))
        except (BadSignature, ValueError, TypeError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        ref, name, role = data.get("t"), data.get("n"), data.get("r")
        if isinstance(ref, str) and isinstance(name, str) and isinstance(role, str):
            return Session(csrf=data["c"], ref=ref, name=name, role=role)
        return Session(csrf=data["c"])


def csrf_ok(session: Session, submitted: str | None) -> bool:
    """True when a form sent back this session's CSRF token (compared in constant time)."""
    if not submitted:
        return False
    return hmac.compare_digest(session.csrf.encode(), submitted.encode("utf-8", "replace"))


def cookie_options(*, secure: bool) -> dict[str, Any]:
    """The attributes of the session cookie (for ``Response.set_cookie``)."""
    return {
        "key": COOKIE,
        "max_age": int(MAX_AGE.total_seconds()),
        "httponly": True,
        "samesite": "lax",
        "secure": secure,
        "path": "/",
    }


def session_secret(settings: Settings) -> bytes:
    """The key that signs sessions: ``KNOWNFIX_SECRET_KEY``, else the project's key file."""
    if settings.secret_key:
        if len(settings.secret_key) < MIN_SECRET_CHARS:
            raise ConfigError(
                f"KNOWNFIX_SECRET_KEY is too short: use at least {MIN_SECRET_CHARS} random "
                "characters (python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )
        return settings.secret_key.encode("utf-8")
    return _key_file(settings.home / KEY_FILE)


def _key_file(path: Path) -> bytes:
    """The key in ``path``; made first when missing (private, and published whole by a hard
    link, so a process starting at the same moment reads either nothing or the whole key)."""
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".session-key.", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="ascii") as stream:
                stream.write(secrets.token_urlsafe(48) + "\n")
            os.link(temporary, path)
        except FileExistsError:  # another process published its key first: use that one
            pass
        finally:
            os.unlink(temporary)
    except OSError as error:
        raise ConfigError(
            f"cannot create the session key {path}: {error.strerror or error}; "
            "set KNOWNFIX_SECRET_KEY instead"
        ) from None
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read the session key {path}: {error}") from None
    if len(key) < MIN_SECRET_CHARS:
        raise ConfigError(f"the session key in {path} is too short; delete the file to renew it")
    return key.encode("ascii")
