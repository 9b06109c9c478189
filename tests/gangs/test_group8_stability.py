"""Round eight of the grouping: how firm a gang is (`chaincut.gangs.stability`)."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.gangs.community import RESOLUTION
from chaincut.gangs.graph import LinkGraph
from chaincut.gangs.stability import firmness, pulls

MEMBERS = {
    "GANG-R1": ["account:A1", "account:A2", "person:P1", "report:R1", "report:R3"],
    "GANG-R2": ["account:B1", "account:B2", "report:R2"],
}


def _graph(tie: float, *, cell: float = 0.0) -> LinkGraph:
    """Two gangs, each a report paying a card that pays another; `tie` between the second
    cards, `cell` an evidence-only edge between the first."""
    g = LinkGraph()
    g.add("report:R1", "account:A1", "paid", 3.0, ["T1"])
    g.add("report:R3", "account:A1", "paid", 3.0, ["T3"])
    g.add("account:A1", "account:A2", "transfer", 1.0, ["T4"])
    g.add("person:P1", "account:A2", "holder", 2.0, [])
    g.add("report:R2", "account:B1", "paid", 3.0, ["T2"])
    g.add("account:B1", "account:B2", "transfer", 1.0, ["T5"])
    if tie > 0:
        g.add("account:A2", "account:B2", "transfer", tie, ["T6"])
    if cell > 0:
        g.add("account:A1", "account:B1", "cell", cell, ["C1"])
    return g


def test_a_gang_tied_to_no_other_is_firm() -> None:
    firm = firmness(MEMBERS, _graph(0.0))
    assert {g: f.stability for g, f in firm.items()} == {"GANG-R1": 1.0, "GANG-R2": 1.0}
    assert firm["GANG-R1"].tied_to is None and firm["GANG-R1"].json()["tie_weight"] == 0


@settings(max_examples=30, deadline=None)
@given(low=st.floats(0.01, 5.0), more=st.floats(0.01, 5.0))
def test_more_weight_between_two_gangs_never_makes_them_firmer(low: float, more: float) -> None:
    weak, strong = firmness(MEMBERS, _graph(low)), firmness(MEMBERS, _graph(low + more))
    for g in MEMBERS:
        assert 0.0 <= strong[g].stability <= weak[g].stability <= 1.0
        assert strong[g].merge_resolution > weak[g].merge_resolution
    assert weak["GANG-R1"].tied_to == "GANG-R2" and weak["GANG-R2"].tied_to == "GANG-R1"


@settings(max_examples=30, deadline=None)
@given(tie=st.floats(0.05, 8.0))
def test_the_merge_resolution_is_where_merging_the_two_raises_modularity(tie: float) -> None:
    graph = _graph(tie)
    gamma = firmness(MEMBERS, graph)["GANG-R1"].merge_resolution
    g = nx.Graph()
    for (a, b), w in graph.weighted().items():
        g.add_edge(a, b, weight=w)
    apart = [set(v) for v in MEMBERS.values()]
    one = [set().union(*apart)]

    def gain(resolution: float) -> float:
        q = nx.community.modularity
        return float(q(g, one, resolution=resolution) - q(g, apart, resolution=resolution))

    assert gain(gamma * 0.99) > 0 > gain(gamma * 1.01)
    expected = max(0.0, 1 - gamma / RESOLUTION)
    assert abs(firmness(MEMBERS, graph)["GANG-R1"].stability - round(expected, 3)) < 1e-9


def test_evidence_only_edges_and_shared_infrastructure_pull_no_gang() -> None:
    assert firmness(MEMBERS, _graph(0.0, cell=5.0))["GANG-R1"].stability == 1.0
    graph = _graph(4.0)
    graph.infra["account:B2"] = 0.9  # a pooled platform account: takes no part
    assert firmness(MEMBERS, graph)["GANG-R2"].stability == 1.0


def test_a_report_pulled_more_by_the_other_gang_shows_as_the_weakest() -> None:
    graph = _graph(0.5)
    # R3's card also pays the other gang's cards heavily: two steps from R3 end there
    graph.add("account:A1", "account:B1", "transfer", 6.0, ["T7"])
    share, rival = pulls(list(MEMBERS.values()), graph)["report:R3"]
    assert rival == "1" and share < 0.5
    firm = firmness(MEMBERS, graph)["GANG-R1"]
    assert firm.weakest_report in ("R1", "R3") and firm.leans_to == "GANG-R2"
    assert firm.weakest_share < 0.5
