"""Freeze-order steps: verify orders (hold nothing), superseded orders (a stop turned into a
formal freeze, a verify order escalated to a stop), the legal document's number and the
order's detail (a verify order's score and reasons).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("emergency_stop", "freeze", "request_subaccount_detail")
STATUSES = ("issued", "confirmed", "renewed", "released", "expired")
ACTIONS = ("issued", "updated", "confirmed", "renewed", "released", "expired")


def _vocabulary(name: str, values: Sequence[str]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _widen(table: str, columns: dict[str, tuple[Sequence[str], Sequence[str]]]) -> None:
    """Change each column's CHECK constraint from its old values to its new ones."""
    with op.batch_alter_table(table) as batch:
        for column, (old, new) in columns.items():
            name = {"kind": "order_kind", "status": "order_status", "action": "order_action"}
            enum = name.get(column, column)
            batch.alter_column(
                column,
                existing_type=_vocabulary(enum, old),
                type_=_vocabulary(enum, new),
                existing_nullable=column != "from_status",
            )


EVENTS = "freeze_order_events"


def _unguard_events() -> None:
    """Lift the events table's append-only guard (revision 0001) while the table is rebuilt."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {EVENTS}_append_only ON {EVENTS}")
    else:
        for statement in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {EVENTS}_no_{statement}")


def _guard_events() -> None:
    """Put the guard back (SQLite's batch rebuild of the table drops its triggers)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {EVENTS}_append_only BEFORE UPDATE OR DELETE ON {EVENTS} "
            "FOR EACH ROW EXECUTE FUNCTION chaincut_append_only()"
        )
        return
    for statement in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {EVENTS}_no_{statement.lower()} BEFORE {statement} ON {EVENTS} "
            f"BEGIN SELECT RAISE(ABORT, '{EVENTS} is append-only: {statement} is not allowed'); END"
        )


def upgrade() -> None:
    _widen(
        "freeze_orders",
        {"kind": (KINDS, (*KINDS, "verify")), "status": (STATUSES, (*STATUSES, "superseded"))},
    )
    _unguard_events()
    _widen(
        EVENTS,
        {
            "action": (ACTIONS, (*ACTIONS, "superseded")),
            "from_status": (STATUSES, (*STATUSES, "superseded")),
            "to_status": (STATUSES, (*STATUSES, "superseded")),
        },
    )
    _guard_events()
    with op.batch_alter_table("freeze_orders") as batch:
        batch.add_column(sa.Column("document", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column(
                "detail",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    _unguard_events()
    op.execute("DELETE FROM freeze_order_events WHERE order_id IN "
               "(SELECT order_id FROM freeze_orders WHERE kind = 'verify')")  # fmt: skip
    op.execute("DELETE FROM freeze_orders WHERE kind = 'verify'")
    op.execute("UPDATE freeze_orders SET status = 'released' WHERE status = 'superseded'")
    op.execute("UPDATE freeze_order_events SET action = 'released' WHERE action = 'superseded'")
    op.execute("UPDATE freeze_order_events SET from_status = 'released' "
               "WHERE from_status = 'superseded'")  # fmt: skip
    op.execute("UPDATE freeze_order_events SET to_status = 'released' "
               "WHERE to_status = 'superseded'")  # fmt: skip
    with op.batch_alter_table("freeze_orders") as batch:
        batch.drop_column("detail")
        batch.drop_column("document")
    _widen(
        EVENTS,
        {
            "action": ((*ACTIONS, "superseded"), ACTIONS),
            "from_status": ((*STATUSES, "superseded"), STATUSES),
            "to_status": ((*STATUSES, "superseded"), STATUSES),
        },
    )
    _guard_events()
    _widen(
        "freeze_orders",
        {"kind": ((*KINDS, "verify"), KINDS), "status": ((*STATUSES, "superseded"), STATUSES)},
    )
