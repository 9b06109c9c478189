"""Fraud gangs: dens abroad, members in roles, the cards a card dealer buys and registers, the
score-running (跑分) accounts, and the SIM boxes (GOIP) at home that the dens call through."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chaincut.foreign.core import DAY, World
from chaincut.foreign.population import Population
from chaincut.model.schema import FRAUD_TYPES

DEN_COUNTRIES = ("KH", "MM", "PH", "LA", "AE")
SLOTS = (4, 8, 16, 32, 64, 128, 256)
CITIES = ("GZ", "SZ", "DG", "FS", "XM", "NN", "KM", "CD")


@dataclass
class Box:
    """A SIM box: `slots` SIM slots served by radio modules whose IMEIs may rotate."""

    box_id: str
    cell: str
    slots: int
    rotates: bool
    imeis: list[list[tuple[int, str]]]  # per module: (from_t, imei) in time order
    sims: list[tuple[int, str, int, int]] = field(default_factory=list)  # slot, number, from, to

    by_slot: dict[int, list[tuple[str, int, int]]] = field(default_factory=dict)

    def sim_at(self, slot: int, t: int) -> str | None:
        """The SIM in `slot` at time `t` (None between a SIM and its replacement)."""
        if not self.by_slot:
            for s, number, start, stop in self.sims:
                self.by_slot.setdefault(s, []).append((number, start, stop))
        for number, start, stop in self.by_slot.get(slot, ()):
            if start <= t < stop:
                return number
        return None

    def imei_at(self, module: int, t: int) -> str:
        current = self.imeis[module][0][1]
        for start, imei in self.imeis[module]:
            if start > t:
                break
            current = imei
        return current


@dataclass
class Gang:
    gang_id: str
    fraud_types: list[str]
    dens: list[dict[str, Any]]
    members: list[dict[str, str]] = field(default_factory=list)  # kind, id, role
    layers: list[list[str]] = field(default_factory=list)  # mule accounts by level 1..depth
    runners: list[str] = field(default_factory=list)
    exits_abroad: list[str] = field(default_factory=list)  # financier / core members' accounts
    home_accounts: list[str] = field(default_factory=list)  # card dealers', recruiters', logistics'
    operator_phones: list[str] = field(default_factory=list)
    handset: dict[str, str] = field(default_factory=dict)  # member's phone -> its IMEI
    operator_ims: list[str] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    behaviour: dict[str, float] = field(default_factory=dict)
    holders: dict[str, str] = field(default_factory=dict)  # chain account -> holder person
    roles: dict[str, Any] = field(default_factory=dict)  # chaincut.foreign.roles' draws

    def add(self, kind: str, entity: str, role: str) -> None:
        self.members.append({"kind": kind, "id": entity, "role": role})


def _member(w: World, g: Gang, role: str, abroad: str | None) -> str:
    phone = w.phone(abroad)
    pid = w.add_person(role, phone=phone, age=(19, 55))
    g.add("person", pid, role)
    g.add("phone", phone, role)
    w.label(phone, "phone", "fraud" if role == "operator" else "member")
    return pid


def build_gang(w: World, pop: Population, k: int, taken: set[str]) -> Gang:
    """Gang number `k`: members, mule cards in 1-4 levels, runners, dens and their SIM boxes."""
    rng = w.rng
    types = [
        str(t)
        for t in rng.choice(list(FRAUD_TYPES)[:-1], size=int(rng.integers(1, 4)), replace=False)
    ]
    countries = rng.choice(DEN_COUNTRIES, size=int(rng.integers(1, 3)), replace=False)
    g = Gang(f"G{k + 1}", types, [])
    for j, c in enumerate(countries):
        g.dens.append(
            {
                "den_id": f"DEN-{k + 1}-{j + 1}",
                "country": str(c),
                "cells": [f"{c}-{k + 1}{j + 1}-{i:03d}" for i in range(3)],
            }
        )
    home = str(countries[0])
    for role, n in (("financier", rng.integers(1, 3)), ("core_member", rng.integers(2, 6))):
        for _ in range(int(n)):
            pid = _member(w, g, role, home)
            acc = w.add_account(
                pid,
                "bank_card",
                "member",
                account_id=f"{home}{w.digits(14)}",
                country=home,
                institution=f"{home} bank",
            )
            g.add("account", acc, role)
            g.exits_abroad.append(acc)
    for _ in range(int(rng.integers(4, 16))):
        pid = _member(w, g, "operator", home)
        g.operator_phones.append(g.members[-1]["id"])
        im = f"im:{w.digits(10)}"
        g.operator_ims.append(im)
        g.add("phone", im, "operator")
        w.label(im, "phone", "fraud")
        handset = w.imei()
        g.handset[g.operator_phones[-1]] = handset
        g.add("device", handset, "operator")
        w.label(handset, "device", "member")
    dealers = [_member(w, g, "card_dealer", None) for _ in range(int(rng.integers(1, 3)))]
    dealer_reg = {
        d: (_phone_of(w, d), f"{w.pick(CITIES)} rented flat {w.digits(3)}") for d in dealers
    }
    for d in dealers:
        g.home_accounts.append(w.add_account(d, "bank_card", "member"))
        g.add("account", g.home_accounts[-1], "card_dealer")
    for role in ("recruiter", "logistics"):
        for _ in range(int(rng.integers(1, 3))):
            pid = _member(w, g, role, None)
            g.home_accounts.append(w.add_account(pid, "bank_card", "member"))
            g.add("account", g.home_accounts[-1], role)

    # mules: honest-looking people who rent or sell cards; some rent out their own main card
    depth = int(rng.integers(1, 5))
    free = [p for p in pop.people if p not in taken]
    n_mules = int(rng.integers(6, 14)) * depth
    mules = [str(p) for p in rng.choice(free, size=min(n_mules, len(free) // 4), replace=False)]
    taken.update(mules)
    depth = min(depth, len(mules))
    sizes = [max(1, round(len(mules) * s)) for s in _level_shares(depth)]
    while sum(sizes) > len(mules):  # rounding up must not leave a level without cards
        sizes[sizes.index(max(sizes))] -= 1
    cursor = 0
    for level, size in enumerate(sizes, start=1):
        accounts = []
        for p in mules[cursor : cursor + size]:
            w.label(p, "person", "mule")
            g.add("person", p, "mule")
            for c in range(int(rng.integers(1, 3))):
                if c == 0 and rng.random() < 0.4:
                    acc = pop.card[p]
                    w.label(acc, "account", f"mule_l{level}")
                else:
                    reg = dealer_reg[w.pick(dealers)]
                    acc = w.add_account(
                        p,
                        "bank_card",
                        f"mule_l{level}",
                        opened_days_ago=int(rng.integers(3, 120)),
                        reg=reg,
                    )
                accounts.append(acc)
                g.holders[acc] = p
                g.add("account", acc, f"mule_l{level}")
        cursor += size
        g.layers.append(accounts)
    # score-running (跑分) accounts: payment accounts of recruited people, paid by victims
    runner_people = [
        str(p)
        for p in rng.choice(
            [p for p in free if p not in taken], size=int(rng.integers(2, 8)), replace=False
        )
    ]
    taken.update(runner_people)
    for p in runner_people:
        w.label(p, "person", "launderer")
        g.add("person", p, "launderer")
        for _ in range(int(rng.integers(1, 4))):
            acc = w.add_account(
                p,
                "payment",
                "runner",
                account_id=w.unique(lambda: "2088" + w.digits(12)),
                institution=w.pick(("Alipay", "WeChat Pay")),
                opened_days_ago=int(rng.integers(5, 400)),
            )
            g.runners.append(acc)
            g.holders[acc] = p
            g.add("account", acc, "runner")
    _boxes(w, g, k)
    g.behaviour = {
        "depth": depth,
        "delay_median_min": float(rng.uniform(3, 180)),
        "hold_p": float(rng.uniform(0.02, 0.3)),
        "spend_p": float(rng.uniform(0.15, 0.7)),
        "commission": float(rng.uniform(0.005, 0.04)),
        "via_platform_p": float(rng.uniform(0.1, 0.6)),
        "runner_p": float(rng.uniform(0.0, 0.5)),
        "exit_atm": float(rng.uniform(0.1, 0.6)),
        "exit_otc": float(rng.uniform(0.1, 0.6)),
    }
    return g


def _phone_of(w: World, pid: str) -> str:
    for row in reversed(w.persons):
        if row[0] == pid:
            return row[4]
    raise KeyError(pid)


def _level_shares(depth: int) -> list[float]:
    # money fans out at level 1 and gathers towards the exits: fewer cards at deeper levels
    raw = [0.5**i for i in range(depth)]
    return [r / sum(raw) for r in raw]


def _boxes(w: World, g: Gang, k: int) -> None:
    rng = w.rng
    end = w.days * DAY
    # 两卡: mules sell SIM cards in their own names as well as bank cards; the rest of the SIMs
    # were bought in bulk under names the world does not hold
    sellers = [m["id"] for m in g.members if m["kind"] == "person" and m["role"] == "mule"]
    for j in range(int(rng.integers(1, 4))):
        # a SIM bank: `slots` SIMs share `modules` radio channels, so only `modules` SIMs are on
        # the air at a time and each SIM works a share of the days
        slots = int(rng.choice(SLOTS))
        modules = min(slots, int(rng.choice((4, 8, 16, 32))))
        rotates = bool(rng.random() < w.params["box_rotate_p"])
        imeis: list[list[tuple[int, str]]] = []
        for _ in range(modules):
            seq = [(0, w.imei())]
            if rotates:
                t = 0
                while (t := t + int(rng.uniform(0.5, 7) * DAY)) < end:
                    seq.append((t, w.imei()))
            imeis.append(seq)
        box = Box(
            f"BOX-{k + 1}-{j + 1}", f"CN-{w.pick(CITIES)}-{w.digits(5)}", slots, rotates, imeis
        )
        for slot in range(slots):
            t = 0 if rng.random() < 0.8 else int(rng.uniform(0, end / 2))
            while t < end:
                whole = rng.random() < w.params["sim_whole_period_p"]
                life = (
                    end - t
                    if whole
                    else int(rng.lognormal(0, 0.8) * w.params["sim_life_days"] * DAY)
                )
                stop = min(end, t + max(DAY, life))
                number = w.phone()
                if sellers and rng.random() < 0.3:
                    w.sims_of[w.pick(sellers)].append(number)
                box.sims.append((slot, number, t, stop))
                w.label(number, "phone", "simbox")
                g.add("phone", number, "simbox_sim")
                t = stop + int(rng.integers(0, 2 * 3600))
        for seq in imeis:
            for _, imei in seq:
                w.label(imei, "device", "simbox")
                g.add("device", imei, "simbox")
        g.boxes.append(box)
