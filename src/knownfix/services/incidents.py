"""Incident use cases: list (filtered), show (with occurrences and audit trail), acknowledge,
update, resolve, merge, and the known issues an incident's excerpt matches today.

Thin over :class:`~knownfix.storage.repository.Store`; what they add is the JSON shape of an
incident's detail, filters that read like the dashboard's, and who acts (``cli:<user>`` from
the command line, ``web:<token name>`` from the dashboard).
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from knownfix.core.records import INCIDENT_STATUSES, Incident, Occurrence
from knownfix.core.report.kpis import past_sla
from knownfix.core.report.text import natural_key, severity_label, severity_order
from knownfix.errors import InputError

if TYPE_CHECKING:
    from knownfix.core.match import MatchIndex, MatchResult
    from knownfix.storage.repository import Store

OPEN = "open"
ACKNOWLEDGED = "investigating"
RESOLVED = "resolved"
UNRESOLVED = "unresolved"
"""The status filter that keeps every incident not yet resolved (open, investigating, mitigated)."""
STATUS_FILTERS = (UNRESOLVED, *INCIDENT_STATUSES)
MATCH_LIMIT = 5


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
        "spans": [[first, last] for first, last in occurrence.spans],
    }


def cli_actor() -> str:
    """Who acts from the command line, for the audit trail: ``cli:<login name>``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name in a bare container
        return "cli"


def list_incidents(
    store: Store, status: str | None = None, *, include_merged: bool = False,
    scope: str | None = None, severity: str | None = None, category: str | None = None,
    query: str | None = None, known_issue: str | None = None,
    past_sla_at: datetime | None = None,
) -> list[Incident]:
    """Incidents, most recently seen first, narrowed by each filter given.

    ``status`` is one incident status or ``unresolved``; ``severity`` any spelling of a level
    ("P1", "High" and "high" are one); ``category`` compares without case; ``query`` keeps
    incidents whose id, title, category, scope or linked known issue holds every word of it;
    ``known_issue`` keeps the incidents linked to that known issue; ``past_sla_at`` those
    still owed a response whose SLA due time had passed at that moment.
    """
    wanted = (status or "").strip().lower() or None
    found = store.list_incidents(
        status=None if wanted == UNRESOLVED else wanted, include_merged=include_merged,
        scope=scope,
    )
    if wanted == UNRESOLVED:
        found = [i for i in found if i.status != RESOLVED]
    if severity and severity.strip():
        label = severity_label(severity)
        found = [i for i in found if severity_label(i.severity) == label]
    if category and category.strip():
        folded = category.strip().casefold()
        found = [i for i in found if i.category.casefold() == folded]
    if known_issue is not None:
        found = [i for i in found if i.known_issue_id == known_issue]
    if past_sla_at is not None:
        found = [i for i in found if past_sla(i, past_sla_at)]
    words = (query or "").casefold().split()
    if words:
        found = [i for i in found if all(word in _searchable(i) for word in words)]
    return found


def _searchable(incident: Incident) -> str:
    parts = (incident.id, incident.title, incident.category, incident.scope,
             incident.known_issue_id or "")
    return " ".join(parts).casefold()


@dataclass(frozen=True, slots=True)
class IncidentFacets:
    """The values the incident filters can take in this store, for pick lists."""

    severities: tuple[str, ...]
    categories: tuple[str, ...]
    scopes: tuple[str, ...]


def incident_facets(incidents: Iterable[Incident]) -> IncidentFacets:
    """Severity labels (most urgent first), categories and scopes found among ``incidents``."""
    seen = list(incidents)
    return IncidentFacets(
        severities=tuple(sorted({severity_label(i.severity) for i in seen}, key=severity_order)),
        categories=tuple(sorted({i.category for i in seen if i.category}, key=natural_key)),
        scopes=tuple(sorted({i.scope for i in seen if i.scope}, key=natural_key)),
    )


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


def acknowledge_incident(
    store: Store, display_id: str, *, note: str | None = None, actor: str
) -> Incident:
    """Someone is on it: an open incident moves to ``investigating``; Conflict if it is not open.

    Only an open incident can be acknowledged, so of two people pressing the button at once one
    is recorded in the audit trail and the other is told the incident moved on.
    """
    return store.set_incident_status(
        display_id, ACKNOWLEDGED, note=note or "acknowledged", actor=actor, only_from=OPEN
    )


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


def incident_matches(
    store: Store, index: MatchIndex, detail: IncidentDetail, *, limit: int = MATCH_LIMIT
) -> MatchResult | None:
    """The known issues the incident's latest excerpt matches against today's knowledge base,
    with the reasons; None for an incident with no occurrence left (all merged away)."""
    from knownfix.core.signature.fingerprint import fingerprint_excerpt

    if not detail.occurrences:
        return None
    latest = detail.occurrences[-1]
    excerpt = latest.excerpt()
    numbers = excerpt.line_numbers()
    # The fingerprints as recorded, not recomputed: a weak excerpt's took the failed step in,
    # which the occurrence does not keep, and the fingerprint links are keyed by them.
    signature = replace(fingerprint_excerpt(excerpt.text, line_numbers=numbers),
                        fingerprint=latest.fingerprint,
                        loose_fingerprint=detail.incident.fingerprint)
    return index.rank(excerpt.text, signature, history=store.fingerprint_links(), limit=limit,
                      line_numbers=numbers)
