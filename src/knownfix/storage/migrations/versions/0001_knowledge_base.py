"""Knowledge base: known_issues, import_runs and the dialect's search index.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "known_issues",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("symptoms", sa.JSON(), nullable=False),
        sa.Column("signature", sa.JSON(), nullable=False),
        sa.Column("root_cause", sa.Text(), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.Column("resolution_steps", sa.JSON(), nullable=False),
        sa.Column("commands", sa.JSON(), nullable=False),
        sa.Column("verification", sa.JSON(), nullable=False),
        sa.Column("prevention", sa.Text(), nullable=False),
        sa.Column("category", sa.Text()),
        sa.Column("severity", sa.Text()),
        sa.Column("status", sa.Text()),
        sa.Column("self_healing", sa.Text()),
        sa.Column("response_time", sa.Text()),
        sa.Column("escalation", sa.Text()),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("source_path", sa.Text()),
        sa.Column("source_line", sa.Integer()),
        sa.Column("doc_key", sa.Text(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("updated_at", _UTC, nullable=False),
    )
    op.create_index("ix_known_issues_doc_key", "known_issues", ["doc_key"])
    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("started_at", _UTC, nullable=False),
        sa.Column("finished_at", _UTC, nullable=False),
        sa.Column("doc_keys", sa.JSON(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("retired", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE known_issue_fts USING fts5("
            "issue_id UNINDEXED, title, symptoms, body, other, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
    else:
        op.create_table(
            "known_issue_search",
            sa.Column(
                "issue_id",
                sa.String(200),
                sa.ForeignKey("known_issues.id", ondelete="CASCADE"),
                primary_key=True,
            ),
            sa.Column("title", sa.Text(), nullable=False),
            sa.Column("symptoms", sa.Text(), nullable=False),
            sa.Column("body", sa.Text(), nullable=False),
            sa.Column("other", sa.Text(), nullable=False),
            sa.Column("document", postgresql.TSVECTOR(), nullable=False),
        )
        op.create_index(
            "ix_known_issue_search_document",
            "known_issue_search",
            ["document"],
            postgresql_using="gin",
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS known_issue_fts")
    else:
        op.drop_table("known_issue_search")
    op.drop_table("import_runs")
    op.drop_index("ix_known_issues_doc_key", "known_issues")
    op.drop_table("known_issues")
