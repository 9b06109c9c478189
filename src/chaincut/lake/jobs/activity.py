"""Per-account activity: totals over the whole ledger and degrees within tumbling windows.

The foundations of the mule-card (断卡) and score-running (跑分) features: how much flows in
and out of an account, with how many distinct counterparties, and how that bunches in time.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

import ibis.expr.types as ir

from chaincut.lake.jobs.edges import IN, MONEY_TOTAL, OUT, account_edges, zero_money

Window = Literal["1h", "1d"]
#: tumbling window -> the unit timestamps are truncated to (windows start on the UTC hour/day)
WINDOW_UNITS: Final[dict[str, str]] = {"1h": "h", "1d": "D"}


def account_activity(transactions: ir.Table) -> ir.Table:
    """One row per account and currency that sent or received anything.

    Amounts in different currencies are never added, hence the currency in the key.
    Columns: `account_id`, `currency`, `in_count`, `in_amount`, `out_count`, `out_amount`
    (exact totals, 0.00 when there were none), `senders` and `receivers` (distinct
    counterparties on each side), `counterparties` (distinct on either side), `first_ts` and
    `last_ts`.
    """
    e = account_edges(transactions)
    received, sent = e.direction == IN, e.direction == OUT
    return e.group_by("account_id", "currency").aggregate(
        in_count=e.count(where=received),
        in_amount=e.amount.sum(where=received).cast(MONEY_TOTAL).fill_null(zero_money()),
        out_count=e.count(where=sent),
        out_amount=e.amount.sum(where=sent).cast(MONEY_TOTAL).fill_null(zero_money()),
        senders=e.counterparty.nunique(where=received),
        receivers=e.counterparty.nunique(where=sent),
        counterparties=e.counterparty.nunique(),
        first_ts=e.ts.min(),
        last_ts=e.ts.max(),
    )


def time_window_degree(transactions: ir.Table, window: Window = "1h") -> ir.Table:
    """Fan-in and fan-out of each account within tumbling windows of `window` ("1h" or "1d").

    One row per account and window in which it sent or received anything. Columns:
    `account_id`, `window_start` (UTC, on the hour or midnight), `fan_in` (distinct senders to
    the account), `fan_out` (distinct receivers from it), `in_count`, `out_count`.
    """
    if window not in WINDOW_UNITS:
        choices = ", ".join(repr(w) for w in get_args(Window))
        raise ValueError(f"window must be one of {choices}, not {window!r}")
    e = account_edges(transactions)
    e = e.mutate(window_start=e.ts.truncate(WINDOW_UNITS[window]))
    received, sent = e.direction == IN, e.direction == OUT
    return e.group_by("account_id", "window_start").aggregate(
        fan_in=e.counterparty.nunique(where=received),
        fan_out=e.counterparty.nunique(where=sent),
        in_count=e.count(where=received),
        out_count=e.count(where=sent),
    )
