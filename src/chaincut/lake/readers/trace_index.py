"""What the trace index reads from the lake, through an engine (DuckDB or Spark).

Each function runs jobs of `chaincut.lake.jobs.trace_index` on the engine it is given and
returns Arrow or NumPy data in the index's terms: times in microseconds since the epoch, money
in cents, channels as codes into the index's vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from chaincut.lake.engine.base import Engine
from chaincut.lake.jobs import trace_index as jobs

_EPOCH = datetime(1970, 1, 1)


def micros(values: pa.ChunkedArray | pa.Array, missing: int) -> npt.NDArray[np.int64]:
    """Naive UTC timestamps as microseconds since the epoch (`missing` for null)."""
    as_us = pc.cast(values, pa.timestamp("us")).cast(pa.int64())
    return np.asarray(as_us.fill_null(missing).to_numpy(), dtype=np.int64)


def timestamp(us: int) -> datetime:
    """Microseconds since the epoch as a naive UTC datetime."""
    return _EPOCH + timedelta(microseconds=us)


def channel_codes(values: pa.ChunkedArray | pa.Array, channels: list[str]) -> npt.NDArray[Any]:
    """Each channel's position in `channels` (which must hold every value), as int8."""
    pos = pc.index_in(values, value_set=pa.array(channels, type=pa.string()))
    return np.asarray(pos.to_numpy(zero_copy_only=False), dtype=np.int8)


def _one_row(engine: Engine, expr: ir.Table, label: str) -> dict[str, Any]:
    rows = engine.execute(expr, label=label).to_pylist()
    return rows[0] if rows else {}


@contextmanager
def account_codes(engine: Engine) -> Iterator[ir.Table]:
    """Every account of the lake with its code (0..n-1 in byte order of the ids), kept while
    the block runs."""
    expr = jobs.account_codes(engine.table("transactions"), engine.table("accounts"))
    with engine.materialised(expr, label="trace_accounts") as codes:
        yield codes


def code_table(ids: pa.Array | pa.ChunkedArray) -> ir.Table:
    """Account ids already in byte order as the relation `account_codes` gives."""
    return ibis.memtable(
        pa.table({"account_id": ids, "code": pa.array(np.arange(len(ids), dtype=np.int32))})
    )


def count(engine: Engine, table: ir.Table, label: str) -> int:
    return int(_one_row(engine, table.aggregate(n=table.count()), label)["n"])


def channels(engine: Engine) -> list[str]:
    """The ledger's channels ('' for none), sorted."""
    result = engine.execute(jobs.channel_names(engine.table("transactions")), label="channels")
    return [str(c) for c in result.column("channel").to_pylist()]


def ledger_counts(engine: Engine, codes: ir.Table, n_acc: int) -> npt.NDArray[np.int64]:
    """Index rows per account code."""
    per = engine.execute(jobs.ledger_counts(engine.table("transactions"), codes), label="counts")
    counts = np.zeros(n_acc, dtype=np.int64)
    counts[per.column("code").to_numpy().astype(np.int64)] = per.column("n").to_numpy()
    return counts


def transaction_count(engine: Engine) -> int:
    totals = jobs.txn_totals(engine.table("transactions"))
    return int(_one_row(engine, totals, "transactions")["transactions"])


@dataclass(frozen=True)
class LedgerBatch:
    """Consecutive transactions in sequence order: ids, time (us), account codes, cents and
    channel codes."""

    txn_id: pa.Array
    ts: npt.NDArray[np.int64]
    src: npt.NDArray[np.int64]
    dst: npt.NDArray[np.int64]
    cents: npt.NDArray[np.int64]
    chan: npt.NDArray[np.int8]


def ledger_batches(
    engine: Engine, codes: ir.Table, channel_list: list[str], rows: int
) -> Iterator[LedgerBatch]:
    """The ledger in (ts, txn_id) order, in batches of at most `rows` transactions."""
    expr = jobs.ledger_rows(engine.table("transactions"), codes)
    for batch in engine.batches(expr, rows=rows, label="ledger"):
        if not batch.num_rows:
            continue
        yield LedgerBatch(
            txn_id=batch.column("txn_id"),
            ts=micros(batch.column("ts"), 0),
            src=batch.column("src").to_numpy().astype(np.int64),
            dst=batch.column("dst").to_numpy().astype(np.int64),
            cents=batch.column("cents").to_numpy().astype(np.int64),
            chan=channel_codes(batch.column("channel"), channel_list),
        )


def account_facts(engine: Engine, codes: ir.Table) -> pa.Table:
    """`account_id, kind, institution, country, opened_at, org` per code, in code order."""
    persons = engine.table("persons")
    has_persons = count(engine, persons, "persons") > 0
    expr = jobs.account_facts(codes, engine.table("accounts"), persons, has_persons=has_persons)
    return engine.execute(expr, label="account_facts")


def report_heads(engine: Engine) -> pa.Table:
    """`report_id, ts, victim_account, fraud_txn_ids` per report, sorted by id."""
    return engine.execute(jobs.report_heads(engine.table("reports")), label="reports")


def fraud_transfers(engine: Engine) -> pa.Table:
    """`txn_id, ts, src_account, dst_account, cents, channel` of the reports' fraud transfers."""
    expr = jobs.fraud_transfers(engine.table("transactions"), engine.table("reports"))
    return engine.execute(expr, label="fraud_transfers")


def reference(engine: Engine) -> list[str]:
    """A fingerprint of the reference data the index keeps (accounts, persons)."""
    expr = jobs.reference_fingerprint(engine.table("accounts"), engine.table("persons"))
    row = _one_row(engine, expr, "reference")
    keys = ("accounts", "accounts_hash", "persons", "persons_hash")
    return [engine.name, *(str(row.get(k, 0)) for k in keys)]


def lake_fingerprint(engine: Engine) -> dict[str, int]:
    """The lake's generation and the row counts of transactions, accounts and reports."""
    expr = jobs.lake_counts(
        engine.table("transactions"), engine.table("accounts"), engine.table("reports")
    )
    row = _one_row(engine, expr, "fingerprint")
    return {
        "generation": engine.generation(),
        **{k: int(row.get(k, 0)) for k in ("transactions", "accounts", "reports")},
    }


def count_after(engine: Engine, ts_us: int, txn_id: str) -> tuple[int, int]:
    """All transactions, and those after (ts, txn_id) in sequence order."""
    expr = jobs.count_after(engine.table("transactions"), timestamp(ts_us), txn_id)
    row = _one_row(engine, expr, "count_after")
    return int(row.get("total", 0)), int(row.get("after", 0) or 0)


def rows_after(engine: Engine, ts_us: int, txn_id: str) -> pa.Table:
    """`txn_id, ts, src, dst, cents, channel` after (ts, txn_id), in sequence order."""
    expr = jobs.rows_after(engine.table("transactions"), timestamp(ts_us), txn_id)
    return engine.execute(expr, label="rows_after")


def account_ids(engine: Engine) -> pa.ChunkedArray:
    """The ids of the accounts table."""
    expr = jobs.distinct_accounts(engine.table("accounts"))
    return engine.execute(expr, label="account_ids").column("account_id")
