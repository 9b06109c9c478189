"""Round eleven: stops at the report. Scored as of the report (`mule_history`), the mule model's
word against an account with a short history is set aside (`SHORT_HISTORY_SHARE`): a card the
chain has just begun to use looks ordinary to the model of that day, and its low score sent the
money of a victim's report to `verify`. An account with a full history is still freed by it."""

from __future__ import annotations

import pytest

from chaincut.trace import TraceParams
from chaincut.trace import bystander as by
from chaincut.trace import bystander_model as bm
from chaincut.trace.bystander import judge
from chaincut.trace.model import MICROS_PER_DAY, Activity
from tests.trace.helpers import at
from tests.trace.test_bystander import _facts
from tests.trace.test_bystander9 import LANDLORD

HOUR = 3_600_000_000
ASOF = TraceParams(mule_history=True)

#: a training world's card (foreign world 392, report FR000001) as of the report: an old card
#: used 4 times in the 90 days before (money stayed 44 h), paid 29 % of the victim's loss at
#: hop 2 within 2 hours, holding it 23 hours later; the model's cut score 0.0007
YOUNG_MULE = dict(
    hop=2, traced=167_700, tainted_in=167_700, tainted_amounts=(167_700,), reach=0.29,
    inflow_after=167_700, until=at(22.6), age_days=2972.0, lag=int(1.9 * HOUR),
    prior=Activity(4, 1_329_500, int(1_329_500 * 44 / 24 * MICROS_PER_DAY), 0, 1_329_500,
                   at(-13)),
)  # fmt: skip


def test_a_card_barely_used_before_the_money_is_stopped_at_the_report() -> None:
    young = judge(_facts(**YOUNG_MULE, mule_score=0.0007), ASOF)
    plain = judge(_facts(**YOUNG_MULE), ASOF)
    assert young.stop
    # the cut score's word against a short history is set aside, so it is not listed either
    assert young.score == plain.score
    assert not any("mule model" in r for r in young.reasons)
    # round ten weighed it at 40 % (4 transactions of 10) and sent the money to verify
    seen = by.history_weight(_facts(**YOUNG_MULE))
    assert seen == pytest.approx(0.4)
    assert plain.score + seen * bm.points(0.0007) < ASOF.stop_score


def test_a_whole_lake_score_still_counts_in_full() -> None:
    """The whole lake's score has seen the card's later months: its word counts as it is."""
    lake = judge(_facts(**YOUNG_MULE, mule_score=0.0007), TraceParams())
    plain = judge(_facts(**YOUNG_MULE), TraceParams())
    assert lake.score == pytest.approx(plain.score + bm.points(0.0007), abs=0.01)
    assert not lake.stop


def test_an_established_shop_paid_by_a_mule_stays_on_verify() -> None:
    """A landlord with 20 transactions in the window and a 5-year-old account: the cut score's
    word against it counts in full, and it is not stopped."""
    shop = judge(_facts(**LANDLORD, mule_score=0.01), ASOF)
    plain = judge(_facts(**LANDLORD), ASOF)
    assert not shop.stop
    assert shop.score == pytest.approx(plain.score + bm.points(0.01), abs=0.01)
    assert any(
        r.startswith("- the mule model scores its history so far 0.01") for r in shop.reasons
    )


def test_the_model_s_word_for_a_short_history_counts_in_full() -> None:
    rented = judge(_facts(**YOUNG_MULE, mule_score=0.98), ASOF)
    plain = judge(_facts(**YOUNG_MULE), ASOF)
    assert rented.score == pytest.approx(plain.score + bm.points(0.98), abs=0.01)
