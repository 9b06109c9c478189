"""Round fourteen: stops at the report. The chain splits a victim's money over several of its
cards at once; a rented card with an ordinary life that got a real part of such a split, beside
a card this trace stops, is stopped even where the report came before it did anything with the
money (`chaincut.trace.chain.split_of`; training world foreign-921, small: FR000016's card, paid
¥1,376 of ¥1,751 44 minutes after its payer got the victim's money). A person the same mule pays
in the same minutes (a debt) gets a small part of the split and stays on `verify`."""

from __future__ import annotations

import json

import pytest

from chaincut.trace import TraceParams
from chaincut.trace.bystander import judge
from chaincut.trace.chain import SPLIT_WEIGHTS, Split, Ties, split_counts, split_of, split_weight
from chaincut.trace.kernel import trace_one
from chaincut.trace.ledger import MemoryLedger
from chaincut.trace.model import MICROS_PER_DAY, AccountInfo, Activity, ReportInfo, Txn
from chaincut.trace.result import OrderKind
from chaincut.trace.scored import ScoredLedger
from tests.trace.helpers import at
from tests.trace.test_bystander import _facts

ASOF = TraceParams(mule_history=True)
#: the weight fitted on the training worlds (docs/tracing.md "Round fourteen"), shipped since
#: round fifteen where the relay counts
FITTED = float(json.loads(SPLIT_WEIGHTS.read_text("utf-8"))["weight_fitted"])


@pytest.fixture
def fitted(monkeypatch: pytest.MonkeyPatch) -> None:
    """The split at its fitted weight, as a bank that ships it would have it."""
    monkeypatch.setattr("chaincut.trace.chain.split_weight", lambda: FITTED)
    monkeypatch.setattr("chaincut.trace.assemble.split_weight", lambda: FITTED)


#: the model of the report's day finds the cards' lives ordinary
CUT_SCORES = {"R": 0.05, "M": 0.05, "N": 0.3, "P": 0.01}


def _orders(report_hours: float = 1.8) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Victim V pays ¥1,800 to the mule M; 44 minutes later M pays ¥1,376 to the rented card R,
    ¥375 to the new card N (which passes it on within minutes) and ¥45 to a person P (a debt).
    R and P have years of an ordinary life; V reports `report_hours` after paying (an hour
    after the split), and R has done nothing with the money by then."""
    txns = [Txn(at(-24 * d), f"sal{d}", "EMPLOYER", "R", 540_000) for d in (80, 50, 20)]
    txns += [Txn(at(-24 * d + 5), f"buy{d}", "R", f"SHOP{d % 3}", 21_000) for d in range(5, 80, 5)]
    txns += [Txn(at(-24 * d + 2), f"wage{d}", "EMPLOYER", "P", 480_000) for d in (75, 45, 15)]
    txns += [Txn(at(-24 * d + 6), f"pay{d}", "P", f"SHOP{d % 4}", 15_000) for d in range(3, 80, 4)]
    txns += [
        Txn(at(0), "F1", "V", "M", 180_000),
        Txn(at(0.73), "t-r", "M", "R", 137_600),
        Txn(at(0.75), "t-n", "M", "N", 37_500),
        Txn(at(0.78), "t-p", "M", "P", 4_500),
        Txn(at(0.8), "t-x", "N", "X", 37_000),
    ]
    accounts = {a: AccountInfo(a, kind="personal", since=at(-24 * 900)) for a in ("R", "M")}
    accounts["P"] = AccountInfo("P", kind="personal", since=at(-24 * 2000))
    accounts["N"] = AccountInfo("N", kind="personal", since=at(-24 * 10))
    report = ReportInfo("R1", at(report_hours), "V", (txns[-5],))
    ledger = MemoryLedger(txns, accounts=accounts, reports=[report])
    result = trace_one(ScoredLedger(ledger, CUT_SCORES), "R1", ASOF)
    return {o.account_id: (o.kind.value, o.reasons) for o in result.orders}


@pytest.mark.usefixtures("fitted")
def test_a_card_paid_a_real_part_of_a_split_beside_a_stopped_card_is_stopped() -> None:
    orders = _orders()
    assert orders["N"][0] == OrderKind.emergency_stop.value
    kind, reasons = orders["R"]
    assert kind == OrderKind.emergency_stop.value
    assert (
        "+ M paid it 77% of ¥1,796.00 it paid out within 10 min (transfer t-r), beside accounts "
        "this trace stops (N), as the chain splits a victim's money" in reasons
    )
    # P got a small part of the same split: no such reason, and no stop
    kind, reasons = orders["P"]
    assert kind == OrderKind.verify.value
    assert not any("splits a victim's money" in r for r in reasons)


def test_as_shipped_the_split_weighs_its_fitted_points() -> None:
    """Round fourteen shipped the split's weight at 0; round fifteen ships the fitted weight
    where how the card was handed the money counts (`tests/trace/test_stops15.py`): the card
    that had not yet done anything with its part of the split is stopped."""
    assert split_weight() == FITTED > 0
    kind, reasons = _orders()["R"]
    assert kind == OrderKind.emergency_stop.value
    assert any("splits a victim's money" in r for r in reasons)


def test_the_split_is_the_payers_payments_within_minutes_of_the_one_that_brought_the_money() -> (
    None
):
    outs = [
        (at(0.5), 10_000, "EARLY", "transfer"),  # 14 minutes before: not part of it
        (at(0.73), 137_600, "R", "transfer"),
        (at(0.75), 37_500, "N", "transfer"),
        (at(0.78), 4_500, "P", "transfer"),
    ]
    split = split_of("R", ("t-r", "M", at(0.73), 137_600), outs, {"N", "R"})
    assert split == Split("t-r", "M", 137_600, 179_600, ("N",))
    assert split_counts(split)
    # P's part is 3 %: a payment beside the split, not a part of it
    assert not split_counts(split_of("P", ("t-p", "M", at(0.78), 4_500), outs, {"N"}))
    # nothing beside it is stopped, or the payer is no account the trace followed
    assert not split_counts(split_of("R", ("t-r", "M", at(0.73), 137_600), outs, set()))
    assert split_of("R", None, outs, {"N"}) is None


@pytest.mark.usefixtures("fitted")
def test_the_split_weighs_its_fitted_points_and_names_the_transfer() -> None:
    card = dict(
        hop=2, traced=137_600, tainted_in=137_600, tainted_amounts=(137_600,), reach=0.76,
        inflow_after=137_600, until=at(1.8), age_days=900.0,
        prior=Activity(18, 1_620_000, 1_620_000 * 8 * MICROS_PER_DAY),
    )  # fmt: skip
    params = TraceParams()
    plain = judge(_facts(**card), params)
    split = Split("t-r", "M", 137_600, 179_600, ("N",))
    tied = judge(_facts(**card, ties=Ties(split=split)), params)
    assert tied.score == round(plain.score + FITTED, 2)
    assert any("(transfer t-r)" in r and "(N)" in r for r in tied.reasons)
    small = Split("t-p", "M", 4_500, 179_600, ("N",))
    assert judge(_facts(**card, ties=Ties(split=small)), params).score == plain.score
