"""The incident repository: record occurrences as deduplicated incidents, read them, change them.

    recorded = store.record_occurrence(NewOccurrence(...))   # atomic dedup by loose fingerprint
    recorded.incident.id, recorded.new, recorded.incident.count
    store.list_incidents(status="open"); store.get_incident("HIGH-004")
    store.set_incident_status("HIGH-004", "resolved", note="pinned the base image")
    store.merge_incidents("MED-002", into="HIGH-004"); store.unmerge_incident("MED-002")

Dedup is atomic on SQLite and PostgreSQL, with any number of processes: one write transaction
per occurrence (:mod:`knownfix.storage.incident_write` says how); an idempotency key that
already exists rolls it back, so a repeated post is never counted twice.

Merges stick: merging B into A points B's fingerprints at A (their first incident is kept in
``original_incident_id``) and moves B's occurrences and count to A; later occurrences of B's
failure go to A. Unmerge moves B's fingerprints and every occurrence of them back.
"""

from __future__ import annotations

import time
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, cast, func, select, text, update
from sqlalchemy.engine import Connection

from knownfix.core.records import INCIDENT_STATUSES, Incident, Occurrence
from knownfix.errors import Conflict, InputError
from knownfix.storage import reads
from knownfix.storage.incident_record import (
    OPEN,
    RESOLVED,
    Duplicate,
    NewOccurrence,
    OnRecorded,
    Recorded,
    incident_by_pk,
    older_versions_in_use,
    record,
)
from knownfix.storage.incident_rows import (
    add_event,
    incident_from_row,
    incident_pk,
    incident_select,
    occurrence_from_row,
    occurrence_select,
)
from knownfix.storage.incident_tables import (
    incident_events,
    incidents,
    occurrences,
)
from knownfix.storage.incident_write import SYSTEM_ACTOR

__all__ = ["OPEN", "RESOLVED", "SYSTEM_ACTOR", "IncidentStoreMixin", "NewOccurrence", "Recorded",
           "check_status"]


def check_status(status: str) -> str:
    """``status`` in lower case if it is an incident status; InputError naming them otherwise."""
    value = status.strip().lower()
    if value not in INCIDENT_STATUSES:
        raise InputError(
            f"unknown incident status {status!r}: use one of {', '.join(INCIDENT_STATUSES)}"
        )
    return value


def _recorded_key(conn: Connection, key: str) -> Recorded | None:
    """What the occurrence recorded under idempotency ``key`` recorded, None if there is none."""
    pk = conn.execute(
        select(occurrences.c.incident_id).where(occurrences.c.idempotency_key == key)
    ).scalar()
    if pk is None:
        return None
    return Recorded(incident_by_pk(conn, int(pk)), new=False, duplicate=True)


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


OLDER_VERSIONS_TTL = 30.0
"""Seconds a process trusts what it read of the older fingerprint strategies in the store: a
link an older knownfix makes meanwhile (during a rolling upgrade) is adopted that much later."""


class IncidentStoreMixin:
    """Incident methods of :class:`knownfix.storage.repository.Store`."""

    if TYPE_CHECKING:

        def read(self) -> AbstractContextManager[Connection]: ...

        def write(self) -> AbstractContextManager[Connection]: ...

    # --- recording ---------------------------------------------------------------------------

    def record_occurrence(
        self, occ: NewOccurrence, *, actor: str = SYSTEM_ACTOR,
        then: OnRecorded | None = None,
    ) -> Recorded:
        """Add one occurrence to the incident of its loose fingerprint, opening it if needed.

        An idempotency key seen before records nothing and answers what the first occurrence
        recorded. It is not looked up first: the occurrence's unique key refuses the repeat
        inside the write, which is rolled back whole (a repeat is rare; a read per occurrence
        is not). ``then`` runs in the same write transaction, after the recording (or, for a
        repeat, after reading what was recorded): what it writes commits with it."""
        older = self._older_versions(occ.fingerprint_version)
        try:
            with self.write() as conn:
                recorded = record(conn, occ, actor, older)
                if then is not None:
                    then(conn, recorded)
                return recorded
        except Duplicate:
            # Recorded before (a retried event, or a concurrent post that won): say what.
            with self.write() if then is not None else self.read() as conn:
                seen = _recorded_key(conn, occ.idempotency_key or "")
                if seen is None:  # pragma: no cover - the winner committed before we rolled back
                    raise Conflict(f"idempotency key {occ.idempotency_key!r} vanished") from None
                if then is not None:
                    then(conn, seen)
                return seen

    def _older_versions(self, current: str) -> frozenset[str]:
        """The older fingerprint strategies that linked incidents, read at most every
        :data:`OLDER_VERSIONS_TTL` seconds (a scan of the fingerprint links)."""
        cached: tuple[str, float, frozenset[str]] | None = getattr(
            self, "_older_versions_cache", None)
        now = time.monotonic()
        if cached is not None and cached[0] == current and now - cached[1] < OLDER_VERSIONS_TTL:
            return cached[2]
        with self.read() as conn:
            versions = older_versions_in_use(conn, current)
        self._older_versions_cache = (current, now, versions)
        return versions

    # --- reading -----------------------------------------------------------------------------

    def list_incidents(
        self, status: str | None = None, include_merged: bool = False, scope: str | None = None
    ) -> list[Incident]:
        """Incidents, most recently seen first; merged ones (already counted in their target)
        only when asked; of one scope when given."""
        statement = incident_select().order_by(
            incidents.c.last_seen.desc(), incidents.c.id.desc()
        )
        if status is not None:
            statement = statement.where(incidents.c.status == check_status(status))
        if not include_merged:
            statement = statement.where(incidents.c.merged_into.is_(None))
        if scope is not None:
            statement = statement.where(incidents.c.scope == scope)
        with self.read() as conn:
            return [incident_from_row(row) for row in conn.execute(statement).mappings()]

    def get_incident(self, display_id: str) -> Incident:
        """The incident with this display id (``crit-001`` works too); NotFound if none."""
        with self.read() as conn:
            return incident_by_pk(conn, incident_pk(conn, display_id))

    def list_occurrences(
        self, incident_id: str | None = None, since: datetime | None = None
    ) -> list[Occurrence]:
        """Occurrences oldest first, of one incident (display id) and/or received since a time."""
        statement = occurrence_select()
        with self.read() as conn:
            if incident_id is not None:
                pk = incident_pk(conn, incident_id)
                statement = statement.where(occurrences.c.incident_id == pk)
            if since is not None:
                statement = statement.where(occurrences.c.received_at >= since)
            return [occurrence_from_row(row) for row in conn.execute(statement).mappings()]

    def occurrence_counts(self, since: datetime) -> list[tuple[date, str, int]]:
        """How many occurrences each incident (display id) received per UTC day since a time,
        counted by the database: a dashboard over millions of occurrences reads a few rows."""
        with self.read() as conn:
            if conn.dialect.name == "postgresql":
                day: Any = cast(func.timezone("UTC", occurrences.c.received_at), Date)
            else:  # SQLite keeps UTC times as ISO text: date() takes their day
                day = func.date(occurrences.c.received_at)
            held = occurrences.join(incidents, occurrences.c.incident_id == incidents.c.id)
            statement = (
                select(day.label("day"), incidents.c.display_id, func.count().label("n"))
                .select_from(held)
                .where(occurrences.c.received_at >= since)
                .group_by(day, incidents.c.display_id)
            )
            return [(_as_date(row.day), row.display_id, int(row.n))
                    for row in conn.execute(statement)]

    def incident_events(self, display_id: str) -> list[dict[str, Any]]:
        """An incident's audit trail in the order it was written.

        Each entry: ``{"at": ISO 8601, "actor", "action", "detail": {...}}``.
        """
        with self.read() as conn:
            pk = incident_pk(conn, display_id)
            rows = conn.execute(
                select(incident_events)
                .where(incident_events.c.incident_id == pk)
                .order_by(incident_events.c.id)
            ).mappings()
            return [
                {
                    "at": row["at"].isoformat(),
                    "actor": row["actor"],
                    "action": row["action"],
                    "detail": dict(row["detail"] or {}),
                }
                for row in rows
            ]

    def fingerprint_links(self) -> dict[str, str]:
        """Loose fingerprint → known issue id, for every incident linked to a known issue.

        Links are knowledge, shared by every scope (the latest incident wins a disagreement).
        """
        with self.read() as conn:
            return {fp: issue for fp, issue in conn.execute(text(reads.FINGERPRINT_LINKS))}

    # --- changing ----------------------------------------------------------------------------

    def set_incident_status(
        self,
        display_id: str,
        status: str,
        *,
        note: str | None = None,
        actor: str = SYSTEM_ACTOR,
        now: datetime | None = None,
        only_from: str | None = None,
    ) -> Incident:
        """Move an incident along open → investigating → mitigated → resolved (or back).

        With ``only_from`` the move happens only from that status (checked under the row lock,
        so of two concurrent acknowledgements one wins); Conflict otherwise.
        """
        status = check_status(status)
        now = now or datetime.now(UTC)
        with self.write() as conn:
            pk = incident_pk(conn, display_id, lock=True)
            before = conn.execute(select(incidents.c.status).where(incidents.c.id == pk)).scalar()
            if only_from is not None and before != only_from:
                raise Conflict(
                    f"{display_id.strip().upper()} is {before}, not {only_from}: left as it is"
                )
            values: dict[str, Any] = {"status": status, "updated_at": now}
            if status == RESOLVED and before != RESOLVED:
                values["resolved_at"] = now
            elif status != RESOLVED:
                values["resolved_at"] = None
            conn.execute(update(incidents).where(incidents.c.id == pk).values(**values))
            detail: dict[str, Any] = {"from": before, "to": status}
            if note:
                detail["note"] = note
            add_event(conn, pk, now, actor, "status", detail)
            return incident_by_pk(conn, pk)

    def link_known_issue(
        self,
        display_id: str,
        issue_id: str | None,
        *,
        actor: str = SYSTEM_ACTOR,
        now: datetime | None = None,
    ) -> Incident:
        """Link an incident to a known issue by hand (None unlinks); later occurrences of its
        fingerprints then match that issue through history."""
        now = now or datetime.now(UTC)
        with self.write() as conn:
            pk = incident_pk(conn, display_id, lock=True)
            conn.execute(
                update(incidents)
                .where(incidents.c.id == pk)
                .values(known_issue_id=issue_id, updated_at=now)
            )
            add_event(conn, pk, now, actor, "linked", {"known_issue_id": issue_id})
            return incident_by_pk(conn, pk)

    def merge_incidents(
        self,
        source: str,
        into: str,
        *,
        note: str | None = None,
        actor: str = SYSTEM_ACTOR,
        now: datetime | None = None,
    ) -> Incident:
        """Merge incident ``source`` into ``into``: its fingerprints, occurrences and count move
        there and stay until :meth:`unmerge_incident`. Returns the target."""
        from knownfix.storage.incident_merge import merge

        with self.write() as conn:
            target = merge(conn, source, into, note, actor, now or datetime.now(UTC))
            return incident_by_pk(conn, target)

    def unmerge_incident(
        self, display_id: str, *, actor: str = SYSTEM_ACTOR, now: datetime | None = None
    ) -> Incident:
        """Undo a merge: the incident gets its fingerprints and their occurrences back."""
        from knownfix.storage.incident_merge import unmerge

        with self.write() as conn:
            pk = unmerge(conn, display_id, actor, now or datetime.now(UTC))
            return incident_by_pk(conn, pk)


