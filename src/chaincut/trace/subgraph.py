"""Each report's candidate subgraph, as Ibis expressions that run on DuckDB and on Spark.

For `--all` and case tracing on an engine, the ledger is not read through the point index but
cut per report into the part a trace can touch: a frontier expansion (a loop of joins, one per
hop) finds every account a time-respecting path of at most `max_hops` transfers can reach from
the victim's transfers without passing a hub or an exit channel, with its earliest arrival.
Each candidate then ships its transactions from (earliest arrival - the established look-back)
to the horizon, and its balance before that as an opening. The kernel, run on that subgraph by
a `MemoryLedger`, answers every question exactly as it would on the whole ledger.

The functions here only build expressions; `chaincut.trace.batch` executes them.
"""

from __future__ import annotations

from collections.abc import Callable

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from chaincut.trace.model import Micros, TraceParams

Execute = Callable[[ir.Table], pa.Table]


def ledger_edges(transactions: ir.Table) -> ir.Table:
    """txn_id, ts, src, dst, cents (int64), channel; transfers to oneself are left out."""
    t = transactions
    return t.filter(t.src_account != t.dst_account).select(
        txn_id=t.txn_id,
        ts=t.ts,
        src=t.src_account,
        dst=t.dst_account,
        cents=(t.amount * 100).cast("int64"),
        channel=t.channel,
    )


def account_sides(edges: ir.Table) -> ir.Table:
    """Each edge from both accounts' sides with a signed amount (+ in, - out)."""
    out = edges.select(
        "txn_id", "ts", "src", "dst", "cents", "channel", account=edges.src, signed=-edges.cents
    )
    into = edges.select(
        "txn_id", "ts", "src", "dst", "cents", "channel", account=edges.dst, signed=edges.cents
    )
    return out.union(into, distinct=False)


def account_facts(
    accounts: ir.Table, persons: ir.Table, edges: ir.Table, *, persons_known: bool
) -> ir.Table:
    """What the trace index records of every account in the ledger or the accounts table:
    account_id, kind, institution, country, degree (distinct counterparties), opened (opening
    date), first_ts (first transaction) and org (held by an organisation: a holder that is not
    in `persons`; null when unknown, as when the persons table is empty)."""
    pairs = edges.select(account_id=edges.src, cp=edges.dst, ts=edges.ts).union(
        edges.select(account_id=edges.dst, cp=edges.src, ts=edges.ts), distinct=False
    )
    degrees = pairs.group_by("account_id").aggregate(
        degree=pairs.cp.nunique(), first_ts=pairs.ts.min()
    )
    ids = (
        edges.select(account_id=edges.src)
        .union(edges.select(account_id=edges.dst), distinct=True)
        .union(accounts.select("account_id"), distinct=True)
    )
    info = accounts.group_by("account_id").aggregate(
        kind=accounts.kind.arbitrary(),
        institution=accounts.institution.arbitrary(),
        country=accounts.country.arbitrary(),
        opened=accounts.opened_at.min(),
        holder=accounts.holder_id.arbitrary(),
    )
    people = persons.select(holder=persons.person_id, is_person=ibis.literal(True)).distinct()
    joined = (
        ids.left_join(degrees, "account_id")
        .left_join(info, "account_id")
        .left_join(people, "holder")
    )
    if persons_known:
        org = ibis.cases(
            (joined.holder.isnull(), ibis.null("boolean")),
            else_=~joined.is_person.fill_null(False),
        )
    else:
        org = ibis.null("boolean")
    return joined.select(
        "account_id",
        "kind",
        "institution",
        "country",
        "opened",
        "first_ts",
        degree=joined.degree.fill_null(0).cast("int64"),
        org=org,
    )


def _us(values: list[object]) -> list[Micros]:
    return [int(v) for v in pa.array(values, pa.timestamp("us")).cast(pa.int64()).to_pylist()]


def _micros(values: list[Micros]) -> pa.Array:
    return pa.array(values, pa.int64()).cast(pa.timestamp("us"))


def frontier_table(rows: list[tuple[str, str, Micros, Micros]]) -> ir.Table:
    """(report_id, account, arrival, horizon) rows as an in-memory Ibis table."""
    return ibis.memtable(
        pa.table(
            {
                "report_id": pa.array([r[0] for r in rows], pa.string()),
                "account": pa.array([r[1] for r in rows], pa.string()),
                "arrival": _micros([r[2] for r in rows]),
                "horizon": _micros([r[3] for r in rows]),
            }
        )
    )


def frontier_out(frontier: ir.Table, edges: ir.Table) -> ir.Table:
    """One hop: every payment out of a frontier account between its arrival and the horizon
    (report_id, dst, ts, cents, channel); the caller sorts hubs from accounts to follow."""
    step = frontier.join(edges, frontier.account == edges.src).filter(
        edges.ts >= frontier.arrival, edges.ts <= frontier.horizon
    )
    return step.select("report_id", "horizon", "dst", "ts", "cents", "channel")


def hub_matches(into: ir.Table, edges: ir.Table, params: TraceParams) -> ir.Table:
    """For each transfer into a hub, the hub's payments within `hub_match_minutes` whose amount
    matches: the rows the kernel's `outflows` look-up can return (report_id + edge columns)."""
    window = ibis.interval(minutes=params.hub_match_minutes)
    low = into.c_in - (into.c_in * params.hub_match_fee_bp) // 10_000
    e = edges
    out = into.join(e, into.hub_id == e.src).filter(
        e.ts >= into.t_in,
        e.ts <= into.t_in + window,
        e.ts <= into.horizon,
        e.cents >= low,
        e.cents <= into.c_in,
    )
    return out.select("report_id", "txn_id", "ts", "src", "dst", "cents", "channel").distinct()


def hub_seed_table(rows: list[tuple[str, Micros, str, Micros, int]]) -> ir.Table:
    """(report_id, horizon, hub_id, t_in, c_in) rows as an in-memory table."""
    return ibis.memtable(
        pa.table(
            {
                "report_id": pa.array([r[0] for r in rows], pa.string()),
                "horizon": _micros([r[1] for r in rows]),
                "hub_id": pa.array([r[2] for r in rows], pa.string()),
                "t_in": _micros([r[3] for r in rows]),
                "c_in": pa.array([r[4] for r in rows], pa.int64()),
            }
        )
    )


def expand(
    execute: Execute,
    seeds: dict[tuple[str, str], Micros],
    hub_seeds: list[tuple[str, Micros, str, Micros, int]],
    horizons: dict[str, Micros],
    edges: ir.Table,
    hubs: set[str],
    params: TraceParams,
) -> tuple[dict[tuple[str, str], Micros], list[pa.Table]]:
    """Earliest arrival per (report, account) over paths of at most `max_hops` transfers that
    never enter a hub nor use an exit channel (a payment through a hub matched as the kernel
    matches it counts as part of the transfer into the hub), and the matched hub payments
    themselves: the rows a kernel on the subgraph must see. Two engine queries per hop."""
    best = dict(seeds)
    frontier = dict(seeds)
    matched: list[pa.Table] = []
    inflows = list(hub_seeds)
    exits = set(params.exit_channels)
    for _ in range(2, params.max_hops + 1):
        reached: dict[tuple[str, str], Micros] = {}
        if frontier:
            table = frontier_table(
                [(r, a, t, horizons[r]) for (r, a), t in sorted(frontier.items())]
            )
            out = execute(frontier_out(table, edges)).to_pydict()
            for r, h, dst, t, c, ch in zip(
                out["report_id"],
                _us(out["horizon"]),
                out["dst"],
                _us(out["ts"]),
                out["cents"],
                out["channel"],
                strict=True,
            ):
                if dst in hubs:
                    inflows.append((r, h, dst, t, int(c)))
                elif ch not in exits and t < reached.get((r, dst), t + 1):
                    reached[(r, dst)] = t
        if inflows and params.hub_match_minutes > 0:
            through = execute(hub_matches(hub_seed_table(inflows), edges, params))
            matched.append(through)
            cols = through.to_pydict()
            for r, dst, t in zip(cols["report_id"], cols["dst"], _us(cols["ts"]), strict=True):
                if dst not in hubs and t < reached.get((r, dst), t + 1):
                    reached[(r, dst)] = t
        inflows = []
        frontier = {k: t for k, t in reached.items() if t < best.get(k, t + 1)}
        best.update(frontier)
        if not frontier:
            break
    return best, matched


def candidate_rows(candidates: ir.Table, sides: ir.Table) -> tuple[ir.Table, ir.Table]:
    """(transactions, openings) for candidates (report_id, account, arrival=cut, horizon):
    each candidate's transactions with cut <= ts <= horizon, and its balance before the cut."""
    j = candidates.join(sides, "account")
    txns = j.filter(j.ts >= j.arrival, j.ts <= j.horizon).select(
        "report_id", "txn_id", "ts", "src", "dst", "cents", "channel"
    )
    before = j.filter(j.ts < j.arrival)
    openings = before.group_by(["report_id", "account"]).aggregate(
        opening=before.signed.sum().cast("int64")
    )
    return txns, openings
