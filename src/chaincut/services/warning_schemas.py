"""Request and response models of early warning: events, the worklist, dissuasion outcomes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from chaincut.services.schemas import Model, money
from chaincut.store.enums import DissuasionChannel, WarningStatus


class EventIn(Model):
    """One interchange row: `kind` names its table, `row` holds its columns (as in the CSV)."""

    kind: Literal["call", "message", "transaction"]
    row: dict[str, Any] = Field(
        description="the interchange columns: calls (call_id, ts, caller, callee, duration_s, "
        "imei), messages (msg_id, ts, sender, receiver, text, channel), transactions (txn_id, "
        "ts, src_account, dst_account, amount as a decimal string, channel)"
    )


class EventBatch(Model):
    events: list[EventIn] = Field(min_length=1, max_length=50_000)


class EventProblem(BaseModel):
    index: int
    field: str | None
    message: str


class EventResult(BaseModel):
    accepted: int
    rejected: list[EventProblem]
    warnings: list[int] = Field(description="ids of the warnings raised or raised in score")


class WarningPublic(BaseModel):
    warning_id: int
    subject_kind: str
    subject_id: str
    raised_at: datetime
    updated_at: datetime
    score: float
    priority: float = Field(
        description="what the worklist ranks by: the chance the subject is a victim who has "
        "not paid yet, from the score and the moment (round thirteen); the score before"
    )
    urgent: dict[str, Any] | None = Field(
        default=None,
        description='why it is urgent, or that it is for recovery: {"why", "why_code"}',
    )
    fraud_type: str | None
    action: Literal["sms", "call", "visit"] = Field(
        description="what to do next: by score, one step up for every failed attempt"
    )
    status: WarningStatus
    assigned_to: str | None
    attempts: int
    signals: list[dict[str, Any]]


class Assignment(Model):
    username: str | None = Field(default=None, max_length=64, description="null: unassign")


class DissuasionCreate(Model):
    channel: DissuasionChannel
    reached: bool
    dissuaded: bool = False
    already_paid: bool = False
    note: str | None = Field(default=None, max_length=2000)
    money_kept: Decimal | None = money(None)
    victim_account: str | None = Field(
        default=None, max_length=64, description="already paid: the account that paid"
    )
    fraud_txn_ids: list[str] | None = Field(
        default=None, max_length=500, description="already paid: default, the warning's transfers"
    )


class DissuasionResult(BaseModel):
    dissuasion_id: int
    outcome: str
    next_channel: DissuasionChannel | None = Field(
        description="not reached or not dissuaded: the channel to try next"
    )
    report_id: str | None = Field(description="already paid: the report filed and traced")
    warning: WarningPublic


class WarningFigures(BaseModel):
    warnings: int
    attempts: int
    reached: int
    dissuaded: int
    already_paid: int
    money_kept: Decimal
    as_of: datetime
