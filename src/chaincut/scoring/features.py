"""Account features as a float matrix, from the exact aggregates the lake jobs return.

The lake (`chaincut.lake.jobs.account_*`) counts and sums; this module divides and converts, in
numpy, the same way whatever engine counted. Rows are sorted by account id, so a run is
deterministic. Missing values (an account nobody reported, an unknown opening date) are NaN,
which the gradient-boosted model handles natively.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from scipy.stats import rankdata

from chaincut.lake.jobs.account_features import DAY, HOUR
from chaincut.lake.jobs.account_patterns import PATTERNS
from chaincut.model.schema import ACCOUNT_KINDS

FloatArray = npt.NDArray[np.float64]
StrArray = npt.NDArray[np.str_]

#: base feature -> what it measures (shown in explanations)
BASE_FEATURES: Final[dict[str, str]] = {
    "in_count": "transactions received",
    "out_count": "transactions sent",
    "in_amount": "money received",
    "out_amount": "money sent",
    "out_in_ratio": "money sent / money received",
    "senders": "distinct payers",
    "receivers": "distinct payees",
    "counterparties": "distinct counterparties",
    "lifetime_d": "days between first and last transaction",
    "pt_fast_share": "share of payments made within 1 h of money in (pass-through)",
    "pt_slow_share": "share of payments made within 1 d of money in (pass-through)",
    "pt_fast_count": "payments made within 1 h of money in",
    "pt_slow_amount_share": "share of money received that left within 1 d",
    "pt_delay_mean_h": "mean time from money in to money out (hours)",
    "pt_delay_min_h": "shortest time from money in to money out (hours)",
    "stranger_in": "payments from one-off payers",
    "stranger_share": "share of payments received from one-off payers",
    "stranger_small_in": "small payments from one-off payers",
    "round_in_share": "share of payments received in round hundreds",
    "round_out_share": "share of payments sent in round hundreds",
    "round1000_out_share": "share of payments sent in round thousands",
    "night_in_share": "share of payments received at night (local 0-6 h)",
    "night_out_share": "share of payments sent at night (local 0-6 h)",
    "exit_count": "cash, crypto and cross-border payments",
    "exit_amount_share": "share of money sent out through cash, crypto or cross-border",
    "kind": "account kind",
    "age_first_d": "account age (days) at its first transaction",
    "age_first_pt_d": "account age (days) at its first pass-through",
    **{
        f"w{w}_{m}": f"most {text} within {w}"
        for w in ("1h", "1d", "7d", "30d")
        for m, text in (
            ("in_count", "payments received"),
            ("out_count", "payments sent"),
            ("fan_in", "distinct payers"),
            ("fan_out", "distinct payees"),
            ("in_amount", "money received"),
            ("out_amount", "money sent"),
        )
    },
    "w1d_active": "active days",
    "w1h_active": "active hours",
    "hop1_reports": "reports in which a victim paid this account",
    "hop1_victims": "distinct victims who paid this account",
    "hop1_amount": "money victims reported paying into this account",
    "hop2_in": "payments from accounts that victims paid (second hop)",
    "hop2_senders": "distinct first-hop accounts that paid this account",
    "hop3_in": "payments from second-hop accounts (third hop)",
    **{
        f"pattern_{p}": f"transactions matching the {p.replace('_', '-')} pattern" for p in PATTERNS
    },
    "payer_distinct_share": "distinct payers per payment received",
    "payee_distinct_share": "distinct payees per payment sent",
    "out_in_count_ratio": "payments sent / payments received",
    "flow_balance": "the smaller of money received and money sent, over the larger",
    "pt_flow_share": "share of the larger of money received and sent that passed through within 1 d",
    "fan_in_hour_share": "share of its payers that paid within one hour",
    "fan_in_day_share": "share of its payers that paid within one day",
    "fan_out_hour_share": "share of its payees paid within one hour",
    "fan_out_day_share": "share of its payees paid within one day",
    "active_day_share": "days with a transaction per whole day between its first and last",
}
#: counts and amounts that another ledger (more people, other currency, a longer window) would
#: shift: each also as its rank within the ledger, which such a shift leaves alone
RANKED: Final[tuple[str, ...]] = (
    "in_count",
    "out_count",
    "in_amount",
    "out_amount",
    "senders",
    "receivers",
    "counterparties",
    "lifetime_d",
    "pt_fast_count",
    "stranger_in",
    "stranger_small_in",
    "exit_count",
    *(n for n in BASE_FEATURES if n.startswith("w")),
    *(n for n in BASE_FEATURES if n.startswith("pattern_")),
)
RANK_FEATURES: Final[dict[str, str]] = {
    f"rank_{n}": f"{BASE_FEATURES[n]}, as its percentile among the ledger's accounts"
    for n in RANKED
}
BASE_FEATURES.update(RANK_FEATURES)
#: the features of the shipped default model: shares, ratios, time gaps and ranks within the
#: ledger, no absolute amount or count that another world would shift; nor the account's kind
#: or opening date, whose spread among mules and others is the simulator's choice, not a
#: randomised parameter; nor the share of round amounts, which is how a generator (or a
#: currency) writes amounts: a model trained with it cited "no round amounts received" as
#: evidence on the foreign world (docs/scoring.md)
SCALE_FREE_FEATURES: Final[tuple[str, ...]] = (
    "out_in_ratio",
    "pt_fast_share",
    "pt_slow_share",
    "pt_slow_amount_share",
    "pt_delay_mean_h",
    "pt_delay_min_h",
    "stranger_share",
    "night_in_share",
    "night_out_share",
    "exit_amount_share",
    "payer_distinct_share",
    "payee_distinct_share",
    "hop1_reports",
    "hop1_victims",
    "hop2_senders",
    *RANK_FEATURES,
)
#: ratios of money in to money out without an upper bound: an account seen paying from a balance
#: it had before the ledger starts (out far above in) lands with the mules, whose out/in is near
#: 1, on any tree split learnt where nobody does that (AMLworld: "money left within 1 d: 6 000 %")
UNBOUNDED_RATIOS: Final = ("out_in_ratio", "pt_slow_amount_share")
#: the shipped default model's features: the scale-free ones, the unbounded ratios replaced by
#: bounded ones (the smaller flow over the larger; pass-through money over the larger flow), and
#: the shapes of laundering as shares: fan-in and fan-out bursts within an hour or a day,
#: payments out per payment in, active days
SHIPPED_FEATURES: Final[tuple[str, ...]] = (
    *(n for n in SCALE_FREE_FEATURES if n not in UNBOUNDED_RATIOS),
    "flow_balance",
    "pt_flow_share",
    "out_in_count_ratio",
    "fan_in_hour_share",
    "fan_in_day_share",
    "fan_out_hour_share",
    "fan_out_day_share",
    "active_day_share",
)
#: second-pass feature -> what it measures
NEIGHBOUR_FEATURES: Final[dict[str, str]] = {
    "suspect_share": "share of counterparties that are suspected mules",
    "suspect_senders": "distinct payers that are suspected mules",
    "suspect_receivers": "distinct payees that are suspected mules",
    "suspect_in_share": "share of payments received from suspected mules",
    "suspect_out_share": "share of payments sent to suspected mules",
    "fan_out_payer_share": "share of payments received from accounts matching the fan-out pattern",
    "fan_in_payee_share": "share of payments sent to accounts matching the fan-in pattern",
}
DESCRIPTIONS: Final[dict[str, str]] = {**BASE_FEATURES, **NEIGHBOUR_FEATURES}


@dataclass(frozen=True)
class FeatureFrame:
    """Accounts (sorted ids) by named float features."""

    accounts: StrArray
    names: tuple[str, ...]
    values: FloatArray

    def column(self, name: str) -> FloatArray:
        return self.values[:, self.names.index(name)]

    def select(self, names: Sequence[str]) -> FloatArray:
        """The columns `names`, in that order (a model's feature order)."""
        missing = [n for n in names if n not in self.names]
        if missing:
            raise KeyError(f"features missing: {', '.join(missing)}")
        return self.values[:, [self.names.index(n) for n in names]]

    def take(self, rows: npt.NDArray[np.intp]) -> FeatureFrame:
        """The frame of these rows only."""
        return FeatureFrame(self.accounts[rows], self.names, self.values[rows])

    def with_columns(self, extra: Mapping[str, FloatArray]) -> FeatureFrame:
        added = np.column_stack([extra[n] for n in extra]) if extra else self.values[:, :0]
        return FeatureFrame(self.accounts, (*self.names, *extra), np.hstack([self.values, added]))


#: features that need more than the transactions: opening dates, account kinds, victims' reports
CONTEXT_FEATURES: Final = ("kind", "age_first_d", "age_first_pt_d")
REPORT_FEATURES: Final = tuple(n for n in BASE_FEATURES if n.startswith("hop"))


def behaviour_only(frame: FeatureFrame) -> FeatureFrame:
    """`frame` as a lake without an accounts table or reports would give it: no kinds, no
    opening dates (NaN), no victims' hops (0). Training on both views keeps the model from
    leaning on context that a user's data may not have."""
    values = frame.values.copy()
    for name in CONTEXT_FEATURES:
        values[:, frame.names.index(name)] = np.nan
    for name in REPORT_FEATURES:
        values[:, frame.names.index(name)] = 0.0
    return FeatureFrame(frame.accounts, frame.names, values)


def _floats(table: pa.Table, name: str) -> FloatArray:
    column = table.column(name)
    if pa.types.is_string(column.type):
        raise TypeError(name)
    return np.asarray(pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False), np.float64)


def _div(a: FloatArray, b: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1.0), np.nan)


def aligned(
    accounts: StrArray, table: pa.Table, columns: Sequence[str], fill: float = 0.0
) -> dict[str, FloatArray]:
    """Columns of a per-account `table` in the order of `accounts`, `fill` where it has no row."""
    out = {c: np.full(len(accounts), fill) for c in columns}
    if table.num_rows == 0 or len(accounts) == 0:
        return out
    ids = np.asarray(table.column("account_id").to_pylist(), dtype=str)
    at = np.searchsorted(accounts, ids)
    at_ok = at < len(accounts)
    hit = np.zeros(len(ids), dtype=bool)
    hit[at_ok] = accounts[at[at_ok]] == ids[at_ok]
    for c in columns:
        out[c][at[hit]] = _floats(table, c)[hit]
    return out


def _kind_codes(table: pa.Table) -> FloatArray:
    kinds = table.column("kind").to_pylist()
    return np.array([ACCOUNT_KINDS.index(k) if k in ACCOUNT_KINDS else np.nan for k in kinds])


def base_features(flow: pa.Table, taint: pa.Table, patterns: pa.Table) -> FeatureFrame:
    """The base feature matrix from the results of `account_features`, `account_taint` and
    `account_patterns` (all accounts of `flow`, in id order)."""
    order = np.argsort(np.asarray(flow.column("account_id").to_pylist(), dtype=str), kind="stable")
    flow = flow.take(pa.array(order))
    accounts = np.asarray(flow.column("account_id").to_pylist(), dtype=str)
    f = {
        name: _floats(flow, name)
        for name in flow.column_names
        if name not in ("account_id", "kind")
    }
    v: dict[str, FloatArray] = {}
    for name in ("in_count", "out_count", "in_amount", "out_amount", "senders", "receivers"):
        v[name] = f[name]
    v["out_in_ratio"] = _div(f["out_amount"], f["in_amount"])
    v["counterparties"] = f["counterparties"]
    v["lifetime_d"] = (f["last_ts"] - f["first_ts"]) / DAY
    v["pt_fast_share"] = _div(f["pt_fast_count"], f["out_count"])
    v["pt_slow_share"] = _div(f["pt_slow_count"], f["out_count"])
    v["pt_fast_count"] = f["pt_fast_count"]
    v["pt_slow_amount_share"] = _div(f["pt_slow_amount"], f["in_amount"])
    v["pt_delay_mean_h"] = _div(f["pt_delay_sum"], f["pt_delay_count"]) / HOUR
    v["pt_delay_min_h"] = f["pt_delay_min"] / HOUR
    v["stranger_in"] = f["stranger_in"]
    v["stranger_share"] = _div(f["stranger_in"], f["in_count"])
    v["stranger_small_in"] = f["stranger_small_in"]
    v["round_in_share"] = _div(f["round_in"], f["in_count"])
    v["round_out_share"] = _div(f["round_out"], f["out_count"])
    v["round1000_out_share"] = _div(f["round1000_out"], f["out_count"])
    v["night_in_share"] = _div(f["night_in"], f["in_count"])
    v["night_out_share"] = _div(f["night_out"], f["out_count"])
    v["exit_count"] = f["exit_count"]
    v["exit_amount_share"] = _div(f["exit_amount"], f["out_amount"])
    v["kind"] = _kind_codes(flow)
    v["age_first_d"] = f["age_first_s"] / DAY
    v["age_first_pt_d"] = f["age_first_pt_s"] / DAY
    for name in BASE_FEATURES:
        if name.startswith("w") and name in f:
            v[name] = np.nan_to_num(f[name], nan=0.0)
    hops = [n for n in BASE_FEATURES if n.startswith("hop")]
    v.update(aligned(accounts, taint, hops))
    v.update(pattern_counts(accounts, patterns))
    v["payer_distinct_share"] = _div(f["senders"], f["in_count"])
    v["payee_distinct_share"] = _div(f["receivers"], f["out_count"])
    v["out_in_count_ratio"] = _div(f["out_count"], f["in_count"])
    larger = np.maximum(f["in_amount"], f["out_amount"])
    v["flow_balance"] = _div(np.minimum(f["in_amount"], f["out_amount"]), larger)
    v["pt_flow_share"] = _div(f["pt_slow_amount"], larger)
    for w in ("hour", "day"):
        key = f"w1{w[0]}"
        v[f"fan_in_{w}_share"] = _div(v[f"{key}_fan_in"], f["senders"])
        v[f"fan_out_{w}_share"] = _div(v[f"{key}_fan_out"], f["receivers"])
    # UTC days it was active over whole days of its lifetime, plus one: at most 2 (a night
    # spanning midnight is two days in under one)
    v["active_day_share"] = v["w1d_active"] / (np.floor(v["lifetime_d"]) + 1.0)
    for name in RANK_FEATURES:
        v[name] = np.zeros(len(accounts))
    names = tuple(BASE_FEATURES)
    return fill_ranks(FeatureFrame(accounts, names, np.column_stack([v[n] for n in names])))


def fill_ranks(frame: FeatureFrame) -> FeatureFrame:
    """Set the `rank_*` columns of `frame` (in place) from the columns they rank: each account's
    mid-rank among the frame's accounts, over their number, in (0, 1]; equal values share one.

    The frame is a whole ledger or one partition of its accounts (a range of keys, itself a
    large sample of the ledger), so the rank is the ledger's up to sampling.
    """
    n = len(frame.accounts)
    if n == 0:
        return frame
    for name in RANKED:
        column = np.nan_to_num(frame.column(name), nan=0.0)
        frame.values[:, frame.names.index(f"rank_{name}")] = rankdata(column) / n
    return frame


def pattern_counts(accounts: StrArray, patterns: pa.Table) -> dict[str, FloatArray]:
    """`pattern_<name>`: how many transactions show each pattern for each account."""
    first = patterns.filter(pc.equal(patterns.column("rank"), 0))
    out: dict[str, FloatArray] = {}
    for p in PATTERNS:
        rows = first.filter(pc.equal(first.column("pattern"), p))
        out[f"pattern_{p}"] = aligned(accounts, rows, ["matches"])["matches"]
    return out


def fan_accounts(frame: FeatureFrame, hub_degree: int = 50) -> tuple[StrArray, StrArray]:
    """The accounts of `frame` that match the fan-out pattern, and those that match fan-in,
    hubs left out: an employer paying its staff or a shop paid by its customers has more than
    `hub_degree` counterparties, a burst of payments to or from new parties does not."""
    small = frame.column("counterparties") <= hub_degree
    return (
        frame.accounts[small & (frame.column("pattern_fan_out") > 0)],
        frame.accounts[small & (frame.column("pattern_fan_in") > 0)],
    )


def neighbour_features(frame: FeatureFrame, neighbours: pa.Table) -> FeatureFrame:
    """The base frame with the second-pass features (from `read_neighbours`) added."""
    cols = ["suspect_senders", "suspect_receivers", "suspect_counterparties"]
    cols += ["suspect_in", "suspect_out", "from_fan_out", "to_fan_in"]
    n = aligned(frame.accounts, neighbours, cols)
    extra = {
        "suspect_share": np.nan_to_num(
            _div(n["suspect_counterparties"], frame.column("counterparties"))
        ),
        "suspect_senders": n["suspect_senders"],
        "suspect_receivers": n["suspect_receivers"],
        "suspect_in_share": np.nan_to_num(_div(n["suspect_in"], frame.column("in_count"))),
        "suspect_out_share": np.nan_to_num(_div(n["suspect_out"], frame.column("out_count"))),
        "fan_out_payer_share": np.nan_to_num(_div(n["from_fan_out"], frame.column("in_count"))),
        "fan_in_payee_share": np.nan_to_num(_div(n["to_fan_in"], frame.column("out_count"))),
    }
    return frame.with_columns(extra)
