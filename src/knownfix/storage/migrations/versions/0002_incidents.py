"""Incidents: incidents, incident_fingerprints, occurrences, incident_events, display_id_counters.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_UTC = sa.DateTime(timezone=True)
_FP = sa.String(64)


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("display_id", sa.String(32), nullable=False, unique=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("severity", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("response_time", sa.Text()),
        sa.Column("escalation", sa.Text()),
        sa.Column("fingerprint", _FP, nullable=False),
        sa.Column("known_issue_id", sa.String(200)),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_seen", _UTC, nullable=False),
        sa.Column("last_seen", _UTC, nullable=False),
        sa.Column("sla_due_at", _UTC),
        sa.Column("resolved_at", _UTC),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.Column("merged_into", sa.Integer(), sa.ForeignKey("incidents.id")),
        sa.Column("scope", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("updated_at", _UTC, nullable=False),
    )
    op.create_index("ix_incidents_status", "incidents", ["status"])
    op.create_index("ix_incidents_last_seen", "incidents", ["last_seen"])
    op.create_table(
        "incident_fingerprints",
        sa.Column("scope", sa.String(200), primary_key=True),
        sa.Column("loose_fingerprint", _FP, primary_key=True),
        sa.Column("incident_id", sa.Integer(), sa.ForeignKey("incidents.id"), nullable=False),
        sa.Column(
            "original_incident_id", sa.Integer(), sa.ForeignKey("incidents.id"), nullable=False
        ),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
    )
    op.create_index(
        "ix_incident_fingerprints_incident_id", "incident_fingerprints", ["incident_id"]
    )
    op.create_index(
        "ix_incident_fingerprints_original", "incident_fingerprints", ["original_incident_id"]
    )
    op.create_table(
        "occurrences",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("incident_id", sa.Integer(), sa.ForeignKey("incidents.id"), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("received_at", _UTC, nullable=False),
        sa.Column("fingerprint", _FP, nullable=False),
        sa.Column("loose_fingerprint", _FP, nullable=False),
        sa.Column("scope", sa.String(200), nullable=False, server_default=""),
        sa.Column("idempotency_key", sa.String(200), unique=True),
        sa.Column("excerpt_text", sa.Text(), nullable=False),
        sa.Column("spans", sa.JSON(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
    )
    op.create_index("ix_occurrences_incident_id", "occurrences", ["incident_id"])
    op.create_index("ix_occurrences_received_at", "occurrences", ["received_at"])
    op.create_index("ix_occurrences_loose_fingerprint", "occurrences", ["loose_fingerprint"])
    op.create_table(
        "incident_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("incident_id", sa.Integer(), sa.ForeignKey("incidents.id"), nullable=False),
        sa.Column("at", _UTC, nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    op.create_index("ix_incident_events_incident_id", "incident_events", ["incident_id"])
    op.create_table(
        "display_id_counters",
        sa.Column("prefix", sa.String(16), primary_key=True),
        sa.Column("next", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("display_id_counters")
    op.drop_index("ix_incident_events_incident_id", "incident_events")
    op.drop_table("incident_events")
    for name in ("loose_fingerprint", "received_at", "incident_id"):
        op.drop_index(f"ix_occurrences_{name}", "occurrences")
    op.drop_table("occurrences")
    op.drop_index("ix_incident_fingerprints_original", "incident_fingerprints")
    op.drop_index("ix_incident_fingerprints_incident_id", "incident_fingerprints")
    op.drop_table("incident_fingerprints")
    op.drop_index("ix_incidents_last_seen", "incidents")
    op.drop_index("ix_incidents_status", "incidents")
    op.drop_table("incidents")
