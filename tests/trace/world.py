"""A tiny seeded world for the trace tests: normal life, a pooled platform, mules and victims.

Not the simulator: a few thousand transactions with the shapes tracing must handle (salaries,
shopping at merchants, a busy pooled account, friends' transfers, victims paying first-level
mules, mules passing random lots down to second and third levels, spending at shops and paying
people, and leaving through ATMs, crypto OTC and cross-border).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from chaincut.trace.model import AccountInfo, ReportInfo, Txn
from tests.trace.helpers import HOUR, T0

DAY = 24 * HOUR
BANKS = ("ICBC", "CCB", "ABC", "BOC")


@dataclass
class World:
    txns: list[Txn] = field(default_factory=list)
    accounts: list[AccountInfo] = field(default_factory=list)
    reports: list[ReportInfo] = field(default_factory=list)
    mules: set[str] = field(default_factory=set)
    persons: list[str] = field(default_factory=list)

    def add(self, ts: int, src: str, dst: str, cents: int, channel: str = "transfer") -> Txn:
        t = Txn(ts, f"T{len(self.txns):06d}", src, dst, cents, channel)
        self.txns.append(t)
        return t


def build_world(seed: int = 7, persons: int = 120, victims: int = 12, days: int = 100) -> World:
    """A deterministic world; fraud happens in the last 30 days, reports are filed a few hours
    after the last fraud transfer. People's accounts are years old, mule cards are new."""
    rng = random.Random(seed)
    w = World()
    people = [f"P{i:04d}" for i in range(persons)]
    w.persons = list(people)
    for p in people:
        opened = T0 - rng.randrange(365, 2000) * DAY
        info = AccountInfo(p, "bank_card", rng.choice(BANKS), "CN", since=opened, org=False)
        w.accounts.append(info)
    employers = [f"E{i}" for i in range(4)]
    merchants = [f"SHOP{i:02d}" for i in range(15)]
    for e in employers:
        w.accounts.append(AccountInfo(e, "bank_card", rng.choice(BANKS), "CN"))
    for m in merchants:
        w.accounts.append(AccountInfo(m, "merchant", rng.choice(BANKS), "CN"))
    w.accounts += [
        AccountInfo("POOL", "payment", "PAYCO", "CN", org=True),
        AccountInfo("XCHG", "exchange", "COINX", "CN"),
        AccountInfo("ATM1", "cash", "ICBC", "CN"),
        AccountInfo("FOREIGN1", "bank_card", "ABA", "KH"),
    ]
    _normal_life(w, rng, people, employers, merchants, days)
    _fraud(w, rng, people, merchants, victims, days)
    w.txns.sort(key=lambda t: t.key)
    return w


def _normal_life(
    w: World,
    rng: random.Random,
    people: list[str],
    employers: list[str],
    merchants: list[str],
    days: int,
) -> None:
    for p in people:
        boss = rng.choice(employers)
        salary = rng.randrange(400_000, 1_200_000)
        for month_day in range(0, days, 30):
            w.add(T0 + month_day * DAY + rng.randrange(DAY), boss, p, salary)
        for d in range(days):
            if rng.random() < 0.6:
                via = "POOL" if rng.random() < 0.5 else rng.choice(merchants)
                w.add(
                    T0 + d * DAY + rng.randrange(DAY), p, via, rng.randrange(500, 30_000), "payment"
                )
            if rng.random() < 0.05:
                w.add(
                    T0 + d * DAY + rng.randrange(DAY),
                    p,
                    rng.choice(people),
                    rng.randrange(1_000, 200_000),
                )
    for d in range(days):
        for m in merchants:
            w.add(
                T0 + d * DAY + rng.randrange(DAY),
                "POOL",
                m,
                rng.randrange(10_000, 500_000),
                "transfer",
            )


def _fraud(
    w: World, rng: random.Random, people: list[str], merchants: list[str], victims: int, days: int
) -> None:
    l1 = [f"M1_{i}" for i in range(4)]
    l2 = [f"M2_{i}" for i in range(6)]
    l3 = [f"M3_{i}" for i in range(4)]
    for m in l1 + l2 + l3:
        opened = T0 + (days - 32 + rng.randrange(2)) * DAY
        w.accounts.append(
            AccountInfo(m, "bank_card", rng.choice(BANKS), "CN", since=opened, org=False)
        )
        w.mules.add(m)
    balance: dict[str, int] = {}
    victim_ids = rng.sample(people, victims)
    for k, v in enumerate(victim_ids):
        start = T0 + (days - 30 + k * 28 // victims) * DAY + rng.randrange(DAY)
        fraud: list[Txn] = []
        ts = start
        for _ in range(rng.randint(1, 3)):
            ts += rng.randrange(HOUR // 6, 2 * HOUR)
            fraud.append(w.add(ts, v, rng.choice(l1), rng.randrange(500_000, 5_000_000)))
        for t in fraud:
            balance[t.dst] = balance.get(t.dst, 0) + t.cents
            _pass_on(w, rng, t, l2, l3, merchants, people, balance)
        w.reports.append(
            ReportInfo(f"R{k:03d}", ts + rng.randrange(HOUR, 12 * HOUR), v, tuple(fraud))
        )


def _pass_on(
    w: World,
    rng: random.Random,
    t: Txn,
    l2: list[str],
    l3: list[str],
    merchants: list[str],
    people: list[str],
    balance: dict[str, int],
) -> None:
    """Random lots: the receiving mule forwards most of what it holds, soon after."""
    ts = t.ts
    frontier = [(t.dst, 1)]
    while frontier:
        frontier_acc, level = frontier.pop()
        hold = balance.get(frontier_acc, 0)
        for _ in range(rng.randint(2, 4)):
            acc = frontier_acc
            if hold < 20_000:
                break
            ts += rng.randrange(HOUR // 12, 2 * HOUR)
            lot = rng.randrange(hold // 3, hold * 2 // 3 + 1)
            r = rng.random()
            if r < 0.08:
                dst, ch = rng.choice(merchants), "payment"
                lot = min(lot, 30_000)
            elif r < 0.12:
                dst, ch = rng.choice(people), "transfer"
                lot = min(lot, 50_000)
            elif level >= 3 or r < 0.3:
                dst, ch = rng.choice(
                    [
                        ("ATM1", "atm_withdrawal"),
                        ("XCHG", "crypto_otc"),
                        ("FOREIGN1", "cross_border"),
                    ]
                )
            else:
                dst, ch = rng.choice(l2 if level == 1 else l3), "transfer"
                frontier.append((dst, level + 1))
                if rng.random() < 0.25:  # through a payment platform's sub-account
                    w.add(ts, acc, "POOL", lot, "payment")
                    ts += rng.randrange(60_000_000, 900_000_000)
                    acc = "POOL"
            w.add(ts, acc, dst, lot, ch)
            hold -= lot
            balance[dst] = balance.get(dst, 0) + lot
        balance[frontier_acc] = hold
