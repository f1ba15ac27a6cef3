"""The stored match index (match_issue_terms, match_index) and what each imported document
was (imported_documents), so an unchanged document is not parsed again.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Built on first use after this upgrade (knownfix kb reindex builds it at once).
    op.create_table(
        "match_issue_terms",
        sa.Column("issue_id", sa.String(200),
                  sa.ForeignKey("known_issues.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("stamp", sa.Text(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
    )
    op.create_table(
        "match_index",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("format", sa.String(80), nullable=False),
        sa.Column("import_run", sa.Integer(), nullable=False),
        sa.Column("issues", sa.Integer(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )


    op.create_table(
        "imported_documents",
        sa.Column("doc_key", sa.Text(), primary_key=True),
        sa.Column("digest", sa.String(200), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("imported_documents")
    op.drop_table("match_index")
    op.drop_table("match_issue_terms")
