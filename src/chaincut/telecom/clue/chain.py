"""The money chains of the victims' reports, for the clue index (`chaincut.telecom.clue.money`).

From each report's own fraud transfers (`reports.fraud_txn_ids`) the money is followed up to
`MAX_HOPS` transfers forward, each within `HOP_HOURS` of the money arriving at the account that
paid it on, never through shared infrastructure: merchants, exchanges, cash, a payment
institution's pooled account (a payment account no person holds) or an account with more than
`BUSY_COUNTERPARTIES` distinct counterparties. Those end the chain and are left out: every
victim pays through Alipay, so its pooled account says nothing about who got the money.

A pooled account is not a dead end, though (round twelve): a payment institution forwards a
payment from the payer's balance to the payee's, so money that reached a pooled account goes on
through the pool's first outflow of the same amount within `POOL_MATCH_MINUTES` (the tracer's
rule, `TraceParams.hub_match_minutes`: a pooled account's sub-account forwarding it). The pool
is transparent: the card it forwarded to is at the same hop as if the victim had paid it
directly. On the foreign training worlds a third of the victims' fraud transfers went to a
pooled account (WeChat, Alipay, UnionPay), so their money, and the numbers that worked them,
tied nothing. Merchants, exchanges, cash and busy accounts still end the chain.
The phones the reached cards were registered with (round thirteen, `card_phones`): a card
dealer (卡商) opens the cards he sells with a number he controls, so several other people's
cards carry his number as their registration phone (`accounts.reg_phone`, docs/gangs.md); the
search weighs them in `chaincut.telecom.clue.money`.

Imported by the build only (Ibis, Arrow); answering reads the arrays with numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa

from chaincut.lake.jobs.link_edges import link_account_phones
from chaincut.telecom.clue.money import MAX_HOPS
from chaincut.telecom.clue.store import Array
from chaincut.trace.model import TraceParams

#: a mule moves the money on within hours; later outflows are its own business
HOP_HOURS: Final = 72
#: account kinds that are infrastructure, not a den's: they end a chain and link nothing
HUB_KINDS: Final = ("merchant", "exchange", "cash")
#: account kinds that are a pooled account when no person holds them
POOLED_KINDS: Final = ("payment",)
#: an account dealing with more distinct counterparties than this is a hub
BUSY_COUNTERPARTIES: Final = 100
#: money at a pooled account goes on through its first outflow of the same amount this soon
POOL_MATCH_MINUTES: Final = TraceParams().hub_match_minutes


def _pools(accounts: ir.Table, persons: ir.Table) -> ir.Table:
    """`pool`: the pooled accounts (a payment institution's payment account no person holds)."""
    people = persons.select(p_id=persons.person_id).distinct()
    a = accounts.left_join(people, accounts.holder_id == people.p_id)
    return a.filter(a.kind.isin(POOLED_KINDS) & a.p_id.isnull()).select(pool=a.account_id)


def _through_pools(arrived: ir.Table, t: ir.Table, pools: ir.Table) -> ir.Table:
    """Where money that arrived at a pooled account went on: per arrival (`report_id,
    account, ts, amount, via`: `via` the transfer that brought it), the pool's first outflow
    (by time, then id) of the same amount within `POOL_MATCH_MINUTES`, in the same columns."""
    at = arrived.semi_join(pools, arrived.account == pools.pool)
    t = t.view()  # the arrivals are transfers of `t` too
    j = at.join(t, (t.src == at.account) & (t.t_amount == at.amount))
    j = j.filter((j.t_ts >= j.ts) & (j.t_ts <= j.ts + ibis.interval(minutes=POOL_MATCH_MINUTES)))
    rank = ibis.row_number().over(group_by=[j.report_id, j.via], order_by=[j.t_ts, j.t_id])
    j = j.mutate(rank=rank)
    j = j.filter(j.rank == 0)
    return _arrivals(j)


def _arrivals(transfers: ir.Table) -> ir.Table:
    """`report_id, account, ts, amount, via`: where each transfer of a report's money arrived."""
    t = transfers
    return t.select(report_id=t.report_id, account=t.dst, ts=t.t_ts, amount=t.t_amount, via=t.t_id)


def _arrive(arrived: ir.Table, t: ir.Table, pools: ir.Table) -> ir.Table:
    """`report_id, account, since`: the accounts the transfers `arrived` paid (and the cards
    the pooled ones among them forwarded the money to: the same hop), with the first time."""
    arrived = arrived.union(_through_pools(arrived, t, pools), distinct=False)
    return arrived.group_by(report_id=arrived.report_id, account=arrived.account).aggregate(
        since=arrived.ts.min()
    )


def _blocked(transactions: ir.Table, accounts: ir.Table, persons: ir.Table) -> ir.Table:
    """`b_account`: the accounts a chain does not go through (infrastructure, hubs)."""
    hubs = accounts.filter(accounts.kind.isin(HUB_KINDS)).select(b_account=accounts.account_id)
    pools = _pools(accounts, persons)
    infra = hubs.union(pools.select(b_account=pools.pool))
    t = transactions
    sides = t.select(acct=t.src_account, other=t.dst_account).union(
        t.select(acct=t.dst_account, other=t.src_account)
    )
    deg = sides.group_by("acct").aggregate(n=sides.other.nunique())
    busy = deg.filter(deg.n > BUSY_COUNTERPARTIES).select(b_account=deg.acct)
    return infra.union(busy).distinct()


def chain_rows(
    reports: ir.Table,
    transactions: ir.Table,
    accounts: ir.Table,
    persons: ir.Table,
    nums: ir.Table,
    vpos: ir.Table,
) -> ir.Table:
    """`pos, account, hop`: per victim position, every account its reports' money reached
    within `MAX_HOPS` transfers (the fewest hops), infrastructure and hubs left out."""
    t = transactions.select(
        t_id=transactions.txn_id,
        src=transactions.src_account,
        dst=transactions.dst_account,
        t_ts=transactions.ts,
        t_amount=transactions.amount,
    )
    r = reports.filter(reports.victim_id.notnull())
    r = r.select(r.report_id, txn_id=r.fraud_txn_ids.unnest())
    first = r.join(t, r.txn_id == t.t_id)
    arrived = _arrivals(first)
    blocked = _blocked(transactions, accounts, persons)
    pools = _pools(accounts, persons)
    front = _arrive(arrived, t, pools)
    hops = [front.mutate(hop=ibis.literal(1, "int8"))]
    for hop in range(2, MAX_HOPS + 1):
        open_ = front.anti_join(blocked, front.account == blocked.b_account)
        j = t.join(open_, t.src == open_.account)
        j = j.filter((j.t_ts >= j.since) & (j.t_ts <= j.since + ibis.interval(hours=HOP_HOURS)))
        arrived = _arrivals(j)
        front = _arrive(arrived, t, pools)
        hops.append(front.mutate(hop=ibis.literal(hop, "int8")))
    reached = ibis.union(*hops)
    reached = reached.anti_join(blocked, reached.account == blocked.b_account)
    per = reached.group_by("report_id", "account").aggregate(hop=reached.hop.min())
    who = reports.select(w_report=reports.report_id, w_victim=reports.victim_id)
    p = persons.select(p_person=persons.person_id, p_phone=persons.phone)
    n = nums.select(n_number=nums.number, n_code=nums.code)
    v = vpos.select(v_code=vpos.code, v_pos=vpos.pos)
    j = (
        per.join(who, per.report_id == who.w_report)
        .join(p, who.w_victim == p.p_person)
        .join(n, p.p_phone == n.n_number)
        .join(v, n.n_code == v.v_code)
    )
    out = j.group_by(pos=j.v_pos, account=j.account).aggregate(hop=j.hop.min())
    return out


@dataclass(frozen=True)
class MoneyGroups:
    """The index arrays of the money chains, as numpy: sorted account ids and both groups."""

    ids: Array
    by_victim: tuple[Array, Array, Array]  # offsets, account codes, hops
    by_account: tuple[Array, Array, Array]  # offsets, victim positions, hops


def money_groups(rows: pa.Table, victims: int) -> MoneyGroups:
    """Group the chain rows (`pos, account, hop`) per victim position and per account."""
    accounts = rows.column("account").to_numpy(zero_copy_only=False).astype(str)
    pos = rows.column("pos").to_numpy(zero_copy_only=False).astype(np.int64)
    hop = rows.column("hop").to_numpy(zero_copy_only=False).astype(np.int8)
    ids, code = np.unique(accounts, return_inverse=True)
    code = code.astype(np.int64)

    def grouped(key: Array, value: Array, keys: int) -> tuple[Array, Array, Array]:
        order = np.lexsort((value, key))
        offsets = np.zeros(keys + 1, np.int64)
        np.cumsum(np.bincount(key, minlength=keys), out=offsets[1:])
        return offsets, value[order].astype(np.int32), hop[order]

    as_bytes = np.array([i.encode() for i in ids], dtype=bytes) if len(ids) else np.zeros(0, "S1")
    return MoneyGroups(as_bytes, grouped(pos, code, victims), grouped(code, pos, len(ids)))


def card_phones(chain: ir.Table, accounts: ir.Table, nums: ir.Table) -> ir.Table:
    """`code, account, holder`: the accounts the victims' money reached (`chain_rows`) that
    were registered with a number of the index, with that number's code and the account's
    holder. Needs `Capability.JSON_STRING_FIELD` (the registration phone is an extra column)."""
    reached = chain.select(c_account=chain.account).distinct()
    phones = link_account_phones(accounts)
    j = phones.join(reached, phones.account_id == reached.c_account)
    n = nums.select(n_number=nums.number, n_code=nums.code)
    j = j.join(n, j.phone == n.n_number)
    return j.select(code=j.n_code, account=j.account_id, holder=j.holder).distinct()


@dataclass(frozen=True)
class CardGroups:
    """The index arrays of the registration phones: per number code, the reached cards
    registered with it (codes into `acct_ids`) and their holders (codes into `cardh_ids`);
    per account code, the numbers it was registered with."""

    holder_ids: Array
    by_number: tuple[Array, Array, Array]  # offsets, account codes, holder codes
    by_account: tuple[Array, Array]  # offsets, number codes


def card_groups(rows: pa.Table, account_ids: Array, numbers: int) -> CardGroups:
    """Group `card_phones`' rows per number and per account (`account_ids`: the sorted
    `acct_ids` of `money_groups`)."""
    code = rows.column("code").to_numpy(zero_copy_only=False).astype(np.int64)
    accounts = rows.column("account").to_numpy(zero_copy_only=False).astype(str)
    holders = rows.column("holder").to_numpy(zero_copy_only=False).astype(str)
    wanted = np.array([a.encode() for a in accounts], dtype=bytes)
    acct = np.searchsorted(account_ids, wanted.astype(account_ids.dtype)) if len(wanted) else code
    hids, hcode = np.unique(holders, return_inverse=True)
    order = np.lexsort((acct, code))
    off_n = np.zeros(numbers + 1, np.int64)
    np.cumsum(np.bincount(code, minlength=numbers), out=off_n[1:])
    by_acct = np.lexsort((code, acct))
    off_a = np.zeros(len(account_ids) + 1, np.int64)
    np.cumsum(np.bincount(acct, minlength=len(account_ids)), out=off_a[1:])
    as_bytes = np.array([h.encode() for h in hids], dtype=bytes) if len(hids) else np.zeros(0, "S1")
    return CardGroups(
        as_bytes,
        (off_n, acct[order].astype(np.int32), hcode[order].astype(np.int32)),
        (off_a, code[by_acct].astype(np.int32)),
    )
