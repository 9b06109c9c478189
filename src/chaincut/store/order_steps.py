"""The freeze-order steps that replace one order by another (issue 16, point 5).

- An applied emergency stop (紧急止付, 48 h) becomes a formal freeze (冻结, 6 months from the
  decision) under a legal document's number: the freeze is issued to the same institution for
  the same account, amount and evidence, and the stop is superseded (final).
- A verify order (the bank is asked to verify an account a mule merely paid; it holds nothing)
  is escalated to an emergency stop by the analyst, with a reason: the stop is issued, the
  verify order superseded.

Each order names the other in its `detail` (`supersedes`, `superseded_by`); both steps are
written to the orders' histories.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.store.enums import OrderAction, OrderKind, OrderStatus
from chaincut.store.errors import IllegalTransition
from chaincut.store.freeze_order import OrderSpec, _create, _load_open, _step
from chaincut.store.tables import FreezeOrder
from chaincut.store.types import as_utc, utc_now


def _successor(
    session: Session,
    order: FreezeOrder,
    kind: OrderKind,
    now: datetime,
    actor: str | None,
    note: str,
) -> FreezeOrder:
    taken = session.scalars(
        select(FreezeOrder.order_id)
        .where(FreezeOrder.report_id == order.report_id)
        .where(FreezeOrder.account_id == order.account_id)
        .where(FreezeOrder.kind == kind)
    ).first()
    if taken is not None:
        raise IllegalTransition(
            f"cannot issue a {kind} for account {order.account_id} under report "
            f"{order.report_id}: order {taken} is one already"
        )
    spec = OrderSpec(
        account_id=order.account_id,
        kind=kind,
        amount=order.amount,
        hop=order.hop,
        rule=order.rule,
        evidence=order.evidence,
        institution=order.institution,
        detail={"supersedes": order.order_id},
    )
    successor = _create(session, order.report_id, spec, now, actor)
    order.detail = {**(order.detail or {}), "superseded_by": successor.order_id}
    _step(order, OrderAction.superseded, OrderStatus.superseded, now, actor, note)
    return successor


def _required(value: str | None, what: str) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise ValueError(f"{what} is required")
    return cleaned


def to_freeze(
    session: Session,
    order_id: str,
    document: str | None,
    now: datetime | None = None,
    *,
    actor: str | None = None,
    note: str | None = None,
) -> FreezeOrder:
    """Turn the applied emergency stop `order_id` into a formal freeze under the legal
    document numbered `document`; returns the freeze (issued: the bank applies it)."""
    now = as_utc(now) if now is not None else utc_now()
    number = _required(document, "the legal document's number (冻结决定书)")
    if len(number) > 64:
        raise ValueError("the legal document's number is at most 64 characters")
    order = _load_open(session, order_id, "turn into a freeze", now)
    if order.kind is not OrderKind.emergency_stop:
        raise IllegalTransition(
            f"cannot turn order {order_id} into a freeze: it is a {order.kind}, not a stop"
        )
    if order.status is OrderStatus.issued:
        raise IllegalTransition(
            f"cannot turn order {order_id} into a freeze: the bank has not applied the stop yet"
        )
    freeze = _successor(
        session, order, OrderKind.freeze, now, actor, note or f"frozen under {number}"
    )
    freeze.document = number
    session.flush()
    return freeze


def escalate(
    session: Session,
    order_id: str,
    reason: str | None,
    now: datetime | None = None,
    *,
    actor: str | None = None,
) -> FreezeOrder:
    """Escalate the verify order `order_id` to an emergency stop for `reason`; returns the
    stop (issued, 48 hours)."""
    now = as_utc(now) if now is not None else utc_now()
    why = _required(reason, "a reason to escalate")
    order = _load_open(session, order_id, "escalate", now)
    if order.kind is not OrderKind.verify:
        raise IllegalTransition(f"cannot escalate order {order_id}: it is a {order.kind}")
    stop = _successor(session, order, OrderKind.emergency_stop, now, actor, why)
    session.flush()
    return stop
