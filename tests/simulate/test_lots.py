"""Lot bookkeeping: policies, time, exactness."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.simulate.lots import CLEAN, LotBook


def book(policy: str) -> LotBook:
    b = LotBook(policy, random.Random(1))  # type: ignore[arg-type]
    b.add(1, CLEAN, 100_00, ts=1)  # the reference worked example: own money, then stolen
    b.add(1, 7, 100_00, ts=2)
    return b


def test_fifo_takes_the_oldest_first() -> None:
    assert book("fifo").take(1, 150_00, ts=3) == [(CLEAN, 100_00), (7, 50_00)]


def test_pro_rata_splits_exactly() -> None:
    pieces = book("pro_rata").take(1, 150_00, ts=3)
    assert sorted(pieces) == [(CLEAN, 75_00), (7, 75_00)]
    b = book("pro_rata")
    assert sum(c for _, c in b.take(1, 333, ts=3)) == 333


def test_random_lots_add_up_and_vary() -> None:
    seen = set()
    for seed in range(20):
        b = LotBook("random", random.Random(seed))
        b.add(1, CLEAN, 100_00, ts=1)
        b.add(1, 7, 100_00, ts=2)
        pieces = b.take(1, 150_00, ts=3)
        assert sum(c for _, c in pieces) == 150_00
        seen.add(tuple(sorted(pieces)))
    assert len(seen) == 2


def test_money_leaves_only_after_it_arrived() -> None:
    b = book("random")
    assert b.available(1, ts=2) == 100_00
    assert b.take(1, 100_00, ts=2) == [(CLEAN, 100_00)]
    with pytest.raises(ValueError):
        b.take(1, 1, ts=2)


@settings(max_examples=60, deadline=None)
@given(
    policy=st.sampled_from(["random", "fifo", "pro_rata"]),
    ops=st.lists(
        st.tuples(st.integers(-1, 5), st.integers(1, 10_000_00)), min_size=1, max_size=120
    ),
    seed=st.integers(0, 1000),
)
def test_lots_conserve_every_cent(policy: str, ops: list[tuple[int, int]], seed: int) -> None:
    b = LotBook(policy, random.Random(seed))  # type: ignore[arg-type]
    held: dict[int, int] = {}
    for ts, (origin, cents) in enumerate(ops, start=1):
        if ts % 3 == 0 and b.available(9, ts):
            want = min(cents, b.available(9, ts))
            pieces = b.take(9, want, ts)
            assert sum(c for _, c in pieces) == want and all(c > 0 for _, c in pieces)
            for o, c in pieces:
                held[o] -= c
                assert held[o] >= 0
        else:
            b.add(9, origin, cents, ts)
            held[origin] = held.get(origin, 0) + cents
    by_origin: dict[int, int] = {}
    for o, c, _ in b.lots[9]:
        by_origin[o] = by_origin.get(o, 0) + c
    assert {o: c for o, c in held.items() if c} == by_origin
