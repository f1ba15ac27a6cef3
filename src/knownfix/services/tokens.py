"""API tokens: create (shown once), list, revoke, and check a presented token.

A token is ``kf_`` followed by 43 URL-safe characters (256 random bits). Only its SHA-256
digest is stored: a leaked database gives no usable token, and because the token is random a
plain digest needs no salt or slow hash. Roles: ``writer`` may post events and change
incidents; ``viewer`` may only read. A writer can do whatever a viewer can.

    created = create_token(store, role="writer", name="ci")   # created.token: show it once
    principal = TokenChecker(store).check("kf_…")             # Principal or None
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from knownfix.errors import InputError, StoreError
from knownfix.storage.tokens import (
    TokenRecord,
    insert_token,
    list_tokens,
    revoke_token,
    token_by_hash,
    touch_token,
)

if TYPE_CHECKING:
    from knownfix.settings import Settings
    from knownfix.storage.repository import Store

WRITER = "writer"
VIEWER = "viewer"
ROLES = (WRITER, VIEWER)
TOKEN_PREFIX = "kf_"
HINT_CHARS = 8
CACHE_SECONDS = 10.0
"""How long a checked token is trusted without asking the store: a revocation takes effect
within this time on every API process."""
TOUCH_SECONDS = 60.0
MAX_NAME_CHARS = 100


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a named token with a role (or ``anonymous`` for open reads)."""

    name: str
    role: str

    @property
    def can_write(self) -> bool:
        return self.role == WRITER

    @property
    def actor(self) -> str:
        """How the audit trail names this caller."""
        return f"api:{self.name}"


ANONYMOUS = Principal("anonymous", VIEWER)


@dataclass(frozen=True, slots=True)
class CreatedToken:
    """A new token: ``token`` is shown once and never stored."""

    token: str
    record: TokenRecord


def holder_of(store: Store, key: str) -> Principal | None:
    """Who holds the stored token whose digest is ``key``; None once it is revoked."""
    return _principal(token_by_hash(store, key))


def _principal(record: TokenRecord | None) -> Principal | None:
    return None if record is None else Principal(record.name, record.role)


def check_role(role: str) -> str:
    value = role.strip().lower()
    if value not in ROLES:
        raise InputError(f"unknown role {role!r}: use writer or viewer")
    return value


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    store: Store, *, role: str, name: str | None = None, now: datetime | None = None
) -> CreatedToken:
    """A new random token with ``role``; its name defaults to ``<role>-<hint>``."""
    role = check_role(role)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    hint = token[: len(TOKEN_PREFIX) + HINT_CHARS]
    label = (name or "").strip() or f"{role}-{hint.removeprefix(TOKEN_PREFIX)}"
    if len(label) > MAX_NAME_CHARS or any(ch.isspace() and ch != " " for ch in label):
        raise InputError(f"a token name is one line of at most {MAX_NAME_CHARS} characters")
    record = insert_token(
        store, name=label, role=role, token_hash=digest(token), hint=hint,
        now=now or datetime.now(UTC),
    )
    return CreatedToken(token, record)


def tokens(store: Store, *, include_revoked: bool = False) -> list[TokenRecord]:
    """The tokens, oldest first (never the token values: they are not stored)."""
    return list_tokens(store, include_revoked=include_revoked)


def revoke(store: Store, name_or_id: str) -> TokenRecord:
    """Revoke a token by name or id; calls with it fail within :data:`CACHE_SECONDS`."""
    return revoke_token(store, name_or_id.strip(), now=datetime.now(UTC))


class TokenChecker:
    """Checks presented tokens against the store, the static tokens of the settings, and a
    short in-process cache (so a busy API does not read the store on every request)."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self._static: list[tuple[str, Principal]] = []
        if settings is not None and settings.api_token:
            self._static.append((settings.api_token, Principal("env-writer", WRITER)))
        if settings is not None and settings.viewer_token:
            self._static.append((settings.viewer_token, Principal("env-viewer", VIEWER)))
        self._cache: dict[str, tuple[float, Principal | None]] = {}
        self._touched: dict[int, float] = {}
        self._lock = threading.Lock()

    def cached(self, token: str) -> tuple[bool, Principal | None]:
        """``(True, principal)`` when the answer is known without the store (a static token,
        or one checked within :data:`CACHE_SECONDS`); ``(False, None)`` otherwise."""
        token = token.strip()
        if not token:
            return True, None
        for value, principal in self._static:
            if hmac.compare_digest(value.encode(), token.encode()):
                return True, principal
        with self._lock:
            cached = self._cache.get(digest(token))
        if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
            return True, cached[1]
        return False, None

    def check(self, token: str) -> Principal | None:
        """The principal a token stands for; None for an unknown or revoked token."""
        token = token.strip()
        hit, principal = self.cached(token)
        if hit:
            return principal
        key = digest(token)
        now = time.monotonic()
        record = token_by_hash(self.store, key)
        principal = _principal(record)
        with self._lock:
            if len(self._cache) > 10_000:  # bounded: unknown tokens must not grow it forever
                self._cache.clear()
            self._cache[key] = (now, principal)
            due = record is not None and now - self._touched.get(record.id, -TOUCH_SECONDS) >= (
                TOUCH_SECONDS)
            if due and record is not None:
                self._touched[record.id] = now
        if due and record is not None:
            with contextlib.suppress(StoreError):  # bookkeeping only: the call is allowed
                touch_token(self.store, record.id, now=datetime.now(UTC))
        return principal
