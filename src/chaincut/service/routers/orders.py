"""`/v1/freeze-orders`: the queue, and the lifecycle steps (confirm, renew, release), through
`chaincut.services.orders` (who may take which step, auditing)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from chaincut.service.deps import MAX_OFFSET, Analyst, OrderDesk, WriteSession
from chaincut.services import orders
from chaincut.services.schemas import OrderPublic, OrderStep
from chaincut.store.enums import OrderStatus

router = APIRouter(prefix="/v1/freeze-orders", tags=["freeze orders"])


@router.get("", response_model=list[OrderPublic])
def list_orders(
    s: WriteSession,
    who: OrderDesk,
    status: Annotated[list[OrderStatus] | None, Query()] = None,
    report_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[OrderPublic]:
    """Orders newest first; a bank gets only its institution's."""
    return orders.list_orders(
        s, who, status=status, report_id=report_id, limit=limit, offset=offset
    )


@router.get("/{order_id}", response_model=OrderPublic)
def get_order(order_id: str, s: WriteSession, who: OrderDesk) -> OrderPublic:
    return orders.get_order(s, who, order_id)


@router.post("/{order_id}/confirm", response_model=OrderPublic)
def confirm(
    order_id: str, s: WriteSession, who: OrderDesk, body: OrderStep | None = None
) -> OrderPublic:
    """The institution applied the order (issued → confirmed)."""
    return orders.apply_step(s, who, order_id, "confirm", body.note if body else None)


@router.post("/{order_id}/renew", response_model=OrderPublic)
def renew(
    order_id: str, s: WriteSession, who: Analyst, body: OrderStep | None = None
) -> OrderPublic:
    return orders.apply_step(s, who, order_id, "renew", body.note if body else None)


@router.post("/{order_id}/release", response_model=OrderPublic)
def release(
    order_id: str, s: WriteSession, who: Analyst, body: OrderStep | None = None
) -> OrderPublic:
    return orders.apply_step(s, who, order_id, "release", body.note if body else None)
