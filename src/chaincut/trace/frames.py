"""A group's shipped subgraph rows (a pandas frame, as Spark's `applyInPandas` passes it) back
into a `MemoryLedger`: transactions ('t' rows), openings ('o') and account facts ('a')."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from chaincut.trace.ledger import MemoryLedger
from chaincut.trace.model import AccountInfo, Micros, ReportInfo, Txn

#: the columns of the shipped rows and their Ibis types
WIDE = {
    "report_id": "string",
    "row": "string",
    "txn_id": "string",
    "ts": "timestamp",
    "src": "string",
    "dst": "string",
    "cents": "int64",
    "channel": "string",
    "account": "string",
    "kind": "string",
    "institution": "string",
    "country": "string",
    "degree": "int64",
    "opened": "timestamp",
    "first_ts": "timestamp",
    "org": "boolean",
    "opening": "int64",
}


def _text(v: object) -> str | None:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    return str(v)


def _flag(v: object) -> bool | None:
    return None if _text(v) is None else bool(v)


def _earliest(*values: int | None) -> int | None:
    known = [v for v in values if v is not None]
    return min(known) if known else None


def micros_of(series: pd.Series) -> list[int]:
    """Timestamps (naive UTC, or aware) as microseconds since the epoch."""
    values = pd.to_datetime(series)
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    return [int(v) for v in values.astype("datetime64[us]").astype("int64").tolist()]


def _optional_micros(series: pd.Series) -> list[int | None]:
    mask = series.isna().tolist()
    filled = micros_of(series.where(~series.isna(), pd.Timestamp(0)))
    return [None if m else v for m, v in zip(mask, filled, strict=True)]


def _stamps(part: pa.Table, frame: pd.DataFrame, name: str, kind: str) -> list[int | None]:
    """Column `name` of the `kind` rows as microseconds since the epoch (UTC, as `micros_of`
    gives them), None where missing."""
    column = part.column(name)
    if pa.types.is_timestamp(column.type):
        # (an aware column holds UTC instants: its integers are the UTC microseconds)
        micros = column.cast(pa.timestamp("us", column.type.tz), safe=False).cast(pa.int64())
        values: list[int | None] = micros.to_pylist()
        return values
    if len(column) == column.null_count:
        return [None] * len(column)
    return _optional_micros(frame[name][frame["row"] == kind])  # (text: as pandas reads it)


def ledger_of(
    frame: pd.DataFrame,
    reports: list[ReportInfo],
    busy_over: int,
    victims: Mapping[str, Micros] | None = None,
) -> MemoryLedger:
    """The `MemoryLedger` of one group's rows (and every report's victim account with its
    earliest report time); it answers as the trace index would."""
    # the frame to Arrow once, each row kind picked by one filter and each column read as a
    # list: a pandas boolean slice per kind and iterating the frame's columns cost most of a
    # trace at 1 M transactions (`benchmarks/bench_gangs.py`)
    names = [c for c in WIDE if c != "report_id"]
    table = pa.table({c: pa.array(frame[c], from_pandas=True) for c in names})
    row = table.column("row").cast(pa.string())
    t, o, a = (table.filter(pc.equal(row, k)) for k in ("t", "o", "a"))

    def col(part: pa.Table, name: str) -> list[Any]:
        values: list[Any] = part.column(name).to_pylist()
        return values

    def text(part: pa.Table, name: str) -> list[str | None]:
        kind = part.column(name).type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            return col(part, name)  # (str or None already: what `_text` gives)
        return [_text(v) for v in col(part, name)]

    txns = [
        Txn(ts, tid, src, dst, int(c), ch)
        for ts, tid, src, dst, c, ch in zip(
            _stamps(t, frame, "ts", "t"), col(t, "txn_id"), col(t, "src"), col(t, "dst"),
            col(t, "cents"), text(t, "channel"), strict=True,
        )
    ]  # fmt: skip
    openings = {str(k): int(v) for k, v in zip(col(o, "account"), col(o, "opening"), strict=True)}
    opened, first = _stamps(a, frame, "opened", "a"), _stamps(a, frame, "first_ts", "a")
    accounts = {
        str(acc): AccountInfo(str(acc), k, i, c, int(d), _earliest(op, f), _flag(org))
        for acc, k, i, c, d, op, f, org in zip(
            col(a, "account"), text(a, "kind"), text(a, "institution"), text(a, "country"),
            col(a, "degree"), opened, first, col(a, "org"), strict=True,
        )
    }  # fmt: skip
    return MemoryLedger(
        txns,
        accounts=accounts,
        reports=reports,
        openings=openings,
        busy_over=busy_over,
        victims=victims,
    )
