"""What the clue index reads from the lake, through an engine (DuckDB or Spark).

`ClueLake.open(engine)` materialises the identifiers' codes, the calls and messages with their
sequence numbers, the sync pairs and the victims' contacts once (a DuckDB temporary table, a
cached Spark DataFrame), and answers the build's questions (`chaincut.lake.jobs.clue_index`)
from them: sorted identifiers, texts in sequence order, per-entity rows in key order and
per-number counts, with times as microseconds since the epoch (UTC).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

import ibis.expr.types as ir
import pyarrow as pa

from chaincut.lake.engine.base import Engine
from chaincut.lake.jobs import clue_index as jobs
from chaincut.lake.jobs.number_sync import sync_pairs
from chaincut.lake.jobs.number_victims import victim_contacts, victim_phones
from chaincut.lake.readers.trace_index import micros

#: rows per Arrow batch the build reads
BATCH_ROWS = 1 << 20


def _as_micros(batch: pa.RecordBatch) -> pa.RecordBatch:
    """`batch` with its timestamp columns as int64 microseconds since the epoch."""
    columns = [
        pa.array(micros(c, 0)) if pa.types.is_timestamp(c.type) else c for c in batch.columns
    ]
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def lake_fingerprint(engine: Engine) -> dict[str, int]:
    """The lake's generation and the row counts of calls, messages, persons and reports."""
    t = engine.tables(("calls", "messages", "persons", "reports"))
    expr = jobs.clue_counts(t["calls"], t["messages"], t["persons"], t["reports"])
    rows = engine.execute(expr, label="clue_fingerprint").to_pylist()
    row = rows[0] if rows else {}
    keys = ("calls", "messages", "persons", "reports")
    return {"generation": engine.generation(), **{k: int(row.get(k) or 0) for k in keys}}


class ClueLake:
    """The lake as the clue index's build reads it (open with `ClueLake.open(engine)`)."""

    def __init__(self, engine: Engine, kept: dict[str, ir.Table]) -> None:
        self.engine = engine
        self.kept = kept

    @classmethod
    @contextmanager
    def open(cls, engine: Engine) -> Iterator[ClueLake]:
        """The build's view of the lake of `engine`, its intermediate tables kept while the
        block runs."""
        t = engine.tables(("calls", "messages", "persons", "reports"))
        with ExitStack() as stack:

            def keep(name: str, expr: ir.Table) -> ir.Table:
                return stack.enter_context(engine.materialised(expr, label=f"clue_{name}"))

            nums = keep("nums", jobs.number_codes(t["calls"], t["messages"], t["persons"]))
            cells = keep("cells", jobs.cell_codes(t["calls"]))
            imeis = keep("imeis", jobs.imei_codes(t["calls"]))
            victims = keep("victims", victim_phones(t["reports"], t["persons"]))
            kept = {
                "nums": nums,
                "cells": cells,
                "imeis": imeis,
                "idnos": keep("idnos", jobs.idno_codes(t["persons"])),
                "cx": keep("cx", jobs.call_rows(t["calls"], nums, cells, imeis)),
                "mx": keep("mx", jobs.message_rows(t["messages"], nums)),
                "sync": keep("sync", sync_pairs(t["calls"])),
                "contacts": keep("contacts", victim_contacts(t["calls"], t["messages"], victims)),
            }
            kept["vpos"] = keep("vpos", jobs.victim_codes(victims, nums))
            kept["talk"] = keep("talk", jobs.talk_rows(kept["contacts"], kept["cx"], kept["mx"]))
            kept["shared"] = keep("shared", jobs.shared_texts(t["messages"], kept["mx"]))
            yield cls(engine, kept)

    def __getitem__(self, name: str) -> ir.Table:
        return self.kept[name]

    def table(self, name: str) -> ir.Table:
        """A lake table (`calls`, `messages`, `persons`, `reports`)."""
        return self.engine.table(name)

    def ordered(self, expr: ir.Table, label: str) -> Iterator[pa.RecordBatch]:
        """`expr`'s rows in its order, in batches, times in microseconds."""
        for batch in self.engine.batches(expr, rows=BATCH_ROWS, label=label):
            if batch.num_rows:
                yield _as_micros(batch)

    def count(self, expr: ir.Table, label: str) -> int:
        rows = self.engine.execute(expr.aggregate(n=expr.count()), label=label).to_pylist()
        return int(rows[0]["n"]) if rows else 0

    def ids(self, name: str, column: str) -> pa.ChunkedArray:
        """The identifiers of the codes table `name` (nums, imeis, cells, idnos) in code order."""
        codes = self.kept[name]
        ordered = codes.select(column).order_by(column)
        return pa.chunked_array(self.column(ordered, column, f"clue_{name}"), type=pa.string())

    def column(self, expr: ir.Table, column: str, label: str) -> Iterator[pa.Array]:
        """The values of `column` of `expr`'s rows, in `expr`'s order."""
        for batch in self.ordered(expr, label):
            yield batch.column(column)

    def texts(self, name: str, column: str) -> Iterator[pa.Array]:
        """The `column` (call_id, msg_id) of the rows of `name` (cx, mx) in sequence order."""
        rows = self.kept[name]
        return self.column(rows.select(column, "seq").order_by("seq"), column, f"clue_{column}")

    def query(self, job: Callable[..., ir.Table], *inputs: str) -> ir.Table:
        """`job` over the named inputs: kept tables (nums, cx, ...) or lake tables."""
        return job(*(self.kept[n] if n in self.kept else self.engine.table(n) for n in inputs))

    def group(
        self, job: Callable[..., ir.Table], *inputs: str, label: str
    ) -> tuple[int, Iterator[pa.RecordBatch]]:
        """The rows of `query(job, *inputs)` (ordered by key): how many, and the batches."""
        expr = self.query(job, *inputs)
        return self.count(expr, f"{label}_count"), self.ordered(expr, label)

    def execute(self, expr: ir.Table, label: str) -> pa.Table:
        """`expr`'s result (in no order), times in microseconds."""
        table = self.engine.execute(expr, label=label)
        columns = [
            pa.array(micros(c, 0)) if pa.types.is_timestamp(c.type) else c for c in table.columns
        ]
        return pa.table(columns, names=table.column_names)
