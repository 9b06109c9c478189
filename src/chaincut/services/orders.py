"""Freeze-order use cases: the queue, and the lifecycle steps (confirm, renew, release, freeze,
escalate).

A bank sees and confirms only its own institution's orders (its own customers' accounts in
full: it applies them); renewing, releasing, turning a stop into a formal freeze and escalating
a verify order are the police's decisions (analyst, admin). Every step is audited with its
purpose: the reason given, or the legal document's number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from chaincut.services.context import Principal
from chaincut.services.errors import ServiceError, invalid_input
from chaincut.services.schemas import OrderPublic
from chaincut.services.views import order_public
from chaincut.store import audit, freeze_order, order_steps
from chaincut.store.enums import OPEN_ORDER_STATUSES, OrderKind, OrderStatus, Role
from chaincut.store.freeze_order import EMERGENCY_STOP_MAX_RENEWALS
from chaincut.store.tables import FreezeOrder
from chaincut.store.types import utc_now

Step = Literal["confirm", "renew", "release", "freeze", "escalate"]
STEPS: tuple[Step, ...] = ("confirm", "renew", "release", "freeze", "escalate")
POLICE = frozenset({Role.analyst, Role.admin})
#: who may take each step (a bank only for its own institution's orders)
STEP_ROLES: dict[Step, frozenset[Role]] = {
    "confirm": frozenset({Role.bank, Role.analyst, Role.admin}),
    "renew": POLICE,
    "release": POLICE,
    "freeze": POLICE,
    "escalate": POLICE,
}
_STEP_CALLS: dict[Step, Callable[..., FreezeOrder]] = {
    "confirm": freeze_order.confirm,
    "renew": freeze_order.renew,
    "release": freeze_order.release,
}
#: what a step must be given: release and escalate a reason, freeze the legal document
NEEDS_REASON: frozenset[Step] = frozenset({"release", "escalate"})


def parse_step(name: str) -> Step | None:
    """The lifecycle step called `name`, or None when there is none."""
    return next((step for step in STEPS if step == name), None)


def _holds(who: Principal, order: FreezeOrder) -> bool:
    """Whether `who` is the institution holding the order's account: a bank applies a stop to
    its own customer's account and needs it in full (masking by need)."""
    return (
        who.role is Role.bank
        and who.institution is not None
        and (order.institution == who.institution)
    )


def order_visible(order: FreezeOrder, who: Principal) -> OrderPublic:
    """`order` as `who` may see it: masked below analyst, except to the institution holding
    the account (masking by need)."""
    return order_public(order, who.mask and not _holds(who, order))


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
    return [order_visible(o, who) for o in orders]


def get_order(s: Session, who: Principal, order_id: str) -> OrderPublic:
    """One order (404 for a bank when it is another institution's). Audited."""
    order = _own(s, order_id, who)
    audit.record(s, who.username, "view_order", "freeze_order", order_id, "order queue")
    return order_visible(order, who)


def next_steps(order: OrderPublic, role: Role, now: datetime | None = None) -> list[Step]:
    """The steps `role` may take on `order` now, as the lifecycle allows them (the console
    offers these buttons and no others)."""
    now = now or utc_now()
    if order.status not in OPEN_ORDER_STATUSES or (
        order.expires_at is not None and now >= order.expires_at
    ):
        return []
    allowed: list[Step] = []
    if order.status is OrderStatus.issued:
        allowed.append("confirm")
    applied = order.status in (OrderStatus.confirmed, OrderStatus.renewed)
    if applied and order.kind is OrderKind.freeze:
        allowed.append("renew")
    if applied and order.kind is OrderKind.emergency_stop:
        if order.renewals < EMERGENCY_STOP_MAX_RENEWALS:
            allowed.append("renew")
        allowed.append("freeze")
    if order.kind is OrderKind.verify:
        allowed.append("escalate")
    allowed.append("release")
    return [step for step in allowed if role in STEP_ROLES[step]]


def apply_step(
    s: Session,
    who: Principal,
    order_id: str,
    step: Step,
    note: str | None = None,
    document: str | None = None,
) -> OrderPublic:
    """Take lifecycle `step` on the order: 403 when `who`'s role may not, 404 when it is
    another institution's, 400 when the reason (release, escalate) or the legal document's
    number (freeze) is missing, 409 when the order's state does not allow it. Audited with
    the reason as its purpose; commits. Freeze and escalate answer with the order issued in
    the old one's place."""
    if step not in STEP_ROLES:
        raise ServiceError(400, f"no step {step!r}; one of: {', '.join(STEPS)}", "step")
    if who.role not in STEP_ROLES[step]:
        names = ", ".join(sorted(r.value for r in STEP_ROLES[step]))
        raise ServiceError(403, f"role {who.role} may not {step} an order; it needs: {names}")
    note = (note or "").strip() or None
    if step in NEEDS_REASON and note is None:
        raise ServiceError(400, f"give a reason to {step} an order (it is audited)", "note")
    _own(s, order_id, who)
    detail: dict[str, str] = {}
    with invalid_input("document" if step == "freeze" else "note"):
        if step == "freeze":
            order = order_steps.to_freeze(s, order_id, document, actor=who.username, note=note)
            detail = {"document": order.document or "", "freeze": order.order_id}
        elif step == "escalate":
            order = order_steps.escalate(s, order_id, note, actor=who.username)
            detail = {"stop": order.order_id}
        else:
            order = _STEP_CALLS[step](s, order_id, actor=who.username, note=note)
    purpose = note if step != "freeze" else f"freeze under {detail['document']}"
    audit.record(
        s, who.username, f"{step}_order", "freeze_order", order_id, purpose, detail or None
    )
    s.commit()
    return order_visible(order, who)
