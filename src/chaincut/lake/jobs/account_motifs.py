"""Multi-account laundering shapes, as evidence rows: cycles, scatter-gather, bipartite, stack.

Each function returns rows `account` (key), `pattern`, `txn_id`, `ts_s`: a transaction that shows
the account taking part in the shape. Hubs (accounts with more than `hub_degree` distinct
counterparties: merchants, payment platforms, exchanges, employers) never take part: every
shop would otherwise form a bipartite graph with its customers. Typologies as in IBM's
AMLworld (Altman et al. 2023).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import ibis
import ibis.expr.types as ir

CYCLE: Final = "cycle"
SCATTER_GATHER: Final = "scatter_gather"
BIPARTITE: Final = "bipartite"
STACK: Final = "stack"
#: the multi-account shapes, in the order they are reported
MOTIFS: Final = (CYCLE, SCATTER_GATHER, BIPARTITE, STACK)


def hub_keys(transfers: ir.Table, hub_degree: int) -> ir.Table:
    """The hubs among `keyed_transfers`' accounts: more than `hub_degree` distinct
    counterparties. Column `key`. (Scoring takes them from the account features instead.)"""
    t = transfers
    sides = ibis.union(t.select(a=t.src, b=t.dst), t.select(a=t.dst, b=t.src), distinct=True)
    degree = sides.group_by("a").aggregate(n=sides.count())
    return degree.filter(degree.n > hub_degree).select(key=degree.a)


def small_transfers(transfers: ir.Table, hubs: ir.Table) -> ir.Table:
    """`keyed_transfers` between two accounts that are not `hubs` (column `key`): `src`,
    `dst`, `ts_s`, `txn_id`."""
    t = transfers.anti_join(hubs, transfers.src == hubs.key)
    other = hubs.view()
    t = t.anti_join(other, t.dst == other.key)
    return t.select("src", "dst", "ts_s", "txn_id")


def _degree_at_least(small: ir.Table, side: str, other: str, least: int) -> ir.Table:
    """The accounts (column `acc`) on `side` of at least `least` distinct `other` accounts."""
    pairs = small.group_by(acc=small[side], party=small[other]).aggregate()
    degree = pairs.group_by("acc").aggregate(n=pairs.count())
    return degree.filter(degree.n >= least).select("acc")


def _cyclic(small: ir.Table) -> ir.Table:
    """The transfers that can lie on a cycle: from an account that receives, to one that pays.

    An exact pre-filter: a transfer u -> v on a cycle needs an inflow to u and an outflow from
    v; dropping the others changes no cycle but shrinks the self-joins.
    """
    payers = small.select(acc=small.src).distinct()
    payees = small.select(acc=small.dst).distinct()
    t = small.semi_join(payees, small.src == payees.acc)
    t = t.semi_join(payers, t.dst == payers.acc)
    return t.select(*small.columns)  # a relation of its own, to join with itself


def _evidence(rows: ir.Table, pattern: str, pairs: list[tuple[str, str]]) -> ir.Table:
    """Evidence rows from columns (account column, txn column) pairs of `rows`; ts from txn.

    Each row of `rows` is repeated once per pair (an unnested array of slot numbers) instead of
    a union of one select per pair, which would run the join behind `rows` once per pair.
    """
    r = rows.mutate(slot=ibis.array(list(range(len(pairs)))).unnest())

    def pick(column: Callable[[str, str], str]) -> ir.Value:
        return ibis.cases(*[(r.slot == i, r[column(a, t)]) for i, (a, t) in enumerate(pairs)])

    return r.select(
        account=pick(lambda a, _: a),
        pattern=ibis.literal(pattern),
        txn_id=pick(lambda _, t: f"{t}_txn"),
        ts_s=pick(lambda _, t: f"{t}_ts"),
    )


def _renamed(t: ir.Table, tag: str) -> ir.Table:
    return t.select(
        **{f"{tag}_src": t.src, f"{tag}_dst": t.dst, f"{tag}_ts": t.ts_s, f"{tag}_txn": t.txn_id}
    )


def cycles(small: ir.Table, window_s: int) -> ir.Table:
    """Time-respecting cycles of two and three accounts closed within `window_s`.

    A -> B -> A, or A -> B -> C -> A, each transfer later than the one before; every account in
    the cycle gets every transaction of it as evidence.
    """
    small = _cyclic(small)
    a, b, c = _renamed(small, "a"), _renamed(small, "b"), _renamed(small, "c")
    two = a.join(
        b,
        [
            a.a_dst == b.b_src,
            b.b_dst == a.a_src,
            b.b_ts > a.a_ts,
            b.b_ts - a.a_ts <= window_s,
        ],
    )
    path = a.join(
        b, [a.a_dst == b.b_src, b.b_dst != a.a_src, b.b_ts > a.a_ts, b.b_ts - a.a_ts <= window_s]
    )
    three = path.join(
        c,
        [
            path.b_dst == c.c_src,
            c.c_dst == path.a_src,
            c.c_ts > path.b_ts,
            c.c_ts - path.a_ts <= window_s,
        ],
    )
    pairs2 = [(acc, txn) for acc in ("a_src", "a_dst") for txn in ("a", "b")]
    pairs3 = [(acc, txn) for acc in ("a_src", "a_dst", "b_dst") for txn in ("a", "b", "c")]
    return ibis.union(_evidence(two, CYCLE, pairs2), _evidence(three, CYCLE, pairs3))


def scatter_gather(small: ir.Table, window_s: int, middles: int) -> ir.Table:
    """A source pays at least `middles` accounts that each pay one target within `window_s`.

    The source gets its scatter transfers as evidence, the target its gather transfers, each
    middle both.
    """
    # exact pre-filter: a source pays `middles` accounts, a target is paid by as many
    sources = _degree_at_least(small, "src", "dst", middles)
    targets = _degree_at_least(small, "dst", "src", middles)
    a = _renamed(small.semi_join(sources, small.src == sources.acc).select(*small.columns), "a")
    b = _renamed(small.semi_join(targets, small.dst == targets.acc).select(*small.columns), "b")
    j = a.join(
        b,
        [a.a_dst == b.b_src, b.b_dst != a.a_src, b.b_ts >= a.a_ts, b.b_ts - a.a_ts <= window_s],
    )
    wide = j.group_by(s=j.a_src, t=j.b_dst).aggregate(m=j.a_dst.nunique())
    wide = wide.filter(wide.m >= middles)
    j = j.semi_join(wide, [j.a_src == wide.s, j.b_dst == wide.t])
    return _evidence(
        j, SCATTER_GATHER, [("a_src", "a"), ("a_dst", "a"), ("a_dst", "b"), ("b_dst", "b")]
    )


def _shared(pairs: ir.Table, key: str, side: str, least: int) -> ir.Table:
    """Rows `x`, `y`, `party`: accounts x != y both linked to `party` (their common `key`),
    for the (x, y) linked to at least `least` common parties."""
    # exact pre-filter: x and y each deal with `least` parties; a party deals with both
    busy = pairs.group_by(acc=pairs[side]).aggregate(n=pairs.count())
    busy = busy.filter(busy.n >= least)
    shared = pairs.group_by(acc=pairs[key]).aggregate(n=pairs.count())
    shared = shared.filter(shared.n >= 2)
    kept = pairs.semi_join(busy, pairs[side] == busy.acc)
    pairs = kept.semi_join(shared, kept[key] == shared.acc).select(*pairs.columns)
    p, q = pairs.view(), pairs.view()
    j = p.join(q, [p[key] == q[key], p[side] != q[side]])
    j = j.select(x=p[side], y=q[side], party=p[key])
    n = j.group_by("x", "y").aggregate(k=j.count())  # (x, y, party) rows are distinct
    n = n.filter(n.k >= least)
    return j.semi_join(n, [j.x == n.x, j.y == n.y])


def _edges_to(small: ir.Table, links: ir.Table, outgoing: bool, pattern: str) -> ir.Table:
    """Transactions of `links.x` with its shared `links.party` (sent when `outgoing`)."""
    links = links.select("x", "party").distinct()
    mine, other = (small.src, small.dst) if outgoing else (small.dst, small.src)
    j = small.join(links, [mine == links.x, other == links.party])
    return j.select(account=j.x, pattern=ibis.literal(pattern), txn_id=j.txn_id, ts_s=j.ts_s)


def bipartite_and_stack(small: ir.Table, least: int) -> ir.Table:
    """Bipartite: accounts that pay (or are paid by) at least `least` of the same counterparties
    as another account. Stack: an account that shares at least `least` payers *and* `least`
    payees with another one, a parallel card in a layered chain."""
    pairs = small.select("src", "dst").distinct()
    same_payees = _shared(pairs, "dst", "src", least)  # x, y pay the same accounts
    same_payers = _shared(pairs, "src", "dst", least)  # x, y are paid by the same accounts
    bip = ibis.union(
        _edges_to(small, same_payees, True, BIPARTITE),
        _edges_to(small, same_payers, False, BIPARTITE),
    )
    both = same_payees.select("x", "y").distinct()
    both = both.semi_join(same_payers, [both.x == same_payers.x, both.y == same_payers.y])
    out_links = same_payees.semi_join(both, [same_payees.x == both.x, same_payees.y == both.y])
    in_links = same_payers.semi_join(both, [same_payers.x == both.x, same_payers.y == both.y])
    stack = ibis.union(
        _edges_to(small, out_links, True, STACK), _edges_to(small, in_links, False, STACK)
    )
    return ibis.union(bip, stack)
