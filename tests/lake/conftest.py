"""Fixtures for the lake engine suite: a tiny lake and one engine per kind.

The `engine` fixture is parametrised over DuckDB and Spark, so every test that takes it runs on
both. Spark tests carry the `spark` marker (deselect them with `-m "not spark"`); they are
skipped when PySpark or a JDK is missing, except under CI (`CI` set), where that fails. One
SparkSession serves the whole pytest session.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from chaincut.lake import catalog
from chaincut.lake.engine import Capability, DuckDBEngine, Engine, EngineError
from chaincut.model.schema import EXTRA_COLUMN, TABLES
from chaincut.settings import EngineName, Settings

D = Decimal
WHALE = D("9999999999999999.97")  # the largest kind of DECIMAL(18,2): sums must widen


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


#: the tiny world every engine test reads: one victim (A), a mule chain A -> M1 -> M2/M3 -> X,
#: a USD payment, a whale at an exchange, a self-transfer, and the reference tables
ROWS: dict[str, list[tuple[Any, ...]]] = {
    "persons": [("p1", "张三", "110101198005010011", date(1980, 5, 1), "+8613800000009", None)],
    "accounts": [
        ("A", "p1", "bank_card", "ICBC", ts("2019-01-01 00:00:00"), "CN", None),
        ("M1", None, "bank_card", "ABC", ts("2024-02-28 12:00:00"), "CN", '{"dealer": "k1"}'),
        ("M2", None, "payment", "PAY", None, "CN", None),
        ("M3", None, "bank_card", "BOC", None, "CN", None),
        ("X", None, "exchange", "EXH", None, "SG", None),
        ("S", None, "merchant", "POS", None, "CN", None),
        ("W", None, "crypto_wallet", None, None, None, None),
    ],
    "transactions": [
        ("t1", ts("2024-03-01 09:15:00"), "A", "M1", D("5000.00"), "CNY", "transfer", None),
        ("t2", ts("2024-03-01 09:40:00"), "A", "M1", D("3000.50"), None, "transfer", None),
        ("t3", ts("2024-03-01 09:59:59.999999"), "M1", "M2", D("4000.25"), "CNY", None, None),
        ("t4", ts("2024-03-01 10:00:00"), "M1", "M3", D("3999.99"), "CNY", "transfer", None),
        ("t5", ts("2024-03-01 23:30:00"), "M2", "X", D("0.10"), "CNY", "crypto_otc", None),
        ("t6", ts("2024-03-01 23:30:00"), "M2", "X", D("0.20"), "CNY", "crypto_otc", None),
        ("t7", ts("2024-03-02 00:00:00"), "M3", "S", D("100.00"), "USD", "pos", '{"mcc": 5411}'),
        ("t8", ts("2024-03-02 01:00:00"), "W", "X", WHALE, "CNY", "crypto_otc", None),
        ("t9", ts("2024-03-02 02:00:00"), "X", "W", D("0.01"), "CNY", "crypto_otc", None),
        ("t10", ts("2024-03-02 03:00:00"), "M3", "M3", D("1.00"), "CNY", "transfer", None),
    ],
    "calls": [
        ("c1", ts("2024-03-01 08:00:00"), "+8613800000001", "+8613900000002", 35, "C1", "86001"),
        ("c2", ts("2024-03-01 08:05:00"), "+8613800000001", "+8613900000003", 12, "C1", "86001"),
        ("c3", ts("2024-03-01 20:00:00"), "+8613900000002", "+8613800000001", 60, None, None),
    ],
    "messages": [
        ("m1", ts("2024-03-01 08:30:00"), "+8613800000001", "+8613900000002",
         "【客服】您的订单异常，请点击链接办理退款", "sms", None),
        ("m2", ts("2024-03-01 09:00:00"), "+8613900000002", "+8613800000001", "好的", "im", None),
    ],
    "reports": [
        ("r1", ts("2024-03-03 10:00:00"), "p1", "A", ["t1", "t2"], "fake_customer_service",
         "客服说订单异常", '{"police_station": "朝阳"}'),
    ],
    "labels": [("M1", "account", "mule_l1", None), ("+8613800000001", "phone", "fraud", None)],
}  # fmt: skip


def write_lake(settings: Settings, rows: dict[str, list[tuple[Any, ...]]] = ROWS) -> None:
    """Create the lake of `settings` and insert `rows`, bumping the generation as imports do."""
    with catalog.connect(settings) as con:
        for table, values in rows.items():
            columns = [*TABLES[table].column_names, EXTRA_COLUMN]
            padded = [row + (None,) * (len(columns) - len(row)) for row in values]
            if padded:
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join("?" * len(columns))
                sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'  # noqa: S608 (schema names)
                con.executemany(sql, padded)
        catalog.bump_generation(con)


def sorted_rows(result: pa.Table) -> list[tuple[Any, ...]]:
    """The rows of an engine's result in a stable order (engines promise none)."""
    rows = [tuple(row.values()) for row in result.to_pylist()]
    return sorted(rows, key=lambda row: [(True, "") if v is None else (False, v) for v in row])


def expect_gap(request: pytest.FixtureRequest, engine: Engine, capability: Capability) -> None:
    """Mark the running test as a strict expected failure when `engine` declares this gap."""
    reason = engine.gap(capability)
    if reason is not None:
        marker = pytest.mark.xfail(
            strict=True, raises=(EngineError, AssertionError), reason=f"{engine.name}: {reason}"
        )
        request.applymarker(marker)


def spark_missing() -> str | None:
    """Why Spark cannot run here, or None when PySpark and a JDK are both present."""
    if importlib.util.find_spec("pyspark") is None:
        return "PySpark is not installed (pip install 'chaincut[spark]')"
    java_home = os.environ.get("JAVA_HOME")
    if shutil.which("java") is None and not (java_home and Path(java_home, "bin", "java").exists()):
        return "no JDK found (install OpenJDK 17 or set JAVA_HOME)"
    return None


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """The one SparkSession of this pytest session (skipped without Spark, failed under CI)."""
    reason = spark_missing()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"Spark tests must run in CI: {reason}")
        pytest.skip(reason)
    from chaincut.lake.engine.spark import spark_session, stop_spark

    yield spark_session()
    stop_spark()


@pytest.fixture(scope="session")
def lake_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of a home holding the tiny lake, shared read-only by the whole session."""
    settings = Settings(home=tmp_path_factory.mktemp("lake") / "home")
    write_lake(settings)
    return settings


@pytest.fixture(scope="session")
def duckdb_engine(lake_settings: Settings) -> Iterator[Engine]:
    with DuckDBEngine(lake_settings.model_copy(update={"engine": EngineName.duckdb})) as engine:
        yield engine


@pytest.fixture(scope="session")
def spark_engine(spark: Any, lake_settings: Settings) -> Iterator[Engine]:  # noqa: ARG001 (the session)
    from chaincut.lake.engine.spark import SparkEngine

    with SparkEngine(lake_settings.model_copy(update={"engine": EngineName.spark})) as engine:
        yield engine


ENGINES: Sequence[Any] = ("duckdb", pytest.param("spark", marks=pytest.mark.spark))


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Engine:
    """Each engine in turn, on the tiny lake."""
    found: Engine = request.getfixturevalue(f"{request.param}_engine")
    return found


#: third-party deprecations that are not ours to fix (ibis 12 calls a duckdb 2.0 deprecated API)
THIRD_PARTY_WARNINGS = ("ignore:fetch_arrow_table\\(\\) is deprecated:DeprecationWarning",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            for spec in THIRD_PARTY_WARNINGS:
                item.add_marker(pytest.mark.filterwarnings(spec))
