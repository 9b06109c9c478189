"""Normal calls and messages, vectorised per chunk.

Calls go to social contacts (so calling is reciprocal), at hours shifted per person, with
per-person durations; the caller's cell follows the day (work cell in office hours, home cell
otherwise, elsewhere now and then). Some calls are with people's contacts outside the city, and
heavy callers (couriers, telemarketers, businesses, call centres: `chaincut.simulate.heavy`)
make their share. Messages are chats that are often answered and service notices from short
numbers.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from chaincut.simulate.clock import Slice
from chaincut.simulate.heavy import heavy_calls, outside_people
from chaincut.simulate.rng import stream
from chaincut.simulate.rows import Calls, Messages, chunk_uids, message_channel_code
from chaincut.simulate.world import World

I64 = NDArray[np.int64]
REPLY_RATE = 0.45
SERVICE_SHARE = 0.28


def _contacts(world: World, rng: np.random.Generator, person: I64) -> I64:
    pop = world.population
    deg = pop.contact_ptr[person + 1] - pop.contact_ptr[person]
    slot = pop.contact_ptr[person] + (rng.random(len(person)) * deg).astype(np.int64)
    slot = np.minimum(slot, len(pop.contacts) - 1)
    stranger = (deg == 0) | (rng.random(len(person)) < 0.03)
    out: I64 = np.where(stranger, rng.integers(0, pop.n, len(person)), pop.contacts[slot]).astype(
        np.int64
    )
    return out


def _shifted(ts: I64, shift: I64, part: Slice) -> I64:
    moved = ts + shift
    out: I64 = np.where((moved >= part.lo_ts) & (moved < part.hi_ts), moved, ts)
    return out


def cells_at(world: World, rng: np.random.Generator, person: I64, ts: I64) -> I64:
    """The cell a person's phone uses at a time: work, home or elsewhere."""
    pop = world.population
    clock = world.call_clock
    hour = clock.local_hour(ts)
    weekday = clock.weekday(ts, world.first_weekday)
    office = (weekday < 5) & (hour >= 9) & (hour < 18) & (pop.employer[person] >= 0)
    r = rng.random(len(person))
    elsewhere = rng.integers(0, len(world.cells), len(person))
    home_or_away = np.where(r < 0.88, pop.home_cell[person], elsewhere)
    out: I64 = np.where(office & (r < 0.85), pop.work_cell[person], home_or_away)
    return out


def normal_calls(world: World, part: Slice, n: int) -> Calls:
    """About n calls of the slice: heavy callers', calls with outside contacts, the rest among
    the city's people."""
    heavy = heavy_calls(world, part)
    rest = max(0, n - len(heavy))
    n_outside = int(rest * world.params.outside_call_share)
    local = _local_calls(world, part, rest - n_outside)
    outside = _outside_calls(world, part, n_outside)
    calls = Calls.concat([local, heavy, outside])
    calls.uid = chunk_uids(part.index, len(calls))
    return calls


def _outside_calls(world: World, part: Slice, n: int) -> Calls:
    """Calls between people and their contacts elsewhere; those calling in have no cell or IMEI
    here (another operator's or city's)."""
    rng = stream(world.seed, "outside-call", part.index)
    pop = world.population
    person = pop.call_tickets.draw(rng, n + n // 3 + 8)  # some have no one outside
    has, number = outside_people(world, rng, person)
    person, number = person[has][:n], number[:n]
    m = len(person)
    ts = _shifted(world.call_clock.sample(rng, m, part), pop.hour_shift[person], part)
    inbound = rng.random(m) < 0.5
    mine = pop.phone[person]
    answered = rng.random(m) < 0.85
    duration = np.clip(rng.lognormal(pop.call_mu[person] + 0.3, 0.9), 3, 7200).astype(np.int64)
    return Calls(
        ts=ts,
        caller=np.where(inbound, number, mine),
        callee=np.where(inbound, mine, number),
        duration=np.where(answered, duration, 0),
        cell=np.where(inbound, -1, cells_at(world, rng, person, ts)),
        imei=np.where(inbound, -1, pop.imei[person]),
        uid=np.zeros(m, np.uint64),
    )


def _local_calls(world: World, part: Slice, n: int) -> Calls:
    rng = stream(world.seed, "normal-call", part.index)
    pop = world.population
    caller = pop.call_tickets.draw(rng, n)
    ts = _shifted(world.call_clock.sample(rng, n, part), pop.hour_shift[caller], part)
    callee_phone = pop.phone[_contacts(world, rng, caller)]
    to_service = rng.random(n) < 0.015
    service = world.service_phones[rng.integers(0, len(world.service_phones), n)]
    callee_phone = np.where(to_service, service, callee_phone)
    answered = rng.random(n) < 0.88
    duration = np.clip(rng.lognormal(pop.call_mu[caller], 0.9), 3, 7200).astype(np.int64)
    return Calls(
        ts=ts,
        caller=pop.phone[caller],
        callee=callee_phone,
        duration=np.where(answered, duration, 0),
        cell=cells_at(world, rng, caller, ts),
        imei=pop.imei[caller],
        uid=chunk_uids(part.index, n),
    )


def normal_messages(world: World, part: Slice, n: int, n_chat: int, n_pool: int) -> Messages:
    """About n messages: chats (with replies) and service notices. Texts index the normal pool."""
    rng = stream(world.seed, "normal-message", part.index)
    pop = world.population
    n_p2p = max(1, int(n * (1 - SERVICE_SHARE) / (1 + REPLY_RATE)))
    n_service = max(0, n - int(n_p2p * (1 + REPLY_RATE)))
    sender = pop.call_tickets.draw(rng, n_p2p)
    ts = _shifted(world.message_clock.sample(rng, n_p2p, part), pop.hour_shift[sender], part)
    receiver = _contacts(world, rng, sender)
    im = rng.random(n_p2p) < 0.65
    reply = np.flatnonzero(rng.random(n_p2p) < REPLY_RATE)
    reply_ts = np.minimum(ts[reply] + rng.integers(10, 1800, len(reply)), part.hi_ts - 1)
    s_ts = world.message_clock.sample(rng, n_service, part)
    s_sender = world.service_phones[rng.integers(0, len(world.service_phones), n_service)]
    s_receiver = pop.phone[pop.txn_tickets.draw(rng, n_service)]
    im_code, sms_code = message_channel_code("im"), message_channel_code("sms")
    chan = np.where(im, im_code, sms_code).astype(np.uint8)
    total = n_p2p + len(reply) + n_service
    return Messages(
        ts=np.concatenate([ts, reply_ts, s_ts]),
        sender=np.concatenate([pop.phone[sender], pop.phone[receiver[reply]], s_sender]),
        receiver=np.concatenate([pop.phone[receiver], pop.phone[sender[reply]], s_receiver]),
        text=np.concatenate(
            [
                rng.integers(0, n_chat, n_p2p + len(reply)),
                rng.integers(n_chat, n_pool, n_service),
            ]
        ),
        channel=np.concatenate([chan, chan[reply], np.full(n_service, sms_code, np.uint8)]),
        label=np.zeros(total, np.uint8),
        uid=chunk_uids(part.index, total),
    )
