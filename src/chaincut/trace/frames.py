"""A group's shipped subgraph rows (a pandas frame, as Spark's `applyInPandas` passes it) back
into a `MemoryLedger`: transactions ('t' rows), openings ('o') and account facts ('a')."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

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


def ledger_of(
    frame: pd.DataFrame,
    reports: list[ReportInfo],
    busy_over: int,
    victims: Mapping[str, Micros] | None = None,
) -> MemoryLedger:
    """The `MemoryLedger` of one group's rows (and every report's victim account with its
    earliest report time); it answers as the trace index would."""
    t = frame[frame["row"] == "t"]
    txns = [
        Txn(ts, tid, src, dst, int(c), _text(ch))
        for ts, tid, src, dst, c, ch in zip(
            micros_of(t["ts"]), t["txn_id"], t["src"], t["dst"], t["cents"], t["channel"],
            strict=True,
        )
    ]  # fmt: skip
    o = frame[frame["row"] == "o"]
    openings = {str(a): int(v) for a, v in zip(o["account"], o["opening"], strict=True)}
    a = frame[frame["row"] == "a"]
    opened, first = _optional_micros(a["opened"]), _optional_micros(a["first_ts"])
    accounts = {
        str(acc): AccountInfo(
            str(acc), _text(k), _text(i), _text(c), int(d), _earliest(op, f), _flag(org)
        )
        for acc, k, i, c, d, op, f, org in zip(
            a["account"], a["kind"], a["institution"], a["country"], a["degree"], opened,
            first, a["org"], strict=True,
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
