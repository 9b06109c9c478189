"""The detectors against a plain-Python reference on random ledgers (Hypothesis).

The lake jobs prune before their self-joins (only transfers that can lie on a cycle, sources
and targets of enough accounts, parties shared by two accounts) and take fan examples from the
first matching days only. The reference does none of that: it tries every pair and triple of
transfers. Equal findings on any ledger show the pre-filters lose nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import product
from typing import Any

import ibis
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chaincut.lake.jobs.account_patterns import PatternParams, account_patterns

T0 = datetime(2024, 3, 1)
PARAMS = PatternParams(
    fan_degree=3,
    gather_scatter_degree=2,
    pass_through_s=3600,
    pass_through_min=2,
    pass_through_kept_pct=20,
    cycle_window_s=2 * 86_400,
    scatter_window_s=86_400,
    scatter_middles=2,
    shared_parties=2,
    hub_degree=4,
    examples=3,
)
Txn = tuple[str, int, str, str, int]  # txn_id, ts_s, src, dst, cents

ACCOUNTS = st.sampled_from(["A", "B", "C", "D", "E", "F", "G"])
TXN = st.tuples(
    st.integers(0, 4 * 24).map(lambda h: h * 1800),  # every half hour over two days
    ACCOUNTS,
    ACCOUNTS,
    st.sampled_from([100, 9_000, 10_000, 250_000]),
)


def _table(txns: list[Txn]) -> pa.Table:
    return pa.table(
        {
            "txn_id": [t[0] for t in txns],
            "ts": pa.array([T0 + timedelta(seconds=t[1]) for t in txns], pa.timestamp("us")),
            "src_account": [t[2] for t in txns],
            "dst_account": [t[3] for t in txns],
            "amount": pa.array([Decimal(t[4]) / 100 for t in txns], pa.decimal128(18, 2)),
            "currency": ["CNY"] * len(txns),
            "channel": ["transfer"] * len(txns),
        }
    )


def _found(evidence: dict[tuple[str, str], set[tuple[int, str]]], k: int) -> set[tuple[Any, ...]]:
    rows = set()
    for (account, pattern), ev in evidence.items():
        for rank, (_, txn) in enumerate(sorted(ev)[:k]):
            rows.add((account, pattern, len(ev), rank, txn))
    return rows


def _single(txns: list[Txn], p: PatternParams) -> dict[tuple[str, str], set[tuple[int, str]]]:
    """Fan-in, fan-out, gather-scatter and pass-through, by brute force."""
    ev: dict[tuple[str, str], set[tuple[int, str]]] = defaultdict(set)
    rows = [(s, d, False, ts, i, c) for i, ts, s, d, c in txns]
    rows += [(d, s, True, ts, i, c) for i, ts, s, d, c in txns]
    days: dict[tuple[str, int], list[tuple[str, bool, int, str]]] = defaultdict(list)
    for acc, other, inbound, ts, i, _ in rows:
        days[(acc, ts // 86_400)].append((other, inbound, ts, i))
    for (acc, _), day in days.items():
        ins = [r for r in day if r[1]]
        outs = [r for r in day if not r[1]]
        fan_in, fan_out = len({r[0] for r in ins}), len({r[0] for r in outs})
        if fan_in >= p.fan_degree:
            ev[(acc, "fan_in")] |= {(r[2], r[3]) for r in ins}
        if fan_out >= p.fan_degree:
            ev[(acc, "fan_out")] |= {(r[2], r[3]) for r in outs}
        g = p.gather_scatter_degree
        if fan_in >= g and fan_out >= g and min(r[2] for r in ins) < max(r[2] for r in outs):
            ev[(acc, "gather_scatter")] |= {(r[2], r[3]) for r in day}
    for acc in {r[0] for r in rows}:
        mine = [r for r in rows if r[0] == acc]
        quick = []
        for _, _, inbound, ts, i, _ in mine:
            before = [r[3] for r in mine if r[2] and r[3] <= ts]
            if not inbound and before and ts - max(before) <= p.pass_through_s:
                quick.append((ts, i))
        cents_in = sum(r[5] for r in mine if r[2])
        cents_out = sum(r[5] for r in mine if not r[2])
        keep = 100 - p.pass_through_kept_pct
        if len(quick) >= p.pass_through_min and cents_out * 100 >= cents_in * keep:
            ev[(acc, "pass_through")] |= set(quick)
    return ev


def _shared(links: set[tuple[str, str]], least: int) -> set[tuple[str, str, str]]:
    """(x, y, party) for accounts x != y that share at least `least` parties in `links`."""
    parties: dict[str, set[str]] = defaultdict(set)
    for x, party in links:
        parties[x].add(party)
    out = set()
    for x, y in product(parties, parties):
        common = parties[x] & parties[y]
        if x != y and len(common) >= least:
            out |= {(x, y, party) for party in common}
    return out


def _motifs(  # noqa: C901 - a plain brute-force reference, one loop per motif on purpose
    txns: list[Txn], p: PatternParams
) -> dict[tuple[str, str], set[tuple[int, str]]]:
    """Cycles, scatter-gather, bipartite and stack among non-hubs, by brute force."""
    ev: dict[tuple[str, str], set[tuple[int, str]]] = defaultdict(set)
    parties: dict[str, set[str]] = defaultdict(set)
    for _, _, s, d, _ in txns:
        parties[s].add(d)
        parties[d].add(s)
    hubs = {a for a, ps in parties.items() if len(ps) > p.hub_degree}
    small = [t for t in txns if t[2] not in hubs and t[3] not in hubs]

    def add(pattern: str, accounts: Iterable[str], shown: Iterable[Txn]) -> None:
        for acc, t in product(accounts, shown):
            ev[(acc, pattern)].add((t[1], t[0]))

    w = p.cycle_window_s
    for a, b in product(small, small):
        if a[3] != b[2] or not a[1] < b[1] <= a[1] + w:
            continue
        if b[3] == a[2]:
            add("cycle", (a[2], a[3]), (a, b))
        for c in small:
            if b[3] != a[2] and c[2] == b[3] and c[3] == a[2] and b[1] < c[1] <= a[1] + w:
                add("cycle", (a[2], a[3], b[3]), (a, b, c))
    paths = [
        (a, b)
        for a, b in product(small, small)
        if a[3] == b[2] and b[3] != a[2] and a[1] <= b[1] <= a[1] + p.scatter_window_s
    ]
    middles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a, b in paths:
        middles[(a[2], b[3])].add(a[3])
    for a, b in paths:
        if len(middles[(a[2], b[3])]) >= p.scatter_middles:
            add("scatter_gather", (a[2], a[3]), (a,))
            add("scatter_gather", (a[3], b[3]), (b,))
    pairs = {(t[2], t[3]) for t in small}
    payees = _shared(pairs, p.shared_parties)  # x, y pay the same parties
    payers = _shared({(d, s) for s, d in pairs}, p.shared_parties)  # paid by the same parties
    both = {(x, y) for x, y, _ in payees} & {(x, y) for x, y, _ in payers}
    for links, outgoing in ((payees, True), (payers, False)):
        for pattern, keep in (("bipartite", None), ("stack", both)):
            chosen = {(x, party) for x, y, party in links if keep is None or (x, y) in keep}
            for t in small:
                if ((t[2], t[3]) if outgoing else (t[3], t[2])) in chosen:
                    add(pattern, (t[2] if outgoing else t[3],), (t,))
    return ev


def reference(txns: list[Txn], p: PatternParams) -> set[tuple[Any, ...]]:
    """`account_patterns`' rows, by brute force."""
    clean = [t for t in txns if t[2] != t[3]]
    return _found({**_single(clean, p), **_motifs(clean, p)}, p.examples)


@pytest.fixture(scope="module")
def duck() -> Any:
    return ibis.duckdb.connect()


def _apart(ledgers: list[list[Any]]) -> list[Txn]:
    """The ledgers side by side in one table, each with accounts of its own (`0A`, `1A`, ...):
    no pattern joins two of them, so the rows of the whole are the rows of each. One query
    costs about 0.4 s of CPU whatever its size (the reference, milliseconds): three ledgers a
    query check as many ledgers as one a query did, in a third of the time."""
    return [
        (f"t{k}{i:02d}", ts, f"{k}{s}", f"{k}{d}", c)
        for k, raw in enumerate(ledgers)
        for i, (ts, s, d, c) in enumerate(raw)
    ]


def test_ledgers_apart_share_no_account() -> None:
    txns = _apart([[(0, "A", "B", 100)], [(0, "A", "B", 100), (1800, "B", "A", 100)]])
    assert txns == [
        ("t000", 0, "0A", "0B", 100),
        ("t100", 0, "1A", "1B", 100),
        ("t101", 1800, "1B", "1A", 100),
    ]


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(TXN, min_size=1, max_size=40), min_size=3, max_size=3))
def test_detectors_equal_the_brute_force_reference(duck: Any, ledgers: list[list[Any]]) -> None:
    txns = _apart(ledgers)
    found = duck.to_pyarrow(account_patterns(ibis.memtable(_table(txns)), PARAMS))
    rows = {
        (r["account_id"], r["pattern"], r["matches"], r["rank"], r["txn_id"])
        for r in found.to_pylist()
    }
    assert rows == reference(txns, PARAMS)
