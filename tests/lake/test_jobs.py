"""The lake jobs on every engine, against answers worked out by hand from the tiny lake."""

from __future__ import annotations

from decimal import Decimal

import ibis
import pyarrow as pa
import pytest

from chaincut.lake.engine import Engine, lake_schema
from chaincut.lake.jobs import account_activity, lake_stats, time_window_degree
from tests.lake.conftest import ROWS, WHALE, sorted_rows, ts

D = Decimal


def test_account_activity_totals_exactly_per_account_and_currency(engine: Engine) -> None:
    result = engine.execute(account_activity(engine.table("transactions")), label="activity")
    assert result.schema.field("in_amount").type == pa.decimal128(38, 2)
    # account, currency, in n, in amount, out n, out amount, senders, receivers, parties, first, last
    assert sorted_rows(result) == [
        ("A", "CNY", 0, D("0.00"), 2, D("8000.50"), 0, 1, 1,
         ts("2024-03-01 09:15:00"), ts("2024-03-01 09:40:00")),
        ("M1", "CNY", 2, D("8000.50"), 2, D("8000.24"), 1, 2, 3,
         ts("2024-03-01 09:15:00"), ts("2024-03-01 10:00:00")),
        ("M2", "CNY", 1, D("4000.25"), 2, D("0.30"), 1, 1, 2,
         ts("2024-03-01 09:59:59.999999"), ts("2024-03-01 23:30:00")),
        ("M3", "CNY", 2, D("4000.99"), 1, D("1.00"), 2, 1, 2,
         ts("2024-03-01 10:00:00"), ts("2024-03-02 03:00:00")),
        ("M3", "USD", 0, D("0.00"), 1, D("100.00"), 0, 1, 1,
         ts("2024-03-02 00:00:00"), ts("2024-03-02 00:00:00")),
        ("S", "USD", 1, D("100.00"), 0, D("0.00"), 1, 0, 1,
         ts("2024-03-02 00:00:00"), ts("2024-03-02 00:00:00")),
        ("W", "CNY", 1, D("0.01"), 1, WHALE, 1, 1, 1,
         ts("2024-03-02 01:00:00"), ts("2024-03-02 02:00:00")),
        ("X", "CNY", 3, WHALE + D("0.30"), 1, D("0.01"), 2, 1, 2,
         ts("2024-03-01 23:30:00"), ts("2024-03-02 02:00:00")),
    ]  # fmt: skip


def test_account_activity_amounts_are_decimals_not_floats(engine: Engine) -> None:
    result = engine.execute(account_activity(engine.table("transactions")))
    m2 = next(r for r in result.to_pylist() if r["account_id"] == "M2")
    assert isinstance(m2["out_amount"], Decimal)
    assert m2["out_amount"] == D("0.30")  # 0.1 + 0.2 in binary floats is not 0.3


def test_hourly_windows_split_at_the_hour(engine: Engine) -> None:
    result = engine.execute(time_window_degree(engine.table("transactions"), "1h"))
    # account, window start, fan-in, fan-out, in count, out count
    assert sorted_rows(result) == [
        ("A", ts("2024-03-01 09:00"), 0, 1, 0, 2),
        ("M1", ts("2024-03-01 09:00"), 1, 1, 2, 1),
        ("M1", ts("2024-03-01 10:00"), 0, 1, 0, 1),
        ("M2", ts("2024-03-01 09:00"), 1, 0, 1, 0),
        ("M2", ts("2024-03-01 23:00"), 0, 1, 0, 2),
        ("M3", ts("2024-03-01 10:00"), 1, 0, 1, 0),
        ("M3", ts("2024-03-02 00:00"), 0, 1, 0, 1),
        ("M3", ts("2024-03-02 03:00"), 1, 1, 1, 1),
        ("S", ts("2024-03-02 00:00"), 1, 0, 1, 0),
        ("W", ts("2024-03-02 01:00"), 0, 1, 0, 1),
        ("W", ts("2024-03-02 02:00"), 1, 0, 1, 0),
        ("X", ts("2024-03-01 23:00"), 1, 0, 2, 0),
        ("X", ts("2024-03-02 01:00"), 1, 0, 1, 0),
        ("X", ts("2024-03-02 02:00"), 0, 1, 0, 1),
    ]


def test_daily_windows_start_at_utc_midnight(engine: Engine) -> None:
    result = engine.execute(time_window_degree(engine.table("transactions"), "1d"))
    assert sorted_rows(result) == [
        ("A", ts("2024-03-01"), 0, 1, 0, 2),
        ("M1", ts("2024-03-01"), 1, 2, 2, 2),
        ("M2", ts("2024-03-01"), 1, 1, 1, 2),
        ("M3", ts("2024-03-01"), 1, 0, 1, 0),
        ("M3", ts("2024-03-02"), 1, 2, 1, 2),
        ("S", ts("2024-03-02"), 1, 0, 1, 0),
        ("W", ts("2024-03-02"), 1, 1, 1, 1),
        ("X", ts("2024-03-01"), 1, 0, 2, 0),
        ("X", ts("2024-03-02"), 1, 1, 1, 1),
    ]


def test_lake_stats_counts_rows_times_and_parties(engine: Engine) -> None:
    result = engine.execute(lake_stats(engine.tables()), label="lake_stats")
    stats = {row["table_name"]: row for row in result.to_pylist()}
    assert {name: row["rows"] for name, row in stats.items()} == {
        name: len(rows) for name, rows in ROWS.items()
    }
    assert stats["transactions"]["min_ts"] == ts("2024-03-01 09:15:00")
    assert stats["transactions"]["max_ts"] == ts("2024-03-02 03:00:00")
    assert stats["calls"]["max_ts"] == ts("2024-03-01 20:00:00")
    assert stats["accounts"]["min_ts"] is None
    assert {name: row["parties"] for name, row in stats.items()} == {
        "persons": None,
        "accounts": None,
        "transactions": 7,
        "calls": 3,
        "messages": 2,
        "reports": 1,
        "labels": None,
    }


def test_lake_stats_of_empty_tables(engine: Engine) -> None:
    empty = {name: t.filter(ibis.literal(False)) for name, t in engine.tables().items()}
    rows = engine.execute(lake_stats(empty)).to_pylist()
    assert all(row["rows"] == 0 and row["min_ts"] is None for row in rows)
    assert {row["parties"] for row in rows} == {0, None}


def test_jobs_are_pure_expressions_built_without_an_engine() -> None:
    transactions = ibis.table(lake_schema("transactions"), name="transactions")
    assert "window_start" in time_window_degree(transactions, "1d").schema()
    with pytest.raises(ValueError, match="'1h', '1d'"):
        time_window_degree(transactions, "7d")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not lake tables: ledger"):
        lake_stats({"ledger": transactions})
