"""The scale-out engine: Ibis on PySpark, reading the Parquet snapshot of the lake.

By default Spark runs in local mode (`local[2]`) inside this process; `Settings.spark_master`
(`CHAINCUT_SPARK_MASTER`) points it at a cluster instead (whose executors must then see
`HOME/spark/` at the same path). Starting Spark takes seconds, so one `SparkSession` is shared
by every `SparkEngine` of the process (`spark_session()`); `stop_spark()` ends it.
"""

from __future__ import annotations

import os
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar, Final

import duckdb
import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.parquet as pq
from py4j.protocol import Py4JError
from pyspark.errors import PySparkException
from pyspark.sql import SparkSession

from chaincut.lake.engine.base import Engine, as_schema
from chaincut.lake.engine.duckdb import lake_hint
from chaincut.lake.engine.snapshot import Snapshot, export_snapshot
from chaincut.settings import Settings

DEFAULT_MASTER: Final = "local[2]"

_session: SparkSession | None = None
_session_lock = threading.Lock()


def spark_master(settings: Settings) -> str:
    """The Spark master URL: `settings.spark_master` (`CHAINCUT_SPARK_MASTER`), else local
    mode on two cores."""
    return settings.spark_master.strip() or DEFAULT_MASTER


def _build_session(master: str) -> SparkSession:
    local = master.startswith("local")
    if local:
        # local workers must run this interpreter, which has pandas and pyarrow for Ibis' UDFs
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    utc = "-Duser.timezone=UTC"
    builder: Any = SparkSession.builder.master(master).appName("chaincut")
    conf = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        # Ibis compiles timestamp casts to Spark's local-time TIMESTAMP: only UTC keeps values
        "spark.sql.session.timeZone": "UTC",
        "spark.driver.extraJavaOptions": utc,
        "spark.executor.extraJavaOptions": utc,
        # the snapshot's naive timestamps must read as TIMESTAMP_NTZ, as they are stored
        "spark.sql.parquet.inferTimestampNTZ.enabled": "true",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
    }
    if local:
        conf |= {"spark.sql.shuffle.partitions": "4", "spark.default.parallelism": "4"}
    for key, value in conf.items():
        builder = builder.config(key, value)
    session: SparkSession = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_session(settings: Settings | None = None) -> SparkSession:
    """The process's shared SparkSession, started on first use (takes seconds) on the master
    of `settings` (default: `Settings()`, i.e. the environment as read by the settings)."""
    global _session
    with _session_lock:
        if _session is None or _session.sparkContext._jsc is None:
            _session = _build_session(spark_master(settings or Settings()))
        return _session


def stop_spark() -> None:
    """Stop the shared SparkSession, if one was started."""
    global _session
    with _session_lock:
        if _session is not None:
            _session.stop()
            _session = None


class SparkEngine(Engine):
    """Runs jobs on Spark over `HOME/spark/`, re-exported from the lake when it is stale."""

    name: ClassVar[str] = "spark"
    backend_errors: ClassVar[tuple[type[BaseException], ...]] = (
        PySparkException,
        Py4JError,
        duckdb.Error,  # exporting the snapshot reads the lake
    )

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        #: the snapshot this engine reads, set when it connects
        self.snapshot: Snapshot | None = None
        # temp views live in the shared session: a per-engine prefix keeps engines apart
        self._prefix = f"chaincut_{uuid.uuid4().hex[:8]}"
        self._views: list[str] = []
        self._checkpoints: dict[str, Any] = {}

    def _connect(self) -> Any:
        self.snapshot = export_snapshot(self.settings)
        return ibis.pyspark.connect(spark_session(self.settings))

    def _raw_table(self, name: str) -> ir.Table:
        backend = self.backend  # connecting brings the snapshot up to date
        if self.snapshot is None:  # pragma: no cover - _connect always sets it
            raise RuntimeError("the Spark engine connected without a snapshot")
        view = f"{self._prefix}_{name}"
        table: ir.Table = backend.read_parquet(str(self.snapshot.folder(name)), table_name=view)
        self._views.append(view)
        return table

    def _to_pyarrow(self, expr: ir.Table) -> pa.Table:
        # what Ibis' own execute does first: register its UDFs (JSON unwrapping) and memtables
        self.backend._run_pre_execute_hooks(expr)
        frame = spark_session(self.settings).sql(self.backend.compile(expr))
        if not hasattr(frame, "toArrow"):  # PySpark < 4 goes through pandas
            return self.backend.to_pyarrow(expr)
        return as_schema(frame.toArrow(), expr.schema().to_pyarrow())

    def _read_sql(self, sql: str, params: list[Any], expr: ir.Table) -> pa.Table:
        self.backend._run_pre_execute_hooks(expr)
        frame = spark_session(self.settings).sql(sql, args=params)
        arrow: pa.Table = frame.toArrow()
        return arrow

    def _to_batches(self, expr: ir.Table, rows: int) -> Iterator[pa.RecordBatch]:
        # Spark collects to the driver either way; the index build then writes it in batches
        return iter(self._to_pyarrow(expr).to_batches(rows))

    def _generation(self) -> int:
        self.connect()  # connecting brings the snapshot up to date
        if self.snapshot is None:  # pragma: no cover - _connect always sets it
            raise RuntimeError("the Spark engine connected without a snapshot")
        return self.snapshot.generation

    def _materialise(self, expr: ir.Table, name: str) -> ir.Table:
        # a local checkpoint cuts the lineage: later queries read it as a leaf instead of
        # carrying the whole plan behind it (a cached DataFrame keeps it, and the plans of the
        # multi-account detectors, which join it with itself, then exhaust the driver's heap)
        self.backend._run_pre_execute_hooks(expr)
        frame = (
            spark_session(self.settings).sql(self.backend.compile(expr)).localCheckpoint(eager=True)
        )
        frame.createOrReplaceTempView(name)
        self._checkpoints[name] = frame
        table: ir.Table = self.backend.table(name)
        return table

    def _release(self, name: str, table: ir.Table) -> None:  # noqa: ARG002 (the hook's signature)
        spark_session(self.settings).catalog.dropTempView(name)
        frame = self._checkpoints.pop(name, None)
        if frame is not None:
            frame.unpersist()

    def _write_parquet(self, expr: ir.Table, path: Path) -> None:
        # one file, like DuckDB's: results are small; lake-sized outputs belong in the lake
        pq.write_table(self._to_pyarrow(expr), path)

    def _disconnect(self) -> None:
        session = _session
        if session is not None and session.sparkContext._jsc is not None:  # not stopped
            for view in self._views:
                session.catalog.dropTempView(view)
        self._views.clear()

    def _hint(self, error: BaseException) -> str:
        text = str(error)
        if "JAVA_GATEWAY_EXITED" in text or "Java gateway" in text:
            return "Spark needs a JDK (17 or 21): install one or set JAVA_HOME."
        if "PATH_NOT_FOUND" in text:
            return "The Parquet snapshot changed under this engine; close it and open a new one."
        return lake_hint(self.settings, error)
