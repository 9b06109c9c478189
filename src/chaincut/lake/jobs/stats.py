"""What the lake holds: rows, time range and distinct parties per table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from chaincut.model.schema import TABLE_ORDER, TABLES

#: the columns whose distinct values are a table's parties (accounts, numbers, senders)
PARTY_COLUMNS: Final[Mapping[str, tuple[str, ...]]] = {
    "transactions": ("src_account", "dst_account"),
    "calls": ("caller", "callee"),
    "messages": ("sender", "receiver"),
    "reports": ("victim_account",),
}

_TIMESTAMP: Final = dt.Timestamp()


def _parties(table: ir.Table, columns: tuple[str, ...]) -> ir.Table:
    """A one-row table: how many distinct values `columns` hold together."""
    sides = [table.select(party=table[c]) for c in columns]
    everyone = ibis.union(*sides, distinct=True) if len(sides) > 1 else sides[0]
    return everyone.aggregate(parties=everyone.party.nunique())


def _table_stats(name: str, table: ir.Table) -> ir.Table:
    time_column = TABLES[name].time_column
    if time_column is None:
        first, last = ibis.null(_TIMESTAMP), ibis.null(_TIMESTAMP)
    else:
        first, last = table[time_column].min(), table[time_column].max()
    summary = table.aggregate(rows=table.count(), min_ts=first, max_ts=last)
    columns = PARTY_COLUMNS.get(name)
    if columns is None:
        summary = summary.mutate(parties=ibis.null(dt.int64))
    else:
        summary = summary.cross_join(_parties(table, columns))
    return summary.select(
        table_name=ibis.literal(name),
        rows=summary.rows,
        min_ts=summary.min_ts,
        max_ts=summary.max_ts,
        parties=summary.parties,
    )


def lake_stats(tables: Mapping[str, ir.Table]) -> ir.Table:
    """One row per table given: `table_name`, `rows`, `min_ts`/`max_ts` of its time column
    (null for tables without one), and `parties`: distinct accounts in transactions (senders
    and receivers together), numbers in calls, senders and receivers in messages, victim
    accounts in reports (null for the other tables). Rows come in no particular order.
    """
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise ValueError(f"not lake tables: {', '.join(unknown)}; use {', '.join(TABLE_ORDER)}")
    names = [name for name in TABLE_ORDER if name in tables]
    if not names:
        raise ValueError("lake_stats needs at least one table")
    parts = [_table_stats(name, tables[name]) for name in names]
    return ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0]
