"""Equipping the dens: members, SIM registrants, SIM boxes, fraud lines, mule cards, runners.

Members' own phones and handsets are labelled `member` (the gang's, not fraud calling lines).

New persons (members abroad and at home, people whose identities registered the fraud SIMs) are
created in one block at the end, so their ID numbers are unique; mule card holders and runners
are ordinary people of the city who rented or sold their accounts.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from chaincut.simulate import ident
from chaincut.simulate.accounts import bank_cards, foreign_accounts, payment_block
from chaincut.simulate.catalog import GOIP_TACS, HANDSET_TACS
from chaincut.simulate.dens import EXIT_METHODS, Den, MobileLine, layer_sizes
from chaincut.simulate.encode import hex_ids
from chaincut.simulate.people import add_persons
from chaincut.simulate.registry import (
    ACCOUNT_LABELS,
    DEVICE_LABELS,
    PERSON_LABELS,
    PHONE_LABELS,
    code,
)
from chaincut.simulate.rng import mix64, stream
from chaincut.simulate.simbox import SimBox, plan_sessions
from chaincut.simulate.world import World

I64 = NDArray[np.int64]
DAY = 86_400


class Recruiter:
    """Creates the dens' people, phones, devices and accounts in the world's registries."""

    def __init__(self, world: World, free: NDArray[np.bool_]) -> None:
        self.w = world
        self.rng = stream(world.seed, "dens")
        self.free = free  # ordinary persons not yet given a role
        self.pending: list[tuple[int, int]] = []  # (label code, phone) of persons to create
        self.base = world.persons.size  # new persons are numbered from here (see finish)
        self.phone_of: dict[int, int] = {}
        self.handset_of: dict[int, tuple[int, int]] = {}
        self.account_of: dict[int, int] = {}

    def new_person(self, label: str, phone: int) -> int:
        self.pending.append((code(PERSON_LABELS, label), phone))
        return self.base + len(self.pending) - 1

    def domestic(self, label: str) -> int:
        """A new person at home with a +86 number (card dealers, recruiters)."""
        phone = int(self._phones(1, "member")[0])
        person = self.new_person(label, phone)
        self.phone_of[person] = phone
        return person

    def _phones(self, n: int, label: str, dial: str = "+86") -> I64:
        w = self.w
        if dial == "+86":
            ids = ident.mobile_numbers(w.counters.take("mobile", n), w.seed)
        else:
            ids = ident.foreign_numbers(dial, w.counters.take("intl" + dial, n), w.seed)
        return w.phones.add(ids, label=code(PHONE_LABELS, label), owner=-1)

    def _devices(self, tacs: tuple[int, ...], n: int, label: str) -> I64:
        ns = "goip" if tacs == GOIP_TACS else "handset"
        ids = ident.imeis(tacs, self.w.counters.take(ns, n), self.w.seed)
        return self.w.devices.add(ids, label=code(DEVICE_LABELS, label))

    def take_population(self, n: int) -> I64:
        """n ordinary persons (distinct, not used before), chosen at random."""
        pool = np.flatnonzero(self.free)
        chosen = self.rng.choice(pool, size=min(n, len(pool)), replace=False).astype(np.int64)
        self.free[chosen] = False
        return chosen

    def members(
        self, den: Den, operators: tuple[int, int], dealers: list[int], recruiters: list[int]
    ) -> None:
        rng, w = self.rng, self.w
        counts = {
            "financier": 1,
            "core": int(rng.integers(2, 5)),
            "operator": int(rng.integers(operators[0], operators[1] + 1)),
            "logistics": int(rng.integers(1, 3)),
            "launderer": int(rng.integers(1, 4)),
        }
        for role, n in counts.items():
            abroad = role in ("financier", "core", "operator")
            phones = self._phones(n, "member", den.base[2] if abroad else "+86")
            den.members[role] = [self.new_person(role, int(p)) for p in phones]
            den.phone.update(zip(den.members[role], (int(p) for p in phones), strict=True))
        den.members["card_dealer"] = list(dealers)
        den.members["recruiter"] = list(recruiters)
        den.phone.update((p, self.phone_of[p]) for p in dealers + recruiters)
        at_home = den.members["logistics"] + den.members["launderer"] + dealers + recruiters
        new = [p for p in at_home if p not in self.handset_of]
        if new:
            imeis = self._devices(HANDSET_TACS, len(new), "member")
            cells = rng.integers(0, len(w.cells), len(new))
            for p, i, c in zip(new, imeis, cells, strict=True):
                self.handset_of[p] = (int(i), int(c))
        den.handset.update((p, self.handset_of[p]) for p in at_home)
        for role in ("launderer", "card_dealer", "recruiter"):
            holders = np.array([p for p in den.members[role] if p not in self.account_of], np.int64)
            if len(holders):
                opened = (w.start_ts - rng.uniform(200, 3000, len(holders)) * DAY).astype(np.int64)
                made = bank_cards(
                    rng, holders, w.accounts, w.institutions, w.counters, w.seed, opened, "member"
                )
                self.account_of.update(zip(holders.tolist(), made.tolist(), strict=True))
            den.member_accounts[role] = [self.account_of[p] for p in den.members[role]]

    def boxes(
        self, den: Den, slots: list[int], calls: list[int], rotating_share: float, per_sim_day: int
    ) -> None:
        """SIM boxes in one building: sectors of one mast and its neighbour (nearby cells)."""
        rng, w = self.rng, self.w
        n_sites = int(w.cells.site.max()) + 1
        site = int(rng.integers(0, n_sites))
        first = np.flatnonzero(w.cells.site == site)
        here = first[0]
        dist = (w.cells.lat - w.cells.lat[here]) ** 2 + (w.cells.lon - w.cells.lon[here]) ** 2
        dist[w.cells.site == site] = np.inf
        neighbour = int(w.cells.site[int(np.argmin(dist))])
        cells = np.concatenate([first, np.flatnonzero(w.cells.site == neighbour)])
        den.site_cells = cells.astype(np.int64)
        for b, (n_slots, n_calls) in enumerate(zip(slots, calls, strict=True)):
            sims = self._phones(n_slots, "simbox")
            for s in sims:
                self.new_person("sim_registrant", int(s))
            rotating = bool(rng.random() < rotating_share)
            imeis = self._devices(GOIP_TACS, n_slots * (3 if rotating else 1), "simbox")
            uid = mix64(np.array([den.index * 16 + b], np.uint64), w.seed)
            box = SimBox(
                device_id=str(hex_ids("GOIP-", uid)[0].as_py()),
                slots=n_slots,
                sims=sims,
                imeis=imeis,
                rotating=rotating,
                cell=int(cells[b % len(cells)]),
                calls=n_calls,
            )
            box.sessions = plan_sessions(
                rng,
                w.start_ts,
                w.params.days,
                n_calls,
                n_slots * per_sim_day,
                w.params.simbox_active_days,
            )
            den.boxes.append(box)

    def mobiles(self, den: Den) -> None:
        rng, w = self.rng, self.w
        n = max(2, len(den.members["operator"]) // 3)
        phones = self._phones(n, "fraud")
        for p in phones:
            self.new_person("sim_registrant", int(p))
        handsets = self._devices(HANDSET_TACS, n, "fraud")
        district = int(w.cells.district[int(rng.integers(0, len(w.cells)))])
        near = np.flatnonzero(w.cells.district == district)
        for i, p in enumerate(phones):
            imei = handsets[i - 1] if i % 3 == 2 else handsets[i]  # some handsets hold two lines
            cells = rng.choice(near, size=min(len(near), int(rng.integers(2, 6))), replace=False)
            den.mobiles.append(MobileLine(int(p), int(imei), cells.astype(np.int64)))

    def mule_accounts(
        self,
        den: Den,
        layers: int,
        per_l1: float,
        ratio: float,
        runner_share: float,
        exit_mix: tuple[float, float, float],
    ) -> None:
        rng, w = self.rng, self.w
        sizes = layer_sizes(den.victims, per_l1, layers, ratio)
        n_cards = sum(sizes)
        holders = self.take_population(max(1, int(np.ceil(n_cards / 1.7))))
        owner = holders[rng.integers(0, len(holders), n_cards)]
        opened = (w.start_ts - rng.uniform(3, 60, n_cards) * DAY).astype(np.int64)
        is_pay = rng.random(n_cards) < np.where(np.arange(n_cards) < sizes[0], 0.25, 0.08)
        label = np.repeat([code_of_layer(k) for k in range(layers)], sizes)
        accounts = np.empty(n_cards, dtype=np.int64)
        for pay in (False, True):
            m = np.flatnonzero(is_pay == pay)
            if len(m) == 0:
                continue
            if pay:
                made = payment_block(
                    rng,
                    owner[m],
                    w.accounts,
                    w.institutions,
                    w.counters,
                    w.seed,
                    opened[m],
                    label[m],
                )
            else:
                made = bank_cards(
                    rng,
                    owner[m],
                    w.accounts,
                    w.institutions,
                    w.counters,
                    w.seed,
                    opened[m],
                    label[m],
                    mule=True,
                )
            accounts[m] = made
        bounds = np.cumsum([0, *sizes])
        den.layers = [[int(a) for a in accounts[bounds[k] : bounds[k + 1]]] for k in range(layers)]
        den.owner.update({int(a): int(o) for a, o in zip(accounts, owner, strict=True)})
        lo, hi = w.start_ts + DAY // 2, w.end_ts - 4 * DAY
        for a in den.layers[0]:
            start = int(rng.integers(lo, hi))
            den.l1_window[a] = (start, start + int(rng.uniform(3, 10) * DAY))
        den.l1_window[den.layers[0][0]] = (lo, lo + 6 * DAY)  # one card ready from the start
        for account in accounts.tolist():
            early = w.start_ts + int(rng.integers(2, 20)) * 3600
            window = den.l1_window.get(account)
            den.active_from[account] = window[0] if window else early
        for a in den.layers[-1]:
            den.exit_method[a] = EXIT_METHODS[int(rng.choice(3, p=np.asarray(exit_mix)))]
        n_runners = int(round(den.victims * runner_share / 3)) + (1 if runner_share > 0 else 0)
        if n_runners:
            people = self.take_population(n_runners)
            r_open = (w.start_ts - rng.uniform(1, 30, n_runners) * DAY).astype(np.int64)
            made = payment_block(
                rng, people, w.accounts, w.institutions, w.counters, w.seed, r_open, "runner"
            )
            den.runners = [int(a) for a in made]
            den.owner.update({int(a): int(p) for a, p in zip(made, people, strict=True)})
            for a in den.runners:
                den.active_from[a] = w.start_ts + int(rng.integers(2, 20)) * 3600

    def exits(self, den: Den) -> None:
        rng, w = self.rng, self.w
        ex = w.economy.exchanges
        den.exchanges = [
            int(a)
            for a in rng.choice(ex, size=min(len(ex), int(rng.integers(1, 3))), replace=False)
        ]
        n = int(rng.integers(1, 4))
        bosses = den.members["financier"] + den.members["core"]
        holders = np.array([bosses[int(rng.integers(0, len(bosses)))] for _ in range(n)], np.int64)
        made = foreign_accounts(
            rng,
            rng.integers(0, 8, n),
            w.accounts,
            w.institutions,
            w.counters,
            w.seed,
            w.start_ts,
            "foreign_den",
            holder=holders,
        )
        den.foreign = [int(a) for a in made]

    def finish(self) -> None:
        """Create the pending persons (one block, so their ID numbers are unique)."""
        w = self.w
        if w.persons.size != self.base:
            raise RuntimeError("persons were added while dens were recruited")
        labels = np.array([lab for lab, _ in self.pending], dtype=np.int64)
        phones = np.array([p for _, p in self.pending], dtype=np.int64)
        made = add_persons(
            w.seed, "dens", len(self.pending), w.start_days, labels, phones, w.persons, w.counters
        )
        w.phones.set("owner", phones, made)


def code_of_layer(k: int) -> int:
    return ACCOUNT_LABELS.index(f"mule_l{k + 1}")
