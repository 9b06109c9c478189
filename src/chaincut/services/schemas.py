"""Request and response models of the `/v1` API, kept apart from the store's tables.

Per resource a Create (request) and a Public (response) model, as full-stack-fastapi-template
does. Money is a decimal string in JSON ("1234.50"); times are ISO-8601 in UTC. Identifiers in
responses are masked for callers below analyst (see `chaincut.services.masking`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from chaincut.services.phrases import Phrase
from chaincut.store.enums import (
    Action,
    AppealStatus,
    CaseStatus,
    ListedKind,
    ListRisk,
    ListSource,
    Measure,
    OrderKind,
    OrderStatus,
    PunishmentBasis,
    ReportStatus,
    Role,
    SuspectRole,
    SuspectStatus,
    TracingRule,
)

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,63}$"
#: a transaction id as a request names it (the interchange format's ids: at most 64 characters)
TxnId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
#: a short label (a fraud method)
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]


def money(default: Decimal | None) -> Any:
    """A money field: a non-negative amount with at most two decimal places."""
    return Field(default=default, ge=Decimal("0"), max_digits=18, decimal_places=2)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    status: int
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    """Every error: `{"error": {"status", "message", "field"}}`."""

    error: ErrorDetail


class Me(BaseModel):
    username: str
    role: Role
    institution: str | None
    masked: bool = Field(description="whether personal identifiers are masked for you")


# -- reports and freeze orders ---------------------------------------------------------------
class Identifier(Model):
    """A number, link, domain, account, QQ or WeChat id, as written (normalised when listed)."""

    kind: ListedKind
    value: str = Field(min_length=1, max_length=255)


class ReportCreate(Model):
    report_id: str | None = Field(
        default=None, pattern=ID_PATTERN, description="generated when left out"
    )
    filed_at: datetime | None = Field(default=None, description="default: now")
    victim_account: str = Field(min_length=1, max_length=64)
    fraud_txn_ids: list[TxnId] = Field(min_length=1, max_length=500)
    victim_id: str | None = Field(default=None, max_length=64)
    fraud_type: str | None = Field(default=None, max_length=40)
    narrative: str | None = Field(default=None, max_length=10_000)
    rule: TracingRule = TracingRule.libr
    fraud_identifiers: list[Identifier] = Field(
        default=[],
        max_length=100,
        description="numbers, links, QQ or WeChat ids the victim names; put on the fraud list",
    )
    on_duplicate: Literal["refuse", "join"] = Field(
        default="refuse",
        description="a fraud transfer already in another report: refuse the filing (409, naming "
        "that report) or join the filing's transfers to that report",
    )


class ReportPublic(BaseModel):
    report_id: str
    filed_at: datetime
    victim_account: str
    victim_id: str | None
    fraud_txn_ids: list[str]
    fraud_type: str | None
    status: ReportStatus
    source: str


class OrderPublic(BaseModel):
    order_id: str
    report_id: str
    account_id: str
    institution: str | None
    kind: OrderKind
    amount: Decimal
    hop: int
    rule: TracingRule
    evidence: list[list[str]]
    status: OrderStatus
    issued_at: datetime
    expires_at: datetime | None
    renewals: int
    document: str | None = Field(
        default=None, description="the legal document's number (a freeze's 冻结决定书)"
    )
    detail: dict[str, Any] = Field(
        default={},
        description="a verify order's score and reasons; the order it supersedes or that "
        "superseded it (supersedes, superseded_by)",
    )


class OrderStep(Model):
    note: str | None = Field(
        default=None, max_length=1000, description="the reason (required to release, escalate)"
    )
    document: str | None = Field(
        default=None, max_length=64, description="the legal document's number (to freeze)"
    )


class TracePublic(BaseModel):
    ran: bool
    note: str | None = None
    note_code: Phrase | None = Field(default=None, description="`note` by code and values")
    rule: str | None = None
    totals: dict[str, str] = {}
    exits: list[dict[str, Any]] = []
    hubs: list[dict[str, Any]] = []
    graph: dict[str, Any] = Field(default_factory=lambda: {"nodes": [], "edges": []})


class ReportFiled(BaseModel):
    report: ReportPublic
    orders: list[OrderPublic]
    trace: TracePublic
    listed: list[FraudEntryPublic] = Field(
        default=[], description="what filing the report put on (or refreshed in) the fraud list"
    )


# -- the fraud list --------------------------------------------------------------------------
class FraudEntryCreate(Identifier):
    reason: str = Field(min_length=1, max_length=2000)
    source: ListSource | None = Field(
        default=None,
        description="default: analyst; bank_feed for banks, operator_feed for operators",
    )
    risk: ListRisk = ListRisk.high
    expires_at: datetime | None = Field(default=None, description="default: never")


class FraudEntryBatch(Model):
    entries: list[FraudEntryCreate] = Field(min_length=1, max_length=10_000)


class BatchProblem(BaseModel):
    index: int
    field: str | None
    message: str


class FraudBatchResult(BaseModel):
    added: int
    refreshed: int
    rejected: list[BatchProblem]


class FraudEntryPublic(BaseModel):
    id: int
    kind: ListedKind
    value: str
    source: ListSource
    risk: ListRisk
    reason: str
    report_id: str | None
    institution: str | None
    added_by: str
    added_at: datetime
    expires_at: datetime | None
    active: bool
    removed_at: datetime | None = None
    removed_by: str | None = None
    removal_reason: str | None = None


# -- joint punishment --------------------------------------------------------------------------
class PunishmentQuestion(Model):
    subject_id: str = Field(min_length=1, max_length=64)
    action: Action
    institution: str | None = Field(default=None, max_length=64)
    phone: str | None = Field(default=None, max_length=32)


class PunishmentAnswer(BaseModel):
    allow: bool
    reason: str
    measure: Measure | None
    expires_at: datetime | None
    reason_code: Phrase | None = Field(
        default=None, description="`reason` by code and arguments (`chaincut.services.phrases`)"
    )


class PunishmentCreate(Model):
    subject_id: str = Field(min_length=1, max_length=64)
    measure: Measure
    basis: PunishmentBasis
    start: datetime
    subject_name: str | None = Field(default=None, max_length=200)
    retained_phone: str | None = Field(default=None, max_length=32)


class PunishmentPublic(BaseModel):
    id: int
    subject_id: str
    subject_name: str | None
    measure: Measure
    basis: PunishmentBasis
    start_at: datetime
    expires_at: datetime
    retained_phone: str | None
    appeal_status: AppealStatus
    appeal_note: str | None
    removed_at: datetime | None
    removal_reason: str | None


class AppealCreate(Model):
    note: str = Field(min_length=1, max_length=2000)


class AppealDecision(Model):
    upheld: bool


class Removal(Model):
    reason: str = Field(min_length=1, max_length=2000)


# -- supervised cases --------------------------------------------------------------------------
class CaseCreate(Model):
    case_id: str = Field(pattern=ID_PATTERN, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    batch: str | None = Field(default=None, max_length=64)
    den_location: str | None = Field(default=None, max_length=200)
    fraud_methods: list[ShortText] = Field(default=[], max_length=20)
    amount_involved: Decimal = money(Decimal("0.00"))


class CaseUpdate(Model):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    batch: str | None = Field(default=None, max_length=64)
    den_location: str | None = Field(default=None, max_length=200)
    fraud_methods: list[ShortText] | None = Field(default=None, max_length=20)
    status: CaseStatus | None = None
    amount_involved: Decimal | None = money(None)
    amount_frozen: Decimal | None = money(None)
    amount_seized: Decimal | None = money(None)
    amount_returned: Decimal | None = money(None)
    financiers_caught: int | None = Field(default=None, ge=0, le=1_000_000)
    financiers_at_large: int | None = Field(default=None, ge=0, le=1_000_000)
    core_members_caught: int | None = Field(default=None, ge=0, le=1_000_000)
    core_members_at_large: int | None = Field(default=None, ge=0, le=1_000_000)
    note: str | None = Field(default=None, max_length=2000)


class CaseEventCreate(Model):
    kind: str = Field(min_length=1, max_length=32)
    note: str = Field(min_length=1, max_length=2000)
    at: datetime | None = None


class SuspectCreate(Model):
    role: SuspectRole
    person_id: str | None = Field(default=None, max_length=64)
    name: str | None = Field(default=None, max_length=200)
    status: SuspectStatus = SuspectStatus.at_large
    arrested_at: datetime | None = None


class SuspectUpdate(Model):
    status: SuspectStatus | None = None
    arrested_at: datetime | None = None
    sentence: str | None = Field(default=None, max_length=2000)
    sentence_months: int | None = Field(default=None, ge=0, le=1200)


class CaseEventPublic(BaseModel):
    at: datetime
    kind: str
    note: str
    actor: str | None


class SuspectPublic(BaseModel):
    id: int
    person_id: str | None
    name: str | None
    #: the name the lake's persons table records for `person_id` (a case's view only, its
    #: look-up audited; the suspect's `name` is what an analyst typed)
    person_name: str | None = None
    role: SuspectRole
    status: SuspectStatus
    arrested_at: datetime | None
    sentence: str | None
    sentence_months: int | None


class CasePublic(BaseModel):
    case_id: str
    name: str
    batch: str | None
    den_location: str | None
    fraud_methods: list[str]
    status: CaseStatus
    amount_involved: Decimal
    amount_frozen: Decimal
    amount_seized: Decimal
    amount_returned: Decimal
    financiers_caught: int
    financiers_at_large: int
    core_members_caught: int
    core_members_at_large: int
    report_ids: list[str]
    suspects: list[SuspectPublic]
    timeline: list[CaseEventPublic]
    #: the gang the case follows (opened from it): its counts and amount frozen are then
    #: counted from its suspects and its reports' open orders when read
    follows_gang: str | None = None


# -- self-check, statistics, audit, look-ups ---------------------------------------------------
class SelfCheckRequest(Model):
    kind: Literal["phone", "url", "account", "message", "qq", "wechat"]
    value: str = Field(min_length=1, max_length=5000)


class SelfCheckResult(BaseModel):
    """No personal data: the level, why, and what to do."""

    risk: Literal["high", "medium", "low", "unknown"]
    reasons: list[str]
    advice: list[str]
    reason_codes: list[Phrase] = Field(
        default=[],
        description="the reasons by code and arguments, in the order of `reasons` "
        "(`chaincut.services.phrases`: for saying them in another language)",
    )
    advice_codes: list[Phrase] = Field(default=[], description="the advice by code, likewise")


class Breakdown(BaseModel):
    key: str
    reports: int
    victims: int
    lost: Decimal


class Statistics(BaseModel):
    cases: int
    reports: int
    victims: int
    money_lost: Decimal
    money_intercepted: Decimal
    money_returned: Decimal
    dissuasions: int
    punishments: int
    by_period: list[Breakdown]
    by_region: list[Breakdown]
    by_fraud_type: list[Breakdown]
    punishments_by_period: dict[str, int]


class AuditPublic(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    subject_kind: str
    subject_id: str
    purpose: str | None
    detail: dict[str, Any]


class TextScoreRequest(Model):
    text: str = Field(min_length=1, max_length=5000)


class LookupPublic(BaseModel):
    """An account, a number or a person as the lake and the store know them."""

    kind: Literal["account", "phone", "person"]
    id: str
    facts: dict[str, Any]
    orders: list[OrderPublic] = []
    warnings: list[dict[str, Any]] = []
    reasons: list[str] = []
    reason_codes: list[Phrase] = Field(
        default=[], description="the reasons by code and arguments, in the order of `reasons`"
    )
    scores: dict[str, Any] | None = Field(
        default=None,
        description="the lake's explained scores: `account`, or `number` and `devices`; "
        "null while the lake cannot be scored",
    )
