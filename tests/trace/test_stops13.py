"""Round thirteen: stops at the report. A payment platform's pooled account forwards the
payment it was asked to, so the card it paid is timed from the victim's instalment into the
platform, not from the victim's first transfer days before (`chaincut.trace.relay.relay_of`):
a victim who pays in instalments (investment, order brushing) left the chain's card paid
minutes after a later instalment looking paid days after the victim paid (training worlds
foreign-670 and foreign-920, small)."""

from __future__ import annotations

import pytest

from chaincut.trace import TraceParams, relay
from chaincut.trace.kernel import trace_one
from chaincut.trace.ledger import MemoryLedger
from chaincut.trace.model import AccountInfo, ReportInfo, Txn
from chaincut.trace.relay import Relay, relay_of
from chaincut.trace.result import OrderKind
from chaincut.trace.scored import ScoredLedger
from tests.trace.helpers import at

HOUR = 3_600_000_000
ASOF = TraceParams(mule_history=True)
#: the model of the report's day finds R's life ordinary, and the first mule's too
CUT_SCORES = {"R": 0.05, "M": 0.05, "N": 0.3}


def _orders(second_into_pool: bool) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Victim V pays ¥1,200 to the mule M, who passes it to N; two days later V pays ¥1,080
    into the pooled account POOL, which pays it on to the rented card R three minutes later
    (foreign-920's FR000045). R has 13 months of an ordinary life. V reports 1.4 h after the
    second instalment, listing both (or, `second_into_pool` False, only the first: the report
    does not say that V paid POOL)."""
    txns = [Txn(at(-24 * d), f"sal{d}", "EMPLOYER", "R", 540_000) for d in (70, 40)]
    txns += [Txn(at(-24 * d + 5), f"buy{d}", "R", f"SHOP{d % 3}", 21_000) for d in range(5, 65, 5)]
    first, second = Txn(at(-48), "F1", "V", "M", 120_000), Txn(at(0), "F2", "V", "POOL", 108_000)
    txns += [
        first,
        Txn(at(-47.5), "t-next", "M", "N", 118_000),
        second,
        Txn(at(0.05), "t-pool", "POOL", "R", 108_000),
    ]
    accounts = {a: AccountInfo(a, kind="personal", since=at(-24 * 400)) for a in "RMN"}
    accounts["POOL"] = AccountInfo("POOL", "payment", org=True)
    listed = (first, second) if second_into_pool else (first,)
    report = ReportInfo("R1", at(1.4), "V", listed)
    ledger = MemoryLedger(txns, accounts=accounts, reports=[report])
    result = trace_one(ScoredLedger(ledger, CUT_SCORES), "R1", ASOF)
    return {o.account_id: (o.kind.value, o.reasons) for o in result.orders}


def test_a_card_paid_through_a_platform_minutes_after_an_instalment_is_stopped() -> None:
    kind, reasons = _orders(second_into_pool=True)["R"]
    assert kind == OrderKind.emergency_stop.value
    assert any(
        r.startswith(
            "+ POOL paid it the victims' money 3 min after the victim paid (transfer t-pool)"
        )
        for r in reasons
    )


def test_timed_from_the_first_instalment_it_stayed_on_verify(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Round twelve's timing (from the victim's first transfer, two days before): the relay
    weighed nothing and the card's ordinary life kept it on `verify`."""
    plain = relay.relay_of

    def from_the_first(
        into: list[tuple[str, int, str, int]], loaded: dict[str, int], first: int | None, *_: object
    ) -> Relay | None:
        return plain(into, loaded, first)

    monkeypatch.setattr("chaincut.trace.assemble.relay_of", from_the_first)
    kind, reasons = _orders(second_into_pool=True)["R"]
    assert kind == OrderKind.verify.value
    assert not any("relays it" in r for r in reasons)


def test_the_instalment_into_the_platform_dates_the_relay() -> None:
    into = [("t1", at(1), "M", 500), ("t2", at(50), "POOL", 9_000)]
    paid_to = {"POOL": [at(10), at(49.9), at(60)], "M": [at(0)]}
    # the latest instalment into POOL at or before its payment: 6 min, not 50 h
    r = relay_of(into, {"M": at(0.5)}, at(0), paid_to)
    assert r == Relay("t2", "POOL", int(0.1 * HOUR), from_victim=True)
    # no instalment into the payer before it paid: from the victim's first transfer
    assert relay_of(into, {}, at(0), {"POOL": [at(60)]}) == Relay(
        "t2", "POOL", 50 * HOUR, from_victim=True
    )
    # a payer the trace followed is timed from when the money reached it, as before
    assert relay_of(into[:1], {"M": at(0.5)}, at(0), paid_to) == Relay("t1", "M", int(0.5 * HOUR))
