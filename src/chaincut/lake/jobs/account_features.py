"""Per-account behaviour for mule-card (断卡) and score-running (跑分) detection.

`account_features` returns one row per account that sent or received anything, with exact
aggregates only: counts and seconds as int64, money as `MONEY_TOTAL` decimals. Ratios, logs and
means are left to the caller (`chaincut.scoring.features`), so DuckDB and Spark give equal
results to the digit. Windows of 1 h, 1 d, 7 d and 30 d are tumbling buckets of epoch seconds
(`ts // W`), and a window feature is the most an account did within any one bucket.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Final

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


def contacts(e: ir.Table, seconds: int) -> ir.Table:
    """Edges summed per account, tumbling window of `seconds`, side and counterparty.

    Distinct counts are then plain row counts: far cheaper than COUNT(DISTINCT) on DuckDB.
    """
    b = e.mutate(bucket=e.ts_s // seconds)
    return b.group_by("account", "bucket", "inbound", "counterparty").aggregate(
        n=b.count(), amount=_money(b, b.inbound | ~b.inbound)
    )


def coarser(c: ir.Table, factor: int) -> ir.Table:
    """The `contacts` of a window `factor` times as long, from those of the shorter one."""
    c = c.mutate(bucket=c.bucket // factor)
    return c.group_by("account", "bucket", "inbound", "counterparty").aggregate(
        n=c.n.sum(), amount=c.amount.sum().cast(MONEY_TOTAL)
    )


def window_activity(c: ir.Table, name: str) -> ir.Table:
    """The most an account did within one window, from its `contacts`: counts, fan-in/out, money."""
    inbound, outbound = c.inbound, ~c.inbound
    zero = zero_money()
    per = c.group_by("account", "bucket").aggregate(
        in_n=c.n.sum(where=inbound).fill_null(0),
        out_n=c.n.sum(where=outbound).fill_null(0),
        fan_in=c.count(where=inbound),
        fan_out=c.count(where=outbound),
        in_amt=c.amount.sum(where=inbound).cast(MONEY_TOTAL).fill_null(zero),
        out_amt=c.amount.sum(where=outbound).cast(MONEY_TOTAL).fill_null(zero),
    )
    return per.group_by("account").aggregate(
        **{
            f"w{name}_in_count": per.in_n.max(),
            f"w{name}_out_count": per.out_n.max(),
            f"w{name}_fan_in": per.fan_in.max(),
            f"w{name}_fan_out": per.fan_out.max(),
            f"w{name}_in_amount": per.in_amt.max(),
            f"w{name}_out_amount": per.out_amt.max(),
            f"w{name}_active": per.count(),
        }
    )


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
    # each window's contacts are summed from the next shorter one's where it divides evenly
    previous: tuple[int, ir.Table] | None = None
    for name in sorted(params.windows, key=WINDOWS.__getitem__):
        seconds = WINDOWS[name]
        if previous is not None and seconds % previous[0] == 0:
            found = coarser(previous[1], seconds // previous[0])
        else:
            found = contacts(edges, seconds)
        previous = (seconds, found)
        out = attach(out, window_activity(found, name))
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
