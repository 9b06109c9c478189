"""Freeze-order use cases: the queue, and the lifecycle steps (confirm, renew, release).

A bank sees and confirms only its own institution's orders, with the account masked; renewing
and releasing are the police's decisions (analyst, admin). Every step is audited.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

from sqlalchemy.orm import Session

from chaincut.services.context import Principal
from chaincut.services.errors import ServiceError
from chaincut.services.schemas import OrderPublic
from chaincut.services.views import order_public
from chaincut.store import audit, freeze_order
from chaincut.store.enums import OrderStatus, Role
from chaincut.store.tables import FreezeOrder

Step = Literal["confirm", "renew", "release"]
STEPS: tuple[Step, ...] = ("confirm", "renew", "release")
#: who may take each step (a bank only for its own institution's orders)
STEP_ROLES: dict[Step, frozenset[Role]] = {
    "confirm": frozenset({Role.bank, Role.analyst, Role.admin}),
    "renew": frozenset({Role.analyst, Role.admin}),
    "release": frozenset({Role.analyst, Role.admin}),
}
_STEP_CALLS: dict[Step, Callable[..., FreezeOrder]] = {
    "confirm": freeze_order.confirm,
    "renew": freeze_order.renew,
    "release": freeze_order.release,
}


def parse_step(name: str) -> Step | None:
    """The lifecycle step called `name`, or None when there is none."""
    return next((step for step in STEPS if step == name), None)


def _own(s: Session, order_id: str, who: Principal) -> FreezeOrder:
    order = freeze_order.get_order(s, order_id)
    if who.role is Role.bank and order.institution != who.institution:
        # not 403: a bank must not learn that another bank's order exists
        raise ServiceError(404, f"freeze order {order_id!r} not found", "order_id")
    return order


def list_orders(
    s: Session,
    who: Principal,
    *,
    status: Sequence[OrderStatus] | None = None,
    report_id: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[OrderPublic]:
    """Orders newest first; a bank gets only its institution's, masked. Audited."""
    institution = who.institution if who.role is Role.bank else None
    orders = freeze_order.list_orders(
        s,
        report_id=report_id,
        institution=institution,
        status=list(status) if status else None,
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


def get_order(s: Session, who: Principal, order_id: str) -> OrderPublic:
    """One order (404 for a bank when it is another institution's). Audited."""
    order = _own(s, order_id, who)
    audit.record(s, who.username, "view_order", "freeze_order", order_id, "order queue")
    return order_public(order, who.mask)


def apply_step(
    s: Session, who: Principal, order_id: str, step: Step, note: str | None = None
) -> OrderPublic:
    """Take lifecycle `step` on the order: 403 when `who`'s role may not, 404 when it is
    another institution's, 409 when the order's state does not allow it. Audited; commits."""
    if step not in STEP_ROLES:
        raise ServiceError(400, f"no step {step!r}; one of: {', '.join(STEPS)}", "step")
    if who.role not in STEP_ROLES[step]:
        names = ", ".join(sorted(r.value for r in STEP_ROLES[step]))
        raise ServiceError(403, f"role {who.role} may not {step} an order; it needs: {names}")
    _own(s, order_id, who)
    order = _STEP_CALLS[step](s, order_id, actor=who.username, note=note)
    audit.record(s, who.username, f"{step}_order", "freeze_order", order_id, note)
    s.commit()
    return order_public(order, who.mask)
