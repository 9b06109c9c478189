"""The simulator's knobs: scales, the world's window and the fraud typology parameters.

`SimParams` is a frozen dataclass; build variants with `dataclasses.replace`, e.g.
`replace(SimParams(), mule_layers=2, lot_policy="fifo", simbox_slots=(128,))`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Literal

from chaincut.model.schema import FRAUD_TYPES

LotPolicy = Literal["random", "fifo", "pro_rata"]
Format = Literal["csv", "parquet"]

#: named scales and their target transaction counts
SCALES: dict[str, int] = {
    "tiny": 20_000,
    "small": 200_000,
    "medium": 2_000_000,
    "large": 20_000_000,
}
MIN_TRANSACTIONS = 2_000
MAX_TRANSACTIONS = 100_000_000
#: at or below this many transactions the default format is CSV, above it Parquet
CSV_DEFAULT_LIMIT = SCALES["small"]
#: Beijing time, in which people live their days (timestamps are written in UTC)
LOCAL_OFFSET_S = 8 * 3600


def resolve_scale(scale: str | int) -> int:
    """The target transaction count of a named scale or of a number (2 000 to 100 000 000)."""
    if isinstance(scale, str):
        key = scale.strip().lower().replace("_", "")
        if key in SCALES:
            return SCALES[key]
        if not key.isdigit():
            names = ", ".join(SCALES)
            raise ValueError(f"unknown scale {scale!r}: use one of {names} or a transaction count")
        scale = int(key)
    if not MIN_TRANSACTIONS <= scale <= MAX_TRANSACTIONS:
        raise ValueError(
            f"scale {scale} is out of range: use {MIN_TRANSACTIONS} to {MAX_TRANSACTIONS} transactions"
        )
    return scale


def default_format(transactions: int) -> Format:
    return "csv" if transactions <= CSV_DEFAULT_LIMIT else "parquet"


@dataclass(frozen=True)
class SimParams:
    """Typology knobs. Rates are per event unless said otherwise; ranges are (low, high)."""

    # the world's window: local (Beijing) calendar days
    start: date = date(2026, 3, 1)
    days: int = 30
    # volumes relative to the target transaction count
    txns_per_person: float = 24.0
    calls_per_txn: float = 0.6
    messages_per_txn: float = 0.4
    chunk_rows: int = 1_000_000
    # fraud prevalence and dens
    victims_per_10k_txns: float = 4.0
    min_victims: int = 24
    victims_per_den: float = 60.0
    min_dens: int = 4
    fraud_types: tuple[str, ...] = tuple(FRAUD_TYPES)
    report_rate: float = 0.9
    report_delay_min: tuple[float, float] = (30.0, 2880.0)
    operators_per_den: tuple[int, int] = (4, 24)
    # mule chain
    mule_layers: int = 3
    victims_per_l1: float = 3.0
    next_layer_ratio: float = 0.6
    split_factor: tuple[int, int] = (1, 4)
    forward_delay_min: tuple[float, ...] = (15.0, 30.0, 60.0, 90.0)
    hold_probability: float = 0.08
    hold_hours: tuple[float, float] = (6.0, 48.0)
    runner_entry_share: float = 0.2
    pooled_share: float = 0.2
    early_exit_share: float = 0.1
    merchant_spend_probability: float = 0.25
    exit_mix: tuple[float, float, float] = (0.45, 0.3, 0.25)  # crypto_otc, atm, cross_border
    exit_batch_cny: float = 20_000.0
    exit_wait_hours: float = 8.0
    atm_max_cny: int = 20_000
    atm_daily_cny: int = 50_000
    lot_policy: LotPolicy = "random"
    # SIM boxes and fraud calling
    simbox_den_share: float = 0.6
    boxes_per_den: tuple[int, int] = (1, 3)
    simbox_slots: tuple[int, ...] = (8, 16, 32, 64, 128)
    rotating_imei_share: float = 0.4
    simbox_answer_rate: float = 0.18
    fraud_call_share: float = 0.03
    calls_per_sim_day: int = 15
    spam_share: float = 0.01
    victim_contact_via_box: float = 0.6
    handover_share: float = 0.4
    # how boxes are really run (docs/simulator.md): not every slot holds a SIM, SIMs register
    # one by one and some stay offline, blocked SIMs are swapped for fresh ones, boxes move
    simbox_fill: tuple[float, float] = (0.6, 1.0)
    simbox_stagger_min: float = 25.0
    simbox_idle_share: float = 0.1
    simbox_swap_rate: float = 0.25
    simbox_move_share: float = 0.25
    # people calling fraud numbers back (missed calls, the curious, victims)
    callback_rate: float = 0.06
    callback_answer_rate: float = 0.2
    # mobile fraud lines that also cold-call strangers while moving through the city
    roaming_line_share: float = 0.5
    roaming_calls_per_day: int = 25
    # fraud SIMs registered under the identity of a real person of the city (bought IDs)
    real_identity_share: float = 0.6
    # hard negatives: ordinary heavy callers (shares of the population) and call centres
    courier_share: float = 0.002
    telemarketer_share: float = 0.0006
    business_line_share: float = 0.004
    call_centres_per_100k: float = 2.0
    call_centre_seats: tuple[int, int] = (8, 40)
    call_centre_answering_share: float = 0.5
    campaigns_per_100k: float = 1.0
    campaign_days: tuple[int, int] = (3, 8)
    heavy_call_share_max: float = 0.25
    # contacts outside the city: numbers that appear in the records but are not its people
    outside_contacts: tuple[int, int] = (2, 8)
    outside_call_share: float = 0.3
    # assumptions made wide for evaluation (docs/simulator.md, `chaincut.simulate.ranges`); the
    # defaults leave the world as it was: every one of these is off
    # days a SIM box is active: (0, 0) as many as its calls need, else a range drawn per box
    simbox_active_days: tuple[int, int] = (0, 0)
    # per mule move: the chance it also pays an ordinary person for goods, a service or a debt
    bystander_share: float = 0.0
    # victims' payments that reach the mule through a payment platform's pooled account
    victim_platform_share: float = 0.0
    # honest look-alikes: employers paying salaries through an agent, small traders paid by
    # strangers, delivery-notice and clinic-reminder lines, company switchboards
    payroll_agent_share: float = 0.0
    trader_share: float = 0.0
    reminder_lines_per_100k: float = 0.0
    switchboards_per_100k: float = 0.0
    # mule cards a card dealer opened with his own number (`accounts.reg_phone`); the rest carry
    # their holder's number (a fixed middle value by default, drawn 0-1 in randomised worlds)
    dealer_reg_share: float = 0.5

    @classmethod
    def randomised(cls, seed: int) -> SimParams:
        """Parameters drawn from the documented ranges (`chaincut.simulate.ranges`); the same
        seed always gives the same parameters."""
        from chaincut.simulate.ranges import draw_params

        return draw_params(seed)

    def __post_init__(self) -> None:
        unknown = set(self.fraud_types) - set(FRAUD_TYPES)
        if unknown or not self.fraud_types:
            raise ValueError(f"fraud_types must be keys of FRAUD_TYPES, not {sorted(unknown)}")
        if not 1 <= self.mule_layers <= 4:
            raise ValueError("mule_layers must be 1 to 4")
        if self.lot_policy not in ("random", "fifo", "pro_rata"):
            raise ValueError(f"unknown lot_policy {self.lot_policy!r}")
        if not self.simbox_slots or min(self.simbox_slots) < 1:
            raise ValueError("simbox_slots must hold positive slot counts")
        if self.days < 7:
            raise ValueError("the window must be at least 7 days")
        if abs(sum(self.exit_mix) - 1.0) > 1e-9:
            raise ValueError("exit_mix must sum to 1")
        if not 0.0 < self.simbox_fill[0] <= self.simbox_fill[1] <= 1.0:
            raise ValueError("simbox_fill must be a range within (0, 1]")
        shares = {
            name: getattr(self, name)
            for name in (
                "simbox_idle_share", "simbox_swap_rate", "simbox_move_share", "callback_rate",
                "callback_answer_rate", "roaming_line_share", "real_identity_share",
                "courier_share", "telemarketer_share", "business_line_share",
                "heavy_call_share_max", "outside_call_share", "call_centre_answering_share",
                "handover_share", "bystander_share", "victim_platform_share",
                "payroll_agent_share", "trader_share", "dealer_reg_share",
            )
        }  # fmt: skip
        bad = sorted(name for name, v in shares.items() if not 0.0 <= v <= 1.0)
        if bad:
            raise ValueError(f"{', '.join(bad)} must be between 0 and 1")
        if self.simbox_idle_share >= 0.9:
            raise ValueError("simbox_idle_share must be under 0.9 (a box must make calls)")
        if not 1 <= self.call_centre_seats[0] <= self.call_centre_seats[1]:
            raise ValueError("call_centre_seats must be a range of positive counts")
        if not 1 <= self.campaign_days[0] <= self.campaign_days[1] < self.days:
            raise ValueError("campaign_days must be a range of days within the window")
        if not 0 <= self.outside_contacts[0] <= self.outside_contacts[1]:
            raise ValueError("outside_contacts must be a range of counts")
        lo, hi = self.simbox_active_days
        if (lo, hi) != (0, 0) and not 1 <= lo <= hi:
            raise ValueError("simbox_active_days must be (0, 0) or a range of positive days")
        if min(self.reminder_lines_per_100k, self.switchboards_per_100k) < 0:
            raise ValueError("reminder_lines_per_100k and switchboards_per_100k must be >= 0")

    @cached_property
    def start_ts(self) -> int:
        """Unix seconds of local midnight on `start`."""
        midnight = datetime(self.start.year, self.start.month, self.start.day, tzinfo=UTC)
        return int(midnight.timestamp()) - LOCAL_OFFSET_S

    @property
    def end_ts(self) -> int:
        return self.start_ts + self.days * 86_400

    def window(self) -> tuple[datetime, datetime]:
        start = datetime.fromtimestamp(self.start_ts, UTC)
        return start, start + timedelta(days=self.days)


@dataclass(frozen=True)
class Sizes:
    """How many of each thing a world of a given transaction count has."""

    transactions: int
    persons: int
    employers: int
    merchants: int
    atms_per_bank: int
    foreign_accounts: int
    victims: int
    dens: int
    calls: int
    messages: int
    cells: int

    @classmethod
    def for_scale(cls, transactions: int, params: SimParams) -> Sizes:
        persons = max(300, round(transactions / params.txns_per_person))
        victims = max(params.min_victims, round(transactions * params.victims_per_10k_txns / 1e4))
        return cls(
            transactions=transactions,
            persons=persons,
            employers=max(6, persons // 150),
            merchants=max(30, persons // 40),
            atms_per_bank=max(3, persons // 3000),
            foreign_accounts=max(20, persons // 2000),
            victims=victims,
            dens=max(params.min_dens, math.ceil(victims / params.victims_per_den)),
            calls=round(transactions * params.calls_per_txn),
            messages=round(transactions * params.messages_per_txn),
            cells=3 * max(24, persons // 400),
        )
