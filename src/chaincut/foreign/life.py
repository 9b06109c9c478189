"""Ordinary economic life, scheduled on the ledger: salaries (some through payroll agents),
pensions, allowances, rent, shopping at tills and online through a platform, small traders'
customers, bills, money among family and friends, cash, a little crypto and money sent abroad.

Times follow the day of people in China (UTC+8): most spending between 08:00 and 23:00 there.
"""

from __future__ import annotations

import numpy as np

from chaincut.foreign.core import CST, DAY, HOUR, World
from chaincut.foreign.ledger import Ledger
from chaincut.foreign.population import Population


def waking(rng: np.random.Generator, day: int) -> int:
    """A time on `day` in the waking hours of China (08:00-23:00 CST), in UTC seconds."""
    return day * DAY + 8 * HOUR - CST + int(rng.uniform(0, 15 * HOUR))


def cents(rng: np.random.Generator, median_yuan: float, sigma: float, lo: int = 1) -> int:
    """A lognormal amount in cents around `median_yuan`, at least `lo` yuan."""
    return max(lo * 100, int(rng.lognormal(np.log(median_yuan), sigma) * 100))


class Life:
    """Schedules the honest population's payments; platforms settle to online sellers daily."""

    def __init__(self, w: World, pop: Population, ledger: Ledger, activity: float) -> None:
        self.w, self.pop, self.ledger = w, pop, ledger
        self.activity = activity  # purchases per person per day
        self.due: dict[str, dict[str, int]] = {p: {} for p in pop.platforms}

    def schedule(self, people: list[str]) -> None:
        for day in range(0, self.w.days, 30):
            self._monthly(day, people)
        for pid in people:
            self._everyday(pid)
        self._sweeps()

    def _monthly(self, day: int, people: list[str]) -> None:
        """Salaries, wages, allowances, rent and utility bills of the month from `day`."""
        w, pop, led, rng = self.w, self.pop, self.ledger, self.w.rng
        for pid, (payer, amount) in pop.salary.items():
            led.at(
                day * DAY + int(rng.uniform(0, 8 * HOUR)),
                led.pay,
                payer,
                pop.card[pid],
                amount,
                "transfer",
            )
        for agent, (employer, workers) in pop.payroll.items():
            wages = [int(rng.lognormal(8.6, 0.3)) * 100 for _ in workers]
            t = day * DAY + int(rng.uniform(0, 4 * HOUR))
            led.at(t, led.pay, employer, pop.card[agent], sum(wages) + 50_000, "transfer")
            for worker, wage in zip(workers, wages, strict=True):
                led.at(
                    t + int(rng.uniform(0.2, 6) * HOUR),
                    led.pay,
                    pop.card[agent],
                    pop.card[worker],
                    wage,
                    "transfer",
                )
        for student, (parent, amount) in pop.allowance.items():
            led.at(
                waking(rng, day + int(rng.integers(0, 3))),
                led.pay,
                pop.card[parent],
                pop.card[student],
                amount,
                "transfer",
            )
        for tenant, (landlord, amount) in pop.rent.items():
            led.at(
                waking(rng, day + int(rng.integers(1, 6))),
                led.pay,
                pop.card[tenant],
                landlord,
                amount,
                "transfer",
            )
        for pid in people:
            if rng.random() < 0.8:
                bill = w.pick(pop.utilities)
                led.at(
                    waking(rng, day + int(rng.integers(3, 20))),
                    led.pay,
                    pop.card[pid],
                    bill,
                    cents(rng, 150, 0.6),
                    "payment",
                )

    def _sweeps(self) -> None:
        """Owners' and traders' weekly sweeps, and the platforms' daily settlements."""
        w, pop, led, rng = self.w, self.pop, self.ledger, self.w.rng
        for m, owner in pop.owner_card.items():
            for day in range(6, w.days, 7):
                led.at(
                    day * DAY + 2 * HOUR + int(rng.integers(3600)),
                    led.sweep,
                    m,
                    owner,
                    900,
                    "transfer",
                )
        for trader in pop.traders:
            for day in range(2, w.days, 4):
                led.at(waking(rng, day), led.sweep, trader, w.pick(pop.shops), 400, "transfer")
        for day in range(w.days):
            for p in pop.platforms:
                led.at(day * DAY + 16 * HOUR + int(rng.integers(600)), self.settle, p)

    def _everyday(self, pid: str) -> None:
        w, pop, led, rng = self.w, self.pop, self.ledger, self.w.rng
        card = pop.card[pid]
        n = int(rng.poisson(self.activity * w.days))
        for _ in range(n):
            t = waking(rng, int(rng.integers(w.days)))
            r = rng.random()
            if r < 0.55:
                led.at(t, led.pay, card, w.pick(pop.shops), cents(rng, 45, 0.9), "pos")
            elif r < 0.8:
                led.at(
                    t,
                    self.buy_online,
                    card,
                    w.pick(pop.platforms),
                    w.pick(pop.online),
                    cents(rng, 80, 1.0),
                )
            else:
                led.at(t, led.pay, card, w.pick(pop.traders), cents(rng, 15, 0.8), "payment")
        for _ in range(int(rng.poisson(0.12 * w.days))):
            if pop.contacts[pid]:
                friend = w.pick(pop.contacts[pid])
                amount = (
                    cents(rng, 200, 1.0)
                    if rng.random() < 0.7
                    else int(rng.integers(1, 200)) * 100 + int(rng.choice((0, 88, 66)))
                )
                led.at(
                    waking(rng, int(rng.integers(w.days))),
                    led.pay,
                    card,
                    pop.card[friend],
                    amount,
                    "transfer",
                )
        for _ in range(int(rng.poisson(0.04 * w.days))):
            led.at(
                waking(rng, int(rng.integers(w.days))),
                led.pay,
                card,
                w.pick(pop.atms),
                int(rng.integers(1, 21)) * 10_000,
                "atm_withdrawal",
            )
        if rng.random() < 0.02:
            led.at(
                waking(rng, int(rng.integers(w.days))),
                led.pay,
                card,
                w.pick(pop.exchanges),
                cents(rng, 2000, 0.8, 100),
                "crypto_otc",
            )
        if rng.random() < 0.01:
            led.at(
                waking(rng, int(rng.integers(w.days))),
                led.pay,
                card,
                w.pick(pop.abroad),
                cents(rng, 5000, 0.8, 500),
                "cross_border",
            )

    def buy_online(self, t: int, card: str, platform: str, seller: str, amount: int) -> None:
        if self.ledger.transfer(t, card, platform, amount, "payment"):
            due = self.due[platform]
            due[seller] = due.get(seller, 0) + amount

    def settle(self, t: int, platform: str) -> None:
        """The platform pays each online seller the day's takings, one transfer per seller."""
        due, self.due[platform] = self.due[platform], {}
        for seller in sorted(due):
            self.ledger.transfer(t, platform, seller, due[seller], "transfer")
