"""Fraud numbers cold-calling strangers, and the strangers calling back.

- SIM boxes dial random people in their sessions (`chaincut.simulate.simbox.box_calls`).
- Roaming lines: `roaming_line_share` of the dens' mobile fraud lines also cold-call about
  `roaming_calls_per_day` random people on a few days, from a handset carried through the cells
  of one district (a new cell every half hour), as callers in cars and vans do.
- Callbacks: `callback_rate` of the people called call the number back (a missed call, or
  curiosity) within minutes to hours, from home. A box answers (briefly) only while that SIM is
  online and still in its slot, and then only `callback_answer_rate` of them; a roaming line's
  handset is always on and answers as often.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from chaincut.simulate.dens import Den, MobileLine
from chaincut.simulate.rng import stream
from chaincut.simulate.rows import Calls
from chaincut.simulate.simbox import SimBox, box_calls
from chaincut.simulate.world import World

I64 = NDArray[np.int64]
B = NDArray[np.bool_]
Answers = Callable[[I64, I64], B]
DAY = 86_400
LEG_S = 1800  # a roaming caller moves to another cell this often


def callbacks(
    rng: np.random.Generator, world: World, calls: Calls, target: I64, answers: Answers
) -> Calls:
    """Calls back to the callers of `calls` from the people in `target` (positions in the
    population); `answers(call positions, times)` says when the number could pick up."""
    p, pop = world.params, world.population
    back = np.flatnonzero(rng.random(len(calls)) < p.callback_rate)
    delay = np.clip(rng.lognormal(np.log(1200), 1.2, len(back)), 30, 2 * DAY).astype(np.int64)
    ts = calls.ts[back] + delay
    keep = ts < world.end_ts
    back, ts = back[keep], ts[keep]
    picked = answers(back, ts) & (rng.random(len(back)) < p.callback_answer_rate)
    duration = np.clip(rng.lognormal(np.log(15), 0.7, len(back)), 3, 600).astype(np.int64)
    person = target[back]
    return Calls(
        ts=ts,
        caller=pop.phone[person],
        callee=calls.caller[back],
        duration=np.where(picked, duration, 0),
        cell=pop.home_cell[person],
        imei=pop.imei[person],
        uid=np.zeros(len(back), np.uint64),
    )


def box_cold_calls(world: World, dens: list[Den]) -> Calls:
    """Every box's mass dialling and the calls back to its SIMs."""
    out = [Calls.empty()]
    for den in dens:
        for b, box in enumerate(den.boxes):
            rng = stream(world.seed, "box-calls", den.index, b)
            calls, target, slot = box_calls(
                rng, box, world.population.phone, world.params.simbox_answer_rate
            )
            out.append(calls)
            out.append(callbacks(rng, world, calls, target, _box_answers(box, calls, slot)))
    return Calls.concat(out)


def _box_answers(box: SimBox, calls: Calls, slot: I64) -> Answers:
    on = np.array([a for a, _ in box.sessions], np.int64)

    def answers(back: I64, ts: I64) -> B:
        session = np.maximum(np.searchsorted(on, ts, side="right") - 1, 0)
        up = box.online(slot[back], session, ts)
        out: B = up & (box.sim_at(slot[back], ts) == calls.caller[back])
        return out

    return answers


def roaming_calls(world: World, dens: list[Den]) -> Calls:
    """Roaming lines' cold calls and the calls back to them."""
    out = [Calls.empty()]
    for den in dens:
        for i, line in enumerate(den.mobiles):
            rng = stream(world.seed, "roaming", den.index, i)
            if not _roams(rng, world):
                continue
            calls, target = _roam(rng, world, line)
            out.append(calls)
            out.append(callbacks(rng, world, calls, target, lambda b, _t: np.ones(len(b), bool)))
    return Calls.concat(out)


def _roams(rng: np.random.Generator, world: World) -> bool:
    return bool(rng.random() < world.params.roaming_line_share)


def roaming_lines(world: World, den: Den) -> list[MobileLine]:
    """The den's mobile lines that cold-call while roaming (the same draw as `roaming_calls`)."""
    return [
        line
        for i, line in enumerate(den.mobiles)
        if _roams(stream(world.seed, "roaming", den.index, i), world)
    ]


def _roam(rng: np.random.Generator, world: World, line: MobileLine) -> tuple[Calls, I64]:
    p, pop, cells = world.params, world.population, world.cells
    near = np.flatnonzero(cells.district == cells.district[int(line.cells[0])])
    n_days = int(rng.integers(2, 7))
    days = np.sort(rng.choice(np.arange(1, p.days - 1), size=n_days, replace=False))
    parts_ts, parts_cell = [], []
    for day in days:
        start = world.start_ts + int(day) * DAY + int(rng.integers(9 * 3600, 11 * 3600))
        end = world.start_ts + int(day) * DAY + int(rng.integers(17 * 3600, 20 * 3600))
        n = int(rng.poisson(p.roaming_calls_per_day))
        ts = np.sort(rng.integers(start, end, n)).astype(np.int64)
        stops = near[rng.integers(0, len(near), (end - start) // LEG_S + 1)]
        parts_ts.append(ts)
        parts_cell.append(stops[(ts - start) // LEG_S])
    ts, cell = np.concatenate(parts_ts), np.concatenate(parts_cell).astype(np.int64)
    m = len(ts)
    target = rng.integers(0, pop.n, m).astype(np.int64)
    answered = rng.random(m) < 0.3
    duration = np.clip(rng.lognormal(np.log(25), 0.8, m), 2, 900).astype(np.int64)
    calls = Calls(
        ts=ts,
        caller=np.full(m, line.phone, np.int64),
        callee=pop.phone[target],
        duration=np.where(answered, duration, 0),
        cell=cell,
        imei=np.full(m, line.imei, np.int64),
        uid=np.zeros(m, np.uint64),
    )
    return calls, target
