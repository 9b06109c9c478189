"""The engine base class: what every lake engine does, written once.

An engine turns the lake's tables into Ibis tables and executes Ibis expressions. Execution,
error wrapping, logging, timing and the check that every table has the interchange schema live
here; `DuckDBEngine` and `SparkEngine` fill in a few small hooks (`_connect`, `_raw_table`,
`_to_pyarrow`, `_to_batches`, `_read`, `_generation`, `_write_parquet`, `_disconnect`). Known
differences between the engines are declared once, in `GAPS`, so that jobs, tests and docs can
ask.

Four ways to run an expression: `execute` (a job's whole result), `batches` (a large result
streamed in the expression's order, for the trace index), `read` (a one-off point look-up) and
`read_prepared` (a named reader of `chaincut.lake.readers`: compiled once per engine with
placeholders, then run with bound values, so a look-up costs what hand-written SQL costs).
`read` and `read_prepared` are safe to call from many threads at once.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Final, Self, TypeVar

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from ibis.common.exceptions import IbisError

from chaincut.model.schema import EXTRA_COLUMN, TABLE_ORDER, TABLES, ColumnType
from chaincut.settings import Settings

log = logging.getLogger("chaincut.lake.engine")

T = TypeVar("T")

#: marks a placeholder in an expression of `read_prepared`: the string literal MARK + n + MARK
MARK: Final = "\ue000"
_SLOT = re.compile(f"'{MARK}(\\d+){MARK}'")


class Capability(StrEnum):
    """Things a job may want that not every engine can do the same way."""

    TIMESTAMP_BUCKET = "timestamp_bucket"
    ASOF_JOIN = "asof_join"
    ORDERED_AGGREGATE = "ordered_aggregate"
    EXACT_DECIMAL_MEAN = "exact_decimal_mean"
    JSON_STRING_FIELD = "json_string_field"


#: engine name -> capability -> why that engine lacks it (the one place gaps are declared)
GAPS: Final[Mapping[str, Mapping[Capability, str]]] = {
    "duckdb": {
        Capability.EXACT_DECIMAL_MEAN: (
            "DuckDB's AVG over DECIMAL computes in DOUBLE, so cents are lost on large amounts; "
            "divide an exact sum by a count instead of using mean()"
        ),
    },
    "spark": {
        Capability.TIMESTAMP_BUCKET: (
            "Ibis has no PySpark rule for TimestampValue.bucket(); use truncate() to an hour "
            "or a day for tumbling windows"
        ),
        Capability.ASOF_JOIN: (
            "Spark SQL has no ASOF JOIN and Ibis does not emulate it; use a window function "
            "(lag/lead or a range window) over the union of both sides"
        ),
        Capability.ORDERED_AGGREGATE: (
            "Ibis cannot compile order_by inside aggregates (collect, first, last, group_concat) "
            "for PySpark; sort the result or use row_number() over a window instead"
        ),
        Capability.JSON_STRING_FIELD: (
            "Ibis reads a JSON field with get_json_object, which returns strings unquoted, then "
            "fails to parse them as JSON (numbers work); make a field jobs need a real column"
        ),
    },
}

_TYPES: Final[Mapping[ColumnType, dt.DataType]] = {
    ColumnType.STRING: dt.string,
    ColumnType.TIMESTAMP: dt.Timestamp(),  # naive, meaning UTC; no scale, as Spark reports it
    ColumnType.DECIMAL: dt.Decimal(18, 2),
    ColumnType.INTEGER: dt.int64,
    ColumnType.DATE: dt.date,
    ColumnType.ID_LIST: dt.Array(dt.string),
}


def lake_schema(name: str) -> ibis.Schema:
    """The Ibis schema every engine gives lake table `name`: the format's columns, then `extra`."""
    spec = TABLES[name]
    fields: dict[str, dt.DataType] = {c.name: _TYPES[c.type] for c in spec.columns}
    fields[EXTRA_COLUMN] = dt.json
    return ibis.schema(fields)


def _relabel_only(actual: dt.DataType, wanted: dt.DataType) -> bool:
    """True when a cast from `actual` to `wanted` changes the label, never a value."""
    actual, wanted = actual.copy(nullable=True), wanted.copy(nullable=True)
    if actual == wanted:
        return True
    if actual.is_timestamp() and wanted.is_timestamp():
        return bool(actual.timezone == wanted.timezone)
    return {actual, wanted} == {dt.string, dt.json}


class EngineError(RuntimeError):
    """An engine could not do what was asked; the message says what, where, and what to do."""

    def __init__(self, engine: str, action: str, cause: BaseException | str, hint: str = ""):
        self.engine, self.action = engine, action
        message = f"{engine} engine could not {action}: {cause}"
        super().__init__(f"{message}. {hint}" if hint else message)


class EngineGapError(EngineError, NotImplementedError):
    """The engine lacks a capability declared in `GAPS`."""


@dataclass(frozen=True)
class _Prepared:
    """A look-up compiled for one engine: SQL with `?` placeholders and which value each takes."""

    sql: str
    order: tuple[int, ...]
    expr: ir.Table

    @property
    def schema(self) -> pa.Schema:
        return self.expr.schema().to_pyarrow()


@dataclass(frozen=True)
class Timing:
    """How long one engine call took, kept for benchmarks and logs."""

    label: str
    seconds: float
    rows: int


class Engine(ABC):
    """Runs Ibis expressions over the lake; use as a context manager or call `close()`."""

    name: ClassVar[str]
    #: exception types of the backend that are wrapped into `EngineError`
    backend_errors: ClassVar[tuple[type[BaseException], ...]] = ()

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.timings: list[Timing] = []
        self._backend: Any = None
        self._tables: dict[str, ir.Table] = {}
        self._prepared: dict[object, _Prepared] = {}
        self._prepared_lock = threading.Lock()

    # -- hooks -----------------------------------------------------------------------------
    @abstractmethod
    def _connect(self) -> Any:
        """Open and return the Ibis backend."""

    @abstractmethod
    def _raw_table(self, name: str) -> ir.Table:
        """Lake table `name` as the backend sees it (the base class conforms its schema)."""

    def _to_pyarrow(self, expr: ir.Table) -> pa.Table:
        return self.backend.to_pyarrow(expr)

    def _to_batches(self, expr: ir.Table, rows: int) -> Iterator[pa.RecordBatch]:
        reader: pa.RecordBatchReader = self.backend.to_pyarrow_batches(expr, chunk_size=rows)
        return iter(reader)

    def _read(self, expr: ir.Table) -> pa.Table:
        """A point look-up; engines whose backend is not safe across threads override it."""
        return self._to_pyarrow(expr)

    def _read_sql(self, sql: str, params: list[Any], expr: ir.Table) -> pa.Table:  # noqa: ARG002 (a hook: engines use what they need)
        """Run `sql` (compiled from `expr`) with `?` placeholders bound to `params`."""
        raise EngineGapError(self.name, "run prepared look-ups", "no placeholder binding")

    @abstractmethod
    def _generation(self) -> int:
        """The lake's generation (bumped by every import that changed data)."""

    def _write_parquet(self, expr: ir.Table, path: Path) -> None:
        self.backend.to_parquet(expr, path)

    def _disconnect(self) -> None:
        self.backend.disconnect()

    def _hint(self, error: BaseException) -> str:  # noqa: ARG002 (a hook: engines use what they need)
        """What the user can do about `error`; engines add their own advice."""
        return ""

    def spill_to(self, folder: Path) -> None:
        """Let a large sort of this engine spill into `folder` (an engine may ignore it)."""
        log.debug("%s engine keeps its own spill folder, not %s", self.name, folder)

    # -- the public API, written once ------------------------------------------------------
    @property
    def backend(self) -> Any:
        """The connected Ibis backend (connecting on first use)."""
        if self._backend is None:
            self._backend = self._guard("connect", self._connect)
        return self._backend

    def connect(self) -> Self:
        """Connect now (Spark: bring the snapshot up to date) rather than on first use."""
        _ = self.backend
        return self

    def table(self, name: str) -> ir.Table:
        """Lake table `name` with exactly the schema `lake_schema(name)` on every engine."""
        if name not in TABLES:
            known = ", ".join(TABLE_ORDER)
            raise EngineError(self.name, f"open table {name!r}", "no such table", f"Use {known}.")
        if name not in self._tables:
            raw = self._guard(f"open table {name!r}", lambda: self._raw_table(name))
            self._tables[name] = self._conform(name, raw)
        return self._tables[name]

    def tables(self, names: Iterable[str] = TABLE_ORDER) -> dict[str, ir.Table]:
        """Several lake tables by name, in the order given."""
        return {name: self.table(name) for name in names}

    def execute(self, expr: ir.Expr, *, label: str = "query") -> pa.Table:
        """Run `expr` and return its result as an Arrow table typed as `expr.schema()`."""
        table = expr.as_table()
        if log.isEnabledFor(logging.DEBUG):
            sql = self._guard(f"compile {label}", lambda: self.backend.compile(table))
            log.debug("%s: %s runs\n%s", self.name, label, sql)
        started = time.perf_counter()
        result = self._guard(f"run {label}", lambda: self._to_pyarrow(table))
        self._record(label, started, result.num_rows)
        return result

    def batches(
        self, expr: ir.Table, *, rows: int = 1 << 20, label: str = "query"
    ) -> Iterator[pa.RecordBatch]:
        """`expr`'s rows as Arrow record batches of at most `rows` rows, in the expression's
        order. DuckDB streams them (memory stays bounded at any size); Spark collects the
        result on the driver first."""
        started = time.perf_counter()
        batches = self._guard(f"run {label}", lambda: self._to_batches(expr, rows))
        total = 0
        while True:
            batch = self._guard(f"read {label}", lambda: next(batches, None))
            if batch is None:
                break
            total += batch.num_rows
            yield batch
        self._record(label, started, total)

    def read(self, expr: ir.Expr, *, label: str = "read") -> pa.Table:
        """Run the point look-up `expr` (no temporary tables, no memtables) and return its
        result typed as `expr.schema()`; several threads may read through one engine."""
        table = expr.as_table()
        started = time.perf_counter()
        result = self._guard(f"read {label}", lambda: self._read(table))
        if log.isEnabledFor(logging.DEBUG):
            self._record(label, started, result.num_rows)
        return result

    def read_prepared(
        self, key: object, build: Callable[[Engine], ir.Table], values: list[Any]
    ) -> pa.Table:
        """Run the look-up `build(self)` whose placeholders (string literals MARK n MARK, see
        `chaincut.lake.readers.prepared`) take `values[n]`. The expression is built and
        compiled once per engine and `key`; later calls only bind values and run."""
        with self._prepared_lock:
            prepared = self._prepared.get(key)
            if prepared is None:
                expr = build(self).as_table()
                sql = str(self._guard(f"compile {key}", lambda: self.backend.compile(expr)))
                order = tuple(int(n) for n in _SLOT.findall(sql))
                prepared = _Prepared(_SLOT.sub("?", sql), order, expr)
                self._prepared[key] = prepared
        params = [values[n] for n in prepared.order]
        started = time.perf_counter()
        arrow = self._guard(
            f"read {key}", lambda: self._read_sql(prepared.sql, params, prepared.expr)
        )
        if log.isEnabledFor(logging.DEBUG):
            self._record(str(key), started, arrow.num_rows)
        return as_schema(arrow, prepared.schema)

    def generation(self) -> int:
        """The lake's generation, a counter bumped by every import that changed data."""
        return self._guard("read the lake's generation", self._generation)

    @contextmanager
    def materialised(self, expr: ir.Table, *, label: str = "query") -> Iterator[ir.Table]:
        """`expr` computed once and kept while the block runs, for jobs that read it several
        times; dropped afterwards. DuckDB keeps a temporary table (spilled to disk past the
        memory limit), Spark a cached DataFrame."""
        started = time.perf_counter()
        name = f"chaincut_{label}_{uuid.uuid4().hex[:12]}"
        table = self._guard(f"materialise {label}", lambda: self._materialise(expr, name))
        self._record(label, started, -1)  # rows unknown: counting them would cost a scan
        try:
            yield table
        finally:
            self._guard(f"release {label}", lambda: self._release(name, table))

    def _materialise(self, expr: ir.Table, name: str) -> ir.Table:  # noqa: ARG002 (a hook: engines use what they need)
        return expr.cache()

    def _release(self, name: str, table: ir.Table) -> None:  # noqa: ARG002 (a hook: engines use what they need)
        if isinstance(table, ir.CachedTable):
            table.release()

    def to_parquet(self, expr: ir.Table, path: str | Path, *, label: str = "query") -> Path:
        """Write `expr` to one Parquet file at `path`, atomically (all or nothing)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.partial")
        started = time.perf_counter()
        try:
            self._guard(f"write {label} to {target}", lambda: self._write_parquet(expr, partial))
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        self._record(label, started, pq.read_metadata(target).num_rows)
        return target

    def gap(self, capability: Capability) -> str | None:
        """Why this engine lacks `capability`, or None when it has it."""
        return GAPS.get(self.name, {}).get(capability)

    def supports(self, capability: Capability) -> bool:
        return self.gap(capability) is None

    def require(self, capability: Capability) -> None:
        """Raise `EngineGapError` (with the reason) when this engine lacks `capability`."""
        reason = self.gap(capability)
        if reason is not None:
            raise EngineGapError(self.name, f"provide {capability}", reason)

    def close(self) -> None:
        """Release the backend; the engine may be used again (it reconnects)."""
        if self._backend is not None:
            try:
                self._guard("close", self._disconnect)
            finally:
                self._backend = None
                self._tables.clear()
                self._prepared.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(home={str(self.settings.home)!r})"

    # -- internals -------------------------------------------------------------------------
    def _guard(self, action: str, call: Callable[[], T]) -> T:
        """Run `call`, turning backend and Ibis errors into an `EngineError` that says `action`."""
        try:
            return call()
        except EngineError:
            raise
        except (IbisError, pa.ArrowException, *self.backend_errors) as error:
            log.debug("%s engine failed to %s", self.name, action, exc_info=True)
            hint = self._hint(error) or (
                "If an operation is missing, see GAPS in chaincut.lake.engine.base "
                "and docs/engines.md."
            )
            raise EngineError(self.name, action, _first_line(error), hint) from error

    def _conform(self, name: str, table: ir.Table) -> ir.Table:
        wanted = lake_schema(name)
        actual = table.schema()
        casts: dict[str, dt.DataType] = {}
        for column, dtype in wanted.items():
            if column not in actual:
                raise EngineError(self.name, f"open table {name!r}", f"column {column!r} missing")
            if actual[column] != dtype:
                if not _relabel_only(actual[column], dtype):
                    cause = f"column {column!r} is {actual[column]}, the format says {dtype}"
                    raise EngineError(
                        self.name, f"open table {name!r}", cause, "Re-import or re-export the lake."
                    )
                casts[column] = dtype
        conformed = table.select(*wanted.names)
        return conformed.cast(casts) if casts else conformed

    def _record(self, label: str, started: float, rows: int) -> None:
        timing = Timing(label, time.perf_counter() - started, rows)
        self.timings.append(timing)
        log.info("%s: %s gave %d rows in %.3f s", self.name, label, rows, timing.seconds)


def as_schema(arrow: pa.Table, wanted: pa.Schema) -> pa.Table:
    """A backend's result with the types Ibis promised.

    A backend may keep more decimal places than Ibis declares for some aggregates (Spark's AVG
    of a DECIMAL(18,2) is DECIMAL(22,6)); those are rounded half away from zero, as a SQL cast
    does.
    """
    columns = []
    for column, field in zip(arrow.columns, wanted, strict=True):
        have, want = column.type, field.type
        if pa.types.is_decimal(have) and pa.types.is_decimal(want) and have.scale > want.scale:
            column = pc.round(column, ndigits=want.scale, round_mode="half_towards_infinity")
        columns.append(column.cast(want))
    return pa.Table.from_arrays(columns, schema=wanted)


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
