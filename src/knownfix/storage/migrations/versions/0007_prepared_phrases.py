"""Each known issue's prepared phrases beside its terms (match_issue_terms.prepared).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Filled by the next import or rebuild (the index format changed with it, so every row's
    # stamp is stale); until then triage prepares candidates from their text, as before.
    with op.batch_alter_table("match_issue_terms") as batch:
        batch.add_column(sa.Column("prepared", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("match_issue_terms") as batch:
        batch.drop_column("prepared")
