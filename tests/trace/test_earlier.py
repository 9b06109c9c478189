"""A rented card that keeps its owner's ordinary life: the evidence beyond one report's ledger,
a stop already issued on it for another victim's earlier report and a pass-through in its
history (`chaincut.trace.earlier`, `chaincut.trace.ledger.passed_on`)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from chaincut.trace import OrderKind, ScoredLedger, TraceParams, trace_reports
from chaincut.trace.bystander import judge
from chaincut.trace.earlier import earlier, settle, stops_of, sweep
from chaincut.trace.ledger import PASSED_MICROS, PASSED_PART, PASSED_SHARE, passed_on
from chaincut.trace.model import Activity
from tests.trace.helpers import HOUR, T0, at
from tests.trace.test_bystander import _facts, _orders, chain

DAY = 24 * HOUR


def _rows(events: list[tuple[int, int]]) -> tuple[list[int], list[int], list[int]]:
    """(hours, signed cents) -> times, balances after each row, signed amounts."""
    ts, balances, bal = [], [], 0
    for h, c in events:
        bal += c
        ts.append(at(h))
        balances.append(bal)
    return ts, balances, [c for _, c in events]


def test_a_payment_passed_on_within_a_day_is_found_one_kept_is_not() -> None:
    # ¥500 salary kept; ¥3,000 in and ¥2,900 out 5 h later; ¥800 in and out two days later
    rows = _rows([(0, 50_000), (10, 300_000), (15, -290_000), (40, 80_000), (90, -80_000)])
    assert passed_on(*rows) == 300_000
    kept = _rows([(0, 50_000), (10, 300_000), (40, -290_000)])
    assert passed_on(*kept) == 0


@given(
    st.lists(st.tuples(st.integers(0, 200), st.integers(-50_000, 50_000).filter(bool)), max_size=25)
)
def test_passed_on_is_the_largest_payment_whose_balance_fell_within_a_day(
    events: list[tuple[int, int]],
) -> None:
    ts, balances, signed = _rows(sorted(events, key=lambda e: e[0]))
    expected = 0
    floor = sum(c for c in signed if c > 0) // PASSED_PART
    for i, got in enumerate(signed):
        low = min(b for k, b in enumerate(balances) if k >= i and ts[k] <= ts[i] + PASSED_MICROS)
        if got > 0 and got >= floor and balances[i] - low >= PASSED_SHARE * got:
            expected = max(expected, got)
    assert passed_on(ts, balances, signed) == expected


def test_a_pass_through_in_its_history_weighs_for_the_chain() -> None:
    params = TraceParams()
    # ¥900 received in 90 days, ¥400 of it (40 days' worth) passed on within a day
    plain = judge(_facts(prior=Activity(10, 90_000)), params)
    passed = judge(_facts(prior=Activity(10, 90_000, 0, 40_000)), params)
    assert passed.score == plain.score + 2.0
    assert any(r.startswith("+ in the 90 days before, received ¥400.00") for r in passed.reasons)
    # a payment of a day's income passed on is ordinary life (rent paid from a wage)
    daily = judge(_facts(prior=Activity(10, 90_000, 0, 1_000)), params)
    assert daily.score == plain.score


def test_a_stop_for_an_earlier_report_weighs_in_a_later_one() -> None:
    ledger, report = chain()
    plain = _orders(trace_reports(ledger, [report], TraceParams()), OrderKind.verify)
    stops = {"FRIEND": [(report.ts - DAY, "R0")], "SHOP": [(report.ts + HOUR, "R9")]}
    result = trace_reports(ScoredLedger(ledger, {}, stops=stops), [report], TraceParams())
    orders = _orders(result, OrderKind.verify) | _orders(result, OrderKind.emergency_stop)
    friend, shop = orders["FRIEND"], orders["SHOP"]
    assert friend.score == plain["FRIEND"].score + 3.0  # type: ignore[attr-defined]
    assert any("earlier report(s) of other victims (R0)" in r for r in friend.reasons)  # type: ignore[attr-defined]
    # a stop for a report filed later is not known when this one is traced
    assert shop.score == plain["SHOP"].score  # type: ignore[attr-defined]


def test_earlier_is_strictly_before_in_time_then_id() -> None:
    stops = {"A": [(T0, "R1"), (T0, "R2"), (T0 + 1, "R0")]}
    assert earlier(stops, "A", (T0, "R2")) == ("R1",)
    assert earlier(stops, "A", (T0 + 2, "R9")) == ("R1", "R2", "R0")
    assert earlier(stops, "B", (T0 + 2, "R9")) == ()


def _obj(rid: str, stop: list[str], verify: list[str]) -> dict[str, Any]:
    def order(a: str, kind: str) -> dict[str, Any]:
        return {"account_id": a, "kind": kind, "score": 0.0}

    return {
        "report_id": rid,
        "freeze": [order(a, "emergency_stop") for a in stop],
        "verify": [order(a, "verify") for a in verify],
    }


def test_settle_retraces_until_every_earlier_stop_is_known() -> None:
    # R1 (first) stops A; R2 verifies A and B; once A's stop is known R2 stops B too, and R3,
    # which verifies B, must then be traced again
    times = {"R1": T0, "R2": T0 + 1, "R3": T0 + 2}
    results = {"R1": _obj("R1", ["A"], []), "R2": _obj("R2", [], ["A", "B"]),
               "R3": _obj("R3", [], ["B"])}  # fmt: skip
    calls: list[list[str]] = []

    def retrace(todo: list[str], stops: Any) -> dict[str, dict[str, Any]]:
        calls.append(todo)
        out = {}
        for rid in todo:
            judged = {o["account_id"] for o in results[rid]["verify"] + results[rid]["freeze"]}
            stopped = [a for a in sorted(judged) if earlier(stops, a, (times[rid], rid))]
            if rid == "R2" and stopped:
                stopped = ["A", "B"]
            out[rid] = _obj(rid, stopped, sorted(judged - set(stopped)))
        return out

    settle(results, times, retrace)
    assert calls == [["R2"], ["R3"]]
    assert stops_of(results, times) == {
        "A": [(T0, "R1"), (T0 + 1, "R2")],
        "B": [(T0 + 1, "R2"), (T0 + 2, "R3")],
    }


def test_sweep_traces_each_report_once_and_agrees_with_settle() -> None:
    # a chain of reports: each stops the account the one before it stopped, plus its own
    times = {f"R{i}": T0 + (5 - i) for i in range(5)}  # ids against time order on purpose
    own = {f"R{i}": f"A{i}" for i in range(5)}

    def traced(rid: str, stops: Any) -> dict[str, Any]:
        judged = sorted(own.values())
        stopped = [a for a in judged if a == own[rid] or earlier(stops, a, (times[rid], rid))]
        return _obj(rid, stopped, [a for a in judged if a not in stopped])

    calls: list[str] = []

    def counted(rid: str, stops: Any) -> dict[str, Any]:
        calls.append(rid)
        return traced(rid, stops)

    swept = sweep(times, counted)
    assert sorted(calls) == sorted(times)  # once each
    plain = {r: traced(r, {}) for r in times}
    settled = settle(plain, times, lambda todo, stops: {r: traced(r, stops) for r in todo})
    assert settled == swept
    # the last report in time stops every earlier report's account
    assert {o["account_id"] for o in swept["R0"]["freeze"]} == set(own.values())


def test_settle_near_retraces_a_close_verify_when_any_earlier_stop_is_added() -> None:
    # R1 stops P (a payer of R2's card C, which R1 never judged); R2 verifies C at score 0:
    # C's payer's stop can lift it (round six), so R2 is traced again with it
    times = {"R1": T0, "R2": T0 + 1}
    calls: list[list[str]] = []

    def retrace(todo: list[str], stops: Any) -> dict[str, dict[str, Any]]:
        calls.append(todo)
        lifted = {r: bool(earlier(stops, "P", (times[r], r))) for r in todo}
        return {r: _obj(r, ["C"] if up else [], [] if up else ["C"]) for r, up in lifted.items()}

    def plain() -> dict[str, dict[str, Any]]:
        return {"R1": _obj("R1", ["P"], []), "R2": _obj("R2", [], ["C"])}

    settle(plain(), times, retrace)
    assert calls == []  # without `near` only the judged accounts' own stops count
    settled = settle(plain(), times, retrace, near=-4.5)
    assert calls == [["R2"]] and [o["account_id"] for o in settled["R2"]["freeze"]] == ["C"]
    # a verify order far below the stop (score 0 < 2) is not traced again
    calls.clear()
    settle(plain(), times, retrace, near=2.0)
    assert calls == []
