"""Money kept by a dissuasion as a column: `dissuasions.money_kept` (Decimal, 2 places),
backfilled from the audit log, where revisions up to 0004 kept it (the `money_kept` of each
`dissuasion` entry's detail).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from alembic import op

import chaincut.store.types

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _amount(detail: object) -> Decimal | None:
    """The money kept an audit detail records, or None when it records none (or garbage)."""
    if isinstance(detail, str):
        try:
            detail = json.loads(detail)
        except ValueError:
            return None
    if not isinstance(detail, dict) or not detail.get("money_kept"):
        return None
    try:
        value = Decimal(str(detail["money_kept"])).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
    return value if value.is_finite() and value >= 0 else None


def _backfill() -> None:
    """Each audited dissuasion that kept money gives it to its warning's `stopped` attempt
    (a warning is dissuaded once: the first such attempt closes it)."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT subject_id, detail FROM audit_log "
                "WHERE action = 'dissuasion' AND subject_kind = 'warning' ORDER BY id")
    ).all()  # fmt: skip
    for subject_id, detail in rows:
        kept = _amount(detail)
        if kept is None or not str(subject_id).isdigit():
            continue
        first = bind.execute(
            sa.text("SELECT min(id) FROM dissuasions WHERE warning_id = :w "
                    "AND outcome = 'stopped' AND money_kept IS NULL"),
            {"w": int(subject_id)},
        ).scalar()  # fmt: skip
        if first is not None:
            # through the Money type: integer cents on SQLite, NUMERIC(18,2) on PostgreSQL
            update = sa.text("UPDATE dissuasions SET money_kept = :m WHERE id = :i").bindparams(
                sa.bindparam("m", type_=chaincut.store.types.Money())
            )
            bind.execute(update, {"m": kept, "i": first})


def upgrade() -> None:
    with op.batch_alter_table("dissuasions") as batch:
        batch.add_column(
            sa.Column(
                "money_kept", chaincut.store.types.Money(precision=18, scale=2), nullable=True
            )
        )
    _backfill()


def downgrade() -> None:
    # the audit log still holds every amount: dropping the column loses nothing
    with op.batch_alter_table("dissuasions") as batch:
        batch.drop_column("money_kept")
