"""The on-disk trace index: same answers as the in-memory ledger, rebuilt when the lake changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from chaincut.lake.catalog import connect
from chaincut.lake.engine import DuckDBEngine
from chaincut.settings import Settings
from chaincut.trace import (
    MemoryLedger,
    Rule,
    TraceIndex,
    TraceParams,
    ensure_index,
    report_json,
    trace_one,
)
from chaincut.trace.index.freshness import IndexUnavailable
from chaincut.trace.model import Txn
from tests.trace.helpers import at, worked_example, write_lake
from tests.trace.world import World


@pytest.mark.parametrize("rule", list(Rule))
def test_index_traces_like_the_memory_ledger(
    rule: Rule, world: World, world_ledger: MemoryLedger, world_index: TraceIndex
) -> None:
    params = TraceParams(rule=rule)
    for report in world.reports:
        rid = report.report_id
        expected = report_json(trace_one(world_ledger, rid, params), rid, flows=True)
        assert report_json(trace_one(world_index, rid, params), rid, flows=True) == expected


def test_point_lookups(world: World, world_ledger: MemoryLedger, world_index: TraceIndex) -> None:
    some = ["M1_0", "M2_1", "P0003", "POOL", "SHOP01", "NOPE"]
    for acc in some:
        assert world_index.account(acc) == world_ledger.account(acc)
        for t in world.txns[::997]:
            assert world_index.load(
                acc, t.key, t.ts + 10 * 24 * 3_600_000_000
            ) == world_ledger.load(acc, t.key, t.ts + 10 * 24 * 3_600_000_000)
            assert world_index.activity(acc, t.ts - 10**12, t.key) == world_ledger.activity(
                acc, t.ts - 10**12, t.key
            )
            assert world_index.balance_at(acc, t.ts) == world_ledger.balance_at(acc, t.ts)
    assert world_index.report_ids() == sorted(r.report_id for r in world.reports)
    busy = (0.9, 3.0, 10)
    assert world_index.busy_threshold(*busy) == world_ledger.busy_threshold(*busy)


def test_unknown_report(world_index: TraceIndex) -> None:
    with pytest.raises(KeyError):
        world_index.report("NOPE")


def test_rebuilt_when_the_lake_changes(tmp_path: Path) -> None:
    txns, report = worked_example()
    settings = write_lake(tmp_path, txns, [report])
    first = ensure_index(settings)
    assert ensure_index(settings).path == first.path  # nothing changed: the same index
    con = connect(settings)
    con.execute(
        "INSERT INTO transactions (txn_id, ts, src_account, dst_account, amount) "
        "VALUES ('t9', TIMESTAMP '2024-05-01 05:30:00', 'M', 'Z', 1.00)"
    )
    con.close()
    second = ensure_index(settings)
    assert second.path != first.path and second.meta["transactions"] == 6
    assert not first.path.exists()
    assert ensure_index(settings, rebuild=True).path != second.path


def test_importer_can_pass_its_connection(tmp_path: Path) -> None:
    txns, report = worked_example()
    settings = write_lake(tmp_path, txns, [report])
    con = connect(settings)
    try:
        index = ensure_index(settings, DuckDBEngine(settings, con))
    finally:
        con.close()
    assert index.report("R1").loss_cents == 10000


def test_a_connection_that_spilled_keeps_its_temporary_directory(tmp_path: Path) -> None:
    """An importer's connection that already spilled to disk (as at 100 M rows) cannot switch
    its temporary directory: the index is built without touching it."""
    txns, report = worked_example()
    settings = write_lake(tmp_path, txns, [report])
    con = connect(settings)
    try:
        con.execute(f"SET temp_directory = '{tmp_path / 'spill'}'")
        con.execute("SET memory_limit = '30MB'")
        con.execute("SET threads = 1")
        con.execute("SELECT count(*) FROM (SELECT hash(range) AS h FROM range(3000000) ORDER BY h)")
        assert (tmp_path / "spill").exists()  # DuckDB spilled: its directory is now fixed
        con.execute("RESET memory_limit")
        index = ensure_index(settings, DuckDBEngine(settings, con))
        assert con.execute("SELECT current_setting('temp_directory')").fetchall()[0][0] == str(
            tmp_path / "spill"
        )
    finally:
        con.close()
    assert index.report("R1").loss_cents == 10000


def test_no_lake_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IndexUnavailable, match="import data first"):
        ensure_index(Settings(home=tmp_path / "empty"))


def test_missing_fraud_transactions_are_listed(tmp_path: Path) -> None:
    txns, report = worked_example()
    settings = write_lake(tmp_path, txns[:1], [report])
    index = ensure_index(settings)
    info = index.report("R1")
    assert info.fraud_txns == () and info.missing_txn_ids == ("F1",)
    result = trace_one(index, "R1", TraceParams())
    assert result.totals["R1"].loss == 0 and result.totals["R1"].check()


def test_same_timestamp_orders_by_txn_id(tmp_path: Path) -> None:
    txns = [
        Txn(at(1), "F1", "V", "M", 10_000),
        Txn(at(2), "b", "M", "X", 3_000),
        Txn(at(2), "a", "C", "M", 5_000),
        Txn(at(2), "c", "M", "Y", 9_000),
    ]
    from chaincut.trace import ReportInfo

    report = ReportInfo("R1", at(3), "V", (txns[0],))
    index = ensure_index(write_lake(tmp_path, txns, [report]))
    memory = MemoryLedger(txns, reports=[report])
    for rule in Rule:
        p = TraceParams(rule=rule)
        assert report_json(trace_one(index, "R1", p), "R1", flows=True) == report_json(
            trace_one(memory, "R1", p), "R1", flows=True
        )
    loaded = index.load("M", (at(2), "a"), at(3))
    assert [t.txn_id for t in loaded.events] == ["b", "c"] and loaded.opening_cents == 10_000
