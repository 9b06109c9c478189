"""Victims: who they are, which den reaches them and how, when and how much they pay, and when
they report.

Each fraud type has its own profile: typical loss, number of transfers, time between first
contact and first transfer, and between transfers (a fake police call ends within hours; a
"pig-butchering" romance takes days). Payments end at least two days before the window closes
and reports come 30 minutes to 2 days after the last transfer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from chaincut.simulate.dens import Den
from chaincut.simulate.params import SimParams
from chaincut.simulate.rng import stream
from chaincut.simulate.simbox import SimBox
from chaincut.simulate.world import World

DAY = 86_400

#: median loss per transfer (CNY), spread, most transfers, minutes between, hours to first
PROFILE: dict[str, tuple[float, float, int, float, float]] = {
    "order_brushing": (3_000, 0.9, 5, 40, 2),
    "fake_investment": (40_000, 1.0, 5, 1_440, 72),
    "fake_loan": (3_000, 0.8, 3, 60, 3),
    "fake_customer_service": (18_000, 0.9, 3, 20, 1),
    "impersonate_police": (70_000, 0.9, 4, 60, 2),
    "fake_credit_repair": (15_000, 0.9, 3, 30, 2),
    "fake_shopping": (2_000, 0.9, 2, 30, 6),
    "impersonate_boss": (40_000, 0.8, 2, 30, 1),
    "fake_game_trading": (2_000, 1.0, 3, 30, 3),
    "romance": (50_000, 1.0, 5, 1_440, 200),
    "fake_gambling": (20_000, 1.0, 5, 720, 48),
    "other": (5_000, 1.0, 2, 60, 4),
}
ESCALATING = {"order_brushing", "fake_investment", "romance", "fake_gambling"}
WALLET_TYPES = {"order_brushing", "fake_shopping", "fake_game_trading", "fake_gambling"}


@dataclass
class Contact:
    ts: int
    phone: int  # the fraud number that first reached the victim
    via_box: bool
    box: SimBox | None = None
    slot: int = -1
    session: int = -1


@dataclass
class Victim:
    index: int
    person: int
    den: int
    fraud_type: str
    account: int
    contact: Contact
    pay_ts: list[int]
    pay_cents: list[int]
    report_ts: int
    reported: bool
    txn_uids: list[int] = field(default_factory=list)  # filled by the money engine
    entries: list[int] = field(default_factory=list)  # the accounts each transfer went to
    report_id: str = ""

    @property
    def loss(self) -> int:
        return sum(self.pay_cents)


def _box_contact(rng: np.random.Generator, den: Den, lo: int, hi: int) -> Contact | None:
    options = [
        (box, s, a, b)
        for box in den.boxes
        for s, (a, b) in enumerate(box.sessions)
        if a >= lo and b <= hi
    ]
    if not options:
        return None
    box, s, a, b = options[int(rng.integers(0, len(options)))]
    slot = int(rng.integers(0, box.slots))
    return Contact(int(rng.integers(a, b)), int(box.sims[slot]), True, box, slot, s)


def plan_victims(
    world: World, dens: list[Den], people: np.ndarray, params: SimParams
) -> list[Victim]:
    """One Victim per person in `people`, spread over the dens by their victim counts."""
    rng = stream(world.seed, "victims")
    eco = world.economy
    victims: list[Victim] = []
    den_of = np.repeat(np.arange(len(dens)), [d.victims for d in dens])[: len(people)]
    earliest, limit = world.start_ts + DAY, world.end_ts - int(2.2 * DAY)
    for i, person in enumerate(people):
        den = dens[int(den_of[i])]
        kinds = den.fraud_types
        ftype = kinds[1] if len(kinds) > 1 and rng.random() < 0.3 else kinds[0]
        median, sigma, most, gap_min, lead_h = PROFILE[ftype]
        n = 1 + int(rng.binomial(most - 1, 0.45))
        offsets = np.cumsum(
            [lead_h * 3600 * rng.uniform(0.5, 1.5)]
            + list(rng.lognormal(np.log(gap_min * 60), 0.6, n - 1))
        ).astype(np.int64)
        span = int(offsets[-1])
        if earliest + span > limit:
            offsets = (offsets * (limit - earliest) * 0.9 / max(span, 1)).astype(np.int64)
            span = int(offsets[-1])
        hi = limit - span
        contact = None
        if den.boxes and rng.random() < params.victim_contact_via_box:
            contact = _box_contact(rng, den, earliest, hi)
        if contact is None:
            line = den.mobiles[int(rng.integers(0, len(den.mobiles)))]
            day = int(rng.integers(earliest, hi + 1)) // DAY * DAY
            ts = day + ((world.start_ts % DAY) + int(rng.integers(9 * 3600, 21 * 3600))) % DAY
            contact = Contact(int(np.clip(ts, earliest, hi)), line.phone, False)
        cents = np.maximum(100, rng.lognormal(np.log(median), sigma, n) * 100).astype(np.int64)
        cents = np.where(rng.random(n) < 0.7, np.maximum(1, cents // 10_000) * 10_000, cents)
        if ftype in ESCALATING:
            cents = np.sort(cents)
        has_wallet = eco.pay_n[person] > 0
        use_wallet = has_wallet and ftype in WALLET_TYPES and rng.random() < 0.6
        account = int(eco.pay_first[person] if use_wallet else eco.card_first[person])
        pay_ts = [contact.ts + max(300, int(o)) for o in offsets]
        pay_ts = [max(t, pay_ts[k - 1] + 60) if k else t for k, t in enumerate(pay_ts)]
        lo_d, hi_d = np.log(params.report_delay_min[0]), np.log(params.report_delay_min[1])
        delay = int(np.exp(rng.uniform(lo_d, hi_d)) * 60)
        report_ts = min(pay_ts[-1] + delay, world.end_ts - 600)
        victims.append(
            Victim(
                index=i,
                person=int(person),
                den=den.index,
                fraud_type=ftype,
                account=account,
                contact=contact,
                pay_ts=pay_ts,
                pay_cents=[int(c) for c in cents],
                report_ts=report_ts,
                reported=bool(rng.random() < params.report_rate),
            )
        )
        den.victim_ids.append(i)
        world.add_outflow(account, int(cents.sum()))
    return victims
