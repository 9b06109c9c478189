"""Seeded random streams and identifier scrambling.

Every part of the world draws from its own named stream (`stream(seed, "normal-txn", chunk)`),
so a part's output depends only on the seed, its name and its index: adding a draw in one part
never changes another, and chunks can be generated in any order.
"""

from __future__ import annotations

import math
import zlib

import numpy as np
from numpy.typing import NDArray

U64 = NDArray[np.uint64]
I64 = NDArray[np.int64]


def stream(seed: int, name: str, *index: int) -> np.random.Generator:
    """An independent generator for the part `name` (and sub-part `index`) of world `seed`."""
    key = (zlib.crc32(name.encode()), *index)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


def key64(seed: int, name: str) -> int:
    """A 64-bit key derived from the seed and a name, for `mix64`."""
    return int(stream(seed, "key:" + name).integers(0, 2**63 - 1, dtype=np.int64))


def mix64(values: U64 | I64, key: int) -> U64:
    """A bijection of uint64 (the splitmix64 finaliser after xor with `key`).

    Distinct counters give distinct, unordered-looking identifiers, so an id reveals neither
    when nor by which part of the simulator a row was made.
    """
    x = values.astype(np.uint64) ^ np.uint64(key)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def affine_serial(index: I64, modulus: int, salt: int) -> I64:
    """A bijection of [0, modulus), index -> (index * a + b) mod modulus, that scatters
    consecutive counters across the range (serial numbers that reveal no order).

    Valid for index < 10**8 (the product stays within int64).
    """
    mult = max(1, min(int(modulus * 0.6180339887), 90_000_000_000))
    while math.gcd(mult, modulus) != 1:
        mult -= 1
    offset = int(stream(salt, "serial", modulus % 2**31).integers(0, 2**62)) % modulus
    out: I64 = ((index.astype(np.int64) % modulus) * np.int64(mult) + np.int64(offset)) % np.int64(
        modulus
    )
    return out


def lognormal_cents(rng: np.random.Generator, median_cny: float, sigma: float, n: int) -> I64:
    """Amounts in integer cents, log-normal around `median_cny`, at least 1 yuan."""
    raw = rng.lognormal(np.log(median_cny), sigma, n)
    return np.maximum(100, np.round(raw * 100)).astype(np.int64)


def round_cents(cents: I64, unit_cny: int) -> I64:
    """Round amounts to a multiple of `unit_cny` yuan (at least one unit)."""
    unit = unit_cny * 100
    out: I64 = np.maximum(unit, (cents // unit) * unit)
    return out


def pick_weighted(rng: np.random.Generator, cdf: NDArray[np.float64], n: int) -> I64:
    """n indices drawn from a small cumulative distribution (last element 1.0)."""
    idx = np.searchsorted(cdf, rng.random(n), side="right")
    out: I64 = np.minimum(idx, len(cdf) - 1).astype(np.int64)
    return out


class Tickets:
    """Weighted sampling by lottery tickets: entity i holds about weight_i / mean * per tickets
    (at least one). One random lookup per draw, fast on tables of millions."""

    def __init__(self, weights: NDArray[np.float64], per: float = 6.0) -> None:
        counts = np.maximum(1, np.round(weights / weights.mean() * per)).astype(np.int64)
        self.table = np.repeat(np.arange(len(weights), dtype=np.int32), counts)
        self.weights = counts.astype(np.float64)

    def draw(self, rng: np.random.Generator, n: int) -> I64:
        out: I64 = self.table[rng.integers(0, len(self.table), n)].astype(np.int64)
        return out


def cdf_of(weights: NDArray[np.float64]) -> NDArray[np.float64]:
    cum = np.cumsum(weights, dtype=np.float64)
    out: NDArray[np.float64] = cum / cum[-1]
    return out
