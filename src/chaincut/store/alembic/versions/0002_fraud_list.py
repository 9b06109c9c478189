"""The managed fraud list that the public self-check reads.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chaincut.store.types

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _vocabulary(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    when = chaincut.store.types.UTCDateTime(timezone=True)
    op.create_table(
        "fraud_list",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "kind",
            _vocabulary("listed_kind", "phone", "url", "domain", "account", "qq", "wechat"),
            nullable=False,
        ),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.Column(
            "source",
            _vocabulary(
                "list_source", "report", "analyst", "operator_feed", "bank_feed", "lake_label"
            ),
            nullable=False,
        ),
        sa.Column("risk", _vocabulary("list_risk", "high", "medium"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("report_id", sa.String(length=64), nullable=True),
        sa.Column("institution", sa.String(length=64), nullable=True),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_at", when, nullable=False),
        sa.Column("expires_at", when, nullable=True),
        sa.Column("removed_at", when, nullable=True),
        sa.Column("removed_by", sa.String(length=64), nullable=True),
        sa.Column("removal_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "expires_at IS NULL OR expires_at > added_at",
            name=op.f("ck_fraud_list_expiry_after_added"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fraud_list")),
    )
    op.create_index(op.f("ix_fraud_list_institution"), "fraud_list", ["institution"])
    op.create_index("ix_fraud_list_kind_value", "fraud_list", ["kind", "value"])
    op.create_index(op.f("ix_fraud_list_report_id"), "fraud_list", ["report_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_fraud_list_report_id"), table_name="fraud_list")
    op.drop_index("ix_fraud_list_kind_value", table_name="fraud_list")
    op.drop_index(op.f("ix_fraud_list_institution"), table_name="fraud_list")
    op.drop_table("fraud_list")
