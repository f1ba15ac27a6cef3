"""Self-healing: playbook_runs, playbook_breakers, healing_leases, healing_flags,
detector_states, check_baselines, detector_schedule.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "playbook_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("playbook", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("trigger", sa.String(20), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("incident_id", sa.String(32)),
        sa.Column("reason", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("started_at", _UTC),
        sa.Column("finished_at", _UTC),
        sa.Column("episode_started_at", _UTC),
        sa.Column("approved_by", sa.Text()),
        sa.Column("approved_at", _UTC),
        sa.Column("trial", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("plan_digest", sa.String(64), nullable=False, server_default=""),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("verify", sa.JSON()),
    )
    op.create_index("ix_playbook_runs_playbook_created", "playbook_runs",
                    ["playbook", "created_at"])
    op.create_index("ix_playbook_runs_incident", "playbook_runs", ["incident_id"])
    op.create_index("ix_playbook_runs_status", "playbook_runs", ["status"])
    op.create_table(
        "playbook_breakers",
        sa.Column("playbook", sa.String(200), primary_key=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("opened_at", _UTC),
        sa.Column("trial_started_at", _UTC),
        sa.Column("updated_at", _UTC, nullable=False),
    )
    op.create_table(
        "healing_leases",
        sa.Column("key", sa.String(240), primary_key=True),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("holder", sa.Text(), nullable=False),
        sa.Column("expires_at", _UTC, nullable=False),
    )
    op.create_table(
        "healing_flags",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("updated_at", _UTC, nullable=False),
    )
    op.create_table(
        "detector_states",
        sa.Column("scope", sa.String(200), primary_key=True),
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("ok", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("last_run_at", _UTC, nullable=False),
        sa.Column("last_ok_at", _UTC),
        sa.Column("failing_since", _UTC),
        sa.Column("incident_id", sa.String(32)),
    )
    op.create_table(
        "check_baselines",
        sa.Column("scope", sa.String(200), primary_key=True),
        sa.Column("detector", sa.String(200), primary_key=True),
        sa.Column("metric", sa.String(500), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("accepted_at", _UTC, nullable=False),
        sa.Column("accepted_by", sa.Text(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
    )
    op.create_table(
        "detector_schedule",
        sa.Column("scope", sa.String(200), primary_key=True),
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("claimed_at", _UTC, nullable=False),
        sa.Column("holder", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("detector_schedule")
    op.drop_table("check_baselines")
    op.drop_table("detector_states")
    op.drop_table("healing_flags")
    op.drop_table("healing_leases")
    op.drop_table("playbook_breakers")
    for name in ("status", "incident", "playbook_created"):
        op.drop_index(f"ix_playbook_runs_{name}", "playbook_runs")
    op.drop_table("playbook_runs")
