"""The worklist's order: `warnings.priority` (what the worklist ranks by, round thirteen's
urgency model; backfilled with the score, the order before) and `warnings.urgent` (why the
warning is urgent, or that it is for recovery: `{"why", "why_code"}`).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("warnings") as batch:
        batch.add_column(sa.Column("priority", sa.Float(), nullable=True))
        batch.add_column(
            sa.Column(
                "urgent",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )
    # warnings raised before kept their order: the score
    op.execute(sa.text("UPDATE warnings SET priority = score"))
    op.create_index("ix_warnings_status_priority", "warnings", ["status", "priority"])


def downgrade() -> None:
    op.drop_index("ix_warnings_status_priority", table_name="warnings")
    with op.batch_alter_table("warnings") as batch:
        batch.drop_column("urgent")
        batch.drop_column("priority")
