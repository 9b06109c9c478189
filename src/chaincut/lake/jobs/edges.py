"""Transactions seen from each account's side: the shape most account features start from."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from chaincut.model.schema import TABLES

#: money totals: exact, wide enough for any sum of DECIMAL(18,2) amounts, on every engine
MONEY_TOTAL: Final = dt.Decimal(38, 2)
#: the currency of a transaction that names none (the interchange format's default)
DEFAULT_CURRENCY: Final = TABLES["transactions"].column("currency").default or "CNY"

IN: Final = "in"
OUT: Final = "out"


def zero_money() -> ir.DecimalScalar:
    """0.00 typed as `MONEY_TOTAL`, for totals over no rows."""
    return ibis.literal(Decimal("0.00"), type=MONEY_TOTAL)


def account_edges(transactions: ir.Table) -> ir.Table:
    """Each transaction twice, once from each account's side.

    Columns: `account_id`, `counterparty`, `direction` ('out' for the sender's row, 'in' for
    the receiver's), `amount`, `currency` (the default filled in), `ts`, `txn_id`. A transfer
    from an account to itself gives both rows, with the account as its own counterparty.
    """
    t = transactions
    currency = t.currency.fill_null(DEFAULT_CURRENCY)
    sent = t.select(
        account_id=t.src_account,
        counterparty=t.dst_account,
        direction=ibis.literal(OUT),
        amount=t.amount,
        currency=currency,
        ts=t.ts,
        txn_id=t.txn_id,
    )
    received = t.select(
        account_id=t.dst_account,
        counterparty=t.src_account,
        direction=ibis.literal(IN),
        amount=t.amount,
        currency=currency,
        ts=t.ts,
        txn_id=t.txn_id,
    )
    return sent.union(received, distinct=False)
