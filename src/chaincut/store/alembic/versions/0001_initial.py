"""Initial schema: every table of the operational store, and the append-only guards.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import chaincut.store.types

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


#: tables that only ever grow: UPDATE, DELETE (and on PostgreSQL TRUNCATE) raise
APPEND_ONLY_TABLES = ("audit_log", "freeze_order_events")

PG_GUARD_FUNCTION = """
CREATE FUNCTION chaincut_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END
$$
"""


def guard_append_only(table: str) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION chaincut_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION chaincut_append_only()"
        )
    elif dialect == "sqlite":
        for statement in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{statement.lower()} BEFORE {statement} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {statement} is not allowed'); END"
            )
    else:
        raise NotImplementedError(f"no append-only guard for the {dialect} dialect")


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at", chaincut.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject_kind", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.String(length=128), nullable=False),
        sa.Column("purpose", sa.String(length=255), nullable=True),
        sa.Column(
            "detail",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_action"), "audit_log", ["action"], unique=False)
    op.create_index(op.f("ix_audit_log_actor"), "audit_log", ["actor"], unique=False)
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)
    op.create_index(
        "ix_audit_log_subject", "audit_log", ["subject_kind", "subject_id"], unique=False
    )

    op.create_table(
        "cases",
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("batch", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("den_location", sa.String(length=200), nullable=True),
        sa.Column(
            "fraud_methods",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "closed",
                name="case_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "amount_involved", chaincut.store.types.Money(precision=18, scale=2), nullable=False
        ),
        sa.Column(
            "amount_frozen", chaincut.store.types.Money(precision=18, scale=2), nullable=False
        ),
        sa.Column(
            "amount_seized", chaincut.store.types.Money(precision=18, scale=2), nullable=False
        ),
        sa.Column(
            "amount_returned", chaincut.store.types.Money(precision=18, scale=2), nullable=False
        ),
        sa.Column("financiers_caught", sa.Integer(), nullable=False),
        sa.Column("financiers_at_large", sa.Integer(), nullable=False),
        sa.Column("core_members_caught", sa.Integer(), nullable=False),
        sa.Column("core_members_at_large", sa.Integer(), nullable=False),
        sa.Column("created_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_cases")),
    )
    op.create_index(op.f("ix_cases_batch"), "cases", ["batch"], unique=False)

    op.create_table(
        "punishments",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("subject_name", sa.String(length=200), nullable=True),
        sa.Column(
            "measure",
            sa.Enum(
                "financial",
                "telecom",
                "credit",
                name="measure",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "basis",
            sa.Enum(
                "criminal",
                "police_determination",
                name="basis",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("start_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("retained_phone", sa.String(length=32), nullable=True),
        sa.Column(
            "appeal_status",
            sa.Enum(
                "none",
                "pending",
                "upheld",
                "rejected",
                name="appeal_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "appeal_filed_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("appeal_note", sa.Text(), nullable=True),
        sa.Column(
            "appeal_decided_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("removed_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("removal_reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("expires_at > start_at", name=op.f("ck_punishments_period_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_punishments")),
    )
    op.create_index(op.f("ix_punishments_subject_id"), "punishments", ["subject_id"], unique=False)

    op.create_table(
        "reports",
        sa.Column("report_id", sa.String(length=64), nullable=False),
        sa.Column("filed_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("victim_id", sa.String(length=64), nullable=True),
        sa.Column("victim_account", sa.String(length=64), nullable=False),
        sa.Column(
            "fraud_txn_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("fraud_type", sa.String(length=40), nullable=True),
        sa.Column("narrative", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "received",
                "traced",
                "closed",
                name="report_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("created_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_reports")),
    )
    op.create_index(op.f("ix_reports_filed_at"), "reports", ["filed_at"], unique=False)
    op.create_index(op.f("ix_reports_victim_account"), "reports", ["victim_account"], unique=False)
    op.create_index(op.f("ix_reports_victim_id"), "reports", ["victim_id"], unique=False)

    op.create_table(
        "users",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "public",
                "bank",
                "telecom",
                "analyst",
                "admin",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("institution", sa.String(length=64), nullable=True),
        sa.Column("token_id", sa.String(length=32), nullable=True),
        sa.Column("token_hash", sa.String(length=255), nullable=True),
        sa.Column(
            "token_issued_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("disabled_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role <> 'bank' OR institution IS NOT NULL", name=op.f("ck_users_bank_has_institution")
        ),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_users")),
        sa.UniqueConstraint("token_id", name=op.f("uq_users_token_id")),
    )
    op.create_table(
        "warnings",
        sa.Column(
            "warning_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("fraud_type", sa.String(length=40), nullable=True),
        sa.Column(
            "signals",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "dissuaded",
                "closed",
                "false_alarm",
                name="warning_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("assigned_to", sa.String(length=64), nullable=True),
        sa.Column("updated_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("warning_id", name=op.f("pk_warnings")),
    )
    op.create_index(op.f("ix_warnings_created_at"), "warnings", ["created_at"], unique=False)
    op.create_index("ix_warnings_status_score", "warnings", ["status", "score"], unique=False)
    op.create_index(op.f("ix_warnings_subject_id"), "warnings", ["subject_id"], unique=False)

    op.create_table(
        "case_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("at", chaincut.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.case_id"], name=op.f("fk_case_events_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    op.create_index(op.f("ix_case_events_case_id"), "case_events", ["case_id"], unique=False)

    op.create_table(
        "case_reports",
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("report_id", sa.String(length=64), nullable=False),
        sa.Column("attached_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.case_id"], name=op.f("fk_case_reports_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.report_id"], name=op.f("fk_case_reports_report_id_reports")
        ),
        sa.PrimaryKeyConstraint("case_id", "report_id", name=op.f("pk_case_reports")),
    )
    op.create_table(
        "case_suspects",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column(
            "role",
            sa.Enum(
                "financier",
                "core_member",
                "operator",
                "logistics",
                "card_dealer",
                "launderer",
                "recruiter",
                "other",
                name="suspect_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "at_large",
                "arrested",
                "sentenced",
                name="suspect_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("arrested_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sentence", sa.Text(), nullable=True),
        sa.Column("sentence_months", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.case_id"], name=op.f("fk_case_suspects_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_suspects")),
        sa.UniqueConstraint(
            "case_id", "person_id", name=op.f("uq_case_suspects_case_id_person_id")
        ),
    )
    op.create_index(op.f("ix_case_suspects_case_id"), "case_suspects", ["case_id"], unique=False)
    op.create_index(
        op.f("ix_case_suspects_person_id"), "case_suspects", ["person_id"], unique=False
    )

    op.create_table(
        "dissuasions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "warning_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("at", chaincut.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "call",
                "sms",
                "visit",
                name="dissuasion_channel",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "outcome",
            sa.Enum(
                "stopped",
                "continued",
                "unreachable",
                "already_paid",
                name="dissuasion_outcome",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("actor", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["warning_id"], ["warnings.warning_id"], name=op.f("fk_dissuasions_warning_id_warnings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dissuasions")),
    )
    op.create_index(op.f("ix_dissuasions_warning_id"), "dissuasions", ["warning_id"], unique=False)

    op.create_table(
        "freeze_orders",
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("report_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("institution", sa.String(length=64), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "emergency_stop",
                "freeze",
                "request_subaccount_detail",
                name="order_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("amount", chaincut.store.types.Money(precision=18, scale=2), nullable=False),
        sa.Column("hop", sa.Integer(), nullable=False),
        sa.Column(
            "rule",
            sa.Enum(
                "fifo",
                "libr",
                "prorata",
                name="tracing_rule",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "evidence",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "issued",
                "confirmed",
                "renewed",
                "released",
                "expired",
                name="order_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("issued_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("renewals", sa.Integer(), nullable=False),
        sa.Column("updated_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_freeze_orders_amount_positive")),
        sa.CheckConstraint("renewals >= 0", name=op.f("ck_freeze_orders_renewals_not_negative")),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.report_id"], name=op.f("fk_freeze_orders_report_id_reports")
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_freeze_orders")),
        sa.UniqueConstraint(
            "report_id",
            "account_id",
            "kind",
            name=op.f("uq_freeze_orders_report_id_account_id_kind"),
        ),
    )
    op.create_index(
        op.f("ix_freeze_orders_account_id"), "freeze_orders", ["account_id"], unique=False
    )
    op.create_index(
        op.f("ix_freeze_orders_expires_at"), "freeze_orders", ["expires_at"], unique=False
    )
    op.create_index(
        op.f("ix_freeze_orders_institution"), "freeze_orders", ["institution"], unique=False
    )
    op.create_index(
        op.f("ix_freeze_orders_report_id"), "freeze_orders", ["report_id"], unique=False
    )
    op.create_index(op.f("ix_freeze_orders_status"), "freeze_orders", ["status"], unique=False)

    op.create_table(
        "freeze_order_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("at", chaincut.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "issued",
                "updated",
                "confirmed",
                "renewed",
                "released",
                "expired",
                name="order_action",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "from_status",
            sa.Enum(
                "issued",
                "confirmed",
                "renewed",
                "released",
                "expired",
                name="from_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "issued",
                "confirmed",
                "renewed",
                "released",
                "expired",
                name="to_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("amount", chaincut.store.types.Money(precision=18, scale=2), nullable=False),
        sa.Column("expires_at", chaincut.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["freeze_orders.order_id"],
            name=op.f("fk_freeze_order_events_order_id_freeze_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_freeze_order_events")),
    )
    op.create_index(
        op.f("ix_freeze_order_events_order_id"), "freeze_order_events", ["order_id"], unique=False
    )

    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_GUARD_FUNCTION)
    for table in APPEND_ONLY_TABLES:
        guard_append_only(table)


def downgrade() -> None:
    op.drop_index(op.f("ix_freeze_order_events_order_id"), table_name="freeze_order_events")

    op.drop_table("freeze_order_events")
    op.drop_index(op.f("ix_freeze_orders_status"), table_name="freeze_orders")
    op.drop_index(op.f("ix_freeze_orders_report_id"), table_name="freeze_orders")
    op.drop_index(op.f("ix_freeze_orders_institution"), table_name="freeze_orders")
    op.drop_index(op.f("ix_freeze_orders_expires_at"), table_name="freeze_orders")
    op.drop_index(op.f("ix_freeze_orders_account_id"), table_name="freeze_orders")

    op.drop_table("freeze_orders")
    op.drop_index(op.f("ix_dissuasions_warning_id"), table_name="dissuasions")

    op.drop_table("dissuasions")
    op.drop_index(op.f("ix_case_suspects_person_id"), table_name="case_suspects")
    op.drop_index(op.f("ix_case_suspects_case_id"), table_name="case_suspects")

    op.drop_table("case_suspects")
    op.drop_table("case_reports")
    op.drop_index(op.f("ix_case_events_case_id"), table_name="case_events")

    op.drop_table("case_events")
    op.drop_index(op.f("ix_warnings_subject_id"), table_name="warnings")
    op.drop_index("ix_warnings_status_score", table_name="warnings")
    op.drop_index(op.f("ix_warnings_created_at"), table_name="warnings")

    op.drop_table("warnings")
    op.drop_table("users")
    op.drop_index(op.f("ix_reports_victim_id"), table_name="reports")
    op.drop_index(op.f("ix_reports_victim_account"), table_name="reports")
    op.drop_index(op.f("ix_reports_filed_at"), table_name="reports")

    op.drop_table("reports")
    op.drop_index(op.f("ix_punishments_subject_id"), table_name="punishments")

    op.drop_table("punishments")
    op.drop_index(op.f("ix_cases_batch"), table_name="cases")

    op.drop_table("cases")
    op.drop_index("ix_audit_log_subject", table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_actor"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_action"), table_name="audit_log")

    op.drop_table("audit_log")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION chaincut_append_only()")
