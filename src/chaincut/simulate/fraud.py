"""Setting up the fraud side of a world: dens, their equipment and cards, and their victims."""

from __future__ import annotations

import math

import numpy as np

from chaincut.simulate.dens import Den, plan_dens
from chaincut.simulate.heavy import plan_callers
from chaincut.simulate.realism import lend_identities, live_boxes
from chaincut.simulate.recruit import Recruiter
from chaincut.simulate.rng import stream
from chaincut.simulate.victims import Victim, plan_victims
from chaincut.simulate.world import World


def box_plan(world: World, dens: list[Den]) -> dict[int, list[int]]:
    """Which dens run SIM boxes and how many slots each box has (at least one den runs two)."""
    p = world.params
    rng = stream(world.seed, "box-plan")
    cap = max(8, world.population.n // 20)
    sizes = [s for s in p.simbox_slots if s <= cap] or [min(p.simbox_slots)]
    plan: dict[int, list[int]] = {}
    for den in dens:
        if rng.random() < p.simbox_den_share:
            n = int(rng.integers(p.boxes_per_den[0], p.boxes_per_den[1] + 1))
            plan[den.index] = [int(rng.choice(sizes)) for _ in range(n)]
    if p.simbox_den_share > 0 and dens:
        first = dens[0].index
        while len(plan.get(first, [])) < 2:
            plan.setdefault(first, []).append(int(rng.choice(sizes)))
    return plan


def build_fraud(world: World) -> tuple[list[Den], list[Victim]]:
    p, sizes = world.params, world.sizes
    rng = stream(world.seed, "plan-dens")
    dens = plan_dens(rng, sizes.dens, sizes.victims, p.fraud_types)
    rec = Recruiter(world, np.ones(world.population.n, dtype=bool))
    n_dealers = max(2, math.ceil(len(dens) / 2))
    dealers = [rec.domestic("card_dealer") for _ in range(n_dealers)]
    recruiters = [rec.domestic("recruiter") for _ in range(n_dealers)]
    boxes = box_plan(world, dens)
    total_slots = sum(sum(v) for v in boxes.values()) or 1
    box_calls = p.fraud_call_share * sizes.calls
    for den in dens:
        pick = sorted(
            rng.choice(n_dealers, size=min(n_dealers, int(rng.integers(1, 3))), replace=False)
        )
        rec.members(
            den, p.operators_per_den, [dealers[i] for i in pick], [recruiters[i] for i in pick]
        )
        rec.mobiles(den)
        if den.index in boxes:
            slots = boxes[den.index]
            calls = [max(4 * s, int(box_calls * s / total_slots)) for s in slots]
            rec.boxes(den, slots, calls, p.rotating_imei_share, p.calls_per_sim_day)
        rec.mule_accounts(
            den,
            p.mule_layers,
            p.victims_per_l1,
            p.next_layer_ratio,
            p.runner_entry_share,
            p.exit_mix,
        )
        rec.exits(den)
    people = rec.take_population(sum(d.victims for d in dens))
    rec.finish()
    victims = plan_victims(world, dens, people, p)
    # after the money side is planned, from their own streams: the seed's money stays the same
    live_boxes(world, dens)
    lend_identities(world, dens)
    world.callers = plan_callers(world)
    return dens, victims
