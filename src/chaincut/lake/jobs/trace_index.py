"""The trace index's questions to the lake, as jobs: the same expressions on DuckDB and Spark.

`chaincut.trace.index` turns their results into memory-mapped arrays; `chaincut.lake.readers.
trace_index` runs them. Times stay timestamps here (the reader turns them into microseconds)
and channels stay strings (the reader codes them against the index's vocabulary), so nothing
below needs a function one engine lacks.
"""

from __future__ import annotations

from datetime import datetime

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

#: the cents of an amount, exact on both engines (DECIMAL(18,2) times 100, then an integer)
_CENTS = dt.int64
#: a per-row hash kept to 31 bits, so that sums of millions of them fit a BIGINT everywhere
_HASH_MOD = 1 << 31


def account_codes(transactions: ir.Table, accounts: ir.Table) -> ir.Table:
    """`account_id, code`: every account of a transaction or of `accounts`, once, with its
    position in byte order of the ids (0..n-1)."""
    ids = ibis.union(
        transactions.select(account_id=transactions.src_account),
        transactions.select(account_id=transactions.dst_account),
        accounts.select("account_id"),
        distinct=True,
    )
    code = ibis.row_number().over(order_by=ids.account_id).cast(dt.int32)
    return ids.select("account_id", code=code)


def channel_names(transactions: ir.Table) -> ir.Table:
    """`channel`: the distinct channels of the ledger ('' for none), sorted."""
    channel = transactions.channel.fill_null("")
    return transactions.select(channel=channel).distinct().order_by("channel")


def _moves(transactions: ir.Table) -> ir.Table:
    """Transfers between two different accounts (a transfer to oneself changes nothing)."""
    return transactions.filter(transactions.src_account != transactions.dst_account)


def ledger_counts(transactions: ir.Table, codes: ir.Table) -> ir.Table:
    """`code, n`: how many index rows each account has (one per transfer it pays or gets)."""
    moves = _moves(transactions)
    sides = ibis.union(
        moves.select(account_id=moves.src_account),
        moves.select(account_id=moves.dst_account),
        distinct=False,
    )
    per = sides.group_by("account_id").aggregate(n=sides.count())
    joined = per.join(codes, "account_id")
    return joined.select("code", "n")


def ledger_rows(transactions: ir.Table, codes: ir.Table) -> ir.Table:
    """`txn_id, ts, src, dst, cents, channel` of every transaction, its accounts as codes,
    in (ts, txn_id) order: the sequence order of the index."""
    payer, payee = codes.view(), codes.view()
    t = transactions
    joined = t.join(payer, t.src_account == payer.account_id).join(
        payee, t.dst_account == payee.account_id
    )
    return joined.select(
        txn_id=t.txn_id,
        ts=t.ts,
        src=payer.code,
        dst=payee.code,
        cents=(t.amount * 100).cast(_CENTS),
        channel=t.channel.fill_null(""),
    ).order_by(["ts", "txn_id"])


def txn_totals(transactions: ir.Table) -> ir.Table:
    """`transactions`: one row, the ledger's size."""
    return transactions.aggregate(transactions=transactions.count())


def account_facts(
    codes: ir.Table, accounts: ir.Table, persons: ir.Table, *, has_persons: bool
) -> ir.Table:
    """`account_id, kind, institution, country, opened_at, org` per code, in code order.

    `org` is 1 for an account held by an organisation (its holder is not a person), 0 for a
    person's, -1 when unknown (no holder, or `has_persons` false: the lake has no persons).
    Duplicate accounts rows give their smallest values (deterministic on every engine).
    """
    a = accounts.group_by("account_id").aggregate(
        kind=accounts.kind.min(),
        institution=accounts.institution.min(),
        country=accounts.country.min(),
        opened_at=accounts.opened_at.min(),
        holder_id=accounts.holder_id.min(),
    )
    joined = codes.left_join(a, codes.account_id == a.account_id)
    if has_persons:
        org = (
            ibis.cases(
                (joined.holder_id.isnull(), -1),
                (joined.holder_id.isin(persons.person_id), 0),
                else_=1,
            )
        ).cast(dt.int8)
    else:
        org = ibis.literal(-1, type=dt.int8)
    return joined.select(
        account_id=codes.account_id,
        kind=joined.kind,
        institution=joined.institution,
        country=joined.country,
        opened_at=joined.opened_at,
        org=org,
        code=codes.code,
    ).order_by("code")


def report_heads(reports: ir.Table) -> ir.Table:
    """`report_id, ts, victim_account, fraud_txn_ids` per report, sorted by id."""
    heads = reports.group_by("report_id").aggregate(
        ts=reports.ts.min(),
        victim_account=reports.victim_account.min(),
        fraud_txn_ids=reports.fraud_txn_ids.arbitrary(),  # one row per report in the lake
    )
    return heads.order_by("report_id")


def fraud_transfers(transactions: ir.Table, reports: ir.Table) -> ir.Table:
    """`txn_id, ts, src_account, dst_account, cents, channel` of the transactions some report
    names as its fraud transfers."""
    named = reports.select(txn_id=reports.fraud_txn_ids.unnest())
    t = transactions.filter(transactions.txn_id.isin(named.txn_id))
    return t.select(
        "txn_id",
        "ts",
        "src_account",
        "dst_account",
        cents=(t.amount * 100).cast(_CENTS),
        channel=t.channel.fill_null(""),
    )


def _hash_sum(values: ir.StringValue) -> ir.IntegerScalar:
    return (values.hash() % _HASH_MOD).sum().fill_null(0)


def _field(value: ir.Value) -> ir.StringValue:
    # \x1f between fields and \x00 for null keep ("a", null) apart from (null, "a")
    return value.cast(dt.string).fill_null("\x00")


def reference_fingerprint(accounts: ir.Table, persons: ir.Table) -> ir.Table:
    """One row: the count and a hash sum of the accounts rows (the columns the index keeps)
    and of the persons, in no order; any change to that reference data changes it (to be
    compared only with a fingerprint from the same engine)."""
    columns = ("account_id", "holder_id", "kind", "institution", "country", "opened_at")
    row = ibis.literal("\x1f").join([_field(accounts[c]) for c in columns])
    acc = accounts.aggregate(accounts=accounts.count(), accounts_hash=_hash_sum(row))
    per = persons.aggregate(persons=persons.count(), persons_hash=_hash_sum(persons.person_id))
    return acc.cross_join(per)


def lake_counts(transactions: ir.Table, accounts: ir.Table, reports: ir.Table) -> ir.Table:
    """One row: `transactions`, `accounts`, `reports` row counts (the index's freshness)."""
    t = transactions.aggregate(transactions=transactions.count())
    a = accounts.aggregate(accounts=accounts.count())
    r = reports.aggregate(reports=reports.count())
    return t.cross_join(a).cross_join(r)


def _after(transactions: ir.Table, ts: datetime, txn_id: str) -> ir.BooleanValue:
    return (transactions.ts > ts) | ((transactions.ts == ts) & (transactions.txn_id > txn_id))


def count_after(transactions: ir.Table, ts: datetime, txn_id: str) -> ir.Table:
    """One row: `total` transactions and how many come `after` (ts, txn_id)."""
    after = _after(transactions, ts, txn_id)
    return transactions.aggregate(total=transactions.count(), after=transactions.count(where=after))


def rows_after(transactions: ir.Table, ts: datetime, txn_id: str) -> ir.Table:
    """`txn_id, ts, src, dst, cents, channel` of the transactions after (ts, txn_id), in
    (ts, txn_id) order."""
    t = transactions.filter(_after(transactions, ts, txn_id))
    return t.select(
        "txn_id",
        "ts",
        src=t.src_account,
        dst=t.dst_account,
        cents=(t.amount * 100).cast(_CENTS),
        channel=t.channel.fill_null(""),
    ).order_by(["ts", "txn_id"])


def distinct_accounts(accounts: ir.Table) -> ir.Table:
    """`account_id`: the ids of the accounts table, once each."""
    return accounts.select("account_id").distinct()
