"""Gang analysis: the analyst's same-person judgements and the links of gangs to cases.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chaincut.store.types

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    when = chaincut.store.types.UTCDateTime(timezone=True)
    op.create_table(
        "person_judgements",
        sa.Column("person_a", sa.String(length=64), nullable=False),
        sa.Column("person_b", sa.String(length=64), nullable=False),
        sa.Column("same", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("judged_by", sa.String(length=64), nullable=False),
        sa.Column("judged_at", when, nullable=False),
        sa.PrimaryKeyConstraint("person_a", "person_b", name=op.f("pk_person_judgements")),
    )
    op.create_table(
        "gang_cases",
        sa.Column("gang_id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("linked_by", sa.String(length=64), nullable=False),
        sa.Column("linked_at", when, nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.case_id"], name=op.f("fk_gang_cases_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("gang_id", "case_id", name=op.f("pk_gang_cases")),
    )


def downgrade() -> None:
    op.drop_table("gang_cases")
    op.drop_table("person_judgements")
