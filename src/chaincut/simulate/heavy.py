"""Ordinary numbers that look suspicious (hard negatives), and people's contacts outside the city.

Heavy callers are labelled `normal` but call like the fraud side in one way or another:

| kind | who | calls |
|---|---|---|
| courier | delivery drivers (people of the city) | every day 9-20 h, many distinct customers, short, mostly answered, from cell to cell across their district; customers call back |
| telemarketer | sales people at their employer's cell | weekdays in office hours, many distinct numbers, short, low answer rate, few callbacks |
| business | shop and small-business lines | every day 8-21 h, a pool of regular customers both ways, from the shop's cell |
| call centre | seats of an outbound call centre: a line and a handset each, one building | weekdays in office hours, every seat in the same hours (in sync), low answer rate, a few callbacks, which `call_centre_answering_share` of the centres answer (the others run outbound-only lines) |
| campaign | a short outbound campaign: fresh lines and handsets in one rented room | like a call centre, but only on a few consecutive weekdays (`campaign_days`) and outbound only: in sync, short-lived, nobody answers calls back |
| reminder | delivery-notice and clinic-reminder lines of one organisation, one building (`reminder_lines_per_100k`, off by default) | every day 9-19 h, many distinct people, short calls, mostly answered, rarely called back |
| switchboard | the outbound lines of a company switchboard, one building (`switchboards_per_100k`, off by default) | weekdays in office hours, many distinct numbers both ways: most calls are returned and answered |

Their volume is capped at `heavy_call_share_max` of all calls (rates scale down in small cities).
Outside contacts: each person talks to `outside_contacts` numbers of people elsewhere (not people
of the city: no cell or IMEI when they call in), so the records hold far more numbers than the
city has people, as an operator's do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from chaincut.simulate import ident
from chaincut.simulate.catalog import HANDSET_TACS
from chaincut.simulate.clock import Slice
from chaincut.simulate.registry import DEVICE_LABELS, PHONE_LABELS, code
from chaincut.simulate.rng import stream
from chaincut.simulate.rows import Calls
from chaincut.simulate.world import World

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]
KINDS: Final = (
    "courier", "telemarketer", "business", "call_centre", "campaign", "reminder", "switchboard",
)  # fmt: skip
#: organisations' lines (kind -> lines per organisation), created only when their rate is set
ORG_LINES: Final = {"reminder": (2, 8), "switchboard": (3, 16)}


@dataclass(frozen=True)
class Profile:
    """How one kind of heavy caller calls."""

    per_day: float  # calls on a working day (before the volume cap)
    hours: tuple[tuple[float, float], ...]  # local working hours
    weekdays_only: bool
    answer: float
    median_s: float  # of answered calls
    sigma: float
    callback: float  # calls received back per call made
    callback_answer: float


PROFILES: Final[dict[str, Profile]] = {
    "courier": Profile(15, ((9, 20),), False, 0.8, 25, 0.6, 0.3, 0.9),
    "telemarketer": Profile(50, ((9, 12), (13.5, 18)), True, 0.35, 35, 0.9, 0.04, 0.7),
    "business": Profile(8, ((8, 21),), False, 0.85, 60, 0.8, 0.8, 0.85),
    "call_centre": Profile(40, ((9, 12), (14, 18)), True, 0.4, 50, 0.9, 0.03, 0.8),
    "campaign": Profile(40, ((9, 12), (14, 18)), True, 0.4, 50, 0.9, 0.03, 0.05),
    "reminder": Profile(60, ((9, 19),), False, 0.65, 25, 0.5, 0.03, 0.6),
    "switchboard": Profile(30, ((8.5, 12), (13, 18)), True, 0.8, 90, 0.9, 0.6, 0.9),
}
ROUTE_CELLS: Final = 8  # cells a courier passes through in a day
OUTBOUND_ONLY: Final = 0.05  # calls back answered on a call centre's outbound-only lines
CUSTOMERS: Final = 40  # a business line's regular customers


@dataclass
class Callers:
    """The heavy lines (one row each) and everyone's outside contacts (CSR by person)."""

    kind: I64  # index into KINDS
    phone: I64
    imei: I64
    cell: I64  # where it calls from (a courier: the first cell of its route)
    route: I64  # (lines, ROUTE_CELLS): the cells a courier moves through; else its cell
    customers: I64  # (lines, CUSTOMERS): people it calls (business); random people otherwise
    rate: F64  # calls per working hour, after the volume cap
    answer_back: F64  # share of the calls back it answers
    days: I64  # (lines, 2): the local days [first, last) on which it works
    outside_ptr: I64
    outside: I64  # phone indices of numbers outside the city


def _mask(world: World, profile: Profile) -> F64:
    """1 in the working hours of `profile`, per hour of the window (fractions at the edges)."""
    hours = world.params.days * 24
    local = np.arange(hours) % 24
    weekday = (world.first_weekday + np.arange(hours) // 24) % 7
    out = np.zeros(hours)
    for lo, hi in profile.hours:
        out += np.clip(np.minimum(local + 1, hi) - np.maximum(local, lo), 0, 1)
    if profile.weekdays_only:
        out[weekday >= 5] = 0
    return out


def plan_callers(world: World) -> Callers:
    """Choose the heavy callers, create the call centres' lines and handsets and the outside
    numbers (added last to the registries, so no other identifier moves)."""
    p, pop, w = world.params, world.population, world
    rng = stream(w.seed, "heavy-callers")
    shares = (p.courier_share, p.telemarketer_share, p.business_line_share)
    counts = [max(1, round(pop.n * s)) if s > 0 else 0 for s in shares]
    people = rng.choice(pop.n, size=min(pop.n, sum(counts)), replace=False).astype(np.int64)
    counts[-1] = len(people) - sum(counts[:-1])
    kind = np.repeat(np.arange(3), counts)
    n_centres = _count(pop.n, p.call_centres_per_100k)
    n_campaigns = _count(pop.n, p.campaigns_per_100k)
    seats = rng.integers(
        p.call_centre_seats[0], p.call_centre_seats[1] + 1, n_centres + n_campaigns
    )
    n_seats = int(seats.sum())
    seat_phone = w.phones.add(
        ident.mobile_numbers(w.counters.take("mobile", n_seats), w.seed),
        label=code(PHONE_LABELS, "normal"), owner=-1,
    )  # fmt: skip
    seat_imei = w.devices.add(
        ident.imeis(HANDSET_TACS, w.counters.take("handset", n_seats), w.seed),
        label=code(DEVICE_LABELS, "normal"),
    )
    seat_cell = np.repeat(rng.integers(0, len(w.cells), n_centres + n_campaigns), seats)
    seat_kind = np.repeat(np.r_[np.full(n_centres, 3), np.full(n_campaigns, 4)], seats)
    length = rng.integers(p.campaign_days[0], p.campaign_days[1] + 1, n_centres + n_campaigns)
    first = rng.integers(0, np.maximum(p.days - length, 1))
    window = np.where(seat_kind[:, None] == 4, np.repeat(np.c_[first, first + length], seats, 0),
                      np.array([0, p.days]))  # fmt: skip
    cell = np.where(kind == 1, pop.work_cell[people], pop.home_cell[people])
    route = np.repeat(cell[:, None], ROUTE_CELLS, axis=1)
    for i in np.flatnonzero(kind == 0):  # couriers: cells of their own district
        near = np.flatnonzero(w.cells.district == pop.district[people[i]])
        route[i] = near[rng.integers(0, len(near), ROUTE_CELLS)] if len(near) else cell[i]
    n_lines = len(people) + n_seats
    callers = Callers(
        kind=np.concatenate([kind, seat_kind]).astype(np.int64),
        phone=np.concatenate([pop.phone[people], seat_phone]),
        imei=np.concatenate([pop.imei[people], seat_imei]),
        cell=np.concatenate([cell, seat_cell]).astype(np.int64),
        route=np.concatenate([route, np.repeat(seat_cell[:, None], ROUTE_CELLS, axis=1)]),
        customers=rng.integers(0, pop.n, (n_lines, CUSTOMERS)).astype(np.int64),
        rate=np.zeros(n_lines),
        answer_back=np.zeros(n_lines),
        days=np.concatenate([np.tile([0, p.days], (len(people), 1)), window]).astype(np.int64),
        outside_ptr=np.zeros(pop.n + 1, np.int64),
        outside=np.zeros(0, np.int64),
    )
    for k, name in enumerate(KINDS):
        callers.answer_back[callers.kind == k] = PROFILES[name].callback_answer
    answering = rng.random(n_centres + n_campaigns) < p.call_centre_answering_share
    seat_answer = np.repeat(answering, seats) | (seat_kind == 4)
    callers.answer_back[len(people) :] = np.where(
        seat_answer, callers.answer_back[len(people) :], OUTBOUND_ONLY
    )
    callers = _org_lines(world, callers)
    _set_rates(world, callers)
    _outside(world, rng, callers)
    return callers


def _org_lines(world: World, callers: Callers) -> Callers:
    """Reminder lines and switchboards: each organisation's lines (own handsets) in one
    building, working the whole window. From their own stream: the rest of the world stays."""
    p, w = world.params, world
    rates = {"reminder": p.reminder_lines_per_100k, "switchboard": p.switchboards_per_100k}
    orgs = {name: _count(w.population.n, rate) for name, rate in rates.items()}
    if not any(orgs.values()):
        return callers
    rng = stream(w.seed, "heavy-orgs")
    kinds, cells = [], []
    for name, n in orgs.items():
        lo, hi = ORG_LINES[name]
        lines = rng.integers(lo, hi + 1, n)
        kinds.append(np.full(int(lines.sum()), KINDS.index(name), np.int64))
        cells.append(np.repeat(rng.integers(0, len(w.cells), n), lines))
    kind, cell = np.concatenate(kinds), np.concatenate(cells).astype(np.int64)
    m = len(kind)
    phone = w.phones.add(
        ident.mobile_numbers(w.counters.take("mobile", m), w.seed),
        label=code(PHONE_LABELS, "normal"), owner=-1,
    )  # fmt: skip
    imei = w.devices.add(
        ident.imeis(HANDSET_TACS, w.counters.take("handset", m), w.seed),
        label=code(DEVICE_LABELS, "normal"),
    )
    answer = np.array([PROFILES[KINDS[k]].callback_answer for k in kind])
    return Callers(
        kind=np.concatenate([callers.kind, kind]),
        phone=np.concatenate([callers.phone, phone]),
        imei=np.concatenate([callers.imei, imei]),
        cell=np.concatenate([callers.cell, cell]),
        route=np.concatenate([callers.route, np.repeat(cell[:, None], ROUTE_CELLS, axis=1)]),
        customers=np.concatenate(
            [callers.customers, rng.integers(0, w.population.n, (m, CUSTOMERS)).astype(np.int64)]
        ),
        rate=np.zeros(len(callers.rate) + m),
        answer_back=np.concatenate([callers.answer_back, answer]),
        days=np.concatenate([callers.days, np.tile([0, p.days], (m, 1))]).astype(np.int64),
        outside_ptr=callers.outside_ptr,
        outside=callers.outside,
    )


def heavy_truth(world: World) -> dict[str, list[str]]:
    """The heavy callers' numbers by kind (world.json: the hard negatives)."""
    callers = world.callers
    if callers is None:
        return {}
    ids = world.phones.ids
    return {
        name: [str(x) for x in ids.take(pa.array(callers.phone[callers.kind == k])).to_pylist()]
        for k, name in enumerate(KINDS)
        if name not in ORG_LINES or (callers.kind == k).any()
    }


def _count(people: int, per_100k: float) -> int:
    """How many of a kind of organisation the city has (at least one, if any)."""
    return max(1, round(people * per_100k / 1e5)) if per_100k > 0 else 0


def _working(world: World, prof: Profile, days: tuple[int, int]) -> F64:
    """The profile's working hours on local days [first, last) of the window."""
    mask = _mask(world, prof)
    day = np.arange(len(mask)) // 24
    mask[(day < days[0]) | (day >= days[1])] = 0.0
    return mask


def _set_rates(world: World, callers: Callers) -> None:
    planned = 0.0
    for k, name in enumerate(KINDS):
        prof = PROFILES[name]
        span = sum(hi - lo for lo, hi in prof.hours)
        mine = np.flatnonzero(callers.kind == k)
        callers.rate[mine] = prof.per_day / span
        for first, last in np.unique(callers.days[mine], axis=0):
            group = int(np.count_nonzero((callers.days[mine] == (first, last)).all(axis=1)))
            hours = _working(world, prof, (int(first), int(last))).sum()
            planned += group * prof.per_day / span * hours * (1 + prof.callback)
    cap = world.params.heavy_call_share_max * world.sizes.calls
    if planned > cap:
        callers.rate *= cap / planned


def _outside(world: World, rng: np.random.Generator, callers: Callers) -> None:
    lo, hi = world.params.outside_contacts
    pop, w = world.population, world
    per = rng.integers(lo, hi + 1, pop.n).astype(np.int64)
    total = int(per.sum())
    np.cumsum(per, out=callers.outside_ptr[1:])
    callers.outside = w.phones.add(
        ident.mobile_numbers(w.counters.take("mobile", total), w.seed),
        label=code(PHONE_LABELS, "normal"), owner=-1,
    )  # fmt: skip


def _slice_hours(world: World, part: Slice) -> F64:
    """Per hour of the window, the share of it inside the slice."""
    beg = world.start_ts + np.arange(world.params.days * 24) * 3600
    out: F64 = np.clip(np.minimum(beg + 3600, part.hi_ts) - np.maximum(beg, part.lo_ts), 0, 3600)
    return out / 3600.0


def heavy_calls(world: World, part: Slice) -> Calls:
    """The heavy lines' calls in the slice, with the calls their callees make back."""
    callers = world.callers
    if callers is None or not len(callers.kind):
        return Calls.empty()
    rng = stream(world.seed, "heavy-call", part.index)
    inside = _slice_hours(world, part)
    parts = [Calls.empty()]
    for k, name in enumerate(KINDS):
        prof = PROFILES[name]
        of_kind = np.flatnonzero(callers.kind == k)
        windows: I64 = np.unique(callers.days[of_kind], axis=0).reshape(-1, 2)
        for first, last in windows:
            lines = of_kind[(callers.days[of_kind] == (first, last)).all(axis=1)]
            weight = _working(world, prof, (int(first), int(last))) * inside
            if weight.sum() <= 0:
                continue
            n = rng.poisson(callers.rate[lines] * weight.sum())
            line = np.repeat(lines, n)
            parts.append(_calls_of(world, rng, callers, prof, line, weight, part))
    return Calls.concat(parts)


def _calls_of(
    world: World,
    rng: np.random.Generator,
    callers: Callers,
    prof: Profile,
    line: I64,
    weight: F64,
    part: Slice,
) -> Calls:
    pop = world.population
    m = len(line)
    hour = np.searchsorted(np.cumsum(weight) / weight.sum(), rng.random(m), side="right")
    hour = np.minimum(hour, len(weight) - 1)
    beg = np.maximum(world.start_ts + hour * 3600, part.lo_ts)
    end = np.minimum(world.start_ts + (hour + 1) * 3600, part.hi_ts)
    ts = beg + (rng.random(m) * np.maximum(end - beg, 1)).astype(np.int64)
    regular = callers.customers[line, rng.integers(0, CUSTOMERS, m)]
    callee = np.where(callers.kind[line] == 2, regular, rng.integers(0, pop.n, m))
    stop = ((hour % 24) * ROUTE_CELLS // 24).astype(np.int64)  # couriers move with the day
    cell = callers.route[line, stop]
    answered = rng.random(m) < prof.answer
    duration = np.clip(rng.lognormal(np.log(prof.median_s), prof.sigma, m), 3, 3600)
    out = Calls(
        ts=ts,
        caller=callers.phone[line],
        callee=pop.phone[callee],
        duration=np.where(answered, duration, 0).astype(np.int64),
        cell=cell,
        imei=callers.imei[line],
        uid=np.zeros(m, np.uint64),
    )
    back = np.flatnonzero(rng.random(m) < prof.callback)
    delay = np.clip(rng.lognormal(np.log(1200), 1.2, len(back)), 30, 86_400).astype(np.int64)
    b_ts = ts[back] + delay
    keep = b_ts < part.hi_ts
    back, b_ts = back[keep], b_ts[keep]
    b_answer = rng.random(len(back)) < callers.answer_back[line[back]]
    b_dur = np.clip(rng.lognormal(np.log(prof.median_s), prof.sigma, len(back)), 3, 3600)
    person = callee[back]
    returned = Calls(
        ts=b_ts,
        caller=pop.phone[person],
        callee=callers.phone[line[back]],
        duration=np.where(b_answer, b_dur, 0).astype(np.int64),
        cell=pop.home_cell[person],
        imei=pop.imei[person],
        uid=np.zeros(len(back), np.uint64),
    )
    return Calls.concat([out, returned])


def outside_people(world: World, rng: np.random.Generator, person: I64) -> tuple[I64, I64]:
    """(the person positions that have outside contacts, one outside number of each)."""
    callers = world.callers
    if callers is None or not len(callers.outside):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    ptr = callers.outside_ptr
    deg = ptr[person + 1] - ptr[person]
    has = np.flatnonzero(deg > 0)
    pick = ptr[person[has]] + (rng.random(len(has)) * deg[has]).astype(np.int64)
    return has, callers.outside[pick]
