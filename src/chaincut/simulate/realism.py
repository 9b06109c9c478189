"""How the dens really run their SIMs: a pass over the equipped dens, after the victims are set.

- Each box's life (`chaincut.simulate.simbox.BoxLife`): which slots hold SIMs
  (`simbox_fill`), each SIM's own on and off times within the box's sessions
  (`simbox_stagger_min`), SIMs offline for a session (`simbox_idle_share`), blocked SIMs swapped
  for fresh ones behind the same IMEI (`simbox_swap_rate` per SIM and active day), and dens that
  move their boxes to another building (`simbox_move_share`).
- Identities: `real_identity_share` of the fraud SIMs are registered under the name, ID number
  and birth date of a real person of the city who sold or lost their ID card; one such ID holds
  one to five of them (the limit of five numbers per ID and operator), on top of its holder's
  own phone.

Everything here draws from its own random streams and runs after the money side is planned,
and new phones and persons are added at the end of their registries, so a seed's transactions,
accounts, victims and reports are the same with or without it.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from chaincut.simulate import ident
from chaincut.simulate.dens import Den
from chaincut.simulate.people import add_persons
from chaincut.simulate.registry import PERSON_LABELS, PHONE_LABELS, code
from chaincut.simulate.rng import stream
from chaincut.simulate.simbox import BoxLife, SimBox
from chaincut.simulate.world import World

I64 = NDArray[np.int64]
DAY = 86_400
#: a fresh SIM goes in this long before the day's first session
SWAP_LEAD_S = 1800


def live_boxes(world: World, dens: list[Den]) -> None:
    """Plan every box's life; create the swapped-in SIMs (labelled `simbox`) and their
    registrants (persons labelled `sim_registrant`)."""
    swaps: list[tuple[SimBox, list[tuple[int, int]]]] = []
    taken = {int(world.cells.site[c]) for den in dens for c in den.site_cells}
    for den in dens:
        if not den.boxes:
            continue
        rng = stream(world.seed, "box-life", den.index)
        moved = _den_move(rng, world, den, taken)
        for b, box in enumerate(den.boxes):
            life, planned = _plan(rng, world, box, b, moved)
            box.life = life
            swaps.append((box, planned))
    total = sum(len(p) for _, p in swaps)
    if not total:
        return
    w = world
    ids = ident.mobile_numbers(w.counters.take("mobile", total), w.seed)
    phones = w.phones.add(ids, label=code(PHONE_LABELS, "simbox"), owner=-1)
    labels = np.full(total, code(PERSON_LABELS, "sim_registrant"), np.int64)
    people = add_persons(
        w.seed, "swapped-sims", total, w.start_days, labels, phones, w.persons, w.counters
    )
    w.phones.set("owner", phones, people)
    at = 0
    for box, planned in swaps:
        if box.life is None:
            raise RuntimeError("a SIM box to swap has no planned life")
        box.life.swap_slot = np.array([s for s, _ in planned], np.int64)
        box.life.swap_ts = np.array([t for _, t in planned], np.int64)
        box.life.swap_phone = phones[at : at + len(planned)]
        at += len(planned)


def _den_move(
    rng: np.random.Generator, world: World, den: Den, taken: set[int]
) -> tuple[int, I64] | None:
    """(when, the new building's cells) if the den moves its boxes, else None. The new building
    is one no den uses (`taken`, updated)."""
    starts = sorted(a for box in den.boxes for a, _ in box.sessions)
    days = np.unique((np.asarray(starts, np.int64) - world.start_ts) // DAY)
    if len(days) < 2 or rng.random() >= world.params.simbox_move_share:
        return None
    day = int(rng.choice(days[1:]))
    cells = world.cells
    others = np.flatnonzero(~np.isin(cells.site, list(taken)))
    if not len(others):
        return None
    site = int(cells.site[int(rng.choice(others))])
    taken.add(site)
    new_cells = np.flatnonzero(cells.site == site).astype(np.int64)
    return world.start_ts + day * DAY, new_cells


def _plan(
    rng: np.random.Generator,
    world: World,
    box: SimBox,
    number: int,
    moved: tuple[int, I64] | None,
) -> tuple[BoxLife, list[tuple[int, int]]]:
    p = world.params
    on = np.array([a for a, _ in box.sessions], np.int64)
    off = np.array([b for _, b in box.sessions], np.int64)
    n_sessions = len(on)
    used = int(
        np.clip(round(box.slots * rng.uniform(*p.simbox_fill)), min(2, box.slots), box.slots)
    )
    idle = rng.random((used, n_sessions)) < p.simbox_idle_share
    dark = np.flatnonzero(idle.all(axis=0))
    idle[rng.integers(0, used, len(dark)), dark] = False  # a session with calls has a SIM on
    third = np.maximum((off - on) // 3, 1)
    stagger = int(p.simbox_stagger_min * 60)
    on_delay = np.minimum((rng.random((used, n_sessions)) * stagger).astype(np.int64), third)
    off_early = np.minimum((rng.random((used, n_sessions)) * stagger).astype(np.int64), third)
    cell = np.full(n_sessions, box.cell, np.int64)
    if moved is not None:
        when, cells = moved
        cell[on >= when] = cells[number % len(cells)]
    day = (on - world.start_ts) // DAY
    days = np.unique(day)
    first_on = np.array([on[day == d].min() for d in days], np.int64)
    swap = rng.random((used, max(0, len(days) - 1))) < p.simbox_swap_rate
    planned = [
        (slot, int(first_on[k + 1]) - SWAP_LEAD_S)
        for slot in range(used)
        for k in np.flatnonzero(swap[slot])
    ]
    life = BoxLife(used, idle, on_delay, off_early, cell)
    return life, planned


def lend_identities(world: World, dens: list[Den]) -> None:
    """Register `real_identity_share` of the fraud SIMs under real people's identities."""
    sims = [int(s) for den in dens for box in den.boxes for s in box.all_sims()]
    sims += [m.phone for den in dens for m in den.mobiles]
    share = world.params.real_identity_share
    if not sims or share <= 0:
        return
    rng = stream(world.seed, "identities")
    world.phones.finish()
    world.persons.finish()
    chosen = np.asarray(sims, np.int64)[rng.random(len(sims)) < share]
    if not len(chosen):
        return
    per_id = rng.integers(1, 6, len(chosen))  # numbers each ID registers (at most five)
    groups = np.cumsum(per_id)
    n_ids = int(np.searchsorted(groups, len(chosen), side="left")) + 1
    # a small city with many swapped SIMs runs out of sellers: then some sell again
    n_sellers = min(n_ids, world.population.n)
    sellers = rng.choice(world.population.n, size=n_sellers, replace=False).astype(np.int64)
    seller = sellers[np.searchsorted(groups, np.arange(len(chosen)), side="right") % n_sellers]
    holders = world.phones.col["owner"][chosen].astype(np.int64)
    persons = world.persons
    persons.set("birth_days", holders, persons.col["birth_days"][seller])
    for column in ("name", "id_number"):
        persons.set_text(column, holders, persons.text[column].take(pa.array(seller)))
