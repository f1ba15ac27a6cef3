"""Tables of the incident side, created by migration ``0002``, on the store's shared metadata.

    incidents              one live record per failure: display id (CRIT-001), lifecycle, counts,
                           SLA due time, linked known issue, merge target, scope
    incident_fingerprints  (scope, loose fingerprint) (primary key) → the incident it joins; the
                           incident it first opened stays in ``original_incident_id`` so unmerge
                           can restore it
    occurrences            one row per received failure; ``idempotency_key`` is unique, so a
                           repeated post of one key (or trace id) is stored and counted once
    incident_events        the audit trail: who did what to an incident, when, with which detail
    display_id_counters    the next number per display-id prefix (CRIT, HIGH, MED ...)

The primary key on ``incident_fingerprints`` is what makes dedup atomic: two processes that see
the same new failure both try to insert it, one wins, the other re-reads. A *scope* (a
repository, a service; ``""`` when none is given) keeps the incidents of one failure in two
projects apart, as error trackers keep projects apart; known-issue links are shared by all.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from knownfix.storage.tables import UTCDateTime, metadata

FINGERPRINT_CHARS = 64
KEY_CHARS = 200
SCOPE_CHARS = 200


incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("display_id", String(32), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("severity", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("response_time", Text),
    Column("escalation", Text),
    Column("fingerprint", String(FINGERPRINT_CHARS), nullable=False),
    Column("known_issue_id", String(200)),
    Column("count", Integer, nullable=False, default=0),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),
    Column("sla_due_at", UTCDateTime),
    Column("resolved_at", UTCDateTime),
    Column("reopened", Integer, nullable=False, default=0),
    Column("merged_into", Integer, ForeignKey("incidents.id")),
    Column("scope", String(SCOPE_CHARS), nullable=False, default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_incidents_status", "status"),
    Index("ix_incidents_last_seen", "last_seen"),
)

incident_fingerprints = Table(
    "incident_fingerprints",
    metadata,
    Column("scope", String(SCOPE_CHARS), primary_key=True),
    Column("loose_fingerprint", String(FINGERPRINT_CHARS), primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False),
    Column("original_incident_id", Integer, ForeignKey("incidents.id"), nullable=False),
    Column("version", String(32), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_incident_fingerprints_incident_id", "incident_id"),
    Index("ix_incident_fingerprints_original", "original_incident_id"),
)

occurrences = Table(
    "occurrences",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False),
    Column("source", Text, nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    Column("fingerprint", String(FINGERPRINT_CHARS), nullable=False),
    Column("loose_fingerprint", String(FINGERPRINT_CHARS), nullable=False),
    Column("scope", String(SCOPE_CHARS), nullable=False, default=""),
    Column("idempotency_key", String(KEY_CHARS), unique=True),
    Column("excerpt_text", Text, nullable=False),
    Column("spans", JSON, nullable=False),
    Column("title", Text, nullable=False),
    Index("ix_occurrences_incident_id", "incident_id"),
    Index("ix_occurrences_received_at", "received_at"),
    Index("ix_occurrences_loose_fingerprint", "loose_fingerprint"),
)

incident_events = Table(
    "incident_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(40), nullable=False),
    Column("detail", JSON, nullable=False),
    Index("ix_incident_events_incident_id", "incident_id"),
)

display_id_counters = Table(
    "display_id_counters",
    metadata,
    Column("prefix", String(16), primary_key=True),
    Column("next", Integer, nullable=False),
)
