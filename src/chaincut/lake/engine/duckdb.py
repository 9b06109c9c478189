"""The default engine: Ibis on the embedded DuckDB lake file, opened read-only, in UTC."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import duckdb
import ibis
import ibis.expr.types as ir
import pyarrow as pa

from chaincut.lake import catalog
from chaincut.lake.engine.base import Engine, as_schema
from chaincut.lake.sql import literal
from chaincut.settings import Settings


class DuckDBEngine(Engine):
    """Runs jobs in-process on `HOME/lake.duckdb`.

    The lake is opened read-only (so several readers may share it) unless it does not exist
    yet, in which case it is created empty with its tables. `con` borrows a connection the
    caller holds (an importer's): the engine reads through a cursor of it (committed data)
    and leaves the connection open.
    `DuckDBEngine.private(settings)` opens a DuckDB instance of its own with the lake attached
    read-only, for builds whose settings (spill folder, insertion order) must not reach the
    process's other connections.
    """

    name: ClassVar[str] = "duckdb"
    backend_errors: ClassVar[tuple[type[BaseException], ...]] = (duckdb.Error,)

    def __init__(self, settings: Settings, con: duckdb.DuckDBPyConnection | None = None) -> None:
        super().__init__(settings)
        self._borrowed = con
        self._private = False

    @classmethod
    def private(cls, settings: Settings) -> DuckDBEngine:
        """An engine on a DuckDB instance of its own, the lake attached read-only."""
        engine = cls(settings)
        engine._private = True
        return engine

    def _connect(self) -> Any:
        if self._borrowed is not None:
            # a cursor of its own: the same database, none of the owner's pending results
            con = self._borrowed.cursor()
        elif self._private:
            con = catalog.connect_private(self.settings)
        else:
            con = catalog.connect(self.settings, read_only=True)
        return ibis.duckdb.from_connection(con)

    def _raw_table(self, name: str) -> ir.Table:
        return self.backend.table(name)

    def _read(self, expr: ir.Table) -> pa.Table:
        # a cursor per look-up: one DuckDB connection serves many request threads at once
        sql = self.backend.compile(expr)
        cursor = self.backend.con.cursor()
        try:
            arrow = cursor.sql(sql).to_arrow_table()
        finally:
            cursor.close()
        return as_schema(arrow, expr.schema().to_pyarrow())

    def _read_sql(self, sql: str, params: list[Any], expr: ir.Table) -> pa.Table:  # noqa: ARG002 (the hook's signature)
        cursor = self.backend.con.cursor()
        try:
            arrow: pa.Table = cursor.sql(sql, params=params).to_arrow_table()
        finally:
            cursor.close()
        return arrow

    def _to_batches(self, expr: ir.Table, rows: int) -> Iterator[pa.RecordBatch]:
        # DuckDB's own streaming reader: the batches come as the sort produces them
        self.backend._run_pre_execute_hooks(expr)
        relation = self.backend.con.sql(self.backend.compile(expr))
        return iter(relation.to_arrow_reader(rows))

    def _generation(self) -> int:
        return catalog.generation(self.backend.con)

    def spill_to(self, folder: Path) -> None:
        """On a private instance: sorts spill to `folder` and need not keep insertion order
        (less memory at 100 M rows). Other connections are left as they are: both settings are
        global to a DuckDB instance, and DuckDB cannot switch its temporary directory once it
        has spilled there."""
        if self._private:
            folder.mkdir(parents=True, exist_ok=True)
            self.backend.raw_sql(f"SET temp_directory = {literal(str(folder))}")
            self.backend.raw_sql("SET preserve_insertion_order = false")

    def _materialise(self, expr: ir.Table, name: str) -> ir.Table:
        # a temporary table lives beside the read-only lake, in memory until it spills
        return self.backend.create_table(name, expr, temp=True)

    def _release(self, name: str, table: ir.Table) -> None:  # noqa: ARG002 (the hook's signature)
        # plain SQL: Ibis' drop_table renders no table name with sqlglot 30
        self.backend.raw_sql(f'DROP TABLE IF EXISTS "{name}"')

    def _hint(self, error: BaseException) -> str:
        return lake_hint(self.settings, error)


def lake_hint(settings: Settings, error: BaseException) -> str:
    """Advice for the errors of opening the lake file, shared by every engine that reads it."""
    text = str(error).lower()
    if "lock" in text:
        return (
            f"Another process has {settings.lake_path} open for writing (an import?); "
            "retry when it has finished."
        )
    if "different configuration" in text:
        return "This process already has the lake open for writing; close that connection first."
    return ""
