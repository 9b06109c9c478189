"""Property: however often and in whatever order a report's orders are issued, there is one row
per (report, account, kind), holding the last amount issued while it was open."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from chaincut.store import Store
from chaincut.store import freeze_order as fo
from chaincut.store.enums import OPEN_ORDER_STATUSES, OrderKind, OrderStatus, TracingRule
from chaincut.store.tables import FreezeOrder

from .factory import NOW, add_report

ACCOUNTS = ("A1", "A2", "A3")
KINDS = (OrderKind.emergency_stop, OrderKind.freeze)

order_specs = st.dictionaries(
    keys=st.tuples(st.sampled_from(ACCOUNTS), st.sampled_from(KINDS)),
    values=st.integers(min_value=1, max_value=10**12),  # cents
    max_size=4,
)
# each round: the orders to issue, then maybe release one of the report's orders
rounds = st.lists(st.tuples(order_specs, st.booleans()), min_size=1, max_size=5)
_reports = itertools.count()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rounds=rounds)
def test_reissuing_never_duplicates(
    store: Store, rounds: list[tuple[dict[tuple[str, OrderKind], int], bool]]
) -> None:
    report_id = f"R{next(_reports)}"
    expected: dict[tuple[str, OrderKind], Decimal] = {}
    released: set[tuple[str, OrderKind]] = set()
    with store.session() as s:
        add_report(s, report_id)
    for n, (specs, release_one) in enumerate(rounds):
        now = NOW + timedelta(minutes=n)
        with store.session() as s:
            fo.issue_orders(
                s,
                report_id,
                [
                    fo.OrderSpec(account, kind, Decimal(cents) / 100, 1, TracingRule.fifo, [["T"]])
                    for (account, kind), cents in specs.items()
                ],
                now,
            )
            for key, cents in specs.items():
                if key not in released:
                    expected[key] = Decimal(cents) / 100
            open_orders = fo.list_orders(s, report_id=report_id, status=OPEN_ORDER_STATUSES)
            if release_one and open_orders:
                victim = min(open_orders, key=lambda o: (o.account_id, o.kind))
                fo.release(s, victim.order_id, now)
                released.add((victim.account_id, victim.kind))
    with store.session(readonly=True) as s:
        rows = s.execute(
            select(FreezeOrder.account_id, FreezeOrder.kind, func.count())
            .where(FreezeOrder.report_id == report_id)
            .group_by(FreezeOrder.account_id, FreezeOrder.kind)
        ).all()
        assert all(count == 1 for _, _, count in rows)
        orders = {(o.account_id, o.kind): o for o in fo.list_orders(s, report_id=report_id)}
    assert set(orders) == set(expected)
    for key, order in orders.items():
        assert order.amount == expected[key]
        assert (order.status is OrderStatus.released) == (key in released)
