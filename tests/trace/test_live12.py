"""Round twelve: stops at the report. How the victims' money was handed to an account
(`chaincut.trace.relay`): the chain relays it within minutes of receiving it, a mule pays a
shop or a debt when it spends. A rented card with a long ordinary life, scored ordinary by the
model of that day and holding a victim's money relayed to it minutes before the report, is
stopped; a shop paid by the same mule hours later is not."""

from __future__ import annotations

import pytest

from chaincut.trace import TraceParams
from chaincut.trace.bystander import judge
from chaincut.trace.kernel import trace_one
from chaincut.trace.ledger import MemoryLedger
from chaincut.trace.model import AccountInfo, ReportInfo, Txn
from chaincut.trace import relay
from chaincut.trace.relay import Relay, fast, relay_of, weights
from chaincut.trace.result import OrderKind
from chaincut.trace.scored import ScoredLedger
from tests.trace.helpers import at

HOUR = 3_600_000_000
ASOF = TraceParams(mule_history=True)


def _rented_card_world() -> tuple[list[Txn], ReportInfo, dict[str, AccountInfo]]:
    """A victim pays mule M ¥3,400; M relays ¥754 to the rented card R 12 minutes later and
    pays ¥88.37 to a shop S, a purchase, 5 hours after; the victim reports 20 hours in. R has
    13 months of an ordinary life (a salary of ¥5,400 twice, spending, money staying days); S
    takes hundreds of card payments."""
    txns = [Txn(at(-24 * d), f"sal{d}", "EMPLOYER", "R", 540_000) for d in (70, 40)]
    txns += [Txn(at(-24 * d + 5), f"buy{d}", "R", f"SHOP{d % 3}", 21_000) for d in range(5, 65, 5)]
    txns += [Txn(at(-24 * (d / 4)), f"s{d}", f"C{d}", "S", 8_000 + d * 37) for d in range(1, 300)]
    fraud = Txn(at(0), "F1", "V", "M", 340_000)
    txns += [
        fraud,
        Txn(at(0.2), "t-relay", "M", "R", 75_400),
        Txn(at(0.3), "t-next", "M", "N", 250_000),
        Txn(at(5), "t-buy", "M", "S", 8_837),
    ]
    accounts = {
        a: AccountInfo(a, kind="personal", since=at(-24 * 400)) for a in ("R", "M", "N", "S")
    }
    return txns, ReportInfo("R1", at(20), "V", (fraud,)), accounts


def _orders() -> dict[str, tuple[str, tuple[str, ...]]]:
    txns, report, accounts = _rented_card_world()
    ledger = MemoryLedger(txns, accounts=accounts, reports=[report])
    # the model of the report's day finds R's and S's lives ordinary; M it knows
    scored = ScoredLedger(ledger, {"R": 0.014, "S": 0.01, "N": 0.3, "M": 0.9})
    result = trace_one(scored, "R1", ASOF)
    return {o.account_id: (o.kind.value, o.reasons) for o in result.orders}


def test_a_rented_card_holding_a_relayed_payment_is_stopped_at_the_report() -> None:
    orders = _orders()
    kind, reasons = orders["R"]
    assert kind == OrderKind.emergency_stop.value
    # the reason names the payer and the transfer, for the analyst to check
    assert any(r.startswith("+ M paid it the victims' money 12 min after receiving it") for r in reasons)
    assert any("(transfer t-relay)" in r for r in reasons)


def test_without_the_relay_it_stayed_on_verify(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same card judged on the rest of its evidence: the cut score's word against its
    full, ordinary history sent the victim's money to `verify` (round eleven)."""
    monkeypatch.setattr(relay, "weights", lambda: relay.Weights(24.0, 0.0))
    kind, reasons = _orders()["R"]
    assert kind == OrderKind.verify.value
    assert not any("relays it" in r for r in reasons)


def test_a_shop_paid_by_the_mule_stays_on_verify() -> None:
    kind, reasons = _orders()["S"]
    assert kind == OrderKind.verify.value
    # paid hours after the mule got the money: the relay weighs less, and not enough
    assert any(r.startswith("+ M paid it the victims' money 5.0 h after receiving it") for r in reasons)


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

    relayed = Relay("t1", "M", 5 * 60_000_000)
    base = dict(hop=2, age_days=400.0)
    soon = judge(_facts(**base, until=at(2), relay=relayed), ASOF)
    soon_plain = judge(_facts(**base, until=at(2)), ASOF)
    assert soon.score > soon_plain.score
    kept = judge(_facts(**base, until=at(30), relay=relayed), ASOF)
    kept_plain = judge(_facts(**base, until=at(30)), ASOF)
    assert kept.score == kept_plain.score
