"""The Engine API, the same on every engine: tables, execute, to_parquet, errors, timings."""

from __future__ import annotations

import logging
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from chaincut.lake import catalog
from chaincut.lake.engine import DuckDBEngine, Engine, EngineError, get_engine, lake_schema
from chaincut.lake.jobs import account_activity
from chaincut.model.schema import TABLE_ORDER
from chaincut.settings import EngineName, Settings


def test_every_table_has_the_interchange_schema(engine: Engine) -> None:
    for name in TABLE_ORDER:
        assert engine.table(name).schema() == lake_schema(name)


def test_money_stays_decimal_and_time_stays_naive_utc(engine: Engine) -> None:
    result = engine.execute(engine.table("transactions"))
    assert result.schema.field("amount").type == pa.decimal128(18, 2)
    assert result.schema.field("ts").type == pa.timestamp("us")
    reports = engine.execute(engine.table("reports")).to_pylist()
    assert reports[0]["fraud_txn_ids"] == ["t1", "t2"]


def test_the_extra_column_is_json_on_every_engine(engine: Engine) -> None:
    t = engine.table("transactions")
    codes = t.select(t.txn_id, mcc=t.extra["mcc"].int)
    rows = {r["txn_id"]: r["mcc"] for r in engine.execute(codes).to_pylist()}
    assert rows["t7"] == 5411
    assert rows["t1"] is None


def test_unknown_table_is_an_error_that_lists_the_tables(engine: Engine) -> None:
    with pytest.raises(EngineError, match="no such table. Use persons, accounts"):
        engine.table("ledger")


def test_failures_say_which_engine_and_what_it_was_doing(engine: Engine) -> None:
    t = engine.table("transactions")
    bad = t.select(x=t.amount.cast("date"))  # no engine can make a date of money
    with pytest.raises(EngineError, match=f"^{engine.name} engine could not run money_to_date"):
        engine.execute(bad, label="money_to_date")


def test_execute_logs_and_records_timings(engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="chaincut.lake.engine"):
        engine.execute(engine.table("calls").count(), label="count_calls")
    timing = engine.timings[-1]
    assert (timing.label, timing.rows) == ("count_calls", 1)
    assert timing.seconds >= 0
    assert f"{engine.name}: count_calls gave 1 rows" in caplog.text


def test_to_parquet_writes_one_file_atomically(engine: Engine, tmp_path: Path) -> None:
    expr = account_activity(engine.table("transactions"))
    target = engine.to_parquet(expr, tmp_path / "out" / "activity.parquet", label="activity")
    assert target == tmp_path / "out" / "activity.parquet"
    assert [p.name for p in target.parent.iterdir()] == ["activity.parquet"]
    written = pq.read_table(target)
    assert written.schema.field("in_amount").type == pa.decimal128(38, 2)
    assert written.num_rows == engine.execute(expr).num_rows


def test_failed_to_parquet_leaves_no_file(engine: Engine, tmp_path: Path) -> None:
    t = engine.table("transactions")
    with pytest.raises(EngineError):
        engine.to_parquet(t.select(x=t.amount.cast("date")), tmp_path / "bad.parquet")
    assert list(tmp_path.iterdir()) == []


def test_engine_is_a_context_manager_that_reconnects(lake_settings: Settings) -> None:
    with DuckDBEngine(lake_settings) as engine:
        assert engine.execute(engine.table("persons").count()).num_rows == 1
    assert engine._backend is None
    assert engine.execute(engine.table("persons").count()).column(0)[0].as_py() == 1
    engine.close()


def test_duckdb_opens_the_lake_read_only(duckdb_engine: Engine) -> None:
    with pytest.raises(EngineError, match="read-only"):
        duckdb_engine._guard("write", lambda: duckdb_engine.backend.raw_sql("DELETE FROM calls"))


def test_duckdb_creates_a_missing_lake_empty(tmp_path: Path) -> None:
    with DuckDBEngine(Settings(home=tmp_path / "new")) as engine:
        assert engine.execute(engine.table("transactions").count()).column(0)[0].as_py() == 0
    assert (tmp_path / "new" / "lake.duckdb").exists()


def test_a_lake_open_for_writing_gives_advice(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    advice = "already has the lake open for writing"
    with catalog.connect(settings), pytest.raises(EngineError, match=advice):
        DuckDBEngine(settings).table("calls")


def test_get_engine_follows_the_setting(tmp_path: Path) -> None:
    assert isinstance(get_engine(Settings(home=tmp_path)), DuckDBEngine)
    pytest.importorskip("pyspark")
    from chaincut.lake.engine.spark import SparkEngine

    spark = get_engine(Settings(home=tmp_path, engine=EngineName.spark))
    assert isinstance(spark, SparkEngine)
    assert spark._backend is None  # nothing starts until the engine is used


def test_spark_master_comes_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyspark")
    from chaincut.lake.engine.spark import spark_master

    monkeypatch.delenv("CHAINCUT_SPARK_MASTER", raising=False)
    assert spark_master(Settings()) == "local[2]"
    monkeypatch.setenv("CHAINCUT_SPARK_MASTER", "spark://head:7077")
    assert spark_master(Settings()) == "spark://head:7077"
    assert spark_master(Settings(spark_master="spark://other:7077")) == "spark://other:7077"
    assert spark_master(Settings(spark_master=" ")) == "local[2]"


def test_jobs_compile_without_executing(engine: Engine) -> None:
    expr = account_activity(engine.table("transactions"))
    assert isinstance(expr, ibis.Table)
    assert "in_amount" in str(engine.backend.compile(expr))
