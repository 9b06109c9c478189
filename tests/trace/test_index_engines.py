"""The trace index built through the Spark engine equals the one built through DuckDB, array for
array; extended through Spark after an append it equals a DuckDB rebuild (marked `spark`)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from chaincut.lake.engine import DuckDBEngine, Engine
from chaincut.settings import EngineName, Settings
from chaincut.trace import AccountInfo, ReportInfo, Txn, ensure_index
from chaincut.trace.index.build import build_index
from tests.lake.conftest import spark_missing
from tests.trace.helpers import at, worked_example, write_lake

#: meta fields that say how (and with which engine) an index was made, not what it holds
_HOW = {"build_seconds", "extended_from", "appended", "reference"}


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    reason = spark_missing()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"Spark tests must run in CI: {reason}")
        pytest.skip(reason)
    from chaincut.lake.engine.spark import spark_session

    yield spark_session()  # left running for the other Spark tests of the run


def tiny_world() -> tuple[list[Txn], list[ReportInfo], list[AccountInfo]]:
    """The worked example, plus a self-transfer, two transfers at one instant, channels with
    and without a name, an account only the accounts table knows, persons and organisations,
    and a report naming a transfer the lake lacks."""
    txns, report = worked_example()
    txns += [
        Txn(at(5), "t6", "Y", "Z", 1234, None),
        Txn(at(5), "t0", "X", "Y", 99, "crypto_otc"),
        Txn(at(7), "t7", "Z", "Z", 500, "transfer"),
        Txn(at(8), "t8", "Z", "W", 777, "atm_withdrawal"),
    ]
    missing = Txn(at(2), "gone", "V", "M", 1, "transfer")
    reports = [report, ReportInfo("R2", at(9), "X", (txns[5], missing))]
    accounts = [
        AccountInfo("V", kind="bank_card", institution="ICBC", country="CN", since=at(-100)),
        AccountInfo("M", kind="payment", institution="PAY", country="CN", org=True),
        AccountInfo("X", kind="exchange", country="SG", org=False),
        AccountInfo("Q", kind="bank_card", institution="ABC", country="CN", org=False),
    ]
    return txns, reports, accounts


def assert_same_index(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.glob("*.npy"))
    assert names and names == sorted(p.name for p in b.glob("*.npy"))
    for name in names:
        x, y = np.load(a / name), np.load(b / name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name
    meta_a, meta_b = (json.loads((p / "meta.json").read_text()) for p in (a, b))
    assert {k: v for k, v in meta_a.items() if k not in _HOW} == {
        k: v for k, v in meta_b.items() if k not in _HOW
    }


def spark_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"engine": EngineName.spark})


def build_with(engine: Engine, out: Path) -> Path:
    with engine:
        build_index(engine, out)
    return out


@pytest.mark.spark
@pytest.mark.usefixtures("spark")
def test_spark_builds_the_index_duckdb_builds(tmp_path: Path) -> None:
    from chaincut.lake.engine.spark import SparkEngine

    settings = write_lake(tmp_path / "home", *tiny_world())
    on_duckdb = build_with(DuckDBEngine(settings), tmp_path / "duckdb")
    on_spark = build_with(SparkEngine(spark_settings(settings)), tmp_path / "spark")
    assert_same_index(on_duckdb, on_spark)
    assert json.loads((on_spark / "meta.json").read_text())["reports"] == 2


@pytest.mark.spark
@pytest.mark.usefixtures("spark")
def test_spark_extends_the_index_as_duckdb_rebuilds_it(tmp_path: Path) -> None:
    txns, reports, accounts = tiny_world()
    txns.sort(key=lambda t: t.key)
    home = tmp_path / "home"
    settings = spark_settings(write_lake(home, txns[:6], reports[:1], accounts))
    first = ensure_index(settings)
    later = [t for t in txns[6:]] + [Txn(at(10), "t9", "Q", "N", 4321, "transfer")]
    write_lake(home, later, reports[1:])  # appends, as an import would
    extended = ensure_index(settings)
    assert extended.meta.get("extended_from") == first.path.name
    rebuilt = build_with(DuckDBEngine(settings), tmp_path / "rebuilt")
    assert_same_index(extended.path, rebuilt)
