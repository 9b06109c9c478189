"""The ledger as the account jobs read it: accounts as integers, each transfer from both sides.

Every account job groups, sorts or joins transactions by account, often by account *and*
counterparty, millions of rows at a time. Account ids are strings of any length (16-digit card
numbers, `bank:account`), which hash and compare several times slower than 64-bit integers and
take twice the memory. `account_keys` numbers the accounts once, in id order (so ordering by
key is ordering by id, and a range of keys is a range of ids), `keyed_transfers` gives each
transfer with those keys and what the jobs read of it, and `keyed_edges` each transfer from both
sides, for all accounts or for one range of keys (a partition: an account's features depend on
its own rows only). Scoring materialises keys and transfers once, then the edges of one
partition at a time (`chaincut.scoring.lake`); the jobs map keys back to ids in their results.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from chaincut.lake.jobs.edges import DEFAULT_CURRENCY
from chaincut.model.schema import EXIT_CHANNELS

#: a half-open range [first, end) of account keys
KeyRange = tuple[int, int]


def account_keys(transactions: ir.Table) -> ir.Table:
    """Every account that sent or received anything: `account_id`, `key` (int64, 0, 1, ... in
    the order of `account_id`)."""
    t = transactions
    ids = ibis.union(
        t.select(account_id=t.src_account), t.select(account_id=t.dst_account), distinct=True
    )
    return ids.mutate(key=ibis.row_number().over(order_by=ids.account_id).cast("int64"))


def keyed_transfers(transactions: ir.Table, keys: ir.Table, currency: str) -> ir.Table:
    """Each transfer between two accounts, keyed by `keys` (self-transfers move no money
    between parties and are left out).

    Columns: `src`, `dst` (keys), `amount` (DECIMAL(18,2)), `mine` (in `currency`: only such
    amounts are summed), `cents` (int64), `ts_s` (epoch seconds), `exit` (cash, crypto or
    cross-border), `txn_id`.
    """
    t = transactions.filter(transactions.src_account != transactions.dst_account)
    src, dst = keys.view(), keys.view()
    t = t.join(src, t.src_account == src.account_id).join(dst, t.dst_account == dst.account_id)
    return t.select(
        src=src.key,
        dst=dst.key,
        amount=t.amount,
        mine=t.currency.fill_null(DEFAULT_CURRENCY) == currency,
        # DECIMAL(18,2) * 100 can overflow DECIMAL(18,2): widen first
        cents=(t.amount.cast("decimal(20, 2)") * 100).cast("int64"),
        ts_s=t.ts.epoch_seconds().cast("int64"),
        exit=t.channel.fill_null("").isin(EXIT_CHANNELS),
        txn_id=t.txn_id,
    )


def _side(t: ir.Table, own: str, other: str, inbound: bool, part: KeyRange | None) -> ir.Table:
    if part is not None:
        t = t.filter((t[own] >= part[0]) & (t[own] < part[1]))
    rest = ("amount", "mine", "cents", "ts_s", "exit", "txn_id")
    return t.select(
        t[own].name("account"), t[other].name("counterparty"),
        ibis.literal(inbound).name("inbound"), *rest,
    )  # fmt: skip


def keyed_edges(transfers: ir.Table, part: KeyRange | None = None) -> ir.Table:
    """Each of `keyed_transfers` from both sides: the rows of the accounts whose key lies in
    `part` (all accounts without one).

    Columns: `account` and `counterparty` (keys), `inbound` (true on the receiver's row), the
    transfer's `amount`, `mine`, `cents`, `ts_s`, `exit`, `txn_id`, and `delay`: seconds since
    the account's latest inflow at or before this row (NULL before its first inflow).
    """
    e = ibis.union(
        _side(transfers, "src", "dst", False, part),
        _side(transfers, "dst", "src", True, part),
        distinct=False,
    )
    in_ts = ibis.ifelse(e.inbound, e.ts_s, ibis.null("int64"))
    # the latest inflow at or before each row: a range window, which Spark has (no asof join)
    upto = ibis.window(group_by=e.account, order_by=e.ts_s, range=(None, 0))
    return e.mutate(delay=e.ts_s - in_ts.max().over(upto))


def with_ids(table: ir.Table, keys: ir.Table, column: str = "account") -> ir.Table:
    """`table` with its key column `column` replaced by `account_id`, first."""
    k = keys.view()
    joined = table.join(k, table[column] == k.key)
    rest = [c for c in table.columns if c != column]
    return joined.select(k.account_id.name("account_id"), *[joined[c] for c in rest])
