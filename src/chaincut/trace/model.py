"""The tracing domain: ledger records, the tracing rules and the bounds of a trace.

These are plain values with no I/O. A `Ledger` (see `chaincut.trace.ledger`) supplies them; the
kernel turns them into a `TraceResult` (see `chaincut.trace.result`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from chaincut.model.schema import EXIT_CHANNELS

#: microseconds since 1970-01-01 (naive UTC), the kernel's clock
Micros = int
#: the global order of events: (ts, txn_id); equal timestamps are ordered by txn_id
EventKey = tuple[Micros, str]

MICROS_PER_DAY = 86_400_000_000
#: the trace index's layout version (`chaincut.trace.index.build`); a change forces a rebuild
INDEX_FORMAT = 2
#: a time that is not known (the smallest int64), as stored in the trace index
NO_TIME = -(2**63)


class Rule(StrEnum):
    """How an account's outflows are attributed to its inflows (REFERENCES.md, tracing rules).

    `fifo` (Clayton's Case): the earliest money in leaves first. `libr` (lowest intermediate
    balance): the owner's own money leaves first and the stolen money never exceeds the lowest
    balance since it arrived. `prorata` (rolling charge, Barlow Clowes): each outflow carries
    every owner's money in proportion to its share at that moment.
    """

    fifo = "fifo"
    libr = "libr"
    prorata = "prorata"


@dataclass(frozen=True, slots=True)
class Txn:
    """One ledger transaction, amount in cents, time in microseconds (naive UTC)."""

    ts: Micros
    txn_id: str
    src: str
    dst: str
    cents: int
    channel: str | None = None

    @property
    def key(self) -> EventKey:
        return (self.ts, self.txn_id)


@dataclass(frozen=True, slots=True)
class AccountInfo:
    """What the ledger knows about an account (unknown fields are None).

    `degree` is the number of distinct counterparties over the whole ledger and `busy` says it
    is far above normal (see `TraceParams.busy_*`): such an account is treated as a hub.
    `since` is when the account is known to exist: the earlier of its opening date and its
    first transaction. `org` says the holder is an organisation (not in the persons table).
    """

    account_id: str
    kind: str | None = None
    institution: str | None = None
    country: str | None = None
    degree: int = 0
    since: Micros | None = None
    org: bool | None = None


@dataclass(frozen=True, slots=True)
class ReportInfo:
    """A victim's report: when it was filed, the victim's account and the fraud transfers."""

    report_id: str
    ts: Micros
    victim_account: str
    fraud_txns: tuple[Txn, ...]
    missing_txn_ids: tuple[str, ...] = ()

    @property
    def loss_cents(self) -> int:
        return sum(t.cents for t in self.fraud_txns)


@dataclass(frozen=True, slots=True)
class Activity:
    """An account's activity in a look-back window: transactions, money received, and how long
    money stayed: `area` is the integral over the window of the balance above its lowest point
    in the window (cent-microseconds), so area / inflow is the mean dwell time of money;
    `passed_cents` is the largest single payment it received that left again within a day
    (`chaincut.trace.ledger.passed_on`: a pass-through in its history); `largest_cents` the
    largest single payment it received and `last_ts` the time of its last transaction in the
    window (None: none, or not measured)."""

    txns: int
    inflow_cents: int
    area: int = 0
    passed_cents: int = 0
    largest_cents: int = 0
    last_ts: Micros | None = None

    def dwell_days(self) -> float:
        """How many days received money typically stayed (0 if nothing was received)."""
        return self.area / (self.inflow_cents * MICROS_PER_DAY) if self.inflow_cents else 0.0


@dataclass(frozen=True)
class TraceParams:
    """The rule and the bounds of a trace; the defaults are documented in docs/tracing.md.

    - `max_hops`: accounts further than this many transfers from the victim are not followed;
      the money that reaches them is reported as `beyond_hops`.
    - `window_days`: only transactions up to this long after the first fraud transfer (and never
      after the report, or `as_of`) are seen.
    - `min_amount_cents` / `min_share`: a tainted transfer smaller than
      max(min_amount_cents, min_share x loss) does not pull a new account into the trace, and
      no freeze order is issued below that amount.
    - `hub_kinds`: account kinds never frozen wholesale (request sub-account detail instead),
      and `pooled_kinds` held by an organisation (a payment institution's pooled account);
      `exit_kinds`, `exit_channels` and a `country` other than `home_country` end the trace.
    - `busy_quantile`, `busy_factor`, `busy_floor`: an account with more distinct
      counterparties than max(busy_floor, busy_factor x the ledger's busy_quantile) is a hub.
    - `rebate_days`: traced money paid (at hop 2 or more) to an account that paid the payer at
      least as much in the `rebate_days` before is a refund or a scam's rebate, most likely to
      a victim: it is `returned`, not followed (0: never; at most `established_days`).
    - `hub_match_minutes`, `hub_match_fee_bp`: traced money that reaches a hub is followed on
      through the hub's first later outflow within that many minutes whose amount is the
      inflow less at most `hub_match_fee_bp` basis points (0 minutes: never).
    - `established_*`: an account that has existed for `established_age_days` (mule cards are
      young), and in the `established_days` before a tainted payment reached it made at least
      `established_min_txns` transactions, received at least `established_ratio` times the
      tainted amount and kept money `established_dwell_days` on average (money passes through
      a mule within hours) is an established account that merely got paid (a salary account,
      a landlord): it gets a sub-account-detail request, not a freeze, and is not followed.
      Never applied at hop 1 (the victim's direct beneficiary). Only with `established_route`
      (off by default): it is a veto on history alone, which the judge below replaces by
      weighing the same history with the account's other evidence.
    - `judge_accounts`, `stop_score`, `pass_hours`: an account that may hold a report's money
      gets an emergency stop only when its weighted evidence of belonging to the chain reaches
      `stop_score`, else a `verify` order that holds nothing (`chaincut.trace.bystander`;
      money paid on within `pass_hours` of arriving counts as passed through). With
      `judge_accounts` False every such account is stopped, as before.
    - `earlier_stops`: `trace --all` weighs, in each report, the emergency stops its traces
      issued on the same accounts for reports filed earlier (`chaincut.trace.earlier`).
    - `mule_model`: `trace --all` scores every account of the lake once with the shipped mule
      model and the judge weighs each account's score (`chaincut.trace.bystander_model`).
    - `mule_history`: the scores are of the lake as of each report (`--mule-asof` day, week,
      report), so the model's word against an account counts only where the account had a
      full history before the money came (`chaincut.trace.bystander.history_weight`; a short
      one's is set aside, `SHORT_HISTORY_SHARE`); whole-lake scores have seen the account's
      later months and count in full.
    """

    rule: Rule = Rule.libr
    max_hops: int = 8
    window_days: float = 30.0
    min_amount_cents: int = 100
    min_share: float = 0.0
    hub_kinds: tuple[str, ...] = ("merchant", "exchange")
    pooled_kinds: tuple[str, ...] = ("payment",)
    exit_kinds: tuple[str, ...] = ("cash",)
    exit_channels: tuple[str, ...] = EXIT_CHANNELS
    home_country: str = "CN"
    busy_quantile: float = 0.9
    busy_factor: float = 10.0
    busy_floor: int = 100
    established_days: float = 90.0
    established_min_txns: int = 10
    established_ratio: float = 3.0
    established_age_days: float = 60.0
    established_dwell_days: float = 5.0
    rebate_days: float = 7.0
    hub_match_minutes: int = 60
    hub_match_fee_bp: int = 0
    evidence_chains: int = 5
    established_route: bool = False
    judge_accounts: bool = True
    stop_score: float = 1.0
    pass_hours: float = 24.0
    earlier_stops: bool = True
    mule_model: bool = True
    mule_history: bool = False
    as_of: Micros | None = field(default=None)

    def min_cents(self, loss_cents: int) -> int:
        """The smallest tainted amount that is followed into a new account or frozen."""
        return max(self.min_amount_cents, int(self.min_share * loss_cents))

    @property
    def window_micros(self) -> int:
        return int(self.window_days * MICROS_PER_DAY)

    @property
    def established_micros(self) -> int:
        return int(self.established_days * MICROS_PER_DAY)


_EPOCH = datetime(1970, 1, 1)


def to_micros(ts: datetime) -> Micros:
    """Microseconds since the epoch of a naive-UTC (or aware) datetime."""
    if ts.tzinfo is not None:
        ts = ts.astimezone(UTC).replace(tzinfo=None)
    delta = ts - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(us: Micros) -> datetime:
    """The naive-UTC datetime of `us` microseconds since the epoch."""
    return _EPOCH + timedelta(microseconds=us)


def iso(us: Micros) -> str:
    """ISO-8601 text of a kernel time, e.g. '2024-05-01T10:00:00'."""
    return from_micros(us).isoformat()
