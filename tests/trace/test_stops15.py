"""Round fifteen: stops at the report. Paid as a part of a split (round fourteen) counts only
while how the account was handed the money does (`bystander.relay_counts`): once it was watched
`pass_hours` and had paid on less than `PASS_SHARE` of the victims' money, it kept what it was
paid, as a bystander does (confirming world foreign-937 of round fourteen: a person a mule paid
75 % of what it paid out within 10 minutes, beside a stopped card, who kept it, was stopped by
the whole-lake judge with the split and not without it)."""

from __future__ import annotations

import pytest

from chaincut.trace import TraceParams
from chaincut.trace.bystander import judge, relay_counts
from chaincut.trace.chain import Split, Ties
from chaincut.trace.model import MICROS_PER_DAY, Activity
from chaincut.trace.result import OrderKind
from tests.trace.helpers import at
from tests.trace.test_bystander import _facts
from tests.trace.test_stops14 import FITTED, _orders, fitted  # noqa: F401 (the fixture)

#: a card with years of an ordinary life that got ¥1,376 of a mule's ¥1,796 split (round
#: fourteen's foreign-921 FR000016), its payer's other payee stopped in this trace
CARD = dict(
    hop=2, traced=137_600, tainted_in=137_600, tainted_amounts=(137_600,), reach=0.76,
    inflow_after=137_600, age_days=900.0, prior=Activity(18, 1_620_000, 1_620_000 * 8 * MICROS_PER_DAY),
)  # fmt: skip
TIED = Ties(split=Split("t-r", "M", 137_600, 179_600, ("N",)))


def _split_points(**change: object) -> float:
    params = TraceParams()
    return round(
        judge(_facts(**CARD, **change, ties=TIED), params).score
        - judge(_facts(**CARD, **change), params).score,
        2,
    )


@pytest.mark.usefixtures("fitted")
def test_the_split_counts_only_while_the_relay_does() -> None:
    params = TraceParams()
    # the report came 1.8 h after the money: not yet watched `pass_hours`, the split counts
    early = {"until": at(1.8)}
    assert relay_counts(_facts(**CARD, **early), params)
    assert _split_points(**early) == FITTED
    # watched 30 h and kept it all: a payee keeps what it was paid, the split weighs nothing
    kept = {"until": at(30)}
    assert not relay_counts(_facts(**CARD, **kept), params)
    assert _split_points(**kept) == 0.0
    reasons = judge(_facts(**CARD, **kept, ties=TIED), params).reasons
    assert not any("splits a victim's money" in r for r in reasons)
    # watched 30 h and passed it on to another card: the chain's card, the split counts again
    passed = {"until": at(30), "outs": ((at(3), 137_000, "X", "transfer"),)}
    assert relay_counts(_facts(**CARD, **passed), params)
    assert _split_points(**passed) == FITTED
    # a card purchase is spending, not passing it on
    spent = {"until": at(30), "outs": ((at(3), 137_000, "SHOP", "pos"),)}
    assert _split_points(**spent) == 0.0


@pytest.mark.usefixtures("fitted")
def test_a_card_that_kept_its_part_of_the_split_a_day_is_verified() -> None:
    """The same split as round fourteen's card, but the victim reported 30 h after paying and
    the card had kept the money since: on `verify`; the new card that passed its part on within
    minutes is stopped as before."""
    orders = _orders(report_hours=30)
    assert orders["N"][0] == OrderKind.emergency_stop.value
    kind, reasons = orders["R"]
    assert kind == OrderKind.verify.value
    assert not any("splits a victim's money" in r for r in reasons)
