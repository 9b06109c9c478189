"""`generate`: build a foreign world, run its ledger, calls and messages, write it with its truth."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from chaincut.foreign.chain import Case, Chain
from chaincut.foreign.core import START, World, iso, yuan
from chaincut.foreign.gangs import Gang, build_gang
from chaincut.foreign.ledger import Ledger
from chaincut.foreign.life import Life
from chaincut.foreign.messages import Messages
from chaincut.foreign.output import ForeignTruth, write_truth, write_world
from chaincut.foreign.phones import Phones
from chaincut.foreign.population import Population, build_population
from chaincut.foreign.roles import Roles

SIZES: dict[str, int] = {"tiny": 10_000, "small": 60_000, "medium": 600_000}
DAYS = 35  # five weeks: long enough for SIMs that live for weeks, and two paydays


def resolve_size(size: str | int) -> int:
    """Transactions aimed at for `size` (a name of SIZES or a count of at least 2,000)."""
    if isinstance(size, int) or str(size).isdigit():
        n = int(size)
        if n < 2_000:
            raise ValueError(f"size {n} is too small: at least 2000 transactions")
        return n
    if size not in SIZES:
        raise ValueError(
            f"unknown size {size!r}: use {', '.join(SIZES)} or a number of transactions"
        )
    return SIZES[size]


def generate(out_dir: Path, seed: int, size: str | int = "small") -> ForeignTruth:
    """Write a foreign world of about `size` transactions into `out_dir` and return its truth.

    The same seed and size give the same files. Tables are CSV in the interchange format
    (accounts also carry `reg_phone`, `reg_address`: who registered the card); `truth.json`
    holds the full truth and `truth/holdings.csv` where each report's money was when filed.
    """
    began = time.perf_counter()
    target = resolve_size(size)
    w = World(seed, DAYS, np.random.default_rng(seed))
    activity = w.draw(0.25, 0.7, "purchases_per_person_day")
    w.draw(0.2, 0.8, "box_rotate_p")
    w.draw(0.1, 0.7, "sim_whole_period_p")
    w.draw(2, 25, "sim_life_days")
    n_people = max(150, int(target / (DAYS * activity + 10)))
    w.params["people"] = n_people
    pop = build_population(w, n_people)
    # mules and runners are not drawn from the honest look-alikes (their truth stays clean)
    holder = {a[0]: a[1] for a in w.accounts}
    taken = {
        holder[a]
        for kind in ("payroll_agent", "small_trader", "landlord")
        for a in pop.lookalikes[kind]
    }
    taken.update(holder[c] for c in pop.owner_card.values())
    n_gangs = int(np.clip(round(n_people**0.5 / 9), 2, 12))
    calls_rate = w.draw(0.4, 1.2, "calls_per_person_day")
    gangs = [build_gang(w, pop, k, taken) for k in range(n_gangs)]
    sinks = set(pop.atms) | set(pop.exchanges) | set(pop.abroad)
    sinks.update(a for g in gangs for a in g.exits_abroad)
    ledger = Ledger(w, pop.sources, sinks)
    ledger.pools = set(pop.platforms)
    roles = Roles(w, gangs, ledger)  # what financiers and core members do: its own random stream
    Life(w, pop, ledger, activity).schedule(pop.people)
    chain = Chain(w, pop, ledger, gangs, roles)
    roles.fund(pop)
    free = [p for p in pop.people if p not in taken]
    n_victims = max(8 * n_gangs, int(n_people * w.draw(0.02, 0.05, "victim_share")))
    n_targets = int(n_victims * w.draw(1, 4, "targets_per_victim"))
    chosen = [
        str(p)
        for p in w.rng.choice(free, size=min(len(free) // 2, n_victims + n_targets), replace=False)
    ]
    report_p, delay_h = w.draw(0.5, 0.9, "report_p"), w.draw(0.3, 48, "report_delay_median_h")
    for k, g in enumerate(gangs):
        chain.plan(g, chosen[k:n_victims:n_gangs], report_p, delay_h)
        chain.plan(g, chosen[n_victims + k :: n_gangs], report_p, delay_h, pays=False)
        chain.ordinary_inflows(g)
    ledger.run()
    _label_people(w, pop, chain)

    phones = Phones(w, pop)
    roles.quiet(phones)
    phones.people_calls(calls_rate)
    # the dens make a share of all calls; each channel at least a few calls a day
    box_calls = w.draw(0.15, 0.4, "box_call_share") * n_people * DAYS * calls_rate
    channels = sum(len(b.imeis) for g in gangs for b in g.boxes)
    per_channel_day = max(8.0, box_calls / (channels * DAYS))
    w.params["calls_per_channel_day"] = round(per_channel_day, 3)
    for g in gangs:
        phones.box_calls(g, per_channel_day)
        phones.gang_calls(g)
    roles.calls(pop)
    phones.lookalikes_calls(max(0.2, n_people / 3000))
    msgs = Messages(w, phones)
    contacts: dict[int, str] = {}
    for case in chain.cases + chain.targets:
        paid = case.paid > 0
        contacts[id(case)] = phones.case_calls(case, paid)
        msgs.case_messages(case, contacts[id(case)], paid)
    for g in gangs:
        msgs.mass_fraud_sms(g, max(5, n_people // (10 * n_gangs)))
    msgs.everyday(w.draw(0.1, 0.4, "messages_per_person_day"))

    rows = write_world(w, out_dir)
    data = _truth(w, pop, gangs, chain, phones, msgs, contacts, rows)
    # the financiers' and core members' capital abroad comes from outside the ledger too
    data["sources"] = [*pop.sources, *sorted(ledger.sources - set(pop.sources))]
    write_truth(data, out_dir)
    return ForeignTruth(
        out_dir=str(out_dir),
        seed=seed,
        size=str(size),
        rows=rows,
        gangs=len(gangs),
        members=sum(1 for g in gangs for m in g.members if m["kind"] == "person"),
        victims=len(data["victims"]),
        targeted=len(data["targeted"]),
        reports=len(w.reports),
        bystanders=len(data["bystanders"]),
        simboxes=sum(len(g.boxes) for g in gangs),
        reported_loss=yuan(sum(v["paid_cents"] for v in data["victims"] if v["report_id"])),
        seconds=round(time.perf_counter() - began, 2),
        data=data,
    )


def _label_people(w: World, pop: Population, chain: Chain) -> None:
    for case in chain.cases + chain.targets:
        label = "victim" if case.paid else "targeted"
        w.label(case.victim, "person", label)
        if case.paid:
            w.label(pop.card[case.victim], "account", "victim")
    holder = {a[0]: a[1] for a in w.accounts}
    for acc in chain.bystanders:
        if w.labels.get((acc, "account")) == "normal":
            w.label(acc, "account", "bystander")
            person = holder.get(acc, "")
            if w.labels.get((person, "person")) == "normal":
                w.label(person, "person", "bystander")


def _truth(
    w: World,
    pop: Population,
    gangs: list[Gang],
    chain: Chain,
    phones: Phones,
    msgs: Messages,
    contacts: dict[int, str],
    rows: dict[str, int],
) -> dict[str, Any]:
    def case_row(c: Case) -> dict[str, Any]:
        return {
            "person_id": c.victim,
            "account": pop.card[c.victim],
            "gang_id": c.gang.gang_id,
            "fraud_type": c.fraud_type,
            "first_contact": iso(c.start),
            "contact": contacts.get(id(c), ""),
            "paid_cents": c.paid,
            "paid": yuan(c.paid),
            "txn_ids": c.txns,
            "report_id": c.report_id,
        }

    paid = [c for c in chain.cases if c.paid]
    owner = {n: p for p, numbers in w.sims_of.items() for n in numbers}
    unpaid = [c for c in chain.cases if not c.paid] + chain.targets
    bystanders = {
        a: t for a, t in chain.bystanders.items() if w.labels.get((a, "account")) == "bystander"
    }
    lookalikes: dict[str, list[str]] = {**pop.lookalikes, **phones.lookalikes}
    lookalikes["gateway_device"] = sorted(phones.gateways)
    gang_rows = []
    for g in gangs:
        of_kind = {
            k: sorted({m["id"] for m in g.members if m["kind"] == k})
            for k in ("person", "account", "phone", "device")
        }
        gang_rows.append(
            {
                "gang_id": g.gang_id,
                "fraud_types": g.fraud_types,
                "behaviour": g.behaviour,
                "role_behaviour": g.roles,
                "dens": g.dens,
                "members": g.members,
                "accounts": of_kind["account"],
                "phones": of_kind["phone"],
                "devices": of_kind["device"],
                "persons": of_kind["person"],
                "mule_levels": g.layers,
                "runner_accounts": g.runners,
                "boxes": [
                    {
                        "box_id": b.box_id,
                        "den_id": g.dens[i % len(g.dens)]["den_id"],
                        "cell": b.cell,
                        "slots": b.slots,
                        "rotates_imei": b.rotates,
                        "imeis": [[iso(s), m] for seq in b.imeis for s, m in seq],
                        "sims": [
                            {
                                "slot": i,
                                "number": n,
                                "from": iso(s),
                                "to": iso(e),
                                "registered_to": owner.get(n),
                            }
                            for i, n, s, e in b.sims
                        ],
                    }
                    for i, b in enumerate(g.boxes)
                ],
                "reports": sorted(c.report_id for c in chain.cases if c.gang is g and c.report_id),
            }
        )
    return {
        "generator": "chaincut.foreign",
        "seed": w.seed,
        "start": START.isoformat(),
        "days": w.days,
        "parameters": w.params,
        "rows": rows,
        "gangs": gang_rows,
        "reports": {c.report_id: c.gang.gang_id for c in chain.cases if c.report_id},
        "victims": [case_row(c) for c in paid],
        "targeted": [case_row(c) for c in unpaid],
        "bystanders": bystanders,
        "lookalikes": lookalikes,
        "sources": pop.sources,
        "platforms": pop.platforms,
        "exits": {"atm": pop.atms, "otc": pop.exchanges, "abroad": pop.abroad},
        "message_fraud_types": msgs.fraud_type,
    }
