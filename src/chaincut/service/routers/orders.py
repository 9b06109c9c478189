"""`/v1/freeze-orders`: the queue, and the lifecycle steps (confirm, renew, release).

A bank sees and confirms only its own institution's orders, with the account masked; renewing
and releasing are the police's decisions (analyst, admin). Every step is audited.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from chaincut.service.deps import Analyst, OrderDesk, Principal, WriteSession, commit_now
from chaincut.service.errors import ApiError
from chaincut.service.schemas import OrderPublic, OrderStep
from chaincut.service.views import order_public
from chaincut.store import audit, freeze_order
from chaincut.store.enums import OrderStatus, Role
from chaincut.store.tables import FreezeOrder

router = APIRouter(prefix="/v1/freeze-orders", tags=["freeze orders"])


def _own(s: WriteSession, order_id: str, who: Principal) -> FreezeOrder:
    order = freeze_order.get_order(s, order_id)
    if who.role is Role.bank and order.institution != who.institution:
        # not 403: a bank must not learn that another bank's order exists
        raise ApiError(404, f"freeze order {order_id!r} not found", "order_id")
    return order


@router.get("", response_model=list[OrderPublic])
def list_orders(
    s: WriteSession,
    who: OrderDesk,
    status: Annotated[list[OrderStatus] | None, Query()] = None,
    report_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[OrderPublic]:
    """Orders newest first; a bank gets only its institution's."""
    institution = who.institution if who.role is Role.bank else None
    orders = freeze_order.list_orders(
        s,
        report_id=report_id,
        institution=institution,
        status=status or None,
        limit=limit,
        offset=offset,
    )
    audit.record(
        s,
        who.username,
        "list_orders",
        "freeze_order",
        report_id or "*",
        "order queue",
        {"institution": institution, "count": len(orders)},
    )
    return [order_public(o, who.mask) for o in orders]


@router.get("/{order_id}", response_model=OrderPublic)
def get_order(order_id: str, s: WriteSession, who: OrderDesk) -> OrderPublic:
    order = _own(s, order_id, who)
    audit.record(s, who.username, "view_order", "freeze_order", order_id, "order queue")
    return order_public(order, who.mask)


@router.post("/{order_id}/confirm", response_model=OrderPublic)
def confirm(
    order_id: str, s: WriteSession, who: OrderDesk, body: OrderStep | None = None
) -> OrderPublic:
    """The institution applied the order (issued → confirmed)."""
    _own(s, order_id, who)
    note = body.note if body else None
    order = freeze_order.confirm(s, order_id, actor=who.username, note=note)
    audit.record(s, who.username, "confirm_order", "freeze_order", order_id, note)
    commit_now(s)
    return order_public(order, who.mask)


@router.post("/{order_id}/renew", response_model=OrderPublic)
def renew(
    order_id: str, s: WriteSession, who: Analyst, body: OrderStep | None = None
) -> OrderPublic:
    note = body.note if body else None
    order = freeze_order.renew(s, order_id, actor=who.username, note=note)
    audit.record(s, who.username, "renew_order", "freeze_order", order_id, note)
    commit_now(s)
    return order_public(order, False)


@router.post("/{order_id}/release", response_model=OrderPublic)
def release(
    order_id: str, s: WriteSession, who: Analyst, body: OrderStep | None = None
) -> OrderPublic:
    note = body.note if body else None
    order = freeze_order.release(s, order_id, actor=who.username, note=note)
    audit.record(s, who.username, "release_order", "freeze_order", order_id, note)
    commit_now(s)
    return order_public(order, False)
