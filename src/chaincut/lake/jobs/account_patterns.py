"""Transparent typology detectors: which accounts show which laundering pattern, and the
transactions that show it.

`account_patterns` returns, for every account and pattern it matched, how many transactions
show the pattern (`matches`) and the first few of them (`rank` 0, 1, ... by time, then id), so
an analyst can check each one. Patterns: fan-in, fan-out, gather-scatter, pass-through /
score-running (跑分: money out soon after money in, little left behind), cycle,
scatter-gather, bipartite and stack. The thresholds are in `PatternParams`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Final

import ibis
import ibis.expr.types as ir

from chaincut.lake.jobs.account_features import DAY, HOUR
from chaincut.lake.jobs.account_motifs import (
    BIPARTITE,
    CYCLE,
    SCATTER_GATHER,
    STACK,
    bipartite_and_stack,
    cycles,
    hub_keys,
    scatter_gather,
    small_transfers,
)
from chaincut.lake.jobs.edges import DEFAULT_CURRENCY
from chaincut.lake.jobs.keyed_edges import account_keys, keyed_edges, keyed_transfers, with_ids

FAN_IN: Final = "fan_in"
FAN_OUT: Final = "fan_out"
GATHER_SCATTER: Final = "gather_scatter"
PASS_THROUGH: Final = "pass_through"  # noqa: S105 (a pattern's name, not a password)
#: every pattern, in the order they are reported
PATTERNS: Final = (
    FAN_IN,
    FAN_OUT,
    GATHER_SCATTER,
    PASS_THROUGH,
    CYCLE,
    SCATTER_GATHER,
    BIPARTITE,
    STACK,
)


@dataclass(frozen=True)
class PatternParams:
    """The detectors' thresholds."""

    fan_degree: int = 5  # distinct senders (receivers) within one day: fan-in (fan-out)
    gather_scatter_degree: int = 3  # distinct senders and receivers within one day
    pass_through_s: int = HOUR  # money out within this many seconds after money in ...
    pass_through_min: int = 2  # ... at least this often ...
    pass_through_kept_pct: int = 20  # ... keeping at most this share of what came in
    cycle_window_s: int = 7 * DAY
    scatter_window_s: int = 2 * DAY
    scatter_middles: int = 2
    shared_parties: int = 2  # bipartite and stack: common counterparties with another account
    hub_degree: int = 50  # accounts with more counterparties take part in no multi-account shape
    examples: int = 5  # example transactions kept per account and pattern

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PatternParams:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def _first(rows: ir.Table, examples: int) -> ir.Table:
    """The first `examples` rows per account and pattern by time, then id, numbered in `rank`."""
    ordered = ibis.window(group_by=[rows.account, rows.pattern], order_by=[rows.ts_s, rows.txn_id])
    rows = rows.mutate(rank=ibis.row_number().over(ordered))
    return rows.filter(rows.rank < examples).select("account", "pattern", "rank", "txn_id")


def _found(matches: ir.Table, examples: ir.Table) -> ir.Table:
    """Rows `account`, `pattern`, `matches`, `rank`, `txn_id` from counts and ranked examples."""
    j = examples.join(matches, ["account", "pattern"])
    return j.select("account", "pattern", "matches", "rank", "txn_id")


def fans(e: ir.Table, params: PatternParams) -> ir.Table:
    """Fan-in, fan-out and gather-scatter, judged per account and UTC day.

    The matches are the account's inflows (fan-in), outflows (fan-out) or both
    (gather-scatter) on the days it shows the pattern; the examples come from its first such
    days only, so a shop with a thousand payers a day is never spread out row by row.
    """
    e = e.mutate(day=e.ts_s // DAY)
    # distinct counterparties as rows of a pre-aggregation: cheaper than COUNT(DISTINCT)
    c = e.group_by("account", "day", "inbound", "counterparty").aggregate(
        n=e.count(), first=e.ts_s.min(), last=e.ts_s.max()
    )
    per = c.group_by("account", "day").aggregate(
        fan_in=c.count(where=c.inbound),
        fan_out=c.count(where=~c.inbound),
        in_n=c.n.sum(where=c.inbound).fill_null(0),
        out_n=c.n.sum(where=~c.inbound).fill_null(0),
        first_in=c.first.min(where=c.inbound),
        last_out=c.last.max(where=~c.inbound),
    )
    k, g = params.fan_degree, params.gather_scatter_degree
    gathered = (per.fan_in >= g) & (per.fan_out >= g) & (per.first_in < per.last_out)
    days = ibis.union(
        per.filter(per.fan_in >= k).select(
            "account", "day", pattern=ibis.literal(FAN_IN), n=per.in_n, side=ibis.literal(1)
        ),
        per.filter(per.fan_out >= k).select(
            "account", "day", pattern=ibis.literal(FAN_OUT), n=per.out_n, side=ibis.literal(0)
        ),
        per.filter(gathered).select(
            "account", "day", pattern=ibis.literal(GATHER_SCATTER), n=per.in_n + per.out_n,
            side=ibis.literal(2),
        ),
    )  # fmt: skip
    matches = days.group_by("account", "pattern").aggregate(matches=days.n.sum())
    # the days before which fewer than `examples` matches were seen hold every example
    upto = ibis.window(group_by=[days.account, days.pattern], order_by=days.day, rows=(None, 0))
    days = days.mutate(before=days.n.sum().over(upto) - days.n)  # a column: Spark needs one
    days = days.filter(days.before < params.examples)
    j = e.join(days, ["account", "day"])
    side = ibis.ifelse(j.inbound, 1, 0)
    j = j.filter((j.side == 2) | (j.side == side))
    return _found(
        matches, _first(j.select("account", "pattern", "ts_s", "txn_id"), params.examples)
    )


def pass_through(e: ir.Table, params: PatternParams) -> ir.Table:
    """Money out within `pass_through_s` of money in, at least `pass_through_min` times, by an
    account that keeps at most `pass_through_kept_pct` % of the money it received (in cents,
    currencies aside: a pass-through account keeps little of anything)."""
    quick = ~e.inbound & (e.delay <= params.pass_through_s)
    totals = e.group_by("account").aggregate(
        cents_in=e.cents.sum(where=e.inbound).cast("decimal(38, 0)").fill_null(0),
        cents_out=e.cents.sum(where=~e.inbound).cast("decimal(38, 0)").fill_null(0),
        n=e.count(where=quick),
    )
    keep = 100 - params.pass_through_kept_pct
    ok = totals.filter(
        (totals.n >= params.pass_through_min) & (totals.cents_out * 100 >= totals.cents_in * keep)
    )
    matches = ok.select("account", pattern=ibis.literal(PASS_THROUGH), matches=ok.n)
    rows = e.filter(quick).semi_join(ok, "account")
    rows = rows.select(
        "account", pattern=ibis.literal(PASS_THROUGH), ts_s=rows.ts_s, txn_id=rows.txn_id
    )
    return _found(matches, _first(rows, params.examples))


def motifs(small: ir.Table, params: PatternParams) -> ir.Table:
    """Cycles, scatter-gather, bipartite and stack among `small_transfers` (no hubs): the
    matches are the distinct transactions that show the shape for the account."""
    ev = ibis.union(
        cycles(small, params.cycle_window_s),
        scatter_gather(small, params.scatter_window_s, params.scatter_middles),
        bipartite_and_stack(small, params.shared_parties),
        distinct=True,
    )
    matches = ev.group_by("account", "pattern").aggregate(matches=ev.count())
    return _found(matches, _first(ev, params.examples))


def patterns_of_edges(edges: ir.Table, keys: ir.Table, params: PatternParams) -> ir.Table:
    """The single-account patterns (fan-in, fan-out, gather-scatter, pass-through) of the
    accounts in `edges` (`keyed_edges`, perhaps of one partition), rows as `account_patterns`."""
    return with_ids(ibis.union(fans(edges, params), pass_through(edges, params)), keys)


def motif_patterns(small: ir.Table, keys: ir.Table, params: PatternParams) -> ir.Table:
    """The multi-account patterns (cycle, scatter-gather, bipartite, stack) among
    `small_transfers` (transfers between accounts that are not hubs), rows as
    `account_patterns`."""
    return with_ids(motifs(small, params), keys)


def account_patterns(transactions: ir.Table, params: PatternParams | None = None) -> ir.Table:
    """The detectors' findings: one row per account, pattern and example transaction.

    Columns: `account_id`, `pattern` (one of `PATTERNS`), `matches` (distinct transactions that
    show the pattern for the account), `rank` (0 for the earliest example) and `txn_id`, for
    the first `params.examples` transactions by time and id. Rows come in no particular order.
    One expression over the ledger; scoring runs the same jobs on materialised inputs
    (`chaincut.scoring.lake`), which Spark needs for the multi-account shapes.
    """
    params = params or PatternParams()
    keys = account_keys(transactions)
    transfers = keyed_transfers(transactions, keys, DEFAULT_CURRENCY)
    small = small_transfers(transfers, hub_keys(transfers, params.hub_degree))
    return ibis.union(
        patterns_of_edges(keyed_edges(transfers), keys, params),
        motif_patterns(small, keys, params),
    )
