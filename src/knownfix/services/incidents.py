"""Incident use cases: list, show (with occurrences and audit trail), update, resolve, merge.

Thin over :class:`~knownfix.storage.repository.Store`; what they add is the JSON shape of an
incident's detail and who acts (``cli:<user>`` from the command line).
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from knownfix.core.records import Incident, Occurrence
from knownfix.errors import InputError

if TYPE_CHECKING:
    from knownfix.storage.repository import Store

RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class IncidentDetail:
    """One incident with every occurrence it holds and its audit trail."""

    incident: Incident
    occurrences: list[Occurrence]
    events: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.incident.to_dict(),
            "occurrences": [occurrence_to_dict(o) for o in self.occurrences],
            "events": self.events,
        }


def occurrence_to_dict(occurrence: Occurrence) -> dict[str, Any]:
    """JSON form of an occurrence (times in ISO 8601)."""
    return {
        "incident_id": occurrence.incident_id,
        "source": occurrence.source,
        "received_at": occurrence.received_at.isoformat(),
        "fingerprint": occurrence.fingerprint,
        "idempotency_key": occurrence.idempotency_key,
        "excerpt_text": occurrence.excerpt_text,
    }


def cli_actor() -> str:
    """Who acts from the command line, for the audit trail: ``cli:<login name>``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name in a bare container
        return "cli"


def list_incidents(
    store: Store, status: str | None = None, *, include_merged: bool = False,
    scope: str | None = None,
) -> list[Incident]:
    """Incidents, most recently seen first (of one scope when given)."""
    return store.list_incidents(status=status, include_merged=include_merged, scope=scope)


def show_incident(store: Store, display_id: str) -> IncidentDetail:
    """An incident, its occurrences (oldest first) and its audit trail."""
    incident = store.get_incident(display_id)
    return IncidentDetail(
        incident=incident,
        occurrences=store.list_occurrences(incident.id),
        events=store.incident_events(incident.id),
    )


def update_incident(
    store: Store,
    display_id: str,
    *,
    status: str | None = None,
    note: str | None = None,
    known_issue: str | None = None,
    actor: str,
) -> Incident:
    """Change an incident's status and/or its linked known issue (``-`` unlinks)."""
    if status is None and known_issue is None:
        raise InputError("nothing to update: give --status and/or --known-issue")
    incident = store.get_incident(display_id)
    if known_issue is not None:
        issue_id = None if known_issue == "-" else store.get_known_issue(known_issue).id
        incident = store.link_known_issue(incident.id, issue_id, actor=actor)
    if status is not None:
        incident = store.set_incident_status(incident.id, status, note=note, actor=actor)
    return incident


def resolve_incident(
    store: Store, display_id: str, *, note: str | None = None, actor: str
) -> Incident:
    """Mark an incident resolved; its next occurrence reopens it."""
    return store.set_incident_status(display_id, RESOLVED, note=note, actor=actor)


def merge_incidents(
    store: Store, source: str, into: str, *, note: str | None = None, actor: str
) -> Incident:
    """Merge ``source`` into ``into`` (until unmerged); returns the target."""
    return store.merge_incidents(source, into, note=note, actor=actor)


def unmerge_incident(store: Store, display_id: str, *, actor: str) -> Incident:
    """Undo the merge of ``display_id``; returns it restored."""
    return store.unmerge_incident(display_id, actor=actor)
