"""The Parquet snapshot Spark reads: typed like the lake, redone only when the lake changed."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from chaincut.lake import catalog
from chaincut.lake.engine.snapshot import (
    DATA_FILE,
    TAG_FILE,
    export_snapshot,
    read_tag,
    schema_fingerprint,
)
from chaincut.model.schema import TABLE_ORDER
from chaincut.settings import EngineName, Settings
from tests.lake.conftest import ts, write_lake

ONE_MORE: dict[str, list[tuple[Any, ...]]] = {
    "transactions": [("t11", ts("2024-03-04 12:00:00"), "X", "M3", Decimal("7.77"), "CNY")],
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = Settings(home=tmp_path / "home")
    write_lake(settings)
    return settings


def test_first_export_writes_every_table_with_its_tag(settings: Settings) -> None:
    snapshot = export_snapshot(settings)
    assert snapshot.exported == TABLE_ORDER
    assert snapshot.generation == 1
    for table in TABLE_ORDER:
        tag = read_tag(snapshot.folder(table))
        assert tag is not None
        assert (tag["table"], tag["generation"]) == (table, 1)
        assert tag["schema"] == schema_fingerprint(table)
    assert sorted(p.name for p in settings.spark_dir.iterdir()) == sorted(
        [*TABLE_ORDER, ".export.lock"]
    )


def test_parquet_keeps_decimals_and_naive_utc_timestamps(settings: Settings) -> None:
    folder = export_snapshot(settings).folder("transactions")
    data = pq.read_table(folder / DATA_FILE)
    assert data.schema.field("amount").type == pa.decimal128(18, 2)
    assert data.schema.field("ts").type == pa.timestamp("us")  # isAdjustedToUTC = false
    assert data.num_rows == 10
    assert json.loads((folder / TAG_FILE).read_text())["rows"] == 10


def test_reexported_only_when_the_generation_changes(settings: Settings) -> None:
    first = export_snapshot(settings)
    data = first.folder("transactions") / DATA_FILE
    before = data.stat().st_mtime_ns

    again = export_snapshot(settings)
    assert again.exported == ()
    assert data.stat().st_mtime_ns == before

    write_lake(settings, ONE_MORE)  # an import that changed data bumps the generation
    third = export_snapshot(settings)
    assert third.generation == 2
    assert third.exported == TABLE_ORDER
    assert pq.read_table(third.folder("transactions") / DATA_FILE).num_rows == 11


def test_unchanged_data_without_a_new_generation_is_not_reexported(settings: Settings) -> None:
    export_snapshot(settings)
    with catalog.connect(settings) as con:  # a write that (wrongly) skips the bump
        con.execute("DELETE FROM calls")
    assert export_snapshot(settings).exported == ()


def test_a_changed_table_definition_forces_a_reexport(settings: Settings) -> None:
    folder = export_snapshot(settings).folder("calls")
    tag = json.loads((folder / TAG_FILE).read_text())
    (folder / TAG_FILE).write_text(json.dumps(tag | {"schema": "from-an-older-chaincut"}))
    assert export_snapshot(settings).exported == ("calls",)


def test_a_crashed_export_is_cleaned_up_and_redone(settings: Settings) -> None:
    export_snapshot(settings)
    spark_dir = settings.spark_dir
    (spark_dir / ".partial-calls-dead").mkdir()
    (spark_dir / "calls").rename(spark_dir / ".old-calls-dead")  # killed mid-swap
    assert export_snapshot(settings).exported == ("calls",)
    assert not list(spark_dir.glob(".partial-*")) and not list(spark_dir.glob(".old-*"))


def test_exports_only_the_tables_asked_for(settings: Settings) -> None:
    assert export_snapshot(settings, ["calls"]).exported == ("calls",)
    assert not (settings.spark_dir / "transactions").exists()
    with pytest.raises(ValueError, match="not lake tables: ledger"):
        export_snapshot(settings, ["ledger"])


@pytest.mark.spark
@pytest.mark.usefixtures("spark")
def test_spark_engine_reads_a_fresh_snapshot_after_each_import(settings: Settings) -> None:
    from chaincut.lake.engine.spark import SparkEngine

    spark_settings = settings.model_copy(update={"engine": EngineName.spark})

    def count() -> tuple[int, tuple[str, ...]]:
        with SparkEngine(spark_settings) as engine:
            rows = engine.execute(engine.table("transactions").count()).column(0)[0].as_py()
            assert engine.snapshot is not None
            return rows, engine.snapshot.exported

    assert count() == (10, TABLE_ORDER)
    assert count() == (10, ())
    write_lake(settings, ONE_MORE)
    assert count() == (11, TABLE_ORDER)
