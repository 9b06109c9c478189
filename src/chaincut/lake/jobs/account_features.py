"""Per-account behaviour for mule-card (断卡) and score-running (跑分) detection.

`account_features` returns one row per account that sent or received anything, with exact
aggregates only: counts and seconds as int64, money as `MONEY_TOTAL` decimals. Ratios, logs and
means are left to the caller (`chaincut.scoring.features`), so DuckDB and Spark give equal
results to the digit. Windows of 1 h, 1 d, 7 d and 30 d are tumbling buckets of epoch seconds
(`ts // W`), and a window feature is the most an account did within any one bucket.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Final

import ibis
import ibis.expr.types as ir

from chaincut.lake.jobs.edges import DEFAULT_CURRENCY, MONEY_TOTAL, zero_money
from chaincut.lake.jobs.keyed_edges import account_keys, keyed_edges, keyed_transfers, with_ids

HOUR: Final = 3600
DAY: Final = 86_400
#: window name -> its length in seconds
WINDOWS: Final[Mapping[str, int]] = {"1h": HOUR, "1d": DAY, "7d": 7 * DAY, "30d": 30 * DAY}


@dataclass(frozen=True)
class FeatureParams:
    """What the account features count; saved with a model so scoring counts the same way."""

    #: money is summed in this currency only (amounts in different currencies never add up)
    currency: str = DEFAULT_CURRENCY
    #: hours east of UTC of the people's local time, for night activity (Beijing: 8)
    local_offset_h: int = 8
    #: local hours [start, end) that count as night
    night_hours: tuple[int, int] = (0, 6)
    #: an inflow at most this many units of money is small
    small_amount: int = 1000
    #: money out within these many seconds after money in is pass-through
    pass_through_s: tuple[int, int] = (HOUR, DAY)
    #: accounts with more distinct counterparties than this are hubs (merchants, platforms)
    hub_degree: int = 50
    windows: tuple[str, ...] = field(default=tuple(WINDOWS))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeatureParams:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in ("night_hours", "pass_through_s", "windows"):
            if key in known:
                known[key] = tuple(known[key])
        return cls(**known)


def _money(e: ir.Table, where: ir.BooleanValue) -> ir.DecimalValue:
    total = e.amount.sum(where=where & e.mine)
    return total.cast(MONEY_TOTAL).fill_null(zero_money())


def attach(
    base: ir.Table, other: ir.Table, fill: Mapping[str, Any] | None = None, on: str = "account"
) -> ir.Table:
    """`base` left-joined with `other` on the column `on`, nulls of `other` filled from `fill`."""
    joined = base.left_join(other, on)
    joined = joined.drop(f"{on}_right")
    fill = {k: v for k, v in (fill or {}).items() if k in other.columns}
    return joined.mutate(**{k: joined[k].fill_null(v) for k, v in fill.items()}) if fill else joined


def window_activity(e: ir.Table, step: int, factors: Mapping[str, int]) -> ir.Table:
    """The most an account did within one window, for each window: counts, fan-in/out, money.

    `e` are `keyed_edges`; every window is `factors[name]` tumbling windows of `step` seconds.
    One scan of the edges sums each `step` window and marks the edges that are an account's
    first contact on that side with that counterparty in a window (the previous such edge, by a
    window function, lies in an earlier one): fan-in/out are then counts of marked edges, not
    COUNT(DISTINCT), and every longer window is summed from the `step` windows.
    """
    pair = ibis.window(group_by=[e.account, e.inbound, e.counterparty], order_by=e.ts_s)
    e = e.mutate(bucket=e.ts_s // step, prev=e.ts_s.lag().over(pair))
    inbound, outbound = e.inbound, ~e.inbound
    fans: dict[str, ir.Value] = {}
    for name, factor in factors.items():
        seconds = step * factor
        new = e.prev.isnull() | (e.prev // seconds != e.ts_s // seconds)
        fans[f"fan_in_{name}"] = e.count(where=inbound & new)
        fans[f"fan_out_{name}"] = e.count(where=outbound & new)
    per = e.group_by("account", "bucket").aggregate(
        in_n=e.count(where=inbound),
        out_n=e.count(where=outbound),
        in_amt=_money(e, inbound),
        out_amt=_money(e, outbound),
        **fans,
    )
    out: ir.Table | None = None
    # each window is summed from the longest shorter one that divides it (1 d from 1 h, 7 d and
    # 30 d from 1 d): fewer rows to sum than from the `step` windows
    sums: dict[int, ir.Table] = {1: per}
    sides = ("in", "out")

    def fans_of(factor: int) -> list[str]:  # the windows whose fan counts a sum must carry
        return [n for n, f in factors.items() if f % factor == 0]

    for name, factor in factors.items():
        base = max(f for f in sums if factor % f == 0)
        w = sums[base]
        if factor != base:
            w = w.group_by("account", bucket=w.bucket // (factor // base)).aggregate(
                in_n=w.in_n.sum(),
                out_n=w.out_n.sum(),
                in_amt=w.in_amt.sum().cast(MONEY_TOTAL),
                out_amt=w.out_amt.sum().cast(MONEY_TOTAL),
                **{f"fan_{s}_{n}": w[f"fan_{s}_{n}"].sum() for s in sides for n in fans_of(factor)},
            )
            sums[factor] = w
        most = w.group_by("account").aggregate(
            **{
                f"w{name}_in_count": w.in_n.max(),
                f"w{name}_out_count": w.out_n.max(),
                f"w{name}_fan_in": w[f"fan_in_{name}"].max(),
                f"w{name}_fan_out": w[f"fan_out_{name}"].max(),
                f"w{name}_in_amount": w.in_amt.max(),
                f"w{name}_out_amount": w.out_amt.max(),
                f"w{name}_active": w.count(),
            }
        )
        out = most if out is None else attach(out, most)
    if out is None:  # pragma: no cover - WINDOWS is not empty
        raise ValueError("no windows to compute account features over")
    return out


def window_features(e: ir.Table, params: FeatureParams) -> ir.Table | None:
    """The `w<window>_*` columns of `params.windows` per account of `keyed_edges` `e` (None
    without windows), in one scan of the edges: every window is a whole number of windows of
    their greatest common length, whose sums give the longer ones'."""
    seconds = {name: WINDOWS[name] for name in sorted(params.windows, key=WINDOWS.__getitem__)}
    if not seconds:
        return None
    step = math.gcd(*seconds.values())
    return window_activity(e, step, {k: v // step for k, v in seconds.items()})


def flow_summary(e: ir.Table, params: FeatureParams) -> ir.Table:
    """Totals, pass-through and its delay, round amounts, night activity and exits per account,
    from `keyed_edges` (whose `delay` is the time since the account's latest inflow)."""
    inbound, outbound = e.inbound, ~e.inbound
    fast, slow = params.pass_through_s
    # never NULL: Spark's COUNT_IF over only-NULL conditions gives NULL where DuckDB gives 0
    after_in = outbound & e.delay.notnull()
    quick = after_in & (e.delay <= slow)
    hour = ((e.ts_s + params.local_offset_h * HOUR) // HOUR) % 24
    night = (hour >= params.night_hours[0]) & (hour < params.night_hours[1])
    exits = outbound & e.exit
    return e.group_by("account").aggregate(
        in_count=e.count(where=inbound),
        out_count=e.count(where=outbound),
        in_amount=_money(e, inbound),
        out_amount=_money(e, outbound),
        first_ts=e.ts_s.min(),
        last_ts=e.ts_s.max(),
        pt_fast_count=e.count(where=after_in & (e.delay <= fast)),
        pt_slow_count=e.count(where=quick),
        pt_slow_amount=_money(e, quick),
        pt_delay_sum=e.delay.sum(where=outbound).fill_null(0),
        pt_delay_count=e.count(where=after_in),
        pt_delay_min=e.delay.min(where=outbound),
        first_pt_ts=e.ts_s.min(where=quick),
        round_in=e.count(where=inbound & (e.cents % 10_000 == 0)),
        round_out=e.count(where=outbound & (e.cents % 10_000 == 0)),
        round1000_out=e.count(where=outbound & (e.cents % 100_000 == 0)),
        night_in=e.count(where=inbound & night),
        night_out=e.count(where=outbound & night),
        exit_count=e.count(where=exits),
        exit_amount=_money(e, exits),
    )


def counterparty_pairs(e: ir.Table) -> ir.Table:
    """Per account and counterparty: payments in (`n_in`) and out (`n_out`), the largest payment
    in (`in_max`) and the largest in the main currency (`in_mine`)."""
    return e.group_by("account", "counterparty").aggregate(
        n_in=e.count(where=e.inbound),
        n_out=e.count(where=~e.inbound),
        in_max=e.amount.max(where=e.inbound),
        in_mine=e.amount.max(where=e.inbound & e.mine),
    )


def counterparty_summary(e: ir.Table, params: FeatureParams) -> ir.Table:
    """Distinct counterparties on each side, and inflows from one-off senders: parties who paid
    the account once and were never paid back ("many small inflows from strangers")."""
    pairs = counterparty_pairs(e)
    stranger = (pairs.n_in == 1) & (pairs.n_out == 0)
    small = stranger & (pairs.in_max <= params.small_amount)
    money = pairs.in_mine.sum(where=small).cast(MONEY_TOTAL).fill_null(zero_money())
    return pairs.group_by("account").aggregate(
        senders=pairs.count(where=pairs.n_in > 0),
        receivers=pairs.count(where=pairs.n_out > 0),
        counterparties=pairs.count(),
        stranger_in=pairs.count(where=stranger),
        stranger_small_in=pairs.count(where=small),
        stranger_small_amount=money,
    )


def account_profile(accounts: ir.Table) -> ir.Table:
    """What the accounts table says: kind and when the account was opened (epoch seconds)."""
    return accounts.group_by("account_id").aggregate(
        kind=accounts.kind.max(), opened_s=accounts.opened_at.epoch_seconds().cast("int64").min()
    )


def features_of_edges(
    edges: ir.Table, keys: ir.Table, accounts: ir.Table, params: FeatureParams
) -> ir.Table:
    """`account_features` of the accounts in `edges` (`keyed_edges` of transfers in
    `params.currency`, perhaps of one partition), with their ids from `keys`."""
    out = attach(flow_summary(edges, params), counterparty_summary(edges, params))
    windows = window_features(edges, params)
    if windows is not None:
        out = attach(out, windows)
    out = attach(with_ids(out, keys), account_profile(accounts), on="account_id")
    return out.mutate(
        age_first_s=out.first_ts - out.opened_s,
        age_first_pt_s=out.first_pt_ts - out.opened_s,
    )


def account_features(
    transactions: ir.Table, accounts: ir.Table, params: FeatureParams | None = None
) -> ir.Table:
    """One row per account that sent or received anything (self-transfers aside).

    Columns: the totals, pass-through, round, night and exit counts of `flow_summary`; the
    distinct counterparties and one-off-sender inflows of `counterparty_summary`;
    `w<window>_*` maxima per tumbling window of `params.windows`; `kind` and `opened_s` from
    `accounts` (null when unknown); and `age_first_s` / `age_first_pt_s`, the account's age at
    its first activity and at its first pass-through (money out within `pass_through_s[1]` of
    money in).
    """
    params = params or FeatureParams()
    keys = account_keys(transactions)
    edges = keyed_edges(keyed_transfers(transactions, keys, params.currency))
    return features_of_edges(edges, keys, accounts, params)
