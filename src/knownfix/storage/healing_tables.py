"""Tables of self-healing, created by migration ``0005``, on the store's shared metadata.

    playbook_runs      one row per run of a playbook: trigger, actor, status, the plan, each
                       step's outcome (redacted), approval — the audit trail of healing
    playbook_breakers  one row per playbook: its circuit breaker (closed / open / half-open),
                       read and changed under a row lock, so it holds across processes
    healing_leases     one row per thing being healed (an incident): who holds it until when;
                       the primary key makes "one run at a time" atomic on any backend
    healing_flags      switches shared by every process (``paused``: the store's kill switch)
    detector_states    one row per (scope, detector): last result, since when it fails, when it
                       last passed — the detection time and the service's schedule read it
    check_baselines    the accepted value of each drift detector's metric
    detector_schedule  one row per (scope, detector): when a service last claimed its turn, so
                       many service processes run each detector once per interval
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Float, Index, Integer, String, Table, Text

from knownfix.storage.tables import UTCDateTime, metadata

NAME_CHARS = 200
SCOPE_CHARS = 200


playbook_runs = Table(
    "playbook_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("playbook", String(NAME_CHARS), nullable=False),
    Column("status", String(20), nullable=False),
    Column("trigger", String(20), nullable=False),
    Column("actor", Text, nullable=False),
    Column("target", Text, nullable=False),
    Column("incident_id", String(32)),  # the display id: stable, and kept after a merge
    Column("reason", Text, nullable=False, default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("started_at", UTCDateTime),
    Column("finished_at", UTCDateTime),
    Column("episode_started_at", UTCDateTime),
    Column("approved_by", Text),
    Column("approved_at", UTCDateTime),
    Column("trial", Integer, nullable=False, default=0),
    Column("plan", JSON, nullable=False),
    Column("plan_digest", String(64), nullable=False, default=""),
    Column("steps", JSON, nullable=False),
    Column("verify", JSON),
    Index("ix_playbook_runs_playbook_created", "playbook", "created_at"),
    Index("ix_playbook_runs_incident", "incident_id"),
    Index("ix_playbook_runs_status", "status"),
)

playbook_breakers = Table(
    "playbook_breakers",
    metadata,
    Column("playbook", String(NAME_CHARS), primary_key=True),
    Column("state", String(20), nullable=False),
    Column("failures", Integer, nullable=False),
    Column("opened_at", UTCDateTime),
    Column("trial_started_at", UTCDateTime),
    Column("updated_at", UTCDateTime, nullable=False),
)

healing_leases = Table(
    "healing_leases",
    metadata,
    Column("key", String(NAME_CHARS + 40), primary_key=True),
    Column("run_id", Integer, nullable=False),
    Column("holder", Text, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)

healing_flags = Table(
    "healing_flags",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

detector_states = Table(
    "detector_states",
    metadata,
    Column("scope", String(SCOPE_CHARS), primary_key=True),
    Column("name", String(NAME_CHARS), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("ok", Integer, nullable=False),
    Column("message", Text, nullable=False),
    Column("last_run_at", UTCDateTime, nullable=False),
    Column("last_ok_at", UTCDateTime),
    Column("failing_since", UTCDateTime),
    Column("incident_id", String(32)),
)

check_baselines = Table(
    "check_baselines",
    metadata,
    Column("scope", String(SCOPE_CHARS), primary_key=True),
    Column("detector", String(NAME_CHARS), primary_key=True),
    Column("metric", String(500), nullable=False),
    Column("value", Float, nullable=False),
    Column("accepted_at", UTCDateTime, nullable=False),
    Column("accepted_by", Text, nullable=False),
    Column("report", Text, nullable=False),
)

detector_schedule = Table(
    "detector_schedule",
    metadata,
    Column("scope", String(SCOPE_CHARS), primary_key=True),
    Column("name", String(NAME_CHARS), primary_key=True),
    Column("claimed_at", UTCDateTime, nullable=False),
    Column("holder", Text, nullable=False),
)
