"""The ledger's invariants under any sequence of payments: no overdraft, stolen money conserved."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.foreign.core import World
from chaincut.foreign.ledger import Ledger

ACCOUNTS = ("src", "a", "b", "pool", "atm")
payment = st.tuples(
    st.sampled_from(ACCOUNTS[:4]),
    st.sampled_from(ACCOUNTS[1:]),  # the source (an employer) is never paid
    st.integers(1, 50_000),
    st.one_of(st.none(), st.integers(0, 2)),
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(payment, max_size=60),
    st.lists(
        st.tuples(st.sampled_from(ACCOUNTS[1:4]), st.integers(0, 2), st.integers(1, 9_000)),
        max_size=6,
    ),
)
def test_no_overdraft_and_taint_never_exceeds_balance(
    payments: list[tuple[str, str, int, int | None]], thefts: list[tuple[str, int, int]]
) -> None:
    w = World(0, 1, np.random.default_rng(0))
    ledger = Ledger(w, ["src"], {"atm"})
    ledger.pools = {"pool"}
    for t, (src, dst, cents, case) in enumerate(payments):
        if t < len(thefts):  # a victim's money arrives
            acc, c, amount = thefts[t]
            if ledger.transfer(t, "src", acc, amount, "transfer"):
                ledger.add_taint(acc, c, amount)
        before = ledger.balance.get(src, 0)
        done = ledger.transfer(t, src, dst, cents, "transfer", case=case)
        if src != "src":
            assert (done is not None) == (before >= cents)
            assert ledger.balance.get(src, 0) >= 0
        for acc, held in ledger.taint.items():
            assert acc != "atm"
            assert sum(held.values()) <= ledger.balance.get(acc, 0)
            assert all(v > 0 for v in held.values())
            for c in held:
                assert acc in ledger.holders_of[c]


def test_pro_rata_share_moves_with_a_payment() -> None:
    w = World(0, 1, np.random.default_rng(0))
    ledger = Ledger(w, ["src"], set())
    ledger.transfer(0, "src", "m", 10_000, "transfer")  # own money
    ledger.transfer(1, "src", "m", 30_000, "transfer")
    ledger.add_taint("m", 0, 30_000)  # the second payment was a victim's
    ledger.transfer(2, "m", "x", 20_000, "transfer")
    assert ledger.holdings(0) == [("m", 15_000), ("x", 15_000)]
