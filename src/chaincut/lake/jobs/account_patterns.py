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

from chaincut.lake.jobs.account_features import DAY, HOUR, timed_edges
from chaincut.lake.jobs.account_motifs import (
    BIPARTITE,
    CYCLE,
    SCATTER_GATHER,
    STACK,
    bipartite_and_stack,
    cycles,
    scatter_gather,
    small_transfers,
)

FAN_IN: Final = "fan_in"
FAN_OUT: Final = "fan_out"
GATHER_SCATTER: Final = "gather_scatter"
PASS_THROUGH: Final = "pass_through"
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


def _rows(e: ir.Table, pattern: str) -> ir.Table:
    return e.select("account_id", pattern=ibis.literal(pattern), txn_id=e.txn_id, ts_s=e.ts_s)


def fans(e: ir.Table, params: PatternParams) -> ir.Table:
    """Fan-in, fan-out and gather-scatter, judged per account and UTC day."""
    e = e.mutate(day=e.ts_s // DAY)
    # distinct counterparties as rows of a pre-aggregation: cheaper than COUNT(DISTINCT)
    c = e.group_by("account_id", "day", "inbound", "counterparty").aggregate(
        first=e.ts_s.min(), last=e.ts_s.max()
    )
    per = c.group_by("account_id", "day").aggregate(
        fan_in=c.count(where=c.inbound),
        fan_out=c.count(where=~c.inbound),
        first_in=c.first.min(where=c.inbound),
        last_out=c.last.max(where=~c.inbound),
    )
    days = e.join(per, ["account_id", "day"])
    k, g = params.fan_degree, params.gather_scatter_degree
    gathered = (days.fan_in >= g) & (days.fan_out >= g) & (days.first_in < days.last_out)
    return ibis.union(
        _rows(days.filter(days.inbound & (days.fan_in >= k)), FAN_IN),
        _rows(days.filter(~days.inbound & (days.fan_out >= k)), FAN_OUT),
        _rows(days.filter(gathered), GATHER_SCATTER),
    )


def pass_through(e: ir.Table, params: PatternParams) -> ir.Table:
    """Money out within `pass_through_s` of money in, at least `pass_through_min` times, by an
    account that keeps at most `pass_through_kept_pct` % of the money it received (in cents,
    currencies aside: a pass-through account keeps little of anything)."""
    in_ts = ibis.ifelse(e.inbound, e.ts_s, ibis.null("int64"))
    upto = ibis.window(group_by=e.account_id, order_by=e.ts_s, range=(None, 0))
    e = e.mutate(delay=e.ts_s - in_ts.max().over(upto))
    quick = e.filter(~e.inbound & (e.delay <= params.pass_through_s))
    totals = e.group_by("account_id").aggregate(
        cents_in=e.cents.sum(where=e.inbound).cast("decimal(38, 0)").fill_null(0),
        cents_out=e.cents.sum(where=~e.inbound).cast("decimal(38, 0)").fill_null(0),
    )
    counts = quick.group_by("account_id").aggregate(n=quick.count())
    keep = 100 - params.pass_through_kept_pct
    ok = totals.join(counts, "account_id")
    ok = ok.filter(
        (ok.n >= params.pass_through_min) & (ok.cents_out * 100 >= ok.cents_in * keep)
    ).select("account_id")
    return _rows(quick.semi_join(ok, "account_id"), PASS_THROUGH)


def pattern_evidence(transactions: ir.Table, params: PatternParams | None = None) -> ir.Table:
    """Every (account, pattern, transaction) that shows a pattern: `account_id`, `pattern`,
    `txn_id`, `ts_s`, distinct."""
    params = params or PatternParams()
    e = timed_edges(transactions)
    small = small_transfers(transactions, params.hub_degree)
    parts = [
        fans(e, params),
        pass_through(e, params),
        cycles(small, params.cycle_window_s),
        scatter_gather(small, params.scatter_window_s, params.scatter_middles),
        bipartite_and_stack(small, params.shared_parties),
    ]
    return ibis.union(*parts, distinct=True)


def account_patterns(transactions: ir.Table, params: PatternParams | None = None) -> ir.Table:
    """The detectors' findings: one row per account, pattern and example transaction.

    Columns: `account_id`, `pattern` (one of `PATTERNS`), `matches` (distinct transactions that
    show the pattern for the account), `rank` (0 for the earliest example) and `txn_id`, for
    the first `params.examples` transactions by time and id. Rows come in no particular order.
    """
    params = params or PatternParams()
    ev = pattern_evidence(transactions, params)
    group = ibis.window(group_by=[ev.account_id, ev.pattern])
    ordered = ibis.window(group_by=[ev.account_id, ev.pattern], order_by=[ev.ts_s, ev.txn_id])
    ev = ev.mutate(matches=ev.txn_id.count().over(group), rank=ibis.row_number().over(ordered))
    ev = ev.filter(ev.rank < params.examples)
    return ev.select("account_id", "pattern", "matches", "rank", "txn_id")
