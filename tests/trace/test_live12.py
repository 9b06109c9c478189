"""Round twelve: stops at the report. How the victims' money was handed to an account
(`chaincut.trace.relay`): a rented card with a long ordinary life, scored ordinary by the model
of the report's day, that a victim's money reached through a payment platform's pooled account
three minutes after the victim paid, is stopped at the report; a shop a mule paid through the
same platform is not."""

from __future__ import annotations

import pytest

from chaincut.trace import TraceParams, relay
from chaincut.trace.bystander import judge
from chaincut.trace.kernel import trace_one
from chaincut.trace.ledger import MemoryLedger
from chaincut.trace.model import AccountInfo, ReportInfo, Txn
from chaincut.trace.relay import Relay, fast, relay_of, weights
from chaincut.trace.result import OrderKind
from chaincut.trace.scored import ScoredLedger
from tests.trace.helpers import at

HOUR = 3_600_000_000
ASOF = TraceParams(mule_history=True)
#: the model of the report's day finds R's and S's lives ordinary; M it knows
CUT_SCORES = {"R": 0.05, "S": 0.01, "N": 0.3, "M": 0.9}


def _world() -> tuple[list[Txn], list[ReportInfo], dict[str, AccountInfo]]:
    """Victim V2 pays ¥1,080 through the pooled account POOL, which pays it on to the rented
    card R three minutes later (a training world's miss, foreign-646 FR000007); R has 13 months
    of an ordinary life (a salary of ¥5,400 twice, spending, money staying for weeks). Victim
    V pays mule M ¥3,400, M passes ¥3,000 to N and pays ¥88.37 through POOL to the shop S,
    which takes hundreds of payments. Both report within hours."""
    txns = [Txn(at(-24 * d), f"sal{d}", "EMPLOYER", "R", 540_000) for d in (70, 40)]
    txns += [Txn(at(-24 * d + 5), f"buy{d}", "R", f"SHOP{d % 3}", 21_000) for d in range(5, 65, 5)]
    txns += [Txn(at(-24 * (d / 4)), f"s{d}", f"C{d}", "S", 8_000 + d * 37) for d in range(1, 300)]
    fraud, fraud2 = Txn(at(0), "F1", "V", "M", 340_000), Txn(at(0), "F2", "V2", "POOL", 108_000)
    txns += [
        fraud,
        fraud2,
        Txn(at(0.05), "t-pool", "POOL", "R", 108_000),
        Txn(at(0.2), "t-next", "M", "N", 300_000),
        Txn(at(0.5), "t-buy", "M", "POOL", 8_837, "payment"),
        Txn(at(0.51), "t-shop", "POOL", "S", 8_837),
    ]
    accounts = {a: AccountInfo(a, kind="personal", since=at(-24 * 400)) for a in "RMNS"}
    accounts["POOL"] = AccountInfo("POOL", "payment", org=True)
    reports = [ReportInfo("R1", at(3), "V", (fraud,)), ReportInfo("R2", at(1.4), "V2", (fraud2,))]
    return txns, reports, accounts


def _orders(report_id: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    txns, reports, accounts = _world()
    ledger = MemoryLedger(txns, accounts=accounts, reports=reports)
    result = trace_one(ScoredLedger(ledger, CUT_SCORES), report_id, ASOF)
    return {o.account_id: (o.kind.value, o.reasons) for o in result.orders}


def test_a_rented_card_paid_through_a_platform_at_once_is_stopped_at_the_report() -> None:
    kind, reasons = _orders("R2")["R"]
    assert kind == OrderKind.emergency_stop.value
    # the reason names the payer and the transfer, for the analyst to check
    assert any(
        r.startswith(
            "+ POOL paid it the victims' money 3 min after the victim paid (transfer t-pool)"
        )
        for r in reasons
    )


def test_without_the_relay_it_stayed_on_verify(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same card judged on the rest of its evidence: the cut score's word against its
    full, ordinary history sent the victim's money to `verify` (round eleven)."""
    monkeypatch.setattr(relay, "weights", lambda: relay.Weights(24.0, 0.0, 0.0))
    kind, reasons = _orders("R2")["R"]
    assert kind == OrderKind.verify.value
    assert not any("relays it" in r for r in reasons)


def test_a_shop_paid_by_a_mule_through_the_platform_stays_on_verify() -> None:
    """Paid through the same platform half an hour after the victim paid: the relay weighs
    for it, and the rest of its evidence (a sliver of its income, a price) against."""
    orders = _orders("R1")
    kind, reasons = orders["S"]
    assert kind == OrderKind.verify.value
    assert any(r.startswith("+ POOL paid it the victims' money 31 min after") for r in reasons)
    assert orders["N"][0] == OrderKind.emergency_stop.value


def test_the_relay_times_the_payer_s_hold_or_the_victim_s_payment() -> None:
    into = [("t1", at(1), "M", 500), ("t2", at(2), "POOL", 9_000)]
    # the largest part came through a pooled account the trace did not follow: from the victim
    r = relay_of(into, {"M": at(0.5)}, at(1.9))
    assert r == Relay("t2", "POOL", int(0.1 * HOUR), from_victim=True)
    r = relay_of(into[:1], {"M": at(0.5)}, at(0))
    assert r == Relay("t1", "M", int(0.5 * HOUR))
    assert relay_of([], {}, at(0)) is None
    assert relay_of(into[1:], {}, None) is None


@pytest.mark.parametrize("hours", [0.0, 0.01, 0.5, 3.0, 12.0, 23.9, 24.0, 200.0])
def test_a_slower_relay_never_weighs_more(hours: float) -> None:
    w = weights()
    quick = fast(Relay("t", "M", int(hours * HOUR)), w.fast_hours)
    slow = fast(Relay("t", "M", int((hours + 1) * HOUR)), w.fast_hours)
    assert 0.0 <= slow <= quick
    assert (quick == 0.0) == (hours >= w.fast_hours)


def test_the_relay_is_set_aside_once_the_account_kept_the_money() -> None:
    """Watched for `pass_hours` and it kept the money: what it did speaks louder."""
    from tests.trace.test_bystander import _facts

    relayed = Relay("t1", "POOL", 5 * 60_000_000, from_victim=True)
    base = dict(hop=2, age_days=400.0)
    soon = judge(_facts(**base, until=at(2), relay=relayed), ASOF)
    soon_plain = judge(_facts(**base, until=at(2)), ASOF)
    assert soon.score > soon_plain.score
    kept = judge(_facts(**base, until=at(30), relay=relayed), ASOF)
    kept_plain = judge(_facts(**base, until=at(30)), ASOF)
    assert kept.score == kept_plain.score
    # held a day, then passed on before the report (foreign-644's card): the relay still counts
    outs = ((at(25.6), 100_000, "X", "transfer"),)
    late = judge(_facts(**base, until=at(30), outs=outs, relay=relayed), ASOF)
    late_plain = judge(_facts(**base, until=at(30), outs=outs), ASOF)
    assert late.score > late_plain.score
