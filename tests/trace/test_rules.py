"""The tracing rules on REFERENCES.md's worked example, with one victim and with several."""

from __future__ import annotations

import pytest

from chaincut.trace import (
    MemoryLedger,
    ReportInfo,
    Rule,
    TraceParams,
    Txn,
    trace_one,
    trace_reports,
)
from chaincut.trace.rules import FifoState, LibrState, ProrataState, new_state
from tests.trace.helpers import at, worked_example

#: rule -> traced money that X gets, that Y gets, and that stays in the 40 left
EXPECTED = {
    Rule.fifo: (5000, 5000, 0),
    Rule.libr: (5000, 1000, 4000),
    Rule.prorata: (7500, 1500, 1000),
}


@pytest.mark.parametrize("rule", list(Rule))
def test_worked_example(rule: Rule) -> None:
    txns, report = worked_example()
    result = trace_one(MemoryLedger(txns, reports=[report]), "R1", TraceParams(rule=rule))
    held = {h.account_id: h.held.get("R1", 0) for h in result.holdings}
    x, y, left = EXPECTED[rule]
    assert (held.get("X", 0), held.get("Y", 0), held.get("M", 0)) == (x, y, left)
    assert result.totals["R1"].check()
    assert result.totals["R1"].frozen == 10000


@pytest.mark.parametrize("rule", list(Rule))
def test_worked_example_state_by_state(rule: Rule) -> None:
    state = new_state(rule, 0)
    state.deposit([(None, 10000)])
    state.deposit([("S", 10000)])
    to_x = dict(p for p in state.withdraw(15000) if p[0])
    state.deposit([(None, 5000)])
    to_y = dict(p for p in state.withdraw(6000) if p[0])
    x, y, left = EXPECTED[rule]
    assert (to_x.get("S", 0), to_y.get("S", 0), state.held().get("S", 0)) == (x, y, left)
    assert state.balance == 4000


def two_victims() -> tuple[list[Txn], list[ReportInfo]]:
    """The worked example with the stolen 100 from two victims (A 60, B 40), A's first."""
    txns = [
        Txn(at(1), "t1", "C1", "M", 10000),
        Txn(at(2.0), "FA", "VA", "M", 6000),
        Txn(at(2.5), "FB", "VB", "M", 4000),
        Txn(at(3), "t3", "M", "X", 15000),
        Txn(at(4), "t4", "C2", "M", 5000),
        Txn(at(5), "t5", "M", "Y", 6000),
    ]
    reports = [
        ReportInfo("RA", at(6), "VA", (txns[1],)),
        ReportInfo("RB", at(6), "VB", (txns[2],)),
    ]
    return txns, reports


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        # FIFO: own 100 then A 60 then B 40; X takes own 100 + A 50; Y takes A 10 + B 40 + 10 own
        (Rule.fifo, {"X": {"RA": 5000}, "Y": {"RA": 1000, "RB": 4000}, "M": {}}),
        # LIBR: the 50 left after X is shared 30/20; after Y the 40 left is shared 24/16
        (
            Rule.libr,
            {
                "X": {"RA": 3000, "RB": 2000},
                "Y": {"RA": 600, "RB": 400},
                "M": {"RA": 2400, "RB": 1600},
            },
        ),
        # pro rata: X takes 75 % of each (45/30), Y 15 % (9/6), 10 % stays (6/4)
        (
            Rule.prorata,
            {
                "X": {"RA": 4500, "RB": 3000},
                "Y": {"RA": 900, "RB": 600},
                "M": {"RA": 600, "RB": 400},
            },
        ),
    ],
)
def test_two_victims(rule: Rule, expected: dict[str, dict[str, int]]) -> None:
    txns, reports = two_victims()
    result = trace_reports(MemoryLedger(txns, reports=reports), reports, TraceParams(rule=rule))
    held = {h.account_id: h.held for h in result.holdings}
    assert {a: held.get(a, {}) for a in expected} == expected
    for r in ("RA", "RB"):
        assert result.totals[r].check()


def test_fifo_outflow_spanning_lots_of_one_owner() -> None:
    state = FifoState(0)
    state.deposit([("A", 100), (None, 50), ("A", 100)])
    out = state.withdraw(220)
    assert out == [("A", 100), (None, 50), ("A", 70)]
    assert state.held() == {"A": 30}


def test_overdraw_comes_from_unknown_clean_money() -> None:
    for cls in (FifoState, LibrState, ProrataState):
        state = cls(0)
        state.deposit([("A", 100)])
        out = state.withdraw(300)
        assert dict(out) == {"A": 100, None: 200}
        assert state.unknown_cents == 200 and state.balance == 0 and not state.held()


def test_negative_opening_is_unknown_money() -> None:
    state = LibrState(-500)
    assert state.balance == 0 and state.unknown_cents == 500


def test_prorata_rounding_conserves_cents() -> None:
    state = ProrataState(0)
    state.deposit([("A", 1), ("B", 1), (None, 1)])
    out = state.withdraw(1)
    assert sum(c for _, c in out) == 1
    assert sum(state.held().values()) + sum(c for o, c in out if o) == 2
