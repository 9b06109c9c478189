"""The kernel's routing: exits, hubs (and through them), established accounts, bounds, evidence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chaincut.trace import (
    AccountInfo,
    MemoryLedger,
    OrderKind,
    ReportInfo,
    TraceParams,
    TraceResult,
    Txn,
    trace_one,
)
from tests.trace.helpers import HOUR, at

DAY = 24 * HOUR


def run(txns: list[Txn], accounts: Sequence[AccountInfo] = (), **params: Any) -> TraceResult:
    fraud = tuple(t for t in txns if t.txn_id.startswith("F"))
    report = ReportInfo("R1", max(t.ts for t in txns) + HOUR, fraud[0].src, fraud)
    ledger = MemoryLedger.complete(txns, accounts, [report])
    result = trace_one(ledger, "R1", TraceParams(**params))
    assert result.totals["R1"].check()
    return result


def outcomes(result: TraceResult) -> dict[str, str]:
    return {f.txn_id: f.outcome.value for f in result.flows}


def test_exit_channels_and_exit_accounts_end_the_trace() -> None:
    txns = [
        Txn(at(1), "F1", "V", "M", 100_000),
        Txn(at(2), "t2", "M", "ATM", 20_000, "atm_withdrawal"),
        Txn(at(3), "t3", "M", "CASH", 20_000, "transfer"),
        Txn(at(4), "t4", "M", "KH1", 20_000, "transfer"),
        Txn(at(5), "t5", "M", "OTC", 20_000, "crypto_otc"),
    ]
    accounts = [AccountInfo("CASH", "cash"), AccountInfo("KH1", "bank_card", country="KH")]
    result = run(txns, accounts)
    assert outcomes(result) == {
        "F1": "loaded",
        "t2": "exit",
        "t3": "exit",
        "t4": "exit",
        "t5": "exit",
    }
    assert result.totals["R1"].exited == 80_000
    assert {e.reason for e in result.exits} == {
        "exit channel atm_withdrawal",
        "exit account (cash)",
        "foreign account (KH)",
        "exit channel crypto_otc",
    }


def test_hubs_get_a_detail_request_and_are_not_followed() -> None:
    txns = [
        Txn(at(1), "F1", "V", "M", 100_000),
        Txn(at(2), "t2", "M", "SHOP", 30_000, "pos"),
        Txn(at(3.5), "t3", "SHOP", "S2", 30_000),  # more than an hour later: no match
        Txn(at(4), "t4", "M", "POOL", 40_000, "payment"),
    ]
    accounts = [
        AccountInfo("SHOP", "merchant", "UnionPay"),
        AccountInfo("POOL", "payment", org=True),
    ]
    result = run(txns, accounts)
    assert outcomes(result) == {"F1": "loaded", "t2": "hub", "t4": "hub"}
    requests = result.orders_for("R1", OrderKind.request_subaccount_detail)
    assert {(o.account_id, o.amount_cents) for o in requests} == {
        ("SHOP", 30_000),
        ("POOL", 40_000),
    }
    assert all(o.evidence for o in requests)


def test_money_is_followed_through_a_hub_that_pays_the_same_amount_on() -> None:
    txns = [
        Txn(at(1), "F1", "V", "M", 100_000),
        Txn(at(2), "t2", "M", "POOL", 40_000, "payment"),
        Txn(at(2.1), "t3", "POOL", "OTHER", 39_999),
        Txn(at(2.2), "t4", "POOL", "M2", 40_000),
        Txn(at(2.3), "t5", "POOL", "M3", 40_000),
    ]
    result = run(txns, [AccountInfo("POOL", "payment", org=True)])
    assert outcomes(result) == {"F1": "loaded", "t2": "through_hub", "t4": "loaded"}
    freeze = {o.account_id: o for o in result.orders_for("R1", OrderKind.emergency_stop)}
    assert freeze["M2"].amount_cents == 40_000
    assert freeze["M2"].evidence == [["F1", "t2", "t4"]]
    assert freeze["M2"].hop == 3


def test_hub_matching_can_be_turned_off() -> None:
    txns = [
        Txn(at(1), "F1", "V", "M", 100_000),
        Txn(at(2), "t2", "M", "POOL", 40_000, "payment"),
        Txn(at(2.2), "t4", "POOL", "M2", 40_000),
    ]
    result = run(txns, [AccountInfo("POOL", "payment", org=True)], hub_match_minutes=0)
    assert outcomes(result)["t2"] == "hub"


def test_busy_accounts_are_hubs() -> None:
    txns = [Txn(at(1), "F1", "V", "M", 100_000), Txn(at(2), "t2", "M", "BUSY", 50_000)]
    txns += [Txn(at(0.5), f"n{i}", f"C{i}", "BUSY", 100) for i in range(30)]
    result = run(txns, busy_floor=10, busy_factor=1.0)
    assert outcomes(result)["t2"] == "hub"
    assert "busy account: 31 counterparties" in result.hubs[0].reason


def test_established_account_paid_by_a_mule_is_not_frozen() -> None:
    salary = [Txn(at(-24 * d), f"s{d}", "EMPLOYER", "LANDLORD", 800_000) for d in (5, 35, 65)]
    spend = [Txn(at(-24 * d + 48), f"p{d}", "LANDLORD", "SHOP", 10_000) for d in range(1, 70, 7)]
    txns = [
        *salary,
        *spend,
        Txn(at(1), "F1", "V", "M", 500_000),
        Txn(at(2), "t2", "M", "LANDLORD", 200_000),
        Txn(at(3), "t3", "M", "M2", 250_000),
    ]
    accounts = [AccountInfo("LANDLORD", "bank_card", since=at(-24 * 400))]
    # by default the landlord is followed and judged: a verify order, no stop
    judged = run(txns, accounts)
    verify = {o.account_id for o in judged.orders_for("R1", OrderKind.verify)}
    stops = {o.account_id for o in judged.orders_for("R1", OrderKind.emergency_stop)}
    assert "LANDLORD" in verify and "LANDLORD" not in stops and "M2" in stops
    # the earlier veto on history alone, kept as an option
    result = run(txns, accounts, established_route=True)
    assert outcomes(result)["t2"] == "established"
    assert outcomes(result)["t3"] == "loaded"
    freeze = {o.account_id for o in result.orders_for("R1", OrderKind.emergency_stop)}
    assert "LANDLORD" not in freeze and "M2" in freeze
    request = result.orders_for("R1", OrderKind.request_subaccount_detail)[0]
    assert request.account_id == "LANDLORD" and "established account" in request.reason


def test_a_young_pass_through_account_is_followed_even_with_history() -> None:
    history = [Txn(at(-24 * d), f"h{d}", f"X{d}", "M2", 300_000) for d in range(1, 30)]
    history += [Txn(at(-24 * d + 1), f"o{d}", "M2", f"Y{d}", 300_000) for d in range(1, 30)]
    txns = [*history, Txn(at(1), "F1", "V", "M", 500_000), Txn(at(2), "t2", "M", "M2", 200_000)]
    result = run(txns, [AccountInfo("M2", "bank_card", since=at(-24 * 400))])
    assert outcomes(result)["t2"] == "loaded"


def test_hop_and_amount_bounds() -> None:
    txns = [
        Txn(at(1), "F1", "V", "A", 100_000),
        Txn(at(2), "t2", "A", "B", 50_000),
        Txn(at(3), "t3", "B", "C", 40_000),
        Txn(at(4), "t4", "A", "D", 50),
    ]
    result = run(txns, max_hops=2)
    assert outcomes(result) == {
        "F1": "loaded",
        "t2": "loaded",
        "t3": "beyond_hops",
        "t4": "below_min",
    }
    t = result.totals["R1"]
    assert (t.beyond_hops, t.below_min, t.frozen) == (40_000, 50, 59_950)


def test_money_back_to_the_victim_is_returned() -> None:
    txns = [Txn(at(1), "F1", "V", "M", 100_000), Txn(at(2), "t2", "M", "V", 5_000)]
    assert run(txns).totals["R1"].returned == 5_000


def test_money_only_leaves_after_it_arrived() -> None:
    txns = [
        Txn(at(1), "t0", "M", "X", 30_000),
        Txn(at(2), "F1", "V", "M", 100_000),
        Txn(at(3), "t3", "M", "Y", 30_000),
    ]
    result = run(txns, rule="fifo")
    assert "t0" not in outcomes(result)
    assert outcomes(result)["t3"] == "loaded"


def test_the_window_and_the_report_time_bound_what_is_seen() -> None:
    txns = [
        Txn(at(1), "F1", "V", "M", 100_000),
        Txn(at(24 * 40), "t2", "M", "X", 50_000),
    ]
    report = ReportInfo("R1", at(24 * 50), "V", (txns[0],))
    ledger = MemoryLedger(txns, reports=[report])
    assert [f.txn_id for f in trace_one(ledger, "R1", TraceParams()).flows] == ["F1"]
    wide = trace_one(ledger, "R1", TraceParams(window_days=45))
    assert [f.txn_id for f in wide.flows] == ["F1", "t2"]


def test_freeze_never_exceeds_the_ledger_balance() -> None:
    # M's ledger shows a payment out before any money in: its opening balance was unknown
    txns = [
        Txn(at(0.5), "t0", "M", "Z", 80_000),
        Txn(at(1), "F1", "V", "M", 100_000),
    ]
    result = run(txns)
    (holding,) = result.holdings
    assert holding.balance_cents == 20_000 and holding.frozen == {"R1": 20_000}
    assert result.totals["R1"].over_balance == 80_000
