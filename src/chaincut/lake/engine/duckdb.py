"""The default engine: Ibis on the embedded DuckDB lake file, opened read-only, in UTC."""

from __future__ import annotations

from typing import Any, ClassVar

import duckdb
import ibis
import ibis.expr.types as ir

from chaincut.lake import catalog
from chaincut.lake.engine.base import Engine
from chaincut.settings import Settings


class DuckDBEngine(Engine):
    """Runs jobs in-process on `HOME/lake.duckdb`.

    The lake is opened read-only (so several readers may share it) unless it does not exist
    yet, in which case it is created empty with its tables.
    """

    name: ClassVar[str] = "duckdb"
    backend_errors: ClassVar[tuple[type[BaseException], ...]] = (duckdb.Error,)

    def _connect(self) -> Any:
        con = catalog.connect(self.settings, read_only=True)
        return ibis.duckdb.from_connection(con)

    def _raw_table(self, name: str) -> ir.Table:
        return self.backend.table(name)

    def _materialise(self, expr: ir.Table, name: str) -> ir.Table:
        # a temporary table lives beside the read-only lake, in memory until it spills
        return self.backend.create_table(name, expr, temp=True)

    def _release(self, name: str, table: ir.Table) -> None:
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
