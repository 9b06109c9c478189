"""SIM boxes (GOIP, "cat pools"): one device holding 8 to 128 SIM cards at one fixed cell.

All SIMs of a box power on and off together (the box's sessions); a box only calls out, to many
distinct numbers, with short calls and low answer rates. Each slot has its own IMEI, or the box
rotates IMEIs (each SIM then shows several IMEIs and each IMEI several SIMs).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from chaincut.simulate.rows import Calls

I64 = NDArray[np.int64]
DAY = 86_400


@dataclass
class SimBox:
    device_id: str
    slots: int
    sims: I64  # phone indices, one per slot
    imeis: I64  # device indices: one per slot, or the rotation pool
    rotating: bool
    cell: int
    sessions: list[tuple[int, int]] = field(default_factory=list)  # (on, off) unix seconds
    calls: int = 0  # mass calls to make over all sessions

    def imei_for(self, slot: I64, session: I64) -> I64:
        """Which IMEI a slot shows in a session."""
        if not self.rotating:
            return self.imeis[slot]
        out: I64 = self.imeis[(slot * 7 + session * 13) % len(self.imeis)]
        return out


def plan_sessions(
    rng: np.random.Generator, start_ts: int, days: int, calls: int, per_day: int
) -> list[tuple[int, int]]:
    """Consecutive active days (enough for `calls`), two sessions a day in local time."""
    n_days = int(np.clip(np.ceil(calls / max(per_day, 1)), 2, days - 5))
    first = int(rng.integers(1, days - n_days - 3))
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


def box_calls(
    rng: np.random.Generator,
    box: SimBox,
    targets: I64,
    answer_rate: float,
    uid0: int,
) -> Calls:
    """The box's mass dialling: random targets, mostly unanswered or hung up within seconds."""
    n = box.calls
    ts, session = session_time(rng, box, n)
    slot = rng.integers(0, box.slots, n)
    answered = rng.random(n) < answer_rate
    duration = np.clip(rng.lognormal(np.log(22), 0.8, n), 2, 900).astype(np.int64)
    return Calls(
        ts=ts,
        caller=box.sims[slot],
        callee=targets[rng.integers(0, len(targets), n)],
        duration=np.where(answered, duration, 0),
        cell=np.full(n, box.cell, np.int64),
        imei=box.imei_for(slot, session),
        uid=np.uint64(uid0) + np.arange(n, dtype=np.uint64),
    )
