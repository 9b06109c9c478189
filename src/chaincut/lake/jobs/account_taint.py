"""Where victims' money went first, and who deals with suspected mules.

`account_taint` follows the transactions that victims reported (`reports.fraud_txn_ids`) one,
two and three hops forward in time: the first hop is the account a victim paid (usually a
first-level card or a score-running account), the next hops are the accounts it paid after
that. `account_neighbours` is the second pass of scoring: how many of an account's
counterparties are suspected mules, given the suspects of a first pass.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from chaincut.lake.jobs.account_features import FeatureParams, attach
from chaincut.lake.jobs.edges import MONEY_TOTAL, zero_money


def _reported(transactions: ir.Table, reports: ir.Table) -> ir.Table:
    """The reported fraud transactions: `report_id`, `victim_account`, `dst`, `ts_s`, `amount`."""
    r = reports.select(
        reports.report_id, reports.victim_account, txn_id=reports.fraud_txn_ids.unnest()
    )
    t = transactions
    hit = r.join(t, r.txn_id == t.txn_id)
    return hit.select(
        report_id=hit.report_id,
        victim_account=hit.victim_account,
        dst=hit.dst_account,
        ts_s=hit.ts.epoch_seconds().cast("int64"),
        amount=hit.amount,
        currency=hit.currency,
    ).distinct()


def _transfers(transactions: ir.Table) -> ir.Table:
    """Transfers between two accounts: `src`, `dst`, `ts_s`."""
    t = transactions.filter(transactions.src_account != transactions.dst_account)
    return t.select(src=t.src_account, dst=t.dst_account, ts_s=t.ts.epoch_seconds().cast("int64"))


def _next_hop(t: ir.Table, tainted: ir.Table, prefix: str) -> ir.Table:
    """Accounts paid by a `tainted` account (`account_id`, `since`) at or after it was tainted."""
    hit = t.join(tainted, t.src == tainted.account_id)
    hit = hit.filter(hit.ts_s >= hit.since)
    return hit.group_by(account_id=hit.dst).aggregate(
        **{
            f"{prefix}_in": hit.count(),
            f"{prefix}_senders": hit.src.nunique(),
            f"{prefix}_since": hit.ts_s.min(),
        }
    )


def account_taint(
    transactions: ir.Table, reports: ir.Table, params: FeatureParams | None = None
) -> ir.Table:
    """One row per account reached from a reported fraud transaction within three hops.

    Columns: `account_id`; `hop1_reports`, `hop1_victims`, `hop1_txns`, `hop1_amount` (exact, in
    `params.currency`) for the accounts victims paid; `hop2_in`/`hop2_senders` and
    `hop3_in`/`hop3_senders`: transactions (and distinct payers) reaching the account from a
    first (second) hop at or after that hop was first paid by a victim; zeros where none.
    Victims' own accounts are not hops (money returned to a victim is a refund or a rebate).
    """
    params = params or FeatureParams()
    fraud = _reported(transactions, reports)
    mine = fraud.currency.fill_null(params.currency) == params.currency
    hop1 = fraud.group_by(account_id=fraud.dst).aggregate(
        hop1_reports=fraud.report_id.nunique(),
        hop1_victims=fraud.victim_account.nunique(),
        hop1_txns=fraud.count(),
        hop1_amount=fraud.amount.sum(where=mine).cast(MONEY_TOTAL).fill_null(zero_money()),
        hop1_since=fraud.ts_s.min(),
    )
    victims = fraud.select(account_id=fraud.victim_account).distinct()
    t = _transfers(transactions)
    t = t.anti_join(victims, t.dst == victims.account_id)
    hop2 = _next_hop(t, hop1.select("account_id", since=hop1.hop1_since), "hop2")
    hop3 = _next_hop(t, hop2.select("account_id", since=hop2.hop2_since), "hop3")
    everyone = ibis.union(
        hop1.select("account_id"), hop2.select("account_id"), hop3.select("account_id")
    ).distinct()
    zero = zero_money()
    fill = {
        "hop1_reports": 0,
        "hop1_victims": 0,
        "hop1_txns": 0,
        "hop1_amount": zero,
        "hop2_in": 0,
        "hop2_senders": 0,
        "hop3_in": 0,
        "hop3_senders": 0,
    }
    out = attach(everyone, hop1.drop("hop1_since"), fill, on="account_id")
    out = attach(out, hop2.drop("hop2_since"), fill, on="account_id")
    out = attach(out, hop3.drop("hop3_since"), fill, on="account_id")
    return out.select("account_id", *fill)


def account_neighbours(transactions: ir.Table, suspects: ir.Table) -> ir.Table:
    """How many of each account's counterparties are suspects (the table `suspects`, with a
    column `account_id`), on each side. One row per account that has a suspect counterparty.

    Columns: `account_id`, `suspect_senders`, `suspect_receivers`, `suspect_counterparties`
    (distinct), `suspect_in` and `suspect_out` (transactions).
    """
    t = transactions.filter(transactions.src_account != transactions.dst_account)
    s = suspects.select(suspect=suspects.account_id).distinct()
    # only the transfers that touch a suspect, from the other side: two small semi-joins on the
    # ledger instead of both sides of every transfer
    paid = t.join(s, t.dst_account == s.suspect)  # the payer's row: a suspect receiver
    paid = paid.select(
        account_id=paid.src_account, counterparty=paid.dst_account, inbound=ibis.literal(False)
    )
    got = t.join(s, t.src_account == s.suspect)  # the payee's row: a suspect sender
    got = got.select(
        account_id=got.dst_account, counterparty=got.src_account, inbound=ibis.literal(True)
    )
    hit = ibis.union(paid, got, distinct=False)
    return hit.group_by("account_id").aggregate(
        suspect_senders=hit.counterparty.nunique(where=hit.inbound),
        suspect_receivers=hit.counterparty.nunique(where=~hit.inbound),
        suspect_counterparties=hit.counterparty.nunique(),
        suspect_in=hit.count(where=hit.inbound),
        suspect_out=hit.count(where=~hit.inbound),
    )
