"""Lake engines: the same Ibis jobs on embedded DuckDB (default) or on Apache Spark.

    from chaincut.lake.engine import get_engine
    from chaincut.lake.jobs import account_activity

    with get_engine(settings) as engine:
        result = engine.execute(account_activity(engine.table("transactions")))

`SparkEngine` is imported only when asked for, so DuckDB users need neither PySpark nor a JDK.
"""

from __future__ import annotations

from chaincut.lake.engine.base import (
    GAPS,
    Capability,
    Engine,
    EngineError,
    EngineGapError,
    Timing,
    lake_schema,
)
from chaincut.lake.engine.duckdb import DuckDBEngine
from chaincut.settings import EngineName, Settings

__all__ = [
    "GAPS",
    "Capability",
    "DuckDBEngine",
    "Engine",
    "EngineError",
    "EngineGapError",
    "Timing",
    "build_engine",
    "get_engine",
    "lake_schema",
]


def get_engine(settings: Settings) -> Engine:
    """The engine `settings.engine` names, for the lake in `settings.home` (not yet connected)."""
    if settings.engine == EngineName.spark:
        try:
            from chaincut.lake.engine.spark import SparkEngine
        except ImportError as error:
            raise EngineError(
                "spark",
                "start",
                error,
                "Install the Spark extra: pip install 'chaincut[spark]' (and a JDK 17 or 21).",
            ) from error
        return SparkEngine(settings)
    return DuckDBEngine(settings)


def build_engine(settings: Settings) -> Engine:
    """The engine an index build reads the lake with (not yet connected): the settings' engine;
    for DuckDB an instance of its own with the lake attached read-only
    (`DuckDBEngine.private`: the settings a build changes, such as where it spills, must not
    reach the process's other connections to the lake)."""
    if settings.engine == EngineName.duckdb:
        return DuckDBEngine.private(settings)
    return get_engine(settings)
