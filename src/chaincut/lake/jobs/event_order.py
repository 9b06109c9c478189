"""Events in the order they arrived: one lake table's rows within a time range, by time.

Early warning (`chaincut.warning.replay`) reads calls, messages, transactions and reports this
way, one window at a time, and merges them, so a replay sees each event when it happened.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

import ibis.expr.types as ir

#: the columns early warning reads, per table, with the table's id column first
EVENT_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "calls": ("call_id", "ts", "caller", "callee", "duration_s", "imei"),
    "messages": ("msg_id", "ts", "sender", "receiver", "text", "channel"),
    "transactions": ("txn_id", "ts", "src_account", "dst_account", "amount", "channel"),
    "reports": ("report_id", "ts", "victim_id", "victim_account", "fraud_txn_ids", "fraud_type"),
}


def events_between(
    table: ir.Table, name: str, since: datetime | None, until: datetime | None
) -> ir.Table:
    """Rows of event table `name` with `since <= ts < until` (naive UTC; None: unbounded),
    the columns of `EVENT_COLUMNS[name]`, ordered by time, then id."""
    columns = EVENT_COLUMNS[name]
    expr = table
    if since is not None:
        expr = expr.filter(expr.ts >= since)
    if until is not None:
        expr = expr.filter(expr.ts < until)
    return expr.select(*columns).order_by(["ts", columns[0]])


def ts_range(table: ir.Table) -> ir.Table:
    """One row: the first and last `ts` of an event table (nulls when it is empty)."""
    return table.aggregate(first=table.ts.min(), last=table.ts.max())
