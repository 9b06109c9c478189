"""Ties to the chain (`chaincut.trace.chain`): a card funded by accounts already stopped, or
passing the victim's money on to an account this trace stops, is weighed for a stop; the
landlord of `test_kernel.py`, paid by a mule once, is not."""

from __future__ import annotations

from chaincut.trace import (
    AccountInfo,
    MemoryLedger,
    OrderKind,
    ReportInfo,
    ScoredLedger,
    TraceParams,
    TraceResult,
    Txn,
    trace_reports,
)
from chaincut.trace.bystander import judge
from chaincut.trace.chain import Ties, ties_of
from chaincut.trace.model import MICROS_PER_DAY, Activity
from tests.trace.helpers import HOUR, at
from tests.trace.test_bystander import _facts

DAY = 24 * HOUR
#: a rented card by its own ledger: hop 2, years old, money staying 8 days, one payment kept
CARD = dict(
    hop=2, traced=200_000, tainted_in=200_000, tainted_amounts=(200_037,), reach=0.15,
    inflow_after=200_000, until=at(30), age_days=2000.0, lag=5 * HOUR,
    prior=Activity(12, 1_500_000, 1_500_000 * 8 * MICROS_PER_DAY),
)  # fmt: skip


def _kinds(result: TraceResult) -> dict[str, OrderKind]:
    return {o.account_id: o.kind for o in result.orders if o.report_id == "R1"}


def _reasons(result: TraceResult, account: str) -> tuple[str, ...]:
    return next(o.reasons for o in result.orders if o.account_id == account)


def test_money_from_stopped_accounts_weighs_by_its_share_of_the_income() -> None:
    params = TraceParams()
    plain = judge(_facts(**CARD), params)
    assert not plain.stop
    funded = judge(_facts(**CARD, ties=Ties(600_000, 1_500_000, ("MOLD",))), params)
    assert funded.stop and funded.score == plain.score + 3.0
    assert funded.reasons[0].startswith("+ in the 90 days before, 40% of what it received")
    assert "(MOLD)" in funded.reasons[0]
    # a tenth of its income (a mule paying its rent or a regular bill) weighs nothing
    sliver = judge(_facts(**CARD, ties=Ties(250_000, 1_500_000, ("MOLD",))), params)
    assert sliver.score == plain.score and not sliver.stop


def test_paying_on_to_an_account_this_trace_stops_weighs_for_a_stop() -> None:
    params = TraceParams()
    outs = ((at(2), 100_000, "M3", "transfer"),)
    plain = judge(_facts(**CARD, outs=outs), params)
    assert not plain.stop and any(r.startswith("+ forwarded") for r in plain.reasons)
    onward = judge(
        _facts(**CARD, outs=outs, ties=Ties(onward_cents=100_000, payees=("M3",))), params
    )
    assert onward.stop and onward.score == plain.score + 2.5
    assert "+ paid ¥1,000.00 on to accounts this trace stops (M3)" in onward.reasons
    # a small part of the victim's money paid to the chain (a debt settled) weighs nothing
    little = judge(_facts(**CARD, outs=outs, ties=Ties(onward_cents=20_000)), params)
    assert little.score == plain.score


def test_ties_count_only_income_before_from_stopped_accounts_and_payments_to_this_trace_s() -> None:
    history = [
        Txn(at(-500), "s1", "EMPLOYER", "CARD", 900_000),
        Txn(at(-300), "c1", "MOLD", "CARD", 300_000),
        Txn(at(-200), "c2", "CARD", "MOLD", 50_000),  # paid to it: not income from it
        Txn(at(-100), "c3", "M1", "CARD", 100_000),
    ]
    outs = [(at(2), 70_000, "M3", "transfer"), (at(3), 9_000, "SHOP", "pos")]
    ties = ties_of("CARD", history, outs, lambda a: (at(100),) if a == "MOLD" else (), {"M1", "M3"})
    assert ties == Ties(400_000, 1_300_000, ("MOLD", "M1"), 70_000, ("M3",))
    assert ties_of("CARD", history, outs, lambda _: (), set()) == Ties(0, 1_300_000)
    # MOLD's payment fell in the window before the report that stopped it: that trace saw the
    # money and judged CARD on it (an analyst may have released that order), so it is not
    # counted again
    seen = ties_of(
        "CARD", history, outs, lambda a: (at(-290),) if a == "MOLD" else (), set(), 30 * DAY
    )
    assert seen.from_cents == 0


def _rented(extra: list[Txn], after: tuple[Txn, ...] = ()) -> MemoryLedger:
    """A card with a salary and a life (money stays days), paid ¥1,500 of a ¥5,000 loss at hop 2
    within hours; `extra` adds to its history, `after` to what follows."""
    salary = [Txn(at(-24 * d), f"s{d}", "EMPLOYER", "CARD", 800_000) for d in (5, 35, 65)]
    spend = [Txn(at(-24 * d + 48), f"p{d}", "CARD", "SHOP", 10_000 + d) for d in range(1, 70, 7)]
    txns = [
        *salary,
        *spend,
        *extra,
        Txn(at(1), "F1", "V", "M", 500_000),
        Txn(at(2), "t2", "M", "CARD", 150_037),
        Txn(at(3), "t3", "M", "M2", 300_000),
        *after,
    ]
    accounts = [
        AccountInfo("CARD", "bank_card", since=at(-24 * 800)),
        AccountInfo("MOLD", "bank_card", since=at(-24 * 100)),
    ]
    report = ReportInfo("R1", at(30), "V", (txns[len(txns) - len(after) - 3],))
    return MemoryLedger.complete(txns, accounts, [report])


def test_a_card_the_chain_funded_before_is_stopped_once_its_funder_is() -> None:
    funded = [Txn(at(-24 * d), f"c{d}", "MOLD", "CARD", 400_000) for d in (40, 60, 80)]
    ledger = _rented(funded)
    report = ledger.report("R1")
    alone = trace_reports(ledger, [report], TraceParams())
    assert _kinds(alone)["CARD"] is OrderKind.verify
    # MOLD was stopped for another victim's report filed the day before
    stops = {"MOLD": [(report.ts - DAY, "R0")]}
    known = trace_reports(ScoredLedger(ledger, {}, stops=stops), [report], TraceParams())
    assert _kinds(known)["CARD"] is OrderKind.emergency_stop
    assert any(
        "came from accounts stopped as the chain's (MOLD)" in r for r in _reasons(known, "CARD")
    )
    # a report filed 39 days before saw the payments of its 30 days (40 and 60 days before
    # this one) and judged the card on them: only the third counts, a ninth of its income
    seen = {"MOLD": [(at(-24 * 39), "R0")]}
    judged = trace_reports(ScoredLedger(ledger, {}, stops=seen), [report], TraceParams())
    assert _kinds(judged)["CARD"] is OrderKind.verify
    # a stop filed after this report is not known when it is traced
    later = {"MOLD": [(report.ts + DAY, "R9")]}
    after = trace_reports(ScoredLedger(ledger, {}, stops=later), [report], TraceParams())
    assert _kinds(after)["CARD"] is OrderKind.verify


def test_the_landlord_stays_verify_when_the_mule_that_paid_it_is_stopped() -> None:
    ledger = _rented([])
    result = trace_reports(ledger, [ledger.report("R1")], TraceParams())
    kinds = _kinds(result)
    # M is stopped in this trace, but it paid the card nothing before the victim's money
    assert kinds["M"] is OrderKind.emergency_stop and kinds["CARD"] is OrderKind.verify
    assert not any("chain's" in r or "this trace stops" in r for r in _reasons(result, "CARD"))


def test_a_card_paying_the_money_on_to_a_stopped_mule_is_stopped() -> None:
    # CARD passes ¥600 of the ¥1,500 on to M3, which empties itself into a new card at once
    onward = [
        Txn(at(4), "t4", "CARD", "M3", 60_000),
        Txn(at(4.2), "t5", "M3", "M4", 59_000),
    ]
    ledger = _rented([], tuple(onward))
    result = trace_reports(ledger, [ledger.report("R1")], TraceParams())
    kinds = _kinds(result)
    assert kinds["M3"] is OrderKind.emergency_stop
    assert kinds["CARD"] is OrderKind.emergency_stop
    assert "+ paid ¥600.00 on to accounts this trace stops (M3)" in _reasons(result, "CARD")
    # without that tie it would only be verified
    card = next(o for o in result.orders if o.account_id == "CARD")
    assert card.score is not None and card.score - 2.5 < TraceParams().stop_score


def test_every_account_s_history_starts_inside_the_window() -> None:
    # the salary 65 days before is in the 90-day window; one 120 days before is not
    old = [Txn(at(-24 * 120), "c0", "MOLD", "CARD", 5_000_000)]
    ledger = _rented(old)
    report = ledger.report("R1")
    stops = {"MOLD": [(report.ts - DAY, "R0")]}
    result = trace_reports(ScoredLedger(ledger, {}, stops=stops), [report], TraceParams())
    assert _kinds(result)["CARD"] is OrderKind.verify


def test_how_long_money_stayed_counts_from_a_single_income() -> None:
    params = TraceParams()
    # a bystander a mule paid at once (hop 2, a quarter of the loss, 8 minutes after)
    paid = dict(
        hop=2, traced=110_037, tainted_in=110_037, tainted_amounts=(110_037,), reach=0.24,
        inflow_after=110_037, until=at(30), age_days=3300.0, lag=HOUR // 6,
    )  # fmt: skip
    # its one income in 90 days, a cash deposit, stayed 40 days: a person's savings
    kept = judge(_facts(**paid, prior=Activity(2, 460_000, 460_000 * 40 * MICROS_PER_DAY)), params)
    assert not kept.stop
    assert "- 2 transactions in the 90 days before; money it received stayed 40.0 days on " \
        "average, as in an ordinary account" in kept.reasons  # fmt: skip
    # the same income gone within hours is a pass-through card's: still stopped
    gone = judge(_facts(**paid, prior=Activity(2, 460_000, 460_000 * MICROS_PER_DAY // 6)), params)
    assert gone.stop and any("as in a pass-through account" in r for r in gone.reasons)


def test_a_short_stay_of_one_or_two_payments_does_not_make_other_income_suspect() -> None:
    params = TraceParams()
    # ¥679 of a loss (16 %) reaches a 7-year-old card whose ¥16,000 of income stayed 2.4 days
    paid = dict(
        hop=2, traced=67_900, tainted_in=67_900, tainted_amounts=(67_900,), reach=0.16,
        inflow_after=67_900, until=at(30), age_days=2500.0, lag=2 * HOUR,
    )  # fmt: skip
    stay = int(2.4 * MICROS_PER_DAY) * 1_600_000
    few = judge(_facts(**paid, prior=Activity(2, 1_600_000, stay)), params)
    many = judge(_facts(**paid, prior=Activity(12, 1_600_000, stay)), params)
    # on 12 transactions a 2.4-day stay is a busy account's, and its other income weighs less
    assert "- the victims' money is 4.1% of what it received (¥679.00 of ¥16,679.00 received)" in (
        few.reasons
    )
    assert not few.stop and few.score < many.score
