"""Notifications due, claimed once across every process (rows of ``notifications``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import update

from knownfix.storage.incident_rows import upsert
from knownfix.storage.service_tables import notifications

if TYPE_CHECKING:
    from knownfix.storage.repository import Store


def claim_notification(
    store: Store, key: str, *, incident_id: str, kind: str, now: datetime
) -> bool:
    """True for the one caller that records ``key`` first: it sends the notification."""
    with store.write() as conn:
        inserted = conn.execute(
            upsert(conn, notifications)
            .values(key=key, incident_id=incident_id, kind=kind, created_at=now, sent=0)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(notifications.c.id)
        ).scalar()
    return inserted is not None


def record_sent(store: Store, key: str, *, sent: int, error: str | None) -> None:
    """How many targets took a notification, and why the others did not."""
    with store.write() as conn:
        conn.execute(
            update(notifications).where(notifications.c.key == key)
            .values(sent=sent, error=error)
        )
