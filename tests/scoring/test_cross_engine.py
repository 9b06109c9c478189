"""DuckDB and Spark give equal account features, taint, patterns and neighbours."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pytest

from chaincut.lake.engine import Engine
from chaincut.lake.jobs.account_features import account_features
from chaincut.lake.jobs.account_patterns import account_patterns
from chaincut.lake.jobs.account_taint import account_neighbours, account_taint
from tests.lake.conftest import sorted_rows

pytestmark = pytest.mark.spark

JOBS: dict[str, Callable[[Engine], ir.Table]] = {
    "account_features": lambda e: account_features(e.table("transactions"), e.table("accounts")),
    "account_taint": lambda e: account_taint(e.table("transactions"), e.table("reports")),
    "account_patterns": lambda e: account_patterns(e.table("transactions")),
    "account_neighbours": lambda e: account_neighbours(
        e.table("transactions"), ibis.memtable(pa.table({"account_id": ["L1", "L3", "M1"]}))
    ),
}


@pytest.mark.parametrize("job", sorted(JOBS))
def test_engines_agree(mini_duckdb: Engine, mini_spark: Engine, job: str) -> None:
    duck = mini_duckdb.execute(JOBS[job](mini_duckdb), label=job)
    spark = mini_spark.execute(JOBS[job](mini_spark), label=job)
    assert spark.schema == duck.schema
    duck_rows, spark_rows = sorted_rows(duck), sorted_rows(spark)
    assert duck_rows  # the mini ledger gives every job something to say
    assert spark_rows == duck_rows
    # equal Decimals may differ in scale (1.5 == 1.50): compare their digits too
    digits = [[str(v) for v in row if isinstance(v, Decimal)] for row in duck_rows]
    assert [[str(v) for v in row if isinstance(v, Decimal)] for row in spark_rows] == digits
