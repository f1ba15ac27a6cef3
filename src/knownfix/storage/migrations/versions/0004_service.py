"""Service: events (the ingest queue), api_tokens, notifications.

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None

_UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("scope", sa.String(200), nullable=False, server_default=""),
        sa.Column("service", sa.Text()),
        sa.Column("trace_id", sa.String(200), unique=True),
        sa.Column("idempotency_key", sa.String(200), unique=True),
        sa.Column("hints", sa.JSON(), nullable=False),
        sa.Column("body", sa.LargeBinary()),
        sa.Column("body_bytes", sa.Integer(), nullable=False),
        sa.Column("received_at", _UTC, nullable=False),
        sa.Column("started_at", _UTC),
        sa.Column("finished_at", _UTC),
        sa.Column("lease_until", _UTC),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("incident_id", sa.String(32)),
        sa.Column("result", sa.JSON()),
        sa.Column("error", sa.Text()),
    )
    op.create_index("ix_events_status_received_at", "events", ["status", "received_at"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("hint", sa.String(16), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("last_used_at", _UTC),
        sa.Column("revoked_at", _UTC),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(200), nullable=False, unique=True),
        sa.Column("incident_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("error", sa.Text()),
    )


def downgrade() -> None:
    op.drop_table("notifications")
    op.drop_table("api_tokens")
    op.drop_index("ix_events_status_received_at", "events")
    op.drop_table("events")
