"""Round eight's weights of the judge (`chaincut.trace.bystander`): a card stopped for several
other victims' reports weighs more than one stopped once, and an ordinary account that pays out
far more than the victims' sliver of its income soon after (a cash withdrawal from its savings)
is spending its own money, not passing the victims' on. Weights, never a veto."""

from __future__ import annotations

from chaincut.trace.bystander import judge
from chaincut.trace.model import MICROS_PER_DAY, Activity, TraceParams
from tests.trace.helpers import at
from tests.trace.test_bystander import _facts
from tests.trace.test_chain import CARD


def _has(reasons: tuple[str, ...], text: str) -> bool:
    return any(text in r for r in reasons)


def test_a_card_stopped_for_several_earlier_reports_weighs_more() -> None:
    params = TraceParams()
    plain = judge(_facts(**CARD), params)
    once = judge(_facts(**CARD, stopped_for=("R0",)), params)
    thrice = judge(_facts(**CARD, stopped_for=("R0", "R1", "R2")), params)
    many = judge(_facts(**CARD, stopped_for=tuple(f"R{i}" for i in range(7))), params)
    assert not plain.stop and once.stop
    assert once.score == plain.score + 3.0
    assert thrice.score == once.score + 2.0
    # capped: a seventh report adds nothing over the third
    assert many.score == thrice.score
    assert _has(thrice.reasons, "+ already stopped for 3 earlier report(s) of other victims")


#: a person's card: 15 transactions in 90 days, ¥5,300 received, money staying 13 days
SAVER = Activity(15, 530_000, 530_000 * 13 * MICROS_PER_DAY, 0, 120_000, at(-20))
#: paid ¥133 at hop 3 by a mule (for goods), then took ¥1,000 of its own out in cash
PAID = dict(
    hop=3, traced=13_300, tainted_in=13_300, tainted_amounts=(13_300,), reach=0.04,
    inflow_after=13_300, until=at(40), age_days=2500.0, lag=22 * 3_600_000_000, prior=SAVER,
)  # fmt: skip


def test_paying_out_its_own_money_after_a_sliver_of_the_victims_is_not_a_relay() -> None:
    params = TraceParams()
    cash = ((at(3), 100_000, "ATM", "atm_withdrawal"),)
    own = judge(_facts(**PAID, outs=cash), params)
    assert not own.stop
    assert _has(own.reasons, "- paid out ¥1,000.00 soon after, 7.5 times the victims' money")
    # the same card with no savings to spend (its money passes in hours) is a relay cashing out
    pooling = Activity(15, 530_000, 530_000 * MICROS_PER_DAY // 4, 0, 120_000, at(-20))
    relay = judge(_facts(**(PAID | {"prior": pooling}), outs=cash), params)
    assert relay.stop and not _has(relay.reasons, "paid out")


def test_own_money_needs_savings_and_a_sliver() -> None:
    """A card whose income is largely the victims', or that pays out about what came, is not
    said to spend its own money."""
    params = TraceParams()
    cash = ((at(3), 100_000, "ATM", "atm_withdrawal"),)
    near = judge(_facts(**PAID, outs=((at(3), 39_000, "ATM", "atm_withdrawal"),)), params)
    assert not _has(near.reasons, "paid out")
    # ¥400 of a victim's money in a card that received ¥5,300 in 90 days: 7 % of its income
    big = PAID | {"traced": 40_000, "tainted_in": 40_000, "tainted_amounts": (40_000,)}
    bulk = judge(_facts(**(big | {"inflow_after": 40_000}), outs=cash), params)
    assert not _has(bulk.reasons, "paid out")
