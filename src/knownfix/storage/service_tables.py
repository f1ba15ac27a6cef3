"""Tables of the service, created by migration ``0004``, on the store's shared metadata.

    events          one row per event posted to ``POST /api/v1/events``: stored before the
                    answer, analysed later by a worker. ``trace_id`` and ``idempotency_key`` are
                    unique, so a repeated post finds the first one and never starts a second
                    analysis. The body is kept gzip-compressed only until the event is analysed
                    (then dropped: what stays is the redacted triage result); ``lease_until``
                    says until when a worker owns a running event.
    api_tokens      bearer tokens, stored as SHA-256 digests (a token is 256 random bits, so a
                    plain digest cannot be brute-forced), with a role and a name
    notifications   one row per notification due (``key`` unique), so that of several workers
                    only one sends it
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Index, Integer, LargeBinary, String, Table, Text

from knownfix.storage.tables import UTCDateTime, metadata

EVENT_ID_CHARS = 36
KEY_CHARS = 200
TOKEN_HASH_CHARS = 64


events = Table(
    "events",
    metadata,
    Column("id", String(EVENT_ID_CHARS), primary_key=True),
    Column("status", String(10), nullable=False),  # pending, running, done, failed
    Column("kind", String(10), nullable=False),  # log, junit, json
    Column("source", Text, nullable=False),
    Column("scope", String(200), nullable=False, default=""),
    Column("service", Text),
    Column("trace_id", String(KEY_CHARS), unique=True),
    Column("idempotency_key", String(KEY_CHARS), unique=True),
    Column("hints", JSON, nullable=False),
    Column("body", LargeBinary),
    Column("body_bytes", Integer, nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    Column("started_at", UTCDateTime),
    Column("finished_at", UTCDateTime),
    Column("lease_until", UTCDateTime),
    Column("attempts", Integer, nullable=False, default=0),
    Column("incident_id", String(32)),
    Column("result", JSON),
    Column("error", Text),
    Index("ix_events_status_received_at", "status", "received_at"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(10), nullable=False),  # writer, viewer
    Column("token_hash", String(TOKEN_HASH_CHARS), nullable=False, unique=True),
    Column("hint", String(16), nullable=False),  # the first characters, to recognise it
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime),
    Column("revoked_at", UTCDateTime),
)

notifications = Table(
    "notifications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(KEY_CHARS), nullable=False, unique=True),
    Column("incident_id", String(32), nullable=False),
    Column("kind", String(20), nullable=False),  # opened, reopened, sla_breached
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent", Integer, nullable=False, default=0),  # targets that accepted it
    Column("error", Text),
)
