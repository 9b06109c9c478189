"""The live join's quick path (`gangs.quick`): the nodes a new report touches moved in the saved
groups by local moves, no community detection; on a small foreign world every report joined so
lands in the gangs (their reports) a full rebuild gives; the exact path stays the default."""

from __future__ import annotations

from chaincut.gangs import Evidence, analyse
from chaincut.gangs.build import build_graph
from chaincut.gangs.community import communities
from chaincut.gangs.incremental import live_join
from chaincut.gangs.people import PersonLink
from chaincut.gangs.quick import quick_regroup
from chaincut.gangs.saved import SavedGraph
from tests.gangs.test_live import _split


def test_every_report_joined_quickly_lands_in_the_rebuilds_gangs(
    evidence: Evidence,
    links: list[PersonLink],
) -> None:
    rebuilt = [(g.gang_id, g.reports) for g in analyse(evidence, links=links).gangs]
    for held in sorted(r["report_id"] for r in evidence.reports):
        before, extra = _split(evidence, held)
        weights = build_graph(before, links).weighted()
        saved = SavedGraph(7, before, links, communities(weights), weights)
        _, gangs = live_join(saved, extra, quick=True)
        assert saved.memo["grouped"] == "quick"
        # (the reports grouped as the rebuild groups them; a member on a gang's edge, a node
        # Leiden would have moved beside the report, may differ until the next run)
        assert [(g.gang_id, g.reports) for g in gangs] == rebuilt, held


def test_exact_by_default_and_nothing_changed_nothing_moved(
    evidence: Evidence,
    links: list[PersonLink],
) -> None:
    held = sorted(r["report_id"] for r in evidence.reports)[-1]
    before, extra = _split(evidence, held)
    weights = build_graph(before, links).weighted()
    groups = communities(weights)
    saved = SavedGraph(7, before, links, [list(g) for g in groups], weights)
    after, _ = live_join(saved, extra)
    assert saved.memo["grouped"] == "exact"
    assert after.groups == communities(build_graph(evidence, links).weighted())
    assert quick_regroup(groups, weights, dict(weights)) == groups


def test_a_new_report_tied_to_nothing_is_a_group_of_its_own() -> None:
    groups = [["account:A", "account:B", "report:R1"]]
    before = {("account:A", "report:R1"): 3.0, ("account:A", "account:B"): 1.0}
    after = before | {("person:V", "report:R2"): 1.0}
    got = quick_regroup(groups, before, after)
    assert got == [["account:A", "account:B", "report:R1"], ["person:V", "report:R2"]]
    tied = before | {("account:B", "report:R2"): 3.0}
    assert quick_regroup(groups, before, tied) == [
        ["account:A", "account:B", "report:R1", "report:R2"]
    ]
