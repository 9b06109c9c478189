"""The fraud chain on the ledger: victims pay a first-level card or a score-running account,
directly or through a payment platform; each level keeps a commission, splits, waits (minutes to
a day, sometimes holding), forwards to the next level, spends some of the money on ordinary
people and shops (the bystanders), and the last level cashes out at ATMs, through OTC desks or
across the border to the financiers. Victims report after a delay, or never."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from chaincut.foreign.core import HOUR, World
from chaincut.foreign.gangs import Gang
from chaincut.foreign.ledger import Ledger
from chaincut.foreign.life import cents
from chaincut.foreign.population import Population
from chaincut.foreign.texts import narrative

if TYPE_CHECKING:
    from chaincut.foreign.roles import Roles

#: fraud type -> (payments low, high; median yuan; growth per payment; hours between, low, high)
PATTERNS: dict[str, tuple[int, int, float, float, float, float]] = {
    "order_brushing": (2, 6, 800, 1.8, 0.3, 6),
    "fake_investment": (2, 8, 5000, 1.5, 12, 72),
    "fake_loan": (1, 3, 1500, 1.3, 0.5, 24),
    "fake_customer_service": (1, 4, 3000, 1.2, 0.1, 1),
    "impersonate_police": (1, 3, 20000, 1.0, 0.5, 5),
    "fake_credit_repair": (1, 3, 3000, 1.2, 0.2, 3),
    "fake_shopping": (1, 2, 500, 1.0, 1, 24),
    "impersonate_boss": (1, 2, 8000, 1.0, 0.1, 1),
    "fake_game_trading": (1, 4, 600, 1.5, 0.5, 12),
    "romance": (2, 8, 5000, 1.6, 24, 96),
    "fake_gambling": (2, 8, 1000, 1.7, 2, 24),
}


@dataclass
class Case:
    """One victim (or a person who was targeted and did not pay) of one gang."""

    case: int
    gang: Gang
    victim: str
    fraud_type: str
    start: int  # first contact
    plan: list[tuple[int, int]]  # (time, cents) the victim is talked into paying
    reports: bool
    report_delay: int
    txns: list[str] = field(default_factory=list)
    paid: int = 0
    report_id: str | None = None


class Chain:
    def __init__(
        self, w: World, pop: Population, ledger: Ledger, gangs: list[Gang], roles: Roles
    ) -> None:
        self.w, self.pop, self.ledger, self.rng, self.roles = w, pop, ledger, w.rng, roles
        self.level: dict[str, tuple[Gang, int]] = {}
        for g in gangs:
            for lvl, accounts in enumerate(g.layers, start=1):
                self.level.update((a, (g, lvl)) for a in accounts)
            self.level.update((r, (g, 1)) for r in g.runners)
        self.cases: list[Case] = []
        self.targets: list[Case] = []
        self.bystanders: dict[str, list[str]] = {}  # account -> txn ids it got from the chain
        self.excluded = set(pop.platforms) | set(pop.exchanges) | set(pop.atms) | set(pop.abroad)
        for g in gangs:
            self.excluded.update(g.exits_abroad, g.home_accounts)
        ledger.watch = self._watch

    def _watch(self, _t: int, txn: str, src: str, dst: str, _stolen: int) -> None:
        # a bystander: paid by a chain account while it held victims' money
        if src in self.level and dst not in self.level and dst not in self.excluded:
            self.bystanders.setdefault(dst, []).append(txn)

    # -- planning -----------------------------------------------------------------------------
    def plan(
        self, g: Gang, people: list[str], report_p: float, delay_h: float, pays: bool = True
    ) -> None:
        """Cases of gang `g`: victims' payments and reports go on the ledger; targets (`pays`
        false) are only contacted."""
        rng, w = self.rng, self.w
        for pid in people:
            ftype = w.pick(g.fraud_types)
            lo, hi, median, growth, gap_lo, gap_hi = PATTERNS[ftype]
            start = int(rng.uniform(1, w.days - 2) * 86_400)
            if not pays:
                self.targets.append(
                    Case(len(self.cases) + len(self.targets), g, pid, ftype, start, [], False, 0)
                )
                continue
            t = start + int(rng.uniform(0.2, 3) * HOUR)
            plan, amount = [], cents(rng, median, 0.7, 50)
            for _ in range(int(rng.integers(lo, hi + 1))):
                plan.append((t, amount // 100 * 100))
                t += int(rng.uniform(gap_lo, gap_hi) * HOUR)
                amount = int(amount * growth * rng.uniform(0.8, 1.25))
            delay = max(600, int(rng.lognormal(np.log(delay_h * HOUR), 1.2)))
            case = Case(
                len(self.cases), g, pid, ftype, start, plan, bool(rng.random() < report_p), delay
            )
            self.cases.append(case)
            for k, (when, _) in enumerate(plan):
                self.ledger.at(when, self.victim_pays, case, k)
            self.ledger.at(plan[-1][0] + delay, self.report, case)

    def ordinary_inflows(self, g: Gang) -> None:
        """Friends and customers pay mule cards too: a little clean money on every card."""
        rng, w = self.rng, self.w
        for acc in [a for layer in g.layers for a in layer]:
            for _ in range(int(rng.integers(0, 4))):
                payer = self.pop.card[w.pick(self.pop.people)]
                when = int(rng.uniform(0, w.days) * 86_400)
                self.ledger.at(when, self.ledger.pay, payer, acc, cents(rng, 150, 1.0), "transfer")

    # -- actions ------------------------------------------------------------------------------
    def victim_pays(self, t: int, case: Case, k: int) -> None:
        rng, led, g, b = self.rng, self.ledger, case.gang, case.gang.behaviour
        card = self.pop.card[case.victim]
        amount = min(case.plan[k][1], led.balance.get(card, 0)) // 100 * 100
        if amount < 5000:
            return
        if g.runners and rng.random() < b["runner_p"]:
            dst, via = self.w.pick(g.runners), None
        else:
            dst = self.w.pick(g.layers[0])
            via = self.w.pick(self.pop.platforms) if rng.random() < b["via_platform_p"] else None
        txn = led.transfer(
            t, card, via or dst, amount, "payment" if via or dst in g.runners else "transfer"
        )
        if txn is None:
            return
        case.txns.append(txn)
        case.paid += amount
        led.add_taint(via or dst, case.case, amount)
        if via:
            led.at(t + int(rng.uniform(20, 600)), self.earmarked, via, dst, amount, case.case)
        else:
            self.react(t, dst, amount)

    def earmarked(self, t: int, pool: str, dst: str, amount: int, case: int) -> None:
        if self.ledger.transfer(t, pool, dst, amount, "transfer", case=case):
            self.react(t, dst, amount)

    def react(self, t: int, acc: str, amount: int) -> None:
        """What a chain account does with money that just arrived."""
        rng, w = self.rng, self.w
        g, lvl = self.level[acc]
        b = g.behaviour
        rest = int(amount * (1 - b["commission"]))
        wait = self._delay(b)
        if lvl >= b["depth"]:
            self._exit(t + wait, acc, g, rest)
        else:
            k = int(rng.choice((1, 2, 3), p=(0.5, 0.3, 0.2)))
            shares = rng.dirichlet(np.ones(k) * 2)
            for share in shares:
                nxt = w.pick(g.layers[lvl])
                self.ledger.at(
                    t + wait + int(rng.uniform(0, 600)),
                    self.forward,
                    acc,
                    nxt,
                    int(rest * share) // 100 * 100,
                    "transfer",
                )
        if rng.random() < b["spend_p"]:
            self.ledger.at(t + int(rng.uniform(1, 48) * HOUR), self.spend, acc)

    def _delay(self, b: dict[str, float]) -> int:
        if self.rng.random() < b["hold_p"]:
            return int(self.rng.uniform(6, 36) * HOUR)
        return max(30, int(self.rng.lognormal(np.log(b["delay_median_min"] * 60), 0.9)))

    def _exit(self, t: int, acc: str, g: Gang, amount: int) -> None:
        rng, w, b = self.rng, self.w, g.behaviour
        if rng.random() < 0.15:  # the gang pays its people at home: card dealers, recruiters
            fee = int(amount * rng.uniform(0.03, 0.08)) // 100 * 100
            self.ledger.at(t, self.forward, acc, w.pick(g.home_accounts), fee, "transfer")
            amount -= fee
        r = rng.random() * max(1.0, b["exit_atm"] + b["exit_otc"] + 0.2)
        if r < b["exit_atm"]:
            while amount >= 10_000:
                chunk = min(amount, int(rng.integers(20, 51)) * 10_000)
                self.ledger.at(t, self.forward, acc, w.pick(self.pop.atms), chunk, "atm_withdrawal")
                amount -= chunk
                t += int(rng.uniform(5, 40) * 60)
        elif r < b["exit_atm"] + b["exit_otc"]:
            self.ledger.at(t, self.forward, acc, w.pick(self.pop.exchanges), amount, "crypto_otc")
        else:  # to the financier (the profit) or a core member (a cut): chaincut.foreign.roles
            dst, relay = self.roles.exit_to(g, w.pick(g.exits_abroad))
            then = self.roles.relay(g) if relay else None
            self.ledger.at(t, self.forward, acc, dst, amount, "cross_border", then)

    def forward(
        self,
        t: int,
        src: str,
        dst: str,
        amount: int,
        channel: str,
        then: Callable[[int, str, int], None] | None = None,
    ) -> None:
        """Pay what `src` still has of `amount`; the payee reacts (a chain account) or `then`."""
        have = self.ledger.balance.get(src, 0)
        amount = min(amount, have if channel != "atm_withdrawal" else have // 10_000 * 10_000)
        if amount < 100 or not self.ledger.transfer(t, src, dst, amount, channel):
            return
        if dst in self.level:
            self.react(t, dst, amount)
        if then is not None:
            then(t, dst, amount)

    def spend(self, t: int, acc: str) -> None:
        """A mule pays for goods, a service, a debt or rent: the payee is an innocent bystander."""
        rng, w, pop = self.rng, self.w, self.pop
        amount = min(cents(rng, 400, 1.1, 5), self.ledger.balance.get(acc, 0)) // 100 * 100
        if rng.random() < 0.5:
            self.ledger.transfer(t, acc, w.pick(pop.shops), amount, "pos")
        else:
            payee = pop.card[w.pick(pop.people)]
            if payee not in self.level:
                self.ledger.transfer(t, acc, payee, amount, "transfer")

    def report(self, t: int, case: Case) -> None:
        """The victim reports (if ever): the report, and where the money is at that moment."""
        if not case.reports or not case.txns:
            return
        w = self.w
        case.report_id = w.next_id("FR", 6)
        text = narrative(w.rng, case.fraud_type, case.paid, len(case.txns))
        w.reports.append(
            (
                case.report_id,
                t,
                case.victim,
                self.pop.card[case.victim],
                ";".join(case.txns),
                case.fraud_type,
                text,
            )
        )
        for acc, held in self.ledger.holdings(case.case):
            w.holdings.append((case.report_id, acc, held))
