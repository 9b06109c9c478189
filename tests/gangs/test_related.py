"""Round seven of the grouping: related gangs, and groups joined at the ends of their money."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.analyse import analyse
from chaincut.gangs.graph import LinkGraph
from chaincut.gangs.related import MIN_END_TALK, related

T0 = datetime(2026, 3, 2, 10, 0)


def _world(calls: list[tuple[str, str]], *, shared_end: bool = False) -> Evidence:
    """Two reports, each paying its own card; each card's money ends abroad with its own
    people (`P1`, `P3` for the first, `P2`, `P4` for the second), who call as `calls` says."""
    ev = Evidence()
    for k, (report, card, ends) in enumerate(
        [("R1", "C1", ["X1", "X3"]), ("R2", "C2", ["X2", "X4"])]
    ):
        ev.reports.append({"report_id": report, "ts": T0, "victim_id": None,
                           "victim_account": None, "fraud_type": "fake_loan", "narrative": ""})  # fmt: skip
        ev.transfers.append({"report_id": report, "victim_id": None, "victim_account": None,
                             "txn_id": f"T{k}", "ts": T0, "dst_account": card, "amount": 100})  # fmt: skip
        for end in ends + (["XS"] if shared_end else []):
            ev.ends.append({"src": card, "dst": end, "holder": f"P{end[1:]}", "country": "KH",
                            "n": 1, "amount": 100, "first_id": f"T{card}{end}",
                            "last_id": f"T{card}{end}"})  # fmt: skip
    for p in ("1", "2", "3", "4", "S"):
        ev.persons.append({"person_id": f"P{p}", "name": "", "id_number": None,
                           "birth_date": None, "phone": f"+8550{p}"})  # fmt: skip
    for n, (a, b) in enumerate(calls):
        ev.boss_contacts.append({"src": f"+8550{a}", "dst": f"+8550{b}", "channel": "call",
                                 "n": 1, "first_ts": T0, "last_ts": T0,
                                 "first_id": f"C{n}", "last_id": f"C{n}"})  # fmt: skip
    return ev


def _groups(ev: Evidence) -> list[list[str]]:
    return [g.reports for g in analyse(ev, links=[]).gangs]


def test_two_gangs_apart_without_calls_between_their_ends() -> None:
    assert _groups(_world([])) == [["R1"], ["R2"]]


def test_bosses_who_talk_join_their_gangs() -> None:
    assert MIN_END_TALK == 2
    assert _groups(_world([("1", "2"), ("3", "4")])) == [["R1", "R2"]]


def test_one_pair_talking_relates_the_gangs_without_joining_them() -> None:
    # a call each way between the same two people is still one pair
    gangs = analyse(_world([("1", "2"), ("2", "1")]), links=[]).gangs
    assert [g.reports for g in gangs] == [["R1"], ["R2"]]
    [rel] = gangs[0].related
    assert rel["gang_id"] == "GANG-R2" and 0 < rel["score"] < 1
    assert {t["kind"] for t in rel["ties"]} == {"end_talk"}
    assert {"C0", "C1"} <= {i for t in rel["ties"] for i in t["evidence"]}
    [back] = gangs[1].related
    assert back["gang_id"] == "GANG-R1" and back["score"] == rel["score"]


def test_the_same_account_abroad_relates_without_joining() -> None:
    gangs = analyse(_world([], shared_end=True), links=[]).gangs
    assert [g.reports for g in gangs] == [["R1"], ["R2"]]
    [rel] = gangs[0].related
    assert [t["kind"] for t in rel["ties"]] == ["same_end"]
    assert "account XS" in rel["ties"][0]["evidence"]


def test_an_end_that_is_shared_infrastructure_ties_nothing() -> None:
    ev = _world([], shared_end=True)
    ev.holders.append({"account_id": "XS", "person_id": "ORG", "kind": "exchange"})
    ev.degrees["XS"] = 5000
    gangs = analyse(ev, links=[]).gangs
    assert all(not g.related for g in gangs)


def _graph(weights: list[float]) -> LinkGraph:
    g = LinkGraph()
    for k, w in enumerate(weights):
        g.add(f"account:A{k}", f"account:B{k}", "transfer", w, [f"T{k}"])
    return g


@given(st.lists(st.floats(0.01, 5.0), min_size=1, max_size=6), st.floats(0.01, 5.0))
def test_a_stronger_tie_never_lowers_the_score(weights: list[float], more: float) -> None:
    members = {"GANG-A": [f"account:A{k}" for k in range(7)],
               "GANG-B": [f"account:B{k}" for k in range(7)]}  # fmt: skip
    before = _score(related(members, _graph(weights)), "GANG-A")
    after = related(members, _graph([*weights, more]))
    assert 0.0 <= before <= _score(after, "GANG-A") <= 1.0
    assert _score(after, "GANG-B") == _score(after, "GANG-A")


def _score(found: dict[str, list[dict[str, object]]], gang: str) -> float:
    # (a pair below `MIN_SCORE` is not listed: score 0)
    return float(str(found[gang][0]["score"])) if gang in found else 0.0


def test_ties_through_shared_infrastructure_are_left_out() -> None:
    g = _graph([3.0])
    g.infra["account:B0"] = 0.9
    assert related({"GANG-A": ["account:A0"], "GANG-B": ["account:B0"]}, g) == {}


def test_the_live_join_makes_the_same_gangs_when_bosses_talk() -> None:
    from chaincut.gangs.build import build_graph
    from chaincut.gangs.community import communities
    from chaincut.gangs.incremental import gangs_of

    ev = _world([("1", "2"), ("3", "4")])
    graph = build_graph(ev, [])
    live = gangs_of(communities(graph.weighted()), ev, graph)
    rebuilt = analyse(ev, links=[]).gangs
    assert [g.reports for g in live] == [["R1", "R2"]]
    assert [g.detail() for g in live] == [g.detail() for g in rebuilt]
