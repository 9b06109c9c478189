"""The store's tables: SQLAlchemy 2 typed declarative models of the operational records.

The migration in `alembic/versions/` creates exactly these (a test compares them). Money is
`Decimal` (NUMERIC(18,2)); every timestamp is timezone-aware UTC.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from chaincut.store.enums import (
    AppealStatus,
    CaseStatus,
    DissuasionChannel,
    DissuasionOutcome,
    ListedKind,
    ListRisk,
    ListSource,
    Measure,
    OrderAction,
    OrderKind,
    OrderStatus,
    PunishmentBasis,
    ReportStatus,
    Role,
    SuspectRole,
    SuspectStatus,
    TracingRule,
    WarningStatus,
)
from chaincut.store.types import JSONDocument, Money, UTCDateTime, utc_now

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = String(64)
#: an auto-incrementing 64-bit key (SQLite only auto-increments INTEGER PRIMARY KEY)
SERIAL = BigInteger().with_variant(Integer(), "sqlite")


def vocabulary(enum: type[StrEnum], name: str) -> Enum:
    """A portable enum column: VARCHAR plus a CHECK constraint, storing the enum's values."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        Decimal: Money(),
        datetime: UTCDateTime(),
        dict[str, Any]: JSONDocument,
        list[str]: JSONDocument,
        list[list[str]]: JSONDocument,
        list[dict[str, Any]]: JSONDocument,
    }


class Report(Base):
    """A victim's report as filed to the anti-fraud centre (or imported from the lake)."""

    __tablename__ = "reports"

    report_id: Mapped[str] = mapped_column(ID, primary_key=True)
    filed_at: Mapped[datetime] = mapped_column(index=True)
    victim_id: Mapped[str | None] = mapped_column(ID, index=True)
    victim_account: Mapped[str] = mapped_column(ID, index=True)
    fraud_txn_ids: Mapped[list[str]]
    fraud_type: Mapped[str | None] = mapped_column(String(40))
    narrative: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ReportStatus] = mapped_column(vocabulary(ReportStatus, "report_status"))
    source: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class FreezeOrder(Base):
    """An order to an institution to stop, freeze or explain money traced from a report."""

    __tablename__ = "freeze_orders"
    __table_args__ = (
        UniqueConstraint("report_id", "account_id", "kind"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("renewals >= 0", name="renewals_not_negative"),
    )

    order_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.report_id"), index=True)
    account_id: Mapped[str] = mapped_column(ID, index=True)
    institution: Mapped[str | None] = mapped_column(ID, index=True)
    kind: Mapped[OrderKind] = mapped_column(vocabulary(OrderKind, "order_kind"))
    amount: Mapped[Decimal]
    hop: Mapped[int]
    rule: Mapped[TracingRule] = mapped_column(vocabulary(TracingRule, "tracing_rule"))
    evidence: Mapped[list[list[str]]]
    status: Mapped[OrderStatus] = mapped_column(vocabulary(OrderStatus, "order_status"), index=True)
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime | None] = mapped_column(index=True)
    renewals: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime]
    #: the legal document's number (a freeze's 冻结决定书)
    document: Mapped[str | None] = mapped_column(String(64))
    #: what else the order carries (a verify order's score and reasons; what it succeeds)
    detail: Mapped[dict[str, Any] | None]

    history: Mapped[list[FreezeOrderEvent]] = relationship(
        back_populates="order", order_by="FreezeOrderEvent.id", lazy="selectin"
    )


class FreezeOrderEvent(Base):
    """One step in a freeze order's life (append-only)."""

    __tablename__ = "freeze_order_events"

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("freeze_orders.order_id"), index=True)
    at: Mapped[datetime]
    action: Mapped[OrderAction] = mapped_column(vocabulary(OrderAction, "order_action"))
    from_status: Mapped[OrderStatus | None] = mapped_column(vocabulary(OrderStatus, "from_status"))
    to_status: Mapped[OrderStatus] = mapped_column(vocabulary(OrderStatus, "to_status"))
    amount: Mapped[Decimal]
    expires_at: Mapped[datetime | None]
    actor: Mapped[str | None] = mapped_column(ID)
    note: Mapped[str | None] = mapped_column(Text)

    order: Mapped[FreezeOrder] = relationship(back_populates="history")


class Case(Base):
    """A supervised case (挂牌督办) with its figures; the timeline is in `CaseEvent`."""

    __tablename__ = "cases"

    case_id: Mapped[str] = mapped_column(ID, primary_key=True)
    batch: Mapped[str | None] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    den_location: Mapped[str | None] = mapped_column(String(200))
    fraud_methods: Mapped[list[str]]
    status: Mapped[CaseStatus] = mapped_column(vocabulary(CaseStatus, "case_status"))
    amount_involved: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    amount_frozen: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    amount_seized: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    amount_returned: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    financiers_caught: Mapped[int] = mapped_column(default=0)
    financiers_at_large: Mapped[int] = mapped_column(default=0)
    core_members_caught: Mapped[int] = mapped_column(default=0)
    core_members_at_large: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    events: Mapped[list[CaseEvent]] = relationship(order_by="CaseEvent.id", lazy="selectin")
    suspects: Mapped[list[CaseSuspect]] = relationship(order_by="CaseSuspect.id", lazy="selectin")
    reports: Mapped[list[CaseReport]] = relationship(lazy="selectin")


class CaseEvent(Base):
    """A step on a case's progress timeline (arrest, seizure, return, sentence, note …)."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"), index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(ID)


class CaseReport(Base):
    __tablename__ = "case_reports"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"), primary_key=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.report_id"), primary_key=True)
    attached_at: Mapped[datetime]


class CaseSuspect(Base):
    __tablename__ = "case_suspects"
    __table_args__ = (UniqueConstraint("case_id", "person_id"),)

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"), index=True)
    person_id: Mapped[str | None] = mapped_column(ID, index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[SuspectRole] = mapped_column(vocabulary(SuspectRole, "suspect_role"))
    status: Mapped[SuspectStatus] = mapped_column(vocabulary(SuspectStatus, "suspect_status"))
    arrested_at: Mapped[datetime | None]
    sentence: Mapped[str | None] = mapped_column(Text)
    sentence_months: Mapped[int | None]


class EarlyWarning(Base):
    """An early warning (预警) about a likely victim, with the signals behind it."""

    __tablename__ = "warnings"
    __table_args__ = (
        Index("ix_warnings_status_score", "status", "score"),
        Index("ix_warnings_status_priority", "status", "priority"),
    )

    warning_id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(ID, index=True)
    score: Mapped[float] = mapped_column(Float)
    #: what the worklist ranks by (the urgency model's; None: the score); migration 0006
    priority: Mapped[float | None] = mapped_column(Float)
    #: why it is urgent, or that it is for recovery: {"why", "why_code"} (None: not said)
    urgent: Mapped[dict[str, Any] | None]
    fraud_type: Mapped[str | None] = mapped_column(String(40))
    signals: Mapped[list[dict[str, Any]]]
    status: Mapped[WarningStatus] = mapped_column(vocabulary(WarningStatus, "warning_status"))
    assigned_to: Mapped[str | None] = mapped_column(ID)
    updated_at: Mapped[datetime]

    dissuasions: Mapped[list[Dissuasion]] = relationship(order_by="Dissuasion.id", lazy="selectin")


class Dissuasion(Base):
    """One attempt to dissuade (劝阻) the person a warning is about."""

    __tablename__ = "dissuasions"

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.warning_id"), index=True)
    at: Mapped[datetime]
    channel: Mapped[DissuasionChannel] = mapped_column(
        vocabulary(DissuasionChannel, "dissuasion_channel")
    )
    outcome: Mapped[DissuasionOutcome] = mapped_column(
        vocabulary(DissuasionOutcome, "dissuasion_outcome")
    )
    actor: Mapped[str | None] = mapped_column(ID)
    note: Mapped[str | None] = mapped_column(Text)
    #: what a dissuaded person did not pay (recorded by the analyst; `stopped` outcomes only)
    money_kept: Mapped[Decimal | None]


class Punishment(Base):
    """One joint-punishment measure (联合惩戒) on one subject, for a fixed period."""

    __tablename__ = "punishments"
    __table_args__ = (CheckConstraint("expires_at > start_at", name="period_positive"),)

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    subject_id: Mapped[str] = mapped_column(ID, index=True)
    subject_name: Mapped[str | None] = mapped_column(String(200))
    measure: Mapped[Measure] = mapped_column(vocabulary(Measure, "measure"))
    basis: Mapped[PunishmentBasis] = mapped_column(vocabulary(PunishmentBasis, "basis"))
    start_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    retained_phone: Mapped[str | None] = mapped_column(String(32))
    appeal_status: Mapped[AppealStatus] = mapped_column(
        vocabulary(AppealStatus, "appeal_status"), default=AppealStatus.none
    )
    appeal_filed_at: Mapped[datetime | None]
    appeal_note: Mapped[str | None] = mapped_column(Text)
    appeal_decided_at: Mapped[datetime | None]
    removed_at: Mapped[datetime | None]
    removal_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(ID)
    created_at: Mapped[datetime]


class User(Base):
    """A user of the service; secrets are stored only as salted scrypt hashes."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role <> 'bank' OR institution IS NOT NULL", name="bank_has_institution"),
    )

    username: Mapped[str] = mapped_column(ID, primary_key=True)
    role: Mapped[Role] = mapped_column(vocabulary(Role, "role"))
    institution: Mapped[str | None] = mapped_column(ID)
    token_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    token_hash: Mapped[str | None] = mapped_column(String(255))
    token_issued_at: Mapped[datetime | None]
    password_hash: Mapped[str | None] = mapped_column(String(255))
    disabled_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class AuditEntry(Base):
    """One audited act: who did what to which subject, when and why (append-only)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_subject", "subject_kind", "subject_id"),)

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(ID, index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(128))
    purpose: Mapped[str | None] = mapped_column(String(255))
    detail: Mapped[dict[str, Any]]


class FraudListEntry(Base):
    """One identifier on the managed fraud list that the public self-check reads.

    `value` is normalised by kind (`chaincut.store.fraud_list.normalize`): phone numbers in
    E.164, links as host and path, domains and WeChat ids in lower case. Entries are never
    deleted: removal and expiry keep the record for the audit trail.
    """

    __tablename__ = "fraud_list"
    __table_args__ = (
        Index("ix_fraud_list_kind_value", "kind", "value"),
        CheckConstraint("expires_at IS NULL OR expires_at > added_at", name="expiry_after_added"),
    )

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    kind: Mapped[ListedKind] = mapped_column(vocabulary(ListedKind, "listed_kind"))
    value: Mapped[str] = mapped_column(String(255))
    source: Mapped[ListSource] = mapped_column(vocabulary(ListSource, "list_source"))
    risk: Mapped[ListRisk] = mapped_column(vocabulary(ListRisk, "list_risk"))
    reason: Mapped[str] = mapped_column(Text)
    report_id: Mapped[str | None] = mapped_column(ID, index=True)
    institution: Mapped[str | None] = mapped_column(ID, index=True)
    added_by: Mapped[str] = mapped_column(ID)
    added_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    removed_at: Mapped[datetime | None]
    removed_by: Mapped[str | None] = mapped_column(ID)
    removal_reason: Mapped[str | None] = mapped_column(Text)


#: tables that only ever grow; the migration guards them with triggers
APPEND_ONLY_TABLES = ("audit_log", "freeze_order_events")

# gang analysis tables live with their repository; imported here so the metadata is whole
from chaincut.store import gang as _gang  # noqa: E402, F401
