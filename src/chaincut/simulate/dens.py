"""Fraud dens: members and roles, their phones and SIM boxes, and the cards their dealers supply.

A den (窝点) has a financier (金主), core members (骨干), operators (业务员) who call and message
victims, logistics (后勤) who keep the SIM boxes running, launderers, and shares card dealers
(卡商) and recruiters with other dens. Dealers supply first-, second- and third-level mule
cards: real people's cards, rented or sold and opened recently; score-running (跑分) accounts
pass money through within minutes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from chaincut.simulate.catalog import DEN_BASES
from chaincut.simulate.simbox import SimBox

I64 = NDArray[np.int64]
ROLES = ("financier", "core", "operator", "logistics", "launderer", "card_dealer", "recruiter")
EXIT_METHODS = ("crypto_otc", "atm", "cross_border")


@dataclass
class MobileLine:
    """A fraud number used in a handset, moving among a few cells."""

    phone: int
    imei: int
    cells: I64


@dataclass
class Den:
    index: int
    den_id: str
    fraud_types: tuple[str, ...]
    base: tuple[str, str, str]  # country, place, dial code
    victims: int  # how many victims it will reach
    members: dict[str, list[int]] = field(default_factory=dict)  # role -> person indices
    boxes: list[SimBox] = field(default_factory=list)
    mobiles: list[MobileLine] = field(default_factory=list)
    site_cells: I64 = field(default_factory=lambda: np.zeros(0, np.int64))
    layers: list[list[int]] = field(default_factory=list)  # accounts per mule level
    runners: list[int] = field(default_factory=list)
    l1_window: dict[int, tuple[int, int]] = field(default_factory=dict)
    active_from: dict[int, int] = field(default_factory=dict)  # tracked account -> ts
    exit_method: dict[int, str] = field(default_factory=dict)
    exchanges: list[int] = field(default_factory=list)
    foreign: list[int] = field(default_factory=list)
    member_accounts: dict[str, list[int]] = field(default_factory=dict)
    owner: dict[int, int] = field(default_factory=dict)  # mule account -> person
    phone: dict[int, int] = field(default_factory=dict)  # member -> phone
    handset: dict[int, tuple[int, int]] = field(default_factory=dict)  # member -> (imei, cell)
    victim_ids: list[int] = field(default_factory=list)

    def entry_at(self, rng: random.Random, ts: int, runner_share: float) -> int:
        """The account a victim is told to pay into at `ts`: a runner or an active L1 card."""
        if self.runners and rng.random() < runner_share:
            return rng.choice(self.runners)
        active = [a for a, (lo, hi) in self.l1_window.items() if lo <= ts < hi]
        if not active:
            started = [(lo, a) for a, (lo, _) in self.l1_window.items() if lo <= ts]
            if started:
                return max(started)[1]
            return min((lo, a) for a, (lo, _) in self.l1_window.items())[1]
        return rng.choice(active)


def plan_dens(
    rng: np.random.Generator, n_dens: int, n_victims: int, fraud_types: tuple[str, ...]
) -> list[Den]:
    """Dens with their fraud types, bases and victim counts (every den reaches at least 3)."""
    common = {
        "order_brushing": 3.0, "fake_investment": 2.5, "fake_loan": 1.8,
        "fake_customer_service": 1.8, "impersonate_police": 1.5, "fake_credit_repair": 0.8,
        "fake_shopping": 1.0, "impersonate_boss": 0.8, "fake_game_trading": 0.6, "romance": 1.0,
        "fake_gambling": 1.0, "other": 0.5,
    }  # fmt: skip
    types = list(fraud_types)
    w = np.array([common[t] for t in types])
    dens: list[Den] = []
    size = rng.lognormal(0, 0.5, n_dens)
    counts = 3 + np.floor(size / size.sum() * max(0, n_victims - 3 * n_dens)).astype(np.int64)
    rest = n_victims - int(counts.sum())
    if rest > 0:
        counts[:rest] += 1
    for d in range(n_dens):
        # the first dens cover distinct types, so even a tiny world shows several
        primary = (
            types[d] if d < len(types) and d < 6 else types[rng.choice(len(types), p=w / w.sum())]
        )
        kinds: tuple[str, ...] = (primary,)
        if rng.random() < 0.2 and len(types) > 1:
            second = types[rng.choice(len(types), p=w / w.sum())]
            kinds = (primary, second) if second != primary else kinds
        base = DEN_BASES[int(rng.integers(0, len(DEN_BASES)))]
        dens.append(Den(d, f"DEN-{d + 1:04d}", kinds, base, int(counts[d])))
    return dens


def layer_sizes(victims: int, victims_per_l1: float, layers: int, ratio: float) -> list[int]:
    sizes = [int(np.ceil(victims / victims_per_l1)) + 1]
    for _ in range(1, layers):
        sizes.append(max(2, int(round(sizes[-1] * ratio))))
    return sizes
