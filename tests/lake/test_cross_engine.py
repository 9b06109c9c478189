"""DuckDB and Spark give equal results: the same rows, the same Arrow types, exact decimals."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import ibis.expr.types as ir
import pytest

from chaincut.lake.engine import Engine
from chaincut.lake.jobs import account_activity, account_edges, lake_stats, time_window_degree
from chaincut.model.schema import TABLE_ORDER
from tests.lake.conftest import sorted_rows

pytestmark = pytest.mark.spark

JOBS: dict[str, Callable[[Engine], ir.Table]] = {
    "lake_stats": lambda e: lake_stats(e.tables()),
    "account_edges": lambda e: account_edges(e.table("transactions")),
    "account_activity": lambda e: account_activity(e.table("transactions")),
    "time_window_degree_1h": lambda e: time_window_degree(e.table("transactions"), "1h"),
    "time_window_degree_1d": lambda e: time_window_degree(e.table("transactions"), "1d"),
}


def assert_same_result(duckdb_engine: Engine, spark_engine: Engine, job: str) -> None:
    make = JOBS[job]
    duck = duckdb_engine.execute(make(duckdb_engine), label=job)
    spark = spark_engine.execute(make(spark_engine), label=job)
    assert spark.schema == duck.schema
    duck_rows, spark_rows = sorted_rows(duck), sorted_rows(spark)
    assert spark_rows == duck_rows
    # equal Decimals may still differ in scale (1.5 == 1.50): compare their digits too
    assert [[str(v) for v in row if isinstance(v, Decimal)] for row in spark_rows] == [
        [str(v) for v in row if isinstance(v, Decimal)] for row in duck_rows
    ]


@pytest.mark.parametrize("job", sorted(JOBS))
def test_jobs_agree(duckdb_engine: Engine, spark_engine: Engine, job: str) -> None:
    assert_same_result(duckdb_engine, spark_engine, job)


@pytest.mark.parametrize("table", TABLE_ORDER)
def test_lake_tables_survive_the_parquet_snapshot(
    duckdb_engine: Engine, spark_engine: Engine, table: str
) -> None:
    duck = duckdb_engine.execute(duckdb_engine.table(table))
    spark = spark_engine.execute(spark_engine.table(table))
    assert spark.schema == duck.schema
    assert sorted_rows(spark) == sorted_rows(duck)
    assert spark_engine.table(table).schema() == duckdb_engine.table(table).schema()
