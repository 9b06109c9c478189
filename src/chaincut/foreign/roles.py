"""What financiers (金主) and core members (骨干) do, each in their own way, in the records.

From public descriptions of cross-border fraud groups (court judgments, procuratorates' case
reports, press; the sources are listed in docs/foreign-world.md):

- the **financier** invests and profits: funds the operation (pays the card dealers for bank and
  SIM cards, the box sites' rent and kit), usually through an OTC desk (USDT) or through a core
  member, and receives the profit at the end of the money chain; rarely in contact with anyone
  but the core members, and never in the den's cells;
- the **core members** run it: work in the den's cells with the operators, call the card dealers,
  recruiters, logistics and the card holders (the mules), pay the recruiters per card, take their
  cut of the exits and, in some gangs, receive the financier's share and pass it on;
- some gangs have no separate financier: their bosses run the den themselves (core members).

Everything here is drawn from a random stream of its own (seeded by the world's seed), and the
rows it adds get ids of their own (`FX…` payments, `FCX…` calls): every row of the world that the
roles do not change stays byte-identical for a given seed. What the roles change: the payee of
the gang's cross-border exits (the financier or a core member instead of either at random), the
calls among the gang from and to financiers and core members (replaced), and the labels of the
bosses of gangs with no financier (`core_member`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from chaincut.foreign.core import CST, DAY, HOUR, World
from chaincut.foreign.gangs import Gang
from chaincut.foreign.ledger import Ledger
from chaincut.foreign.phones import Phones
from chaincut.foreign.population import Population

STREAM = 0x726F6C65  # "role": the roles' own random stream, apart from the world's
ENABLED = True  # tests switch the roles off to check that every other row stays the same
ROUTES = ("direct", "core", "otc")  # how a financier pays the suppliers
NO_FINANCIER_P = 0.15  # share of gangs whose bosses run the den themselves


class Roles:
    """The roles' behaviour per gang (drawn from wide ranges, recorded in the truth), the
    payments they make and the calls they replace."""

    def __init__(self, w: World, gangs: list[Gang], ledger: Ledger) -> None:
        self.w, self.gangs, self.ledger = w, gangs, ledger
        self.rng = np.random.default_rng([w.seed, STREAM])
        self.enabled = ENABLED
        if not self.enabled:
            return
        for g in gangs:
            self._draw(g)

    # -- who is who --------------------------------------------------------------------------
    @staticmethod
    def of(g: Gang, kind: str, role: str) -> list[str]:
        """The ids of gang `g`'s members of `kind` in `role`, in the order they were made."""
        return [m["id"] for m in g.members if m["kind"] == kind and m["role"] == role]

    def _draw(self, g: Gang) -> None:
        rng = self.rng
        has_financier = bool(rng.random() >= NO_FINANCIER_P)
        if not has_financier:  # the bosses run the den themselves: core members
            for m in g.members:
                if m["role"] == "financier":
                    m["role"] = "core_member"
                    if m["kind"] == "person":
                        self.w.label(m["id"], "person", "core_member")
        g.roles = {
            "has_financier": has_financier,
            "financier_share": round(float(rng.uniform(0.5, 0.9)), 4),
            "via_core": bool(rng.random() < 0.35),
            "relay_cut": round(float(rng.uniform(0.05, 0.2)), 4),
            "relay_delay_h": round(float(rng.uniform(1, 72)), 3),
            "funding_route": str(rng.choice(ROUTES, p=(0.3, 0.35, 0.35))),
            "card_price": int(rng.integers(100, 801)),
            "sim_price": int(rng.integers(20, 101)),
            "recruiter_fee": int(rng.integers(50, 301)),
            "box_rent": int(rng.integers(2000, 8001)),
            "deliveries": int(rng.integers(2, 6)),
            "financier_calls_day": round(float(rng.uniform(0.1, 0.6)), 4),
            "financier_hands_on": bool(rng.random() < 0.2),
            "core_calls_day": round(float(rng.uniform(1, 4)), 4),
        }

    # -- money -------------------------------------------------------------------------------
    def exit_to(self, g: Gang, picked: str) -> tuple[str, bool]:
        """Whose account abroad a cross-border exit pays (`picked` is the old draw, kept so that
        the world's own stream is unchanged), and whether the payee relays it to the financier."""
        if not self.enabled:
            return picked, False
        rng, spec = self.rng, g.roles
        financiers, core = self.of(g, "account", "financier"), self.of(g, "account", "core_member")
        if financiers and rng.random() < spec["financier_share"]:
            if spec["via_core"]:
                return core[int(rng.integers(len(core)))], True
            return financiers[int(rng.integers(len(financiers)))], False
        return core[int(rng.integers(len(core)))], False

    def relay(self, g: Gang) -> Callable[[int, str, int], None]:
        """What a core member does with the financier's share: keeps a cut, passes on the rest."""

        def then(t: int, core: str, cents: int) -> None:
            financiers = self.of(g, "account", "financier")
            rest = int(cents * (1 - g.roles["relay_cut"])) // 100 * 100
            delay = int(self.rng.uniform(0.5, 2) * g.roles["relay_delay_h"] * HOUR)
            dst = financiers[int(self.rng.integers(len(financiers)))]
            self._pay_at(t + delay, core, dst, rest, "transfer")

        return then

    def fund(self, pop: Population) -> None:
        """The gang's spending at home: card dealers paid per bank and SIM card delivered,
        recruiters per card recruited, the box sites' rent; by the financier's route."""
        if not self.enabled:
            return
        self.ledger.sources.update(a for g in self.gangs for a in g.exits_abroad)  # capital abroad
        rng, end = self.rng, self.w.days * DAY
        for g in self.gangs:
            spec = g.roles
            cards = [a for layer in g.layers for a in layer]
            sims = sum(len(b.sims) for b in g.boxes)
            n = spec["deliveries"]
            times = sorted(int(rng.uniform(0, 0.8) * end) for _ in range(n))
            for k, t in enumerate(times):
                batch = len(cards[k::n])
                dealer = self._pick(self.of(g, "account", "card_dealer"))
                price = batch * spec["card_price"] + len(range(k, sims, n)) * spec["sim_price"]
                self._supply(g, t, dealer, price * 100, pop)
                recruiters = self.of(g, "account", "recruiter")
                if recruiters and batch:
                    core = self._pick(self.of(g, "account", "core_member"))
                    fee = batch * spec["recruiter_fee"] * 100
                    later = t + int(rng.uniform(1, 48) * HOUR)
                    self._pay_at(later, core, self._pick(recruiters), fee)
            logistics = self.of(g, "account", "logistics")
            for day in range(0, self.w.days, 30):  # the box sites' rent, month by month
                if logistics and g.boxes:
                    t = day * DAY + int(rng.uniform(0, 5) * DAY)
                    rent = len(g.boxes) * spec["box_rent"] * 100
                    self._supply(g, t, self._pick(logistics), rent, pop)

    def _supply(self, g: Gang, t: int, dst: str, cents: int, pop: Population) -> None:
        """The financier pays a supplier at home: directly, through a core member, or by
        selling USDT to an OTC desk that pays the supplier; with no financier a core member."""
        rng = self.rng
        financiers = self.of(g, "account", "financier")
        core = self._pick(self.of(g, "account", "core_member"))
        route = g.roles["funding_route"]
        if not financiers:
            self._pay_at(t, core, dst, cents)
        elif route == "direct":
            self._pay_at(t, self._pick(financiers), dst, cents)
        elif route == "core":
            self._pay_at(t, self._pick(financiers), core, cents, "transfer")
            self._pay_at(t + int(rng.uniform(0.5, 24) * HOUR), core, dst, cents)
        else:
            desk = self._pick(pop.exchanges)
            self._pay_at(t, self._pick(financiers), desk, cents, "crypto_otc")
            self._pay_at(t + int(rng.uniform(600, 7200)), desk, dst, cents, "crypto_otc")

    def _pay_at(
        self, t: int, src: str, dst: str, cents: int, channel: str = "cross_border"
    ) -> None:
        if cents >= 100:
            self.ledger.at(t, self._pay, src, dst, cents, channel)

    def _pay(self, t: int, src: str, dst: str, cents: int, channel: str) -> None:
        self.ledger.transfer(t, src, dst, cents, channel, extra=True)

    def _pick(self, seq: list[str]) -> str:
        return seq[int(self.rng.integers(len(seq)))]

    # -- calls -------------------------------------------------------------------------------
    def quiet(self, phones: Phones) -> None:
        """Before the gang's calls: the financiers' and core members' calls are the roles'."""
        if not self.enabled:
            return
        for g in self.gangs:
            phones.replaced.update(self.of(g, "phone", "financier"))
            phones.replaced.update(self.of(g, "phone", "core_member"))
            phones.secluded.update(self.of(g, "phone", "financier"))

    def calls(self, pop: Population) -> None:
        """Core members call the operators, each other, the financier, the members at home and
        the card holders, from the den's cells; a financier calls the core members (in some
        gangs the dealers and operators too) from a city away from the den."""
        if not self.enabled:
            return
        rng, w = self.rng, self.w
        for g in self.gangs:
            spec = g.roles
            core, fin = self.of(g, "phone", "core_member"), self.of(g, "phone", "financier")
            home = [
                m["id"]
                for m in g.members
                if m["kind"] == "phone" and m["role"] in ("card_dealer", "recruiter", "logistics")
            ]
            mules = [pop.phone[p] for p in self.of(g, "person", "mule")]
            groups = [g.operator_phones, core, fin, home, mules]
            weights = np.array([0.35, 0.15, 0.1, 0.2, 0.2]) * [bool(x) for x in groups]
            for number in core:
                cells = g.dens[int(rng.integers(len(g.dens)))]["cells"]
                for _ in range(int(rng.poisson(spec["core_calls_day"] * w.days))):
                    group = groups[int(rng.choice(len(groups), p=weights / weights.sum()))]
                    self._call(g, number, self._pick(group), self._pick(cells))
            country = g.dens[0]["country"]
            for number in fin:
                cell = f"{country}-CITY-{int(rng.integers(100_000)):05d}"  # lives away from the den
                crew = g.operator_phones + home if spec["financier_hands_on"] else []
                for _ in range(int(rng.poisson(spec["financier_calls_day"] * w.days))):
                    group = crew if crew and rng.random() < 0.4 else core
                    self._call(g, number, self._pick(group), cell)

    def _call(self, g: Gang, caller: str, callee: str, cell: str) -> None:
        rng, w = self.rng, self.w
        if callee == caller:
            return
        t = int(rng.integers(w.days)) * DAY + int(rng.uniform(8, 24) * HOUR) - CST
        dur = 0 if rng.random() < 0.1 else int(rng.lognormal(np.log(90), 1.0)) + 1
        if 0 <= t < w.days * DAY:
            w.extra_calls.append((t, caller, callee, dur, cell, g.handset.get(caller, "")))
