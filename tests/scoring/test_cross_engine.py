"""DuckDB and Spark give equal account features, taint, patterns and neighbours, run the way
scoring runs them (materialised keys and transfers, features in two partitions)."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import pytest

from tests.lake.conftest import sorted_rows

pytestmark = pytest.mark.spark

JOBS = ("account_features", "account_neighbours", "account_patterns", "account_taint")


@pytest.mark.parametrize("job", JOBS)
def test_engines_agree(
    mini_jobs_duckdb: dict[str, pa.Table], mini_jobs_spark: dict[str, pa.Table], job: str
) -> None:
    duck, spark = mini_jobs_duckdb[job], mini_jobs_spark[job]
    assert spark.schema == duck.schema
    duck_rows, spark_rows = sorted_rows(duck), sorted_rows(spark)
    assert duck_rows  # the mini ledger gives every job something to say
    assert spark_rows == duck_rows
    # equal Decimals may differ in scale (1.5 == 1.50): compare their digits too
    digits = [[str(v) for v in row if isinstance(v, Decimal)] for row in duck_rows]
    assert [[str(v) for v in row if isinstance(v, Decimal)] for row in spark_rows] == digits
