"""Round fourteen: a card the reports' money reached goes to the gang holding those reports
(`analyse.follow_traces`, docs/gangs.md "Round fourteen: cards")."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.gangs.analyse import SHARED, follow_traces
from chaincut.gangs.collect import Evidence
from chaincut.gangs.graph import LinkGraph


def _trace(
    report: str, freeze: list[str], verify: tuple[str, ...] = (), exits: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {
        "report_id": report,
        "freeze": [{"account_id": a, "score": "5", "evidence": []} for a in freeze],
        "verify": [{"account_id": a, "score": "1", "evidence": []} for a in verify],
        "exits": [{"from": a, "to": "X", "amount": "1", "channel": "atm", "txn_id": "T"}
                  for a in exits],
    }  # fmt: skip


def _groups() -> list[list[str]]:
    # the grouping put card C (a holder's or a dealer's tie) with report R1's gang, while only
    # R2's and R3's money reached it
    return [
        ["account:A", "account:C", "report:R1"],
        ["account:B", "report:R2", "report:R3"],
    ]


def test_a_card_only_other_reports_money_reached_goes_to_their_gang() -> None:
    ev = Evidence(traces=[_trace("R1", ["A"]), _trace("R2", ["B", "C"]), _trace("R3", [], ("C",))])
    out = follow_traces(_groups(), ev, LinkGraph())
    assert out == [["account:A", "report:R1"], ["account:B", "account:C", "report:R2", "report:R3"]]


def test_a_victims_transfer_and_an_exit_count_as_the_money() -> None:
    for ev in (
        Evidence(transfers=[{"dst_account": "C", "report_id": "R2"}]),
        Evidence(traces=[_trace("R2", [], (), ("C",))]),
    ):
        assert "account:C" in follow_traces(_groups(), ev, LinkGraph())[1]


def test_a_card_its_own_gangs_money_reached_stays() -> None:
    # reached by R1 too: the grouping's choice stands, however many other reports reached it
    ev = Evidence(traces=[_trace("R1", ["C"]), _trace("R2", ["C"]), _trace("R3", ["C"])])
    assert follow_traces(_groups(), ev, LinkGraph()) == _groups()


def test_shared_infrastructure_stays() -> None:
    ev = Evidence(traces=[_trace("R2", ["C"])])
    graph = LinkGraph(infra={"account:C": SHARED})
    assert follow_traces(_groups(), ev, graph) == _groups()


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["R1", "R2", "R3", "R4"]), min_size=1, max_size=6))
def test_nothing_but_accounts_moves_and_nothing_is_lost(reports: list[str]) -> None:
    groups = [*_groups(), ["report:R4", "phone:P"]]
    ev = Evidence(traces=[_trace(r, ["C", "A"]) for r in reports])
    out = follow_traces(groups, ev, LinkGraph())
    assert sorted(n for g in out for n in g) == sorted(n for g in groups for n in g)
    reports_of = [{n for n in g if not n.startswith("account:")} for g in out]
    assert reports_of == [{n for n in g if not n.startswith("account:")} for g in groups]
    # each account sits with one of the reports its money came from
    for a in ("account:A", "account:C"):
        (home,) = [g for g in out if a in g]
        assert {f"report:{r}" for r in reports} & set(home)
