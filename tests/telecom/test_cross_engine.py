"""DuckDB and Spark give equal results for every telecom job: same schema, same rows."""

from __future__ import annotations

from collections.abc import Callable

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pytest

from chaincut.lake.engine import Engine
from chaincut.lake.jobs.cell_features import cell_features
from chaincut.lake.jobs.device_features import device_features
from chaincut.lake.jobs.number_examples import device_examples, number_examples
from chaincut.lake.jobs.number_features import number_features
from chaincut.lake.jobs.number_sync import cell_window_crowds, sync_pairs
from chaincut.lake.jobs.number_victims import victim_contacts, victim_phones
from tests.lake.conftest import sorted_rows
from tests.telecom.conftest import S1, S2, L

pytestmark = pytest.mark.spark


def _t(e: Engine) -> dict[str, ir.Table]:
    return e.tables(("calls", "messages", "persons", "reports"))


def _four(e: Engine) -> tuple[ir.Table, ir.Table, ir.Table, ir.Table]:
    t = _t(e)
    return t["calls"], t["messages"], t["persons"], t["reports"]


def _ids(values: list[str]) -> ir.Table:
    return ibis.memtable(pa.table({"id": values}))


JOBS: dict[str, Callable[[Engine], ir.Table]] = {
    "number_features": lambda e: number_features(*_t(e).values()),
    "device_features": lambda e: device_features(*_t(e).values()),
    "cell_features": lambda e: cell_features(*_t(e).values()),
    "sync_pairs": lambda e: sync_pairs(e.table("calls")),
    "cell_window_crowds": lambda e: cell_window_crowds(e.table("calls")),
    "victim_contacts": lambda e: victim_contacts(
        e.table("calls"), e.table("messages"), victim_phones(e.table("reports"), e.table("persons"))
    ),
    "number_examples": lambda e: number_examples(*_four(e), _ids([S1, S2, L]), 3),
    "device_examples": lambda e: device_examples(*_four(e), _ids(["I1", "I2"]), 3),
}


@pytest.mark.parametrize("job", sorted(JOBS))
def test_jobs_agree(mini_duckdb: Engine, mini_spark: Engine, job: str) -> None:
    duck = mini_duckdb.execute(JOBS[job](mini_duckdb), label=job)
    spark = mini_spark.execute(JOBS[job](mini_spark), label=job)
    assert spark.schema == duck.schema
    assert sorted_rows(spark) == sorted_rows(duck)
    assert duck.num_rows > 0
