"""`--all` on the lake engines: per-report subgraphs + the kernel equal the point-index traces."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from chaincut.lake.engine import DuckDBEngine
from chaincut.settings import EngineName, Settings
from chaincut.trace import (
    Rule,
    TraceParams,
    TraceResult,
    ensure_index,
    report_json,
    trace_all,
    trace_case,
)
from chaincut.trace.batch import trace_all_engine, trace_case_engine
from chaincut.trace.bystander_model import lake_scores
from tests.trace.helpers import write_lake
from tests.trace.world import build_world

# few hops keep the Spark run short (one engine query per hop)
PARAMS = TraceParams(max_hops=3)


@pytest.fixture(scope="module")
def small_home(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    w = build_world(seed=11, persons=60, victims=6)
    home = tmp_path_factory.mktemp("batch") / "home"
    home.mkdir()
    return write_lake(home, w.txns, w.reports, w.accounts)


@pytest.mark.parametrize("rule", [Rule.libr, Rule.fifo])
def test_duckdb_engine_equals_the_index(small_home: Settings, rule: Rule) -> None:
    params = TraceParams(rule=rule, max_hops=8)
    expected = list(trace_all(small_home, params))
    with DuckDBEngine(small_home) as engine:
        # `trace_all` gives the judge the mule model's scores of the lake (kept in the home)
        assert trace_all_engine(engine, params, lake_scores(engine)) == expected


def test_index_path_with_workers(small_home: Settings) -> None:
    assert list(trace_all(small_home, PARAMS, workers=2, chunk=2)) == list(
        trace_all(small_home, PARAMS)
    )


def test_empty_lake(tmp_path: Path) -> None:
    settings = write_lake(tmp_path, [])
    assert list(trace_all(settings, PARAMS)) == []
    with DuckDBEngine(settings) as engine:
        assert trace_all_engine(engine, PARAMS) == []


def _spark_missing() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "PySpark is not installed (pip install 'chaincut[spark]')"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no JDK found (install OpenJDK 17 or set JAVA_HOME)"
    return None


@pytest.mark.spark
@pytest.mark.filterwarnings("ignore:createDataFrame attempted Arrow optimization:UserWarning")
def test_spark_equals_the_index(small_home: Settings) -> None:
    reason = _spark_missing()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"Spark tests must run in CI: {reason}")
        pytest.skip(reason)
    expected = list(trace_all(small_home, PARAMS))
    spark_settings = small_home.model_copy(update={"engine": EngineName.spark})
    got: list[dict[str, Any]] = list(trace_all(spark_settings, PARAMS))
    assert got == expected
    assert any(o["freeze"] for o in got)
    ids = [o["report_id"] for o in expected][:4]
    case = trace_case(spark_settings, ids, PARAMS)
    assert case_json(case) == case_json(trace_case(small_home, ids, PARAMS))


def case_json(result: TraceResult) -> list[Any]:
    return [report_json(result, r, flows=True) for r in sorted(result.reports)] + [
        (h.account_id, h.held, h.frozen) for h in result.holdings
    ]


def test_case_on_the_duckdb_engine_equals_the_index(small_home: Settings) -> None:
    ids = ensure_index(small_home).report_ids()[:4]
    expected = case_json(trace_case(small_home, ids, PARAMS))
    with DuckDBEngine(small_home) as engine:
        assert case_json(trace_case_engine(engine, ids, PARAMS)) == expected
