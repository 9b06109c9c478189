"""The freeze-order queue at scale (issue 16, point 6): filtered, grouped by account with
totals, paginated by account, and exported as CSV.

One account with sixteen stops is one row with its totals and its orders under it; a page holds
`per_page` accounts, and the page count says how many there are, so nothing is dropped
silently. A bank's queue is its own institution's only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from chaincut.services.context import Principal
from chaincut.services.errors import ServiceError
from chaincut.services.orders import order_visible
from chaincut.services.schemas import OrderPublic
from chaincut.store import audit
from chaincut.store.enums import HOLDING_KINDS, OPEN_ORDER_STATUSES, OrderStatus, Role
from chaincut.store.tables import FreezeOrder
from chaincut.store.types import as_utc

ZERO = Decimal("0.00")
Q = TypeVar("Q")
CSV_COLUMNS = (
    "order_id", "report_id", "account_id", "institution", "kind", "amount", "hop", "rule",
    "status", "issued_at", "expires_at", "renewals", "document",
)  # fmt: skip


@dataclass(frozen=True)
class OrderFilter:
    """What the queue shows: every field given must match (dates are days, UTC, inclusive)."""

    status: Sequence[OrderStatus] = ()
    institution: str | None = None
    report_id: str | None = None
    account_id: str | None = None
    issued_from: date | None = None
    issued_to: date | None = None


@dataclass
class AccountGroup:
    """One account's orders in the queue, with what they hold in force."""

    account_id: str
    institution: str | None
    orders: list[OrderPublic] = field(default_factory=list)
    count: int = 0
    held: Decimal = ZERO
    open: int = 0


@dataclass
class QueuePage:
    groups: list[AccountGroup]
    page: int
    pages: int
    accounts: int
    orders: int
    held: Decimal


def _where(query: Select[Q], who: Principal, f: OrderFilter) -> Select[Q]:
    institution = who.institution if who.role is Role.bank else f.institution
    if institution:
        query = query.where(FreezeOrder.institution == institution)
    if f.status:
        query = query.where(FreezeOrder.status.in_(list(f.status)))
    if f.report_id:
        query = query.where(FreezeOrder.report_id == f.report_id)
    if f.account_id:
        query = query.where(FreezeOrder.account_id == f.account_id)
    if f.issued_from:
        start = as_utc(datetime.combine(f.issued_from, time()))
        query = query.where(FreezeOrder.issued_at >= start)
    if f.issued_to:
        end = as_utc(datetime.combine(f.issued_to + timedelta(days=1), time()))
        query = query.where(FreezeOrder.issued_at < end)
    return query


def _held(order: FreezeOrder) -> Decimal:
    holding = order.kind in HOLDING_KINDS and order.status in OPEN_ORDER_STATUSES
    return order.amount if holding else ZERO


def queue(
    s: Session, who: Principal, f: OrderFilter, *, page: int = 1, per_page: int = 50
) -> QueuePage:
    """Page `page` (from 1) of the accounts with orders matching `f`, newest first, each with
    its matching orders and totals; audited."""
    if page < 1 or not 1 <= per_page <= 500:
        raise ServiceError(400, "page starts at 1 and per_page is 1 to 500", "page")
    accounts = _where(select(FreezeOrder.account_id), who, f).group_by(FreezeOrder.account_id)
    n_accounts = s.scalar(select(func.count()).select_from(accounts.subquery())) or 0
    counted = _where(select(func.count(FreezeOrder.order_id)), who, f)
    n_orders = s.scalar(counted) or 0
    chosen = list(
        s.scalars(
            accounts.order_by(func.max(FreezeOrder.issued_at).desc(), FreezeOrder.account_id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    rows = s.scalars(
        _where(select(FreezeOrder), who, f)
        .where(FreezeOrder.account_id.in_(chosen))
        .order_by(FreezeOrder.issued_at.desc(), FreezeOrder.order_id)
    )
    groups = {a: AccountGroup(a, None) for a in chosen}
    for order in rows:
        group = groups[order.account_id]
        group.institution = group.institution or order.institution
        group.orders.append(order_visible(order, who))
        group.count += 1
        group.held += _held(order)
        group.open += order.status in OPEN_ORDER_STATUSES
    audit.record(
        s, who.username, "list_orders", "freeze_order", f.report_id or "*", "order queue",
        {"page": page, "accounts": len(chosen), "orders": n_orders},
    )  # fmt: skip
    s.commit()
    return QueuePage(
        groups=list(groups.values()),
        page=page,
        pages=max(1, -(-n_accounts // per_page)),
        accounts=n_accounts,
        orders=n_orders,
        held=sum((g.held for g in groups.values()), ZERO),
    )


def export_csv(s: Session, who: Principal, f: OrderFilter) -> Iterator[str]:
    """Every order matching `f` as CSV lines (a header first), masked as the queue is;
    audited before the first line."""
    audit.record(s, who.username, "export_orders", "freeze_order", f.report_id or "*",
                 "order queue export", None)  # fmt: skip
    s.commit()
    query = _where(select(FreezeOrder), who, f).order_by(
        FreezeOrder.account_id, FreezeOrder.issued_at, FreezeOrder.order_id
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for order in s.scalars(query.execution_options(yield_per=500)):
        shown = order_visible(order, who)
        writer.writerow(
            [
                "" if (value := getattr(shown, name)) is None else getattr(value, "value", value)
                for name in CSV_COLUMNS
            ]
        )
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
