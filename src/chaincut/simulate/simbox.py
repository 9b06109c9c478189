"""SIM boxes (GOIP, "cat pools"): one device holding 4 to 256 SIM cards in one building.

A box powers on and off in sessions; its SIMs call out to many distinct numbers, with short
calls and low answer rates. Each slot has its own IMEI, or the box rotates IMEIs (each SIM then
shows several IMEIs and each IMEI several SIMs).

How a box is really run (`BoxLife`, planned in `chaincut.simulate.realism`): not every slot
holds a SIM; the SIMs register one by one after the box powers on and drop out one by one
before it powers off; some stay offline for a whole session; a SIM that gets blocked is swapped
for a fresh one in the same slot (behind the same IMEI); some boxes are moved to another
building halfway. People it called call its SIMs back now and then.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from chaincut.simulate.rows import Calls

I64 = NDArray[np.int64]
B = NDArray[np.bool_]
DAY = 86_400


@dataclass
class BoxLife:
    """Which slots hold SIMs, when each SIM is online, the swaps and the box's cell per session.

    Arrays by (slot, session) cover the used slots `0 .. used - 1`. A swap puts the fresh SIM
    `swap_phone` into slot `swap_slot` from `swap_ts` on; swaps are sorted by (slot, ts).
    """

    used: int
    idle: B  # (used, sessions): the slot's SIM stayed offline in that session
    on_delay: I64  # (used, sessions): seconds after power-on before the SIM registers
    off_early: I64  # (used, sessions): seconds before power-off that it drops out
    session_cell: I64  # (sessions,): where the box is in each session
    swap_slot: I64 = field(default_factory=lambda: np.zeros(0, np.int64))
    swap_ts: I64 = field(default_factory=lambda: np.zeros(0, np.int64))
    swap_phone: I64 = field(default_factory=lambda: np.zeros(0, np.int64))


@dataclass
class SimBox:
    device_id: str
    slots: int
    sims: I64  # phone indices, one per slot (the first SIM of each slot)
    imeis: I64  # device indices: one per slot, or the rotation pool
    rotating: bool
    cell: int
    sessions: list[tuple[int, int]] = field(default_factory=list)  # (on, off) unix seconds
    calls: int = 0  # mass calls to make over all sessions
    life: BoxLife | None = None

    def imei_for(self, slot: I64, session: I64) -> I64:
        """Which IMEI a slot shows in a session."""
        if not self.rotating:
            return self.imeis[slot]
        out: I64 = self.imeis[(slot * 7 + session * 13) % len(self.imeis)]
        return out

    def used_slot(self, slot: I64) -> I64:
        """A slot that holds a SIM (an empty slot's dial goes out through another)."""
        if self.life is None:
            return slot
        out: I64 = slot % self.life.used
        return out

    def sim_at(self, slot: I64, ts: I64) -> I64:
        """The SIM in each (used) slot at each time: the first one, or the latest swap."""
        out: I64 = self.sims[slot].copy()
        life = self.life
        if life is None or not len(life.swap_slot):
            return out
        span = np.int64(1) << np.int64(40)
        keys = life.swap_slot * span + life.swap_ts
        k = np.searchsorted(keys, slot * span + ts, side="right") - 1
        hit = (k >= 0) & (life.swap_slot[np.maximum(k, 0)] == slot)
        out[hit] = life.swap_phone[k[hit]]
        return out

    def cell_in(self, session: I64) -> I64:
        """The cell the box calls from in each session (it may have moved)."""
        if self.life is None:
            return np.full(len(session), self.cell, np.int64)
        out: I64 = self.life.session_cell[session]
        return out

    def all_sims(self) -> I64:
        """Every SIM the box used: the first SIM of each used slot, then the swapped-in ones."""
        if self.life is None:
            return self.sims
        return np.concatenate([self.sims[: self.life.used], self.life.swap_phone])

    def online(self, slot: I64, session: I64, ts: I64) -> B:
        """Whether the SIM of `slot` is registered at `ts` in `session`."""
        on = np.array([a for a, _ in self.sessions], np.int64)[session]
        off = np.array([b for _, b in self.sessions], np.int64)[session]
        if self.life is None:
            out: B = (ts >= on) & (ts < off)
            return out
        life = self.life
        up = ~life.idle[slot, session]
        result: B = up & (ts >= on + life.on_delay[slot, session])
        return result & (ts < off - life.off_early[slot, session])


def plan_sessions(
    rng: np.random.Generator,
    start_ts: int,
    days: int,
    calls: int,
    per_day: int,
    active_days: tuple[int, int] = (0, 0),
) -> list[tuple[int, int]]:
    """Consecutive active days, two sessions a day in local time: enough days for `calls`, or
    a number drawn from `active_days` (a box used for a day up to the whole window)."""
    if active_days == (0, 0):
        n_days = int(np.clip(np.ceil(calls / max(per_day, 1)), 2, days - 5))
        first = int(rng.integers(1, days - n_days - 3))
    else:
        n_days = int(np.clip(rng.integers(active_days[0], active_days[1] + 1), 1, days))
        first = int(rng.integers(0, days - n_days + 1))
    morning = int(rng.integers(8 * 60 + 30, 10 * 60)) * 60
    afternoon = int(rng.integers(13 * 60 + 30, 15 * 60)) * 60
    sessions = []
    for d in range(first, first + n_days):
        if d > first and rng.random() < 0.1:  # a day off: the whole box stays dark
            continue
        day0 = start_ts + d * DAY
        jitter = int(rng.integers(-600, 600))
        sessions.append(
            (day0 + morning + jitter, day0 + morning + jitter + int(rng.integers(2, 4)) * 3600)
        )
        sessions.append(
            (day0 + afternoon + jitter, day0 + afternoon + jitter + int(rng.integers(3, 6)) * 3600)
        )
    return sessions


def session_time(rng: np.random.Generator, box: SimBox, n: int) -> tuple[I64, I64]:
    """n uniform times within the box's sessions, and the session index of each."""
    lengths = np.array([b - a for a, b in box.sessions], dtype=np.float64)
    which = rng.choice(len(lengths), size=n, p=lengths / lengths.sum())
    starts = np.array([a for a, _ in box.sessions], dtype=np.int64)
    offset = (rng.random(n) * lengths[which]).astype(np.int64)
    return starts[which] + offset, which.astype(np.int64)


def slot_time(rng: np.random.Generator, box: SimBox, n: int) -> tuple[I64, I64, I64]:
    """n dials spread over the box's sessions: (time, session, slot), each made by a slot whose
    SIM is online then (its own on and off times within the session)."""
    _, session = session_time(rng, box, n)
    life = box.life
    if life is None:
        slot = rng.integers(0, box.slots, n).astype(np.int64)
        ts, _ = _within(rng, box, session, np.zeros(n, np.int64), np.zeros(n, np.int64))
        return ts, session, slot
    active = ~life.idle  # (used, sessions); every session keeps at least one SIM online
    count = active.sum(axis=0)
    order = np.argsort(~active, axis=0, kind="stable")  # online slots first, per session
    pick = (rng.random(n) * count[session]).astype(np.int64)
    slot = order[pick, session].astype(np.int64)
    ts, _ = _within(rng, box, session, life.on_delay[slot, session], life.off_early[slot, session])
    return ts, session, slot


def _within(
    rng: np.random.Generator, box: SimBox, session: I64, late: I64, early: I64
) -> tuple[I64, I64]:
    on = np.array([a for a, _ in box.sessions], np.int64)[session] + late
    off = np.array([b for _, b in box.sessions], np.int64)[session] - early
    span = np.maximum(off - on, 1)
    return on + (rng.random(len(session)) * span).astype(np.int64), span


def box_calls(
    rng: np.random.Generator, box: SimBox, phones: I64, answer_rate: float
) -> tuple[Calls, I64, I64]:
    """The box's mass dialling: random people (`phones` by person), mostly unanswered or hung
    up within seconds. Returns the calls, the person each called and the slot it came from."""
    n = box.calls
    ts, session, slot = slot_time(rng, box, n)
    target = rng.integers(0, len(phones), n).astype(np.int64)
    answered = rng.random(n) < answer_rate
    duration = np.clip(rng.lognormal(np.log(22), 0.8, n), 2, 900).astype(np.int64)
    calls = Calls(
        ts=ts,
        caller=box.sim_at(slot, ts),
        callee=phones[target],
        duration=np.where(answered, duration, 0),
        cell=box.cell_in(session),
        imei=box.imei_for(slot, session),
        uid=np.zeros(n, np.uint64),
    )
    return calls, target, slot
