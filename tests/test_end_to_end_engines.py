"""End to end on both engines: a simulated world, imported, gives equal results on DuckDB and Spark."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ibis.expr.types as ir
import pytest

from chaincut.ingest import import_folder
from chaincut.lake.engine import Engine
from chaincut.lake.engine.duckdb import DuckDBEngine
from chaincut.lake.jobs import account_activity, lake_stats
from chaincut.settings import EngineName, Settings
from chaincut.simulate import simulate
from tests.lake.conftest import sorted_rows, spark  # noqa: F401  (the session's SparkSession)

pytestmark = pytest.mark.spark


@pytest.mark.usefixtures("spark")
def test_simulated_world_gives_equal_results_on_both_engines(tmp_path: Path) -> None:
    from chaincut.lake.engine.spark import SparkEngine

    world = tmp_path / "world"
    simulate(world, seed=5, scale="tiny", fmt="parquet")
    settings = Settings(home=tmp_path / "home")
    assert import_folder(settings, world).rejected_count == 0
    jobs: dict[str, Callable[[Engine], ir.Table]] = {
        "lake_stats": lambda e: lake_stats(e.tables()),
        "account_activity": lambda e: account_activity(e.table("transactions")),
    }
    with (
        DuckDBEngine(settings.model_copy(update={"engine": EngineName.duckdb})) as duck,
        SparkEngine(settings.model_copy(update={"engine": EngineName.spark})) as sparked,
    ):
        for label, job in jobs.items():
            a = duck.execute(job(duck), label=label)
            b = sparked.execute(job(sparked), label=label)
            assert a.num_rows > 0
            assert b.schema == a.schema
            assert sorted_rows(b) == sorted_rows(a), label
