"""Money is exact and timestamps are UTC on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from chaincut.store import Store, case
from chaincut.store.tables import Case
from chaincut.store.types import MAX_MONEY, to_money

from .factory import NOW

amounts = st.decimals(
    min_value=-MAX_MONEY, max_value=MAX_MONEY, places=2, allow_nan=False, allow_infinity=False
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(amount=amounts)
def test_money_round_trips_exactly(store: Store, amount: Decimal) -> None:
    case_id = f"C{abs(hash(amount)) % 10**12}"
    with store.session() as s:
        if s.get(Case, case_id) is None:
            case.create_case(s, case_id, "x", amount_involved=Decimal("0"), now=NOW)
        s.get_one(Case, case_id).amount_seized = amount
    with store.session(readonly=True) as s:
        stored = s.get_one(Case, case_id).amount_seized
    assert stored == amount
    assert stored.as_tuple().exponent == -2


def test_sums_in_sql_are_exact(store: Store) -> None:
    values = ["0.10", "0.20", "9999999999999.99", "0.01"]
    with store.session() as s:
        for i, value in enumerate(values):
            case.create_case(s, f"C{i}", "x", amount_involved=Decimal(value), now=NOW)
    with store.session(readonly=True) as s:
        total = s.scalar(select(func.sum(Case.amount_involved)))
    assert total == sum(Decimal(v) for v in values) == Decimal("10000000000000.30")


@pytest.mark.parametrize("bad", [0.1, True, "0.001", "NaN", "1e20", "abc"])
def test_to_money_refuses_inexact_or_invalid_amounts(bad: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        to_money(bad)  # type: ignore[arg-type]


def test_timestamps_come_back_as_aware_utc(store: Store) -> None:
    shanghai = timezone(timedelta(hours=8))
    local = datetime(2024, 3, 1, 16, 0, 0, 123456, tzinfo=shanghai)
    naive = datetime(2024, 3, 2, 8, 0)
    with store.session() as s:
        case.create_case(s, "A", "aware", now=local)
        case.create_case(s, "N", "naive", now=naive)
    with store.session(readonly=True) as s:
        aware_back = s.get_one(Case, "A").created_at
        naive_back = s.get_one(Case, "N").created_at
    assert aware_back == local and aware_back.tzinfo == UTC
    assert aware_back == datetime(2024, 3, 1, 8, 0, 0, 123456, tzinfo=UTC)
    assert naive_back == naive.replace(tzinfo=UTC) and naive_back.tzinfo == UTC


def test_timestamps_compare_in_time_order(store: Store) -> None:
    earlier_in_utc = datetime(2024, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=8)))  # 01:00 UTC
    later_in_utc = datetime(2024, 3, 1, 2, 0, tzinfo=UTC)
    with store.session() as s:
        case.create_case(s, "early", "x", now=earlier_in_utc)
        case.create_case(s, "late", "x", now=later_in_utc)
    with store.session(readonly=True) as s:
        cutoff = datetime(2024, 3, 1, 1, 30, tzinfo=UTC)
        found = s.scalars(select(Case.case_id).where(Case.created_at > cutoff)).all()
    assert found == ["late"]
