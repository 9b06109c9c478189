"""Time in the world: daily rhythms (in Beijing time) and the slicing of the window into chunks.

A `Clock` holds a per-minute intensity over the window. Chunks are slices of equal expected
volume, so each chunk of a table holds about the same number of rows, and rows of a chunk are
drawn inside its slice: the written files come out in time order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]

# relative intensity per local hour 0..23
TXN_HOURS = np.array(
    [0.2, 0.1, 0.06, 0.04, 0.04, 0.08, 0.3, 0.7, 1.0, 1.1, 1.2, 1.5,
     1.6, 1.3, 1.1, 1.1, 1.2, 1.4, 1.6, 1.7, 1.6, 1.3, 0.9, 0.5],
)  # fmt: skip
CALL_HOURS = np.array(
    [0.1, 0.04, 0.02, 0.02, 0.02, 0.05, 0.2, 0.6, 1.1, 1.5, 1.6, 1.5,
     1.1, 1.0, 1.3, 1.5, 1.5, 1.4, 1.3, 1.3, 1.2, 1.0, 0.6, 0.3],
)  # fmt: skip
MESSAGE_HOURS = np.array(
    [0.3, 0.15, 0.08, 0.05, 0.05, 0.1, 0.3, 0.8, 1.0, 1.1, 1.1, 1.2,
     1.3, 1.1, 1.0, 1.0, 1.1, 1.2, 1.3, 1.5, 1.6, 1.6, 1.2, 0.7],
)  # fmt: skip


@dataclass(frozen=True)
class Slice:
    index: int
    lo_ts: int  # inclusive
    hi_ts: int  # exclusive
    lo_cum: float
    hi_cum: float


class Clock:
    """Intensity per hour of the window (local-hour weights, a weekend factor), constant within
    an hour, so the cumulative distribution is piecewise linear and inverted exactly."""

    def __init__(
        self, start_ts: int, days: int, hours: F64, weekend: float, first_weekday: int
    ) -> None:
        self.start_ts = start_ts
        hour = np.arange(days * 24)
        weekday = (first_weekday + hour // 24) % 7
        self.weight: F64 = hours[hour % 24] * np.where(weekday >= 5, weekend, 1.0)
        cum = np.concatenate([[0.0], np.cumsum(self.weight)])
        self.total = float(cum[-1])
        self.cum: F64 = cum / self.total
        self.hours = len(hour)

    def at(self, u: F64) -> F64:
        """Seconds since the start at cumulative share u (the inverse of the distribution)."""
        h = np.clip(np.searchsorted(self.cum, u, side="right") - 1, 0, self.hours - 1)
        frac: F64 = (u - self.cum[h]) * self.total / self.weight[h]
        out: F64 = (h + np.clip(frac, 0.0, 1.0)).astype(np.float64) * 3600.0
        return out

    def slices(self, k: int) -> list[Slice]:
        """k slices of equal expected volume, on whole seconds."""
        edges = np.floor(self.at(np.linspace(0.0, 1.0, k + 1))).astype(np.int64)
        edges[0], edges[-1] = 0, self.hours * 3600
        edges = np.maximum.accumulate(edges)
        cum = self.share(edges)
        return [
            Slice(i, self.start_ts + int(edges[i]), self.start_ts + int(edges[i + 1]),
                  float(cum[i]), float(cum[i + 1]))
            for i in range(k)
        ]  # fmt: skip

    def share(self, seconds: I64) -> F64:
        """The cumulative share at each offset (seconds since the start)."""
        h = np.clip(seconds // 3600, 0, self.hours - 1)
        frac = (seconds - h * 3600) / 3600.0
        out: F64 = self.cum[h] + frac * self.weight[h] / self.total
        return out

    def sample(self, rng: np.random.Generator, n: int, part: Slice) -> I64:
        """n timestamps (unix seconds, sorted) following the rhythm, inside the slice."""
        u = np.sort(part.lo_cum + (part.hi_cum - part.lo_cum) * rng.random(n))
        ts = self.start_ts + self.at(u).astype(np.int64)
        out: I64 = np.clip(ts, part.lo_ts, part.hi_ts - 1)
        return out

    def local_hour(self, ts: I64) -> I64:
        out: I64 = ((ts - self.start_ts) // 3600) % 24
        return out

    def weekday(self, ts: I64, first_weekday: int) -> I64:
        out: I64 = (first_weekday + (ts - self.start_ts) // 86_400) % 7
        return out


def slice_of(slices: list[Slice], ts: I64) -> I64:
    """Index of the slice holding each timestamp (before the window: 0, after: last)."""
    edges = np.array([s.lo_ts for s in slices[1:]], dtype=np.int64)
    out: I64 = np.searchsorted(edges, ts, side="right").astype(np.int64)
    return out
