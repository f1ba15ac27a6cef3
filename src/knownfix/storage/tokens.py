"""API tokens in the store: insert, find by digest, list, revoke (rows of ``api_tokens``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, or_, select, update

from knownfix.errors import Conflict, NotFound
from knownfix.storage.service_tables import api_tokens

if TYPE_CHECKING:
    from knownfix.storage.repository import Store


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """What the store knows of a token: never the token itself."""

    id: int
    name: str
    role: str
    hint: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "hint": self.hint,
            "created_at": iso(self.created_at),
            "last_used_at": iso(self.last_used_at),
            "revoked_at": iso(self.revoked_at),
        }


def _record(row: Any) -> TokenRecord:
    return TokenRecord(
        id=int(row["id"]), name=row["name"], role=row["role"], hint=row["hint"],
        created_at=row["created_at"], last_used_at=row["last_used_at"],
        revoked_at=row["revoked_at"],
    )


def insert_token(
    store: Store, *, name: str, role: str, token_hash: str, hint: str, now: datetime
) -> TokenRecord:
    """Store a new token's digest; Conflict when the name is taken (revoked tokens too)."""
    with store.write() as conn:
        taken = conn.execute(select(api_tokens.c.id).where(api_tokens.c.name == name)).first()
        if taken is not None:
            raise Conflict(f"a token named {name!r} exists already: pick another --name")
        pk = conn.execute(
            insert(api_tokens)
            .values(name=name, role=role, token_hash=token_hash, hint=hint, created_at=now)
            .returning(api_tokens.c.id)
        ).scalar_one()
    return TokenRecord(id=int(pk), name=name, role=role, hint=hint, created_at=now)


def token_by_hash(store: Store, token_hash: str) -> TokenRecord | None:
    """The live (not revoked) token with this digest, if any."""
    statement = select(api_tokens).where(
        api_tokens.c.token_hash == token_hash, api_tokens.c.revoked_at.is_(None)
    )
    with store.read() as conn:
        row = conn.execute(statement).mappings().first()
    return None if row is None else _record(row)


def list_tokens(store: Store, *, include_revoked: bool = False) -> list[TokenRecord]:
    """Tokens in creation order (revoked ones only when asked)."""
    statement = select(api_tokens).order_by(api_tokens.c.id)
    if not include_revoked:
        statement = statement.where(api_tokens.c.revoked_at.is_(None))
    with store.read() as conn:
        return [_record(row) for row in conn.execute(statement).mappings()]


def revoke_token(store: Store, name_or_id: str, *, now: datetime) -> TokenRecord:
    """Revoke a live token named ``name_or_id`` (or with that numeric id)."""
    match = api_tokens.c.name == name_or_id
    if name_or_id.isdigit():
        match = or_(match, api_tokens.c.id == int(name_or_id))
    with store.write() as conn:
        row = conn.execute(
            select(api_tokens).where(match, api_tokens.c.revoked_at.is_(None)).with_for_update()
        ).mappings().first()
        if row is None:
            raise NotFound(f"no live token named {name_or_id!r} (knownfix token list shows them)")
        conn.execute(update(api_tokens).where(api_tokens.c.id == row["id"]).values(revoked_at=now))
    return _record({**row, "revoked_at": now})


def touch_token(store: Store, token_id: int, *, now: datetime) -> None:
    """Remember when a token was last used (called at most once a minute per token)."""
    with store.write() as conn:
        conn.execute(update(api_tokens).where(api_tokens.c.id == token_id).values(last_used_at=now))
