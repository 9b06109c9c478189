"""How an account's behaviour changed when the victims' money came, from its own rows as of the
report (`chaincut.trace.bystander._woken`): a card still for weeks, or paid a sum twice the
largest it ever received in the window, is weighed for a stop; a lump of a size the account has
been paid before (a saver selling a car) is not new to it. Weights, never a veto."""

from __future__ import annotations

from chaincut.trace import MemoryLedger, Txn
from chaincut.trace.bystander import judge
from chaincut.trace.model import MICROS_PER_DAY, Activity, TraceParams
from tests.trace.helpers import HOUR, at
from tests.trace.test_bystander import _facts
from tests.trace.test_chain import CARD

DAY = 24 * HOUR
STAY = 1_500_000 * 8 * MICROS_PER_DAY
#: the rented card of `test_chain.py` holding 30 % of a loss: just under a stop by its ledger
HELD = {k: v for k, v in CARD.items() if k != "prior"} | {"reach": 0.3}


def _prior(largest: int = 400_000, idle_days: float = 1.0) -> Activity:
    return Activity(12, 1_500_000, STAY, 0, largest, at(0) - int(idle_days * DAY))


def _has(reasons: tuple[str, ...], text: str) -> bool:
    return any(text in r for r in reasons)


def test_a_card_still_for_weeks_woken_by_the_victims_money_is_stopped() -> None:
    params = TraceParams()
    busy = judge(_facts(**HELD, prior=_prior(idle_days=2)), params)
    still = judge(_facts(**HELD, prior=_prior(idle_days=20)), params)
    assert not busy.stop and still.stop
    assert still.score == busy.score + 1.5
    assert _has(still.reasons, "+ no transaction in the 20 days before ¥2,000.00")
    # ten quiet days are a person's ordinary life, and a few yuan say nothing of who holds it
    quiet = judge(_facts(**HELD, prior=_prior(idle_days=10)), params)
    crumbs = dict(HELD, tainted_in=5_000, traced=5_000, inflow_after=5_000)
    tiny = judge(_facts(**crumbs, prior=_prior(idle_days=40)), params)
    tiny_busy = judge(_facts(**crumbs, prior=_prior(idle_days=1)), params)
    assert quiet.score == busy.score and not quiet.stop
    assert not _has(tiny.reasons, "no transaction in the")
    assert tiny.score == tiny_busy.score


def test_a_sum_twice_its_largest_payment_weighs_for_a_stop() -> None:
    params = TraceParams()
    usual = judge(_facts(**HELD, prior=_prior(largest=150_000)), params)
    large = judge(_facts(**HELD, prior=_prior(largest=90_000)), params)
    assert not usual.stop and large.stop
    assert large.score == usual.score + 1.5
    assert _has(large.reasons, "is 2.2 times the largest payment it received")
    # unmeasured (a ledger that does not say) weighs nothing
    assert judge(_facts(**HELD, prior=_prior(largest=0)), params).score == usual.score


def test_a_lump_of_a_size_it_was_paid_before_is_not_new_to_it() -> None:
    """A saver (money staying weeks) paid a month of its income by a mule within hours, the
    kind of bystander stopped on the randomised training worlds: it had been paid more at once
    before."""
    params = TraceParams()
    saver = dict(
        hop=2, traced=0, tainted_in=1_308_500, tainted_amounts=(1_308_500,), reach=0.53,
        inflow_after=1_308_500, until=at(7), age_days=1800.0, lag=4 * HOUR,
    )  # fmt: skip
    income = 3_505_000
    first = Activity(25, income, income * 17 * MICROS_PER_DAY, 0, 900_000, at(-12))
    again = Activity(25, income, income * 17 * MICROS_PER_DAY, 0, 3_080_000, at(-12))
    new = judge(_facts(**saver, prior=first), params)
    seen = judge(_facts(**saver, prior=again), params)
    assert new.stop and not seen.stop
    assert _has(new.reasons, "+ received ¥13,085.00 at once")
    assert _has(seen.reasons, "+ received ¥13,085.00 at once")
    assert _has(seen.reasons, "- in the 90 days before, it received ¥30,800.00 at once")
    assert seen.score == new.score - 1.0


def test_a_ledger_says_the_largest_payment_and_the_last_transaction() -> None:
    txns = [
        Txn(at(-100), "t1", "P", "A", 50_000, "transfer"),
        Txn(at(-60), "t2", "A", "S", 20_000, "transfer"),
        Txn(at(-30), "t3", "Q", "A", 80_000, "transfer"),
        Txn(at(-5), "t4", "A", "S", 10_000, "pos"),
        Txn(at(0), "t5", "M", "A", 300_000, "transfer"),
    ]
    ledger = MemoryLedger(txns)
    before = ledger.activity("A", at(-200), (at(0), "t5"))
    assert (before.txns, before.largest_cents, before.last_ts) == (4, 80_000, at(-5))
    assert ledger.activity("A", at(-200), (at(-100), "t1")) == Activity(0, 0, 0, 0, 0, None)
