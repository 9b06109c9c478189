"""Freeze orders and their lifecycle under the stop-payment rules (紧急止付, 冻结).

- An emergency stop lasts 48 hours from issue and can be renewed once, for another 48 hours.
- A freeze lasts 6 calendar months from issue; each renewal adds another 6 months.
- A sub-account detail request and a verify order have no period and cannot be renewed.

Statuses move issued → confirmed → renewed (→ renewed …), and any open order can be released
or expire; released and expired orders are final. An order is in force until `expires_at`
(exclusive). Every step is appended to the order's history (`FreezeOrderEvent`).

Issuing is idempotent per report: there is at most one order per (report, account, kind), and
issuing again updates the amount and evidence of open orders instead of adding new ones.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.store.enums import (
    OPEN_ORDER_STATUSES,
    OrderAction,
    OrderKind,
    OrderStatus,
    TracingRule,
)
from chaincut.store.errors import IllegalTransition, NotFound
from chaincut.store.period import add_months
from chaincut.store.tables import FreezeOrder, FreezeOrderEvent, Report
from chaincut.store.types import as_utc, to_money, utc_now

EMERGENCY_STOP_PERIOD = timedelta(hours=48)
EMERGENCY_STOP_MAX_RENEWALS = 1
FREEZE_PERIOD_MONTHS = 6


@dataclass(frozen=True)
class OrderSpec:
    """One order a trace wants issued: which account, what kind, how much, and why."""

    account_id: str
    kind: OrderKind
    amount: Decimal
    hop: int
    rule: TracingRule
    evidence: Sequence[Sequence[str]]
    institution: str | None = None
    #: what else the order carries (a verify order's score and reasons)
    detail: dict[str, Any] | None = None


def judged_detail(
    kind: OrderKind,
    score: float | None,
    reasons: Iterable[str],
    reason_codes: Iterable[Mapping[str, Any]],
) -> dict[str, Any] | None:
    """An order's `detail` as every issuer writes it (the API's filings, `chaincut trace
    --issue`, the demo): the judge's `score`, `reasons` and `reason_codes` on a verify order and
    on a judged emergency stop (one with a score), so that an analyst reads why; None otherwise
    (a sub-account request, a stop nobody judged)."""
    if kind is OrderKind.verify or (kind is OrderKind.emergency_stop and score is not None):
        return {
            "score": score,
            "reasons": [str(r) for r in reasons],
            "reason_codes": [dict(c) for c in reason_codes],
        }
    return None


@dataclass
class IssueResult:
    """What `issue_orders` did with each spec, in the order given."""

    created: list[FreezeOrder] = field(default_factory=list)
    updated: list[FreezeOrder] = field(default_factory=list)
    unchanged: list[FreezeOrder] = field(default_factory=list)
    #: released or expired earlier: left as they are, never reopened
    closed: list[FreezeOrder] = field(default_factory=list)
    orders: list[FreezeOrder] = field(default_factory=list)


def expiry(kind: OrderKind, issued_at: datetime, renewals: int = 0) -> datetime | None:
    """When an order of `kind` issued at `issued_at` ends after `renewals` renewals."""
    if kind is OrderKind.emergency_stop:
        return issued_at + EMERGENCY_STOP_PERIOD * (renewals + 1)
    if kind is OrderKind.freeze:
        # from the issue date, so 31 Aug → 28 Feb → 31 Aug rather than drifting to the 28th
        return add_months(issued_at, FREEZE_PERIOD_MONTHS * (renewals + 1))
    return None


def issue_orders(
    session: Session,
    report_id: str,
    orders: Iterable[OrderSpec],
    now: datetime | None = None,
    *,
    actor: str | None = None,
) -> IssueResult:
    """Issue `orders` for report `report_id`, idempotently (see the module docstring).

    Orders of the report that `orders` does not mention are left alone; release them explicitly.
    Raises `NotFound` if the report is not in the store.
    """
    now = as_utc(now) if now is not None else utc_now()
    specs = _validated(report_id, orders)
    # lock the report row: concurrent issues for one report queue instead of colliding
    report = session.scalars(
        select(Report).where(Report.report_id == report_id).with_for_update()
    ).one_or_none()
    if report is None:
        raise NotFound("report", report_id)
    existing = {
        (o.account_id, o.kind): o
        for o in session.scalars(
            select(FreezeOrder).where(FreezeOrder.report_id == report_id).with_for_update()
        )
    }
    result = IssueResult()
    for spec in specs:
        order = existing.get((spec.account_id, spec.kind))
        if order is None:
            order = _create(session, report_id, spec, now, actor)
            result.created.append(order)
        elif order.status in OPEN_ORDER_STATUSES and _past_expiry(order, now):
            _step(order, OrderAction.expired, OrderStatus.expired, now, None, "past its expiry")
            result.closed.append(order)
        elif order.status not in OPEN_ORDER_STATUSES:
            result.closed.append(order)
        elif _apply(order, spec):
            _step(order, OrderAction.updated, order.status, now, actor, "re-issued")
            result.updated.append(order)
        else:
            result.unchanged.append(order)
        result.orders.append(order)
    session.flush()
    return result


def _validated(report_id: str, orders: Iterable[OrderSpec]) -> list[OrderSpec]:
    specs: list[OrderSpec] = []
    seen: set[tuple[str, OrderKind]] = set()
    for spec in orders:
        key = (spec.account_id, OrderKind(spec.kind))
        if key in seen:
            raise ValueError(f"report {report_id!r}: two {key[1]} orders for account {key[0]!r}")
        seen.add(key)
        amount = to_money(spec.amount)
        if amount <= 0:
            raise ValueError(f"order for account {spec.account_id!r}: amount must be positive")
        if spec.hop < 0:
            raise ValueError(f"order for account {spec.account_id!r}: hop must be >= 0")
        if isinstance(spec.evidence, str) or any(isinstance(c, str) for c in spec.evidence):
            raise ValueError(
                f"order for account {spec.account_id!r}: evidence must be a list of txn_id chains"
            )
        evidence = [[str(txn) for txn in chain] for chain in spec.evidence]
        specs.append(
            OrderSpec(
                account_id=spec.account_id,
                kind=key[1],
                amount=amount,
                hop=spec.hop,
                rule=TracingRule(spec.rule),
                evidence=evidence,
                institution=spec.institution,
                detail=spec.detail,
            )
        )
    return specs


def _create(
    session: Session, report_id: str, spec: OrderSpec, now: datetime, actor: str | None
) -> FreezeOrder:
    order = FreezeOrder(
        order_id=f"FO{secrets.token_hex(8).upper()}",
        report_id=report_id,
        account_id=spec.account_id,
        institution=spec.institution,
        kind=spec.kind,
        amount=spec.amount,
        hop=spec.hop,
        rule=spec.rule,
        evidence=[list(chain) for chain in spec.evidence],
        status=OrderStatus.issued,
        issued_at=now,
        expires_at=expiry(spec.kind, now),
        renewals=0,
        updated_at=now,
        detail=spec.detail,
    )
    session.add(order)
    _step(order, OrderAction.issued, OrderStatus.issued, now, actor, None)
    return order


def _apply(order: FreezeOrder, spec: OrderSpec) -> bool:
    """Bring `order` in line with `spec`; True if anything changed."""
    wanted = {
        "amount": spec.amount,
        "hop": spec.hop,
        "rule": spec.rule,
        "evidence": [list(chain) for chain in spec.evidence],
        "institution": spec.institution,
        "detail": spec.detail,
    }
    changed = False
    for name, value in wanted.items():
        if getattr(order, name) != value:
            setattr(order, name, value)
            changed = True
    return changed


def _step(
    order: FreezeOrder,
    action: OrderAction,
    to_status: OrderStatus,
    now: datetime,
    actor: str | None,
    note: str | None,
) -> None:
    previous = None if action is OrderAction.issued else order.status
    order.status = to_status
    order.updated_at = now
    order.history.append(
        FreezeOrderEvent(
            at=now,
            action=action,
            from_status=previous,
            to_status=to_status,
            amount=order.amount,
            expires_at=order.expires_at,
            actor=actor,
            note=note,
        )
    )


def _past_expiry(order: FreezeOrder, now: datetime) -> bool:
    return order.expires_at is not None and now >= order.expires_at


def _load_open(session: Session, order_id: str, verb: str, now: datetime) -> FreezeOrder:
    order = session.get(FreezeOrder, order_id, with_for_update=True)
    if order is None:
        raise NotFound("freeze order", order_id)
    if order.status not in OPEN_ORDER_STATUSES:
        raise IllegalTransition(f"cannot {verb} order {order_id}: it is {order.status} already")
    if _past_expiry(order, now):
        raise IllegalTransition(
            f"cannot {verb} order {order_id}: it expired at {order.expires_at:%Y-%m-%d %H:%M} UTC"
        )
    return order


def confirm(
    session: Session,
    order_id: str,
    now: datetime | None = None,
    *,
    actor: str | None = None,
    note: str | None = None,
) -> FreezeOrder:
    """The institution applied the order (issued → confirmed)."""
    now = as_utc(now) if now is not None else utc_now()
    order = _load_open(session, order_id, "confirm", now)
    if order.status is not OrderStatus.issued:
        raise IllegalTransition(f"cannot confirm order {order_id}: it is {order.status} already")
    _step(order, OrderAction.confirmed, OrderStatus.confirmed, now, actor, note)
    session.flush()
    return order


def renew(
    session: Session,
    order_id: str,
    now: datetime | None = None,
    *,
    actor: str | None = None,
    note: str | None = None,
) -> FreezeOrder:
    """Extend an applied order by one more period (confirmed or renewed → renewed)."""
    now = as_utc(now) if now is not None else utc_now()
    order = _load_open(session, order_id, "renew", now)
    if order.kind in (OrderKind.request_subaccount_detail, OrderKind.verify):
        raise IllegalTransition(f"cannot renew order {order_id}: a {order.kind} has no period")
    if order.status is OrderStatus.issued:
        raise IllegalTransition(
            f"cannot renew order {order_id}: it is not confirmed yet; confirm it first"
        )
    if order.kind is OrderKind.emergency_stop and order.renewals >= EMERGENCY_STOP_MAX_RENEWALS:
        raise IllegalTransition(
            f"cannot renew order {order_id}: an emergency stop can be renewed only once; "
            "issue a freeze order to keep the money"
        )
    order.renewals += 1
    order.expires_at = expiry(order.kind, order.issued_at, order.renewals)
    _step(order, OrderAction.renewed, OrderStatus.renewed, now, actor, note)
    session.flush()
    return order


def release(
    session: Session,
    order_id: str,
    now: datetime | None = None,
    *,
    actor: str | None = None,
    note: str | None = None,
) -> FreezeOrder:
    """Lift an open order (→ released, final)."""
    now = as_utc(now) if now is not None else utc_now()
    order = _load_open(session, order_id, "release", now)
    _step(order, OrderAction.released, OrderStatus.released, now, actor, note)
    session.flush()
    return order


def expire_due(session: Session, now: datetime | None = None) -> list[FreezeOrder]:
    """Mark every open order whose period has ended at `now` as expired; returns them."""
    now = as_utc(now) if now is not None else utc_now()
    due = session.scalars(
        select(FreezeOrder)
        .where(FreezeOrder.status.in_(list(OPEN_ORDER_STATUSES)))
        .where(FreezeOrder.expires_at.is_not(None))
        .where(FreezeOrder.expires_at <= now)
        .order_by(FreezeOrder.expires_at, FreezeOrder.order_id)
        .with_for_update()
    ).all()
    for order in due:
        _step(order, OrderAction.expired, OrderStatus.expired, now, None, "period ended")
    session.flush()
    return list(due)


def get_order(session: Session, order_id: str) -> FreezeOrder:
    order = session.get(FreezeOrder, order_id)
    if order is None:
        raise NotFound("freeze order", order_id)
    return order


def list_orders(
    session: Session,
    *,
    report_id: str | None = None,
    institution: str | None = None,
    account_id: str | None = None,
    status: OrderStatus | Iterable[OrderStatus] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[FreezeOrder]:
    """Orders matching every filter given, newest first (a bank passes its `institution`)."""
    query = select(FreezeOrder)
    if report_id is not None:
        query = query.where(FreezeOrder.report_id == report_id)
    if institution is not None:
        query = query.where(FreezeOrder.institution == institution)
    if account_id is not None:
        query = query.where(FreezeOrder.account_id == account_id)
    if isinstance(status, OrderStatus):
        query = query.where(FreezeOrder.status == status)
    elif status is not None:
        query = query.where(FreezeOrder.status.in_(list(status)))
    query = query.order_by(FreezeOrder.issued_at.desc(), FreezeOrder.order_id)
    return list(session.scalars(query.limit(limit).offset(offset)))
