"""Freeze orders follow the stop-payment rules: periods, renewals, transitions, idempotent issue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from chaincut.store import IllegalTransition, NotFound, Store
from chaincut.store import freeze_order as fo
from chaincut.store.enums import OrderAction, OrderKind, OrderStatus, TracingRule
from chaincut.store.tables import FreezeOrder, FreezeOrderEvent

from .factory import NOW, add_report

HOUR = timedelta(hours=1)
US = timedelta(microseconds=1)


def spec(
    account: str = "A1",
    kind: OrderKind = OrderKind.emergency_stop,
    amount: str = "1000.00",
    evidence: tuple[tuple[str, ...], ...] = (("T1", "T7"),),
) -> fo.OrderSpec:
    return fo.OrderSpec(
        account_id=account,
        kind=kind,
        amount=Decimal(amount),
        hop=1,
        rule=TracingRule.libr,
        evidence=[list(chain) for chain in evidence],
        institution="ICBC",
    )


def issue_one(session: Session, kind: OrderKind, report_id: str = "R1") -> FreezeOrder:
    if session.get(FreezeOrder, report_id) is None and not session.scalar(
        select(FreezeOrder.order_id).where(FreezeOrder.report_id == report_id)
    ):
        add_report(session, report_id)
    return fo.issue_orders(session, report_id, [spec(kind=kind)], NOW).orders[0]


def actions(order: FreezeOrder) -> list[OrderAction]:
    return [event.action for event in order.history]


def test_issue_sets_periods_by_kind(session: Session) -> None:
    add_report(session)
    result = fo.issue_orders(
        session,
        "R1",
        [spec(kind=k) for k in OrderKind],
        NOW,
        actor="analyst1",
    )
    stop, freeze, detail, verify = result.orders
    assert len(result.created) == 4 and not result.updated
    assert stop.status is freeze.status is detail.status is OrderStatus.issued
    assert stop.expires_at == NOW + 48 * HOUR
    assert freeze.expires_at == datetime(2024, 9, 1, 8, 0, tzinfo=UTC)
    assert detail.expires_at is None and verify.expires_at is None
    assert stop.order_id != freeze.order_id
    assert actions(stop) == [OrderAction.issued]
    assert stop.history[0].actor == "analyst1" and stop.history[0].from_status is None
    assert stop.evidence == [["T1", "T7"]] and stop.amount == Decimal("1000.00")


def test_freeze_period_counts_calendar_months(session: Session) -> None:
    add_report(session)
    end_of_august = datetime(2023, 8, 31, 12, 0, tzinfo=UTC)
    order = fo.issue_orders(session, "R1", [spec(kind=OrderKind.freeze)], end_of_august).orders[0]
    assert order.expires_at == datetime(2024, 2, 29, 12, 0, tzinfo=UTC)  # leap year
    fo.confirm(session, order.order_id, end_of_august)
    fo.renew(session, order.order_id, datetime(2024, 2, 1, tzinfo=UTC))
    assert order.expires_at == datetime(2024, 8, 31, 12, 0, tzinfo=UTC)  # not drifting to the 29th


def test_issue_needs_a_stored_report(session: Session) -> None:
    with pytest.raises(NotFound, match="report 'nope'"):
        fo.issue_orders(session, "nope", [spec()], NOW)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ([spec(), spec()], "two emergency_stop orders"),
        ([spec(amount="0")], "positive"),
        ([spec(amount="-1.00")], "positive"),
        ([spec(amount="1.001")], "more than two decimal places"),
        (  # a flat list of txn_ids type-checks (str is a sequence) but is not a chain list
            [fo.OrderSpec("A1", OrderKind.freeze, Decimal(1), 1, TracingRule.fifo, ["T1", "T2"])],
            "list of txn_id chains",
        ),
    ],
)
def test_issue_rejects_bad_specs(session: Session, bad: list[fo.OrderSpec], message: str) -> None:
    add_report(session)
    with pytest.raises(ValueError, match=message):
        fo.issue_orders(session, "R1", bad, NOW)


def test_reissue_is_idempotent_and_updates_open_orders(store: Store) -> None:
    with store.session() as s:
        add_report(s)
        first = fo.issue_orders(s, "R1", [spec("A1"), spec("A2")], NOW)
        ids = [o.order_id for o in first.orders]
    with store.session() as s:
        again = fo.issue_orders(s, "R1", [spec("A1"), spec("A2")], NOW + HOUR)
        assert [o.order_id for o in again.unchanged] == ids and not again.created
        changed = fo.issue_orders(
            s, "R1", [spec("A1", amount="900.50", evidence=(("T1", "T9"),))], NOW + 2 * HOUR
        )
        assert [o.order_id for o in changed.updated] == ids[:1]
    with store.session(readonly=True) as s:
        orders = {o.account_id: o for o in fo.list_orders(s, report_id="R1")}
        assert len(orders) == 2
        assert orders["A1"].amount == Decimal("900.50")
        assert orders["A1"].evidence == [["T1", "T9"]]
        assert orders["A1"].issued_at == NOW and orders["A1"].expires_at == NOW + 48 * HOUR
        assert actions(orders["A1"]) == [OrderAction.issued, OrderAction.updated]
        assert actions(orders["A2"]) == [OrderAction.issued]


def test_reissue_never_reopens_a_released_order(session: Session) -> None:
    order = issue_one(session, OrderKind.freeze)
    fo.release(session, order.order_id, NOW + HOUR, actor="analyst1", note="victim refunded")
    result = fo.issue_orders(session, "R1", [spec(kind=OrderKind.freeze, amount="5.00")], NOW)
    assert result.closed == [order] and order.status is OrderStatus.released
    assert order.amount == Decimal("1000.00")
    assert len(fo.list_orders(session, report_id="R1")) == 1


def test_reissue_after_the_period_marks_the_order_expired(session: Session) -> None:
    order = issue_one(session, OrderKind.emergency_stop)
    result = fo.issue_orders(session, "R1", [spec(amount="5.00")], NOW + 48 * HOUR)
    assert result.closed == [order] and order.status is OrderStatus.expired
    assert actions(order) == [OrderAction.issued, OrderAction.expired]


def test_emergency_stop_renews_exactly_once(session: Session) -> None:
    order = issue_one(session, OrderKind.emergency_stop)
    fo.confirm(session, order.order_id, NOW + HOUR, actor="bank1")
    fo.renew(session, order.order_id, NOW + 40 * HOUR)
    assert order.status is OrderStatus.renewed and order.renewals == 1
    assert order.expires_at == NOW + 96 * HOUR
    with pytest.raises(IllegalTransition, match="renewed only once"):
        fo.renew(session, order.order_id, NOW + 90 * HOUR)
    assert actions(order) == [OrderAction.issued, OrderAction.confirmed, OrderAction.renewed]
    history = [(e.from_status, e.to_status) for e in order.history]
    assert history == [
        (None, OrderStatus.issued),
        (OrderStatus.issued, OrderStatus.confirmed),
        (OrderStatus.confirmed, OrderStatus.renewed),
    ]


def test_freeze_renews_repeatedly(session: Session) -> None:
    order = issue_one(session, OrderKind.freeze)
    fo.confirm(session, order.order_id, NOW)
    for _ in range(3):
        fo.renew(session, order.order_id, NOW + HOUR)
    assert order.renewals == 3
    assert order.expires_at == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def test_detail_request_cannot_be_renewed_and_never_expires(session: Session) -> None:
    order = issue_one(session, OrderKind.request_subaccount_detail)
    fo.confirm(session, order.order_id, NOW)
    with pytest.raises(IllegalTransition, match="no period"):
        fo.renew(session, order.order_id, NOW)
    assert fo.expire_due(session, NOW + timedelta(days=3650)) == []


def test_unknown_order(session: Session) -> None:
    with pytest.raises(NotFound):
        fo.confirm(session, "FO-missing", NOW)


LEGAL: dict[tuple[OrderStatus, str], bool] = {
    (OrderStatus.issued, "confirm"): True,
    (OrderStatus.issued, "renew"): False,
    (OrderStatus.issued, "release"): True,
    (OrderStatus.confirmed, "confirm"): False,
    (OrderStatus.confirmed, "renew"): True,
    (OrderStatus.confirmed, "release"): True,
    (OrderStatus.renewed, "confirm"): False,
    (OrderStatus.renewed, "renew"): True,  # a freeze; an emergency stop only once (above)
    (OrderStatus.renewed, "release"): True,
    (OrderStatus.released, "confirm"): False,
    (OrderStatus.released, "renew"): False,
    (OrderStatus.released, "release"): False,
    (OrderStatus.expired, "confirm"): False,
    (OrderStatus.expired, "renew"): False,
    (OrderStatus.expired, "release"): False,
}

ACTIONS: dict[str, Callable[..., FreezeOrder]] = {
    "confirm": fo.confirm,
    "renew": fo.renew,
    "release": fo.release,
}


def _into(session: Session, order: FreezeOrder, status: OrderStatus) -> datetime:
    """Drive a fresh freeze order into `status`; returns a time at which to act next."""
    if status is OrderStatus.issued:
        return NOW + HOUR
    if status is OrderStatus.expired:
        assert order.expires_at is not None
        fo.expire_due(session, order.expires_at)
        return order.expires_at + HOUR
    if status is OrderStatus.released:
        fo.release(session, order.order_id, NOW + HOUR)
        return NOW + 2 * HOUR
    fo.confirm(session, order.order_id, NOW + HOUR)
    if status is OrderStatus.renewed:
        fo.renew(session, order.order_id, NOW + HOUR)
    return NOW + 2 * HOUR


def test_every_transition_is_legal_or_refused_as_specified(session: Session) -> None:
    for n, ((status, verb), legal) in enumerate(LEGAL.items()):
        order = issue_one(session, OrderKind.freeze, report_id=f"R{n}")
        at = _into(session, order, status)
        assert order.status is status
        before = len(order.history)
        if legal:
            ACTIONS[verb](session, order.order_id, at, actor="tester")
            assert len(order.history) == before + 1, (status, verb)
            assert order.history[-1].actor == "tester"
        else:
            with pytest.raises(IllegalTransition, match=f"cannot {verb}"):
                ACTIONS[verb](session, order.order_id, at)
            assert order.status is status and len(order.history) == before, (status, verb)


def test_expire_due_uses_the_exact_boundary(session: Session) -> None:
    stop = issue_one(session, OrderKind.emergency_stop)
    end = NOW + 48 * HOUR
    assert fo.expire_due(session, end - US) == []
    assert fo.expire_due(session, end) == [stop]
    assert stop.status is OrderStatus.expired
    assert fo.expire_due(session, end + HOUR) == []


def test_acting_after_the_period_is_refused_even_before_expire_due(session: Session) -> None:
    stop = issue_one(session, OrderKind.emergency_stop)
    fo.confirm(session, stop.order_id, NOW)
    with pytest.raises(IllegalTransition, match="expired at"):
        fo.renew(session, stop.order_id, NOW + 48 * HOUR)


def test_renewal_moves_the_expiry(session: Session) -> None:
    stop = issue_one(session, OrderKind.emergency_stop)
    fo.confirm(session, stop.order_id, NOW)
    fo.renew(session, stop.order_id, NOW + 47 * HOUR)
    assert fo.expire_due(session, NOW + 48 * HOUR) == []
    assert fo.expire_due(session, NOW + 96 * HOUR) == [stop]


def test_list_orders_filters(session: Session) -> None:
    add_report(session)
    other = spec("B1")
    other = fo.OrderSpec(**{**other.__dict__, "institution": "CCB"})
    fo.issue_orders(session, "R1", [spec("A1"), other], NOW)
    assert [o.account_id for o in fo.list_orders(session, institution="CCB")] == ["B1"]
    assert len(fo.list_orders(session, status=OrderStatus.issued)) == 2
    assert fo.list_orders(session, status=[OrderStatus.released]) == []
    assert [o.institution for o in fo.list_orders(session, account_id="A1")] == ["ICBC"]


def test_order_history_is_append_only(store: Store) -> None:
    with store.session() as s:
        issue_one(s, OrderKind.freeze)
    for statement in (
        update(FreezeOrderEvent).values(note="rewritten"),
        text("DELETE FROM freeze_order_events"),
    ):
        with pytest.raises(DBAPIError, match="append-only"), store.session() as s:
            s.execute(statement)
