"""Call records: people calling family and friends; SIM boxes calling many people briefly, a few
long calls with victims and callbacks from the curious; operators' lines abroad; and honest
look-alikes: a call centre, couriers, a clinic's reminder gateway, a company switchboard (many
numbers on one trunk), telemarketers, shared family phones and people with two phones."""

from __future__ import annotations

import numpy as np

from chaincut.foreign.chain import Case
from chaincut.foreign.core import CST, DAY, HOUR, World
from chaincut.foreign.gangs import CITIES, Gang
from chaincut.foreign.population import Population

IM_TYPES = frozenset(
    {
        "romance",
        "fake_investment",
        "fake_gambling",
        "order_brushing",
        "fake_game_trading",
        "impersonate_boss",
    }
)


class Phones:
    """The handset (IMEI) and home cell of each number, and the calls made."""

    def __init__(self, w: World, pop: Population) -> None:
        self.w, self.pop, self.rng = w, pop, w.rng
        self.imei: dict[str, str] = {}
        self.cell: dict[str, str] = {}
        cells = [
            f"CN-{w.pick(CITIES)}-{w.digits(5)}" for _ in range(max(10, len(pop.people) // 40))
        ]
        for pid in pop.people:
            number = pop.phone[pid]
            if number not in self.imei:
                self.imei[number], self.cell[number] = w.imei(), w.pick(cells)
            if pid in pop.second_phone:
                second = pop.second_phone[pid]
                # half of the two-phone people use one dual-SIM handset
                self.imei[second] = self.imei[number] if self.rng.random() < 0.5 else w.imei()
                self.cell[second] = self.cell[number]
        self.numbers = sorted(self.imei)
        for number, imei in self.imei.items():
            w.labels.setdefault((number, "phone"), "normal")
            w.labels.setdefault((imei, "device"), "normal")
        self.lookalikes: dict[str, list[str]] = {}
        self.gateways: dict[str, list[str]] = {}  # honest device -> its numbers
        # numbers whose calls among the gang chaincut.foreign.roles writes instead (financiers'
        # and core members'), and those nobody else in the gang calls (financiers')
        self.replaced: set[str] = set()
        self.secluded: set[str] = set()

    def call(
        self,
        t: int,
        caller: str,
        callee: str,
        dur: int,
        cell: str | None = None,
        imei: str | None = None,
        drop: bool = False,
    ) -> None:
        if 0 <= t < self.w.days * DAY:
            if drop:  # drawn as before, so that every later call stays the same, but not made
                self.w.dropped_calls.add(len(self.w.calls))
            self.w.calls.append(
                (
                    t,
                    caller,
                    callee,
                    dur,
                    cell or self.cell.get(caller, ""),
                    imei or self.imei.get(caller, ""),
                )
            )

    def when(self, lo_h: float = 8, hi_h: float = 22) -> int:
        day = int(self.rng.integers(self.w.days))
        return day * DAY + int(self.rng.uniform(lo_h, hi_h) * HOUR) - CST

    def people_calls(self, rate: float) -> None:
        rng, pop = self.rng, self.pop
        for pid in pop.people:
            mine = [pop.phone[pid]] + ([pop.second_phone[pid]] if pid in pop.second_phone else [])
            for _ in range(int(rng.poisson(rate * self.w.days))):
                src = mine[0] if len(mine) == 1 or rng.random() < 0.7 else mine[1]
                friend = (
                    self.w.pick(pop.contacts[pid])
                    if pop.contacts[pid] and rng.random() < 0.8
                    else self.w.pick(pop.people)
                )
                dur = 0 if rng.random() < 0.12 else int(rng.lognormal(np.log(70), 1.0)) + 1
                self.call(self.when(7, 23), src, pop.phone[friend], dur)

    def gang_calls(self, g: Gang) -> None:
        """Members call each other (den to den, den to home) and recruiters call people."""
        rng, w = self.rng, self.w
        phones = [m["id"] for m in g.members if m["kind"] == "phone" and m["role"] != "simbox_sim"]
        phones = [p for p in phones if p.startswith("+")]
        for number in phones:
            if number not in g.handset:
                g.handset[number] = w.imei()
                g.add("device", g.handset[number], "member")
                w.label(g.handset[number], "device", "member")
            home = number.startswith("+86")
            cell = f"CN-{w.pick(CITIES)}-{w.digits(5)}" if home else w.pick(g.dens[0]["cells"])
            for _ in range(int(rng.poisson(1.5 * w.days))):
                other = w.pick(phones) if rng.random() < 0.7 else w.pick(self.numbers)
                if other != number:
                    dur = int(rng.lognormal(np.log(90), 1.0)) + 1
                    drop = number in self.replaced or other in self.secluded
                    self.call(self.when(8, 24), number, other, dur, cell, g.handset[number], drop)

    def box_calls(self, g: Gang, per_channel_day: float) -> None:
        """Each box's channels call many distinct people briefly in the den's working hours
        (09:00-21:00 China time), each call through the SIM of a slot the bank switches in."""
        rng, w = self.rng, self.w
        for box in g.boxes:
            modules = len(box.imeis)
            for _ in range(int(rng.poisson(per_channel_day * modules * w.days))):
                t = int(rng.integers(w.days)) * DAY + int(rng.uniform(9, 21) * HOUR) - CST
                slot = int(rng.integers(box.slots))
                number = box.sim_at(slot, t)
                if number is None or t < 0:
                    continue
                known = rng.random() < 0.85
                callee = w.pick(self.numbers) if known else w.unique(lambda: f"+861{w.digits(10)}")
                answered = rng.random() < 0.45
                dur = int(rng.lognormal(np.log(14), 0.8)) + 1 if answered else 0
                self.call(t, number, callee, dur, box.cell, box.imei_at(slot % modules, t))
                if answered and known and rng.random() < 0.03:
                    back = t + int(rng.uniform(0.1, 30) * HOUR)
                    self.call(back, callee, number, int(rng.integers(3, 40)))

    def case_calls(self, case: Case, victim: bool) -> str:
        """The contact that hooks a victim or a target; returns the number or IM id used."""
        rng, w, g = self.rng, self.w, case.gang
        phone = self.pop.phone[case.victim]
        if case.fraud_type in IM_TYPES:
            return w.pick(g.operator_ims)
        live = [(b, i, n) for b in g.boxes for i, n, s, e in b.sims if s <= case.start < e]
        if live and rng.random() < 0.8:
            box, slot, number = live[int(rng.integers(len(live)))]
            imei, cell = box.imei_at(slot % len(box.imeis), case.start), box.cell
        else:
            number = w.pick(g.operator_phones)
            imei = g.handset[number]
            cell = w.pick(g.dens[0]["cells"])
        self.call(
            case.start,
            number,
            phone,
            int(rng.uniform(600, 3600)) if victim else int(rng.uniform(15, 240)),
            cell,
            imei,
        )
        if victim and rng.random() < 0.5:
            self.call(
                case.start + int(rng.uniform(1, 30) * HOUR),
                number,
                phone,
                int(rng.uniform(300, 2400)),
                cell,
                imei,
            )
        return number

    def lookalikes_calls(self, scale: float) -> None:
        """Honest lines that share some SIM-box indicators."""
        site = f"CN-GZ-{self.w.digits(5)}"
        self._call_centre(site, scale)
        self._couriers(scale)
        self._clinic(site, scale)
        self._switchboard(site, scale)

    def _call_centre(self, site: str, scale: float) -> None:
        """Seats of a call centre on one site: many calls out and in, none from a SIM box."""
        rng, w = self.rng, self.w
        seats = [w.unique(lambda: f"+8620{w.digits(8)}") for _ in range(int(rng.integers(10, 41)))]
        for s in seats:
            for _ in range(int(rng.poisson(6 * w.days * scale))):
                if rng.random() < 0.5:
                    self.call(
                        self.when(9, 21),
                        s,
                        w.pick(self.numbers),
                        int(rng.lognormal(np.log(150), 0.7)),
                        site,
                        "",
                    )
                else:
                    self.call(
                        self.when(9, 21),
                        w.pick(self.numbers),
                        s,
                        int(rng.lognormal(np.log(200), 0.7)),
                    )
        self.lookalikes["call_centre"] = seats

    def _couriers(self, scale: float) -> None:
        """Couriers' phones: short calls to many strangers, across the city, some called back."""
        rng, w = self.rng, self.w
        couriers = [w.phone() for _ in range(int(rng.integers(5, 21)))]
        for c in couriers:
            handset = w.imei()
            for _ in range(int(rng.poisson(15 * w.days * scale))):
                callee = w.pick(self.numbers)
                self.call(
                    self.when(9, 19),
                    c,
                    callee,
                    int(rng.integers(15, 70)),
                    f"CN-GZ-{w.digits(5)}",
                    handset,
                )
                if rng.random() < 0.1:
                    self.call(self.when(9, 21), callee, c, int(rng.integers(10, 60)))
        self.lookalikes["courier"] = couriers

    def _clinic(self, site: str, scale: float) -> None:
        """A clinic's reminder lines, all through one gateway handset."""
        rng, w = self.rng, self.w
        gateway, clinic = w.imei(), [w.phone() for _ in range(4)]
        for n in clinic:
            for _ in range(int(rng.poisson(8 * w.days * scale))):
                self.call(
                    self.when(9, 17),
                    n,
                    w.pick(self.numbers),
                    int(rng.integers(20, 90)),
                    site,
                    gateway,
                )
        self.lookalikes["clinic_reminder"] = clinic
        self.gateways[gateway] = clinic

    def _switchboard(self, site: str, scale: float) -> None:
        """A company switchboard's direct lines on one trunk."""
        rng, w = self.rng, self.w
        trunk, dids = (
            w.imei(),
            [w.unique(lambda: f"+86755{w.digits(8)}") for _ in range(int(rng.integers(20, 101)))],
        )
        for n in dids:
            for _ in range(int(rng.poisson(1.5 * w.days * scale))):
                if rng.random() < 0.5:
                    self.call(
                        self.when(9, 18),
                        n,
                        w.pick(self.numbers),
                        int(rng.lognormal(np.log(120), 1.0)),
                        site,
                        trunk,
                    )
                else:
                    self.call(
                        self.when(9, 18),
                        w.pick(self.numbers),
                        n,
                        int(rng.lognormal(np.log(120), 1.0)),
                    )
        self.lookalikes["switchboard"] = dids
        self.gateways[trunk] = dids
        sellers = [w.phone() for _ in range(int(rng.integers(5, 16)))]
        for n in sellers:
            handset, cell = w.imei(), f"CN-SZ-{w.digits(5)}"
            for _ in range(int(rng.poisson(25 * w.days * scale))):
                dur = 0 if rng.random() < 0.3 else int(rng.lognormal(np.log(25), 0.9)) + 1
                self.call(self.when(9, 20), n, w.pick(self.numbers), dur, cell, handset)
        self.lookalikes["telemarketer"] = sellers
        for numbers in self.lookalikes.values():
            for n in numbers:
                w.label(n, "phone", "normal")
        for device in self.gateways:
            w.label(device, "device", "normal")
