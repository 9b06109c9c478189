"""Stops that do not hit bystanders: a mule pays a shop and a friend (verify orders, not stops);
the pass-through mules of the same chain are still stopped, at hop 4 too."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings

from chaincut.trace import (
    AccountInfo,
    MemoryLedger,
    OrderKind,
    ReportInfo,
    ScoredLedger,
    TraceParams,
    TraceResult,
    Txn,
    report_json,
    trace_reports,
)
from chaincut.trace.bystander import Facts, judge
from chaincut.trace.bystander_model import points
from chaincut.trace.model import MICROS_PER_DAY, Activity
from tests.trace.helpers import HOUR, T0, at
from tests.trace.test_properties import check_invariants, ledgers

DAY = 24 * HOUR


def _history(r: random.Random) -> list[Txn]:
    """Two ordinary accounts' last 60 days: a shop paid by its regular customers (paying its
    supplier weekly), and a person with a salary who spends it over the month."""
    txns: list[Txn] = []
    for i in range(340):
        ts = T0 - 60 * DAY + r.randrange(59 * DAY)
        txns.append(Txn(ts, f"s{i:03d}", f"C{i % 60}", "SHOP", r.randint(5_000, 40_000) + 37))
    # the shop settles with its supplier every day: its money stays about a day (as a mule's
    # might), so it is not taken for an established account that keeps its money
    for d in range(60):
        txns.append(Txn(T0 - (59 - d) * DAY, f"sup{d:02d}", "SHOP", "SUPPLIER", 120_000))
    # the friend: a salary and a few payments (too few for an established account)
    txns.append(Txn(T0 - 20 * DAY, "salary", "EMPLOYER", "FRIEND", 900_000))
    for j in range(6):
        ts = T0 - (19 - 3 * j) * DAY
        txns.append(Txn(ts, f"buy{j}", "FRIEND", f"STORE{j}", r.randint(10_000, 60_000)))
    return txns


def chain() -> tuple[MemoryLedger, ReportInfo]:
    """A victim pays ¥50,000 to M1; it moves on through mules M2..M7 (M5 at hop 4 forwards 96 %
    within 15 minutes); M2 also pays the shop ¥881.37 and the friend ¥1,500."""
    hops = [
        Txn(at(10), "F1", "V", "M1", 5_000_000, "transfer"),
        Txn(at(10.3), "m12", "M1", "M2", 2_600_000, "transfer"),
        Txn(at(10.5), "m13", "M1", "M3", 2_300_000, "transfer"),
        Txn(at(11), "shop", "M2", "SHOP", 88_137, "transfer"),
        Txn(at(11.2), "debt", "M2", "FRIEND", 150_000, "transfer"),
        Txn(at(11.5), "m24", "M2", "M4", 2_300_000, "transfer"),
        Txn(at(12), "m45", "M4", "M5", 2_250_000, "transfer"),
        Txn(at(12.2), "m56", "M5", "M6", 1_000_000, "transfer"),
        Txn(at(12.25), "m57", "M5", "M7", 1_160_000, "transfer"),
    ]
    people = {"SHOP": 730, "FRIEND": 1500} | {f"M{i}": 15 for i in range(1, 8)}
    accounts = [
        AccountInfo(a, "bank_card", "BANK", "CN", since=T0 - d * DAY, org=False)
        for a, d in people.items()
    ]
    report = ReportInfo("R1", at(30), "V", (hops[0],))
    txns = _history(random.Random(7)) + hops
    return MemoryLedger.complete(txns, accounts, [report]), report


def _orders(result: TraceResult, kind: OrderKind) -> dict[str, object]:
    return {o.account_id: o for o in result.orders_for("R1", kind)}


def test_shop_and_friend_get_verify_orders_not_stops() -> None:
    ledger, report = chain()
    result = trace_reports(ledger, [report], TraceParams())
    stops, verify = _orders(result, OrderKind.emergency_stop), _orders(result, OrderKind.verify)
    assert {"SHOP", "FRIEND"} <= set(verify)
    assert not {"SHOP", "FRIEND"} & set(stops)
    shop = result.orders_for("R1", OrderKind.verify)[0]
    assert all(
        o.score is not None and o.score < 0 for o in result.orders_for("R1", OrderKind.verify)
    )
    reasons = " | ".join(next(o for o in result.orders if o.account_id == "SHOP").reasons)
    assert "account 2 years old" in reasons and "looks like a sale" in reasons, reasons
    assert "verify with the bank" in shop.reason


def test_pass_through_mule_at_hop_4_is_still_stopped() -> None:
    ledger, report = chain()
    result = trace_reports(ledger, [report], TraceParams())
    stops = {o.account_id: o for o in result.orders_for("R1", OrderKind.emergency_stop)}
    assert {"M1", "M3", "M5", "M6", "M7"} <= set(stops)
    m5 = stops["M5"]
    assert m5.hop == 4 and m5.score is not None and m5.score > 0
    assert any(r.startswith("+ forwarded 96% of ¥22,500.00 within 15 min to 2") for r in m5.reasons)


def test_without_judging_every_account_is_stopped() -> None:
    ledger, report = chain()
    plain = trace_reports(ledger, [report], TraceParams(judge_accounts=False))
    assert not plain.orders_for("R1", OrderKind.verify)
    assert {"SHOP", "FRIEND"} <= {o.account_id for o in plain.orders_for("R1")}


def test_json_lists_verify_orders_apart_with_their_reasons() -> None:
    ledger, report = chain()
    data = report_json(trace_reports(ledger, [report], TraceParams()), "R1")
    assert {v["account_id"] for v in data["verify"]} >= {"SHOP", "FRIEND"}
    assert all(v["kind"] == "verify" and v["reasons"] for v in data["verify"])
    assert all(f["kind"] == "emergency_stop" for f in data["freeze"])
    assert data["totals"]["verify"] == f"{sum(float(v['claim']) for v in data['verify']):.2f}"


def _facts(**change: object) -> Facts:
    base: dict[str, object] = dict(
        account_id="A", hop=3, traced=100_000, tainted_in=100_000, tainted_amounts=(100_000,),
        reach=0.2, inflow_after=100_000, outs=(), arrival=at(0), until=at(2), age_days=None,
        prior=Activity(0, 0), exit_channels=("atm_withdrawal",),
    )  # fmt: skip
    return Facts(**(base | change))  # type: ignore[arg-type]


def test_evidence_is_weighed_not_vetoed() -> None:
    params = TraceParams()
    mule = judge(_facts(), params)
    assert mule.stop
    # a mule score lowers or raises the verdict by weight, it does not decide alone; its word
    # against an account counts where the account has a history to judge (round ten)
    lived = {"prior": Activity(20, 0), "age_days": 400.0}
    assert judge(_facts(**lived, mule_score=0.0), params).score == pytest.approx(
        judge(_facts(**lived), params).score + points(0.0)
    )
    assert judge(_facts(mule_score=0.0), params).score == mule.score  # no history: no word
    far = judge(_facts(hop=6, traced=0), params)
    assert far.score < mule.score
    assert judge(_facts(hop=6, traced=0, mule_score=1.0), params).score == far.score + points(1.0)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_judging_keeps_every_invariant_and_total(case: tuple) -> None:  # type: ignore[type-arg]
    txns, reports, accounts = case
    ledger = MemoryLedger.complete(txns, accounts, reports)
    judged = trace_reports(ledger, reports, TraceParams())
    plain = trace_reports(ledger, reports, TraceParams(judge_accounts=False))
    check_invariants(judged)
    for r, t in judged.totals.items():
        p = plain.totals[r]
        assert t.check()
        assert (t.loss, t.frozen, t.exited, t.hubs, t.returned, t.unaccounted) == (
            p.loss, p.frozen, p.exited, p.hubs, p.returned, p.unaccounted
        )  # fmt: skip
        assert t.claimed + t.verify == p.claimed and p.verify == 0
    # the same accounts get an order, only its kind differs; nothing frozen exceeds the trace
    key = lambda o: (o.report_id, o.account_id, o.amount_cents, o.claim_cents)  # noqa: E731
    assert sorted(map(key, judged.orders)) == sorted(map(key, plain.orders))
    held = {(h.account_id, r): c for h in judged.holdings for r, c in h.held.items()}
    for o in judged.orders:
        if o.kind is not OrderKind.request_subaccount_detail:
            assert o.amount_cents <= held.get((o.account_id, o.report_id), 0)


def test_evaluation_counts_harm_per_account() -> None:
    from chaincut.trace.evaluate import _harm

    labels = {"M1": "mule_l1", "M2": "runner", "SHOP": "normal", "FRIEND": "bystander"}
    stopped = {("R1", "M1"): 100, ("R2", "M1"): 50, ("R1", "SHOP"): 10, ("R2", "SHOP"): 5}
    verified = {("R1", "FRIEND"), ("R2", "FRIEND"), ("R1", "M2")}
    harm = _harm(stopped, verified, labels)
    # distinct accounts, not (report, account) pairs: the shop is one person stopped twice
    assert harm == {
        "accounts_stopped": 2,
        "innocent_accounts_stopped": 1,
        "verify_orders": 3,
        "verify_innocent": 1,
        "verify_mules": 1,
    }


def test_card_purchases_are_spending_not_forwarding() -> None:
    params = TraceParams()
    outs = tuple((at(0.5 + i), 30_000, f"S{i}", ch) for i in range(3) for ch in ["pos"])
    bought = judge(_facts(outs=outs), params)
    sent = judge(_facts(outs=tuple((t, c, d, "transfer") for t, c, d, _ in outs)), params)
    assert not any("forwarded" in r for r in bought.reasons)
    assert any("forwarded 90%" in r for r in sent.reasons)
    assert bought.score < sent.score


def test_how_soon_the_money_arrived_weighs_both_ways() -> None:
    params = TraceParams()
    plain = judge(_facts(), params).score
    assert judge(_facts(lag=HOUR), params).score == plain + 1.0
    assert judge(_facts(lag=12 * HOUR), params).score == plain + 0.5
    assert judge(_facts(lag=2 * DAY), params).score == plain
    assert judge(_facts(lag=4 * DAY), params).score == plain - 0.5
    # the victim's direct beneficiary is reached at once by definition: no weight
    assert judge(_facts(hop=1, lag=0), params).score == judge(_facts(hop=1), params).score


def test_keeping_counts_against_only_a_small_part_of_the_loss() -> None:
    params = TraceParams()
    watched = dict(until=at(48))
    small = judge(_facts(reach=0.05, **watched), params)
    large = judge(_facts(reach=0.4, **watched), params)
    assert any(r.startswith("- kept the money") for r in small.reasons)
    assert not any("kept the money" in r for r in large.reasons)


def test_a_month_of_income_at_once_weighs_for_the_chain() -> None:
    params = TraceParams()
    # ¥1,000 in one go to a card that received ¥2,000 in 90 days (45 days' worth)
    lump = judge(_facts(prior=Activity(10, 200_000)), params)
    assert any("45 days of its usual income" in r and r.startswith("+") for r in lump.reasons)
    # the same sum to a card that received ¥100,000 (under a day's worth) is a sale
    busy = Activity(40, 10_000_000, 40 * MICROS_PER_DAY * 10_000_000)
    sale = judge(_facts(prior=busy, reach=0.05), params)
    assert any("looks like a sale" in r for r in sale.reasons)
    assert sale.score < lump.score


def test_a_bank_s_mule_scores_weigh_in_the_judge() -> None:
    ledger, report = chain()
    plain = _orders(trace_reports(ledger, [report], TraceParams()), OrderKind.verify)
    scored = ScoredLedger(ledger, {"FRIEND": 1.0, "SHOP": 0.0})
    result = trace_reports(scored, [report], TraceParams())
    orders = _orders(result, OrderKind.verify) | _orders(result, OrderKind.emergency_stop)
    friend, shop = orders["FRIEND"], orders["SHOP"]
    assert friend.score == round(plain["FRIEND"].score + points(1.0), 2)  # type: ignore[attr-defined]
    assert shop.score == round(plain["SHOP"].score + points(0.0), 2)  # type: ignore[attr-defined]
    said: list[str] = friend.reasons  # type: ignore[attr-defined]
    assert any(r.startswith("+ the mule model scores its history so far 1.00") for r in said)
    # accounts the bank has not scored are judged on the rest of their evidence
    assert scored.mule_score("M1") is None
    check_invariants(result)


def test_mule_scores_outside_zero_to_one_are_refused() -> None:
    ledger, _ = chain()
    with pytest.raises(ValueError, match="'FRIEND' has 1.5"):
        ScoredLedger(ledger, {"SHOP": 0.2, "FRIEND": 1.5})
