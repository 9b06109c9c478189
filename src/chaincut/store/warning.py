"""Early warnings (预警) about likely victims and the dissuasions (劝阻) that follow them.

A warning carries its signals (the calls, messages or transfers behind it) and a score; the
worklist shows open warnings most urgent first (their priority, round thirteen). A dissuasion that stops the person from
paying marks the warning dissuaded.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chaincut.store.enums import DissuasionChannel, DissuasionOutcome, WarningStatus
from chaincut.store.errors import IllegalTransition, NotFound
from chaincut.store.tables import Dissuasion, EarlyWarning
from chaincut.store.types import as_utc, utc_now

SUBJECT_KINDS = ("person", "phone", "account")


def _now(value: datetime | None) -> datetime:
    return as_utc(value) if value is not None else utc_now()


def create_warning(
    session: Session,
    subject_kind: str,
    subject_id: str,
    score: float,
    signals: Sequence[Mapping[str, Any]],
    *,
    fraud_type: str | None = None,
    now: datetime | None = None,
    flush: bool = True,
    priority: float | None = None,
    urgent: Mapping[str, Any] | None = None,
) -> EarlyWarning:
    """A new open warning about `subject_id` (a person, phone or account); its `warning_id`
    is set by the flush (`flush=False`: by the caller's, one INSERT for many warnings)."""
    if subject_kind not in SUBJECT_KINDS:
        raise ValueError(f"subject_kind must be one of {', '.join(SUBJECT_KINDS)}")
    if not math.isfinite(score):
        raise ValueError("score must be a finite number")
    now = _now(now)
    warning = EarlyWarning(
        created_at=now,
        subject_kind=subject_kind,
        subject_id=subject_id,
        score=float(score),
        priority=float(priority) if priority is not None else float(score),
        urgent=dict(urgent) if urgent is not None else None,
        fraud_type=fraud_type,
        signals=[dict(signal) for signal in signals],
        status=WarningStatus.open,
        updated_at=now,
    )
    session.add(warning)
    if flush:
        session.flush()
    return warning


def get_warning(session: Session, warning_id: int) -> EarlyWarning:
    warning = session.get(EarlyWarning, warning_id)
    if warning is None:
        raise NotFound("warning", warning_id)
    return warning


def worklist(
    session: Session,
    *,
    status: WarningStatus | None = WarningStatus.open,
    assigned_to: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[EarlyWarning]:
    """Warnings to work, most urgent first (the priority, else the score), oldest first among
    equals."""
    query = select(EarlyWarning)
    if status is not None:
        query = query.where(EarlyWarning.status == status)
    if assigned_to is not None:
        query = query.where(EarlyWarning.assigned_to == assigned_to)
    rank = func.coalesce(EarlyWarning.priority, EarlyWarning.score)
    query = query.order_by(rank.desc(), EarlyWarning.created_at, EarlyWarning.warning_id)
    return list(session.scalars(query.limit(limit).offset(offset)))


def assign(
    session: Session, warning_id: int, username: str | None, *, now: datetime | None = None
) -> EarlyWarning:
    warning = get_warning(session, warning_id)
    warning.assigned_to = username
    warning.updated_at = _now(now)
    session.flush()
    return warning


def record_dissuasion(
    session: Session,
    warning_id: int,
    channel: DissuasionChannel | str,
    outcome: DissuasionOutcome | str,
    *,
    actor: str | None = None,
    note: str | None = None,
    at: datetime | None = None,
    money_kept: Decimal | None = None,
) -> Dissuasion:
    """Record a call, SMS or visit and its outcome; `stopped` marks an open warning dissuaded.
    `money_kept` (what the person did not pay) is kept only with a `stopped` outcome."""
    warning = get_warning(session, warning_id)
    at = _now(at)
    dissuasion = Dissuasion(
        at=at,
        channel=DissuasionChannel(channel),
        outcome=DissuasionOutcome(outcome),
        actor=actor,
        note=note,
    )
    if dissuasion.outcome is DissuasionOutcome.stopped and money_kept is not None:
        if not money_kept.is_finite() or money_kept < 0:
            raise ValueError("money_kept must be a finite amount of at least 0")
        dissuasion.money_kept = money_kept.quantize(Decimal("0.01"))
    warning.dissuasions.append(dissuasion)
    if dissuasion.outcome is DissuasionOutcome.stopped and warning.status is WarningStatus.open:
        warning.status = WarningStatus.dissuaded
    warning.updated_at = at
    session.flush()
    return dissuasion


def close_warning(
    session: Session,
    warning_id: int,
    status: WarningStatus | str = WarningStatus.closed,
    *,
    now: datetime | None = None,
) -> EarlyWarning:
    """Close a warning as `closed` or `false_alarm` (or reopen it with `open`)."""
    warning = get_warning(session, warning_id)
    target = WarningStatus(status)
    if target is WarningStatus.dissuaded:
        raise IllegalTransition("a warning becomes dissuaded by recording a dissuasion")
    warning.status = target
    warning.updated_at = _now(now)
    session.flush()
    return warning


def list_dissuasions(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> list[Dissuasion]:
    """Dissuasions in [since, until), oldest first (for statistics)."""
    query = select(Dissuasion)
    if since is not None:
        query = query.where(Dissuasion.at >= as_utc(since))
    if until is not None:
        query = query.where(Dissuasion.at < as_utc(until))
    return list(session.scalars(query.order_by(Dissuasion.at, Dissuasion.id)))
