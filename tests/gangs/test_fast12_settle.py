"""The service answers a new report's gang from the quick join, then groups the whole graph
exactly on its join worker: once drained, the saved graph and gangs are a rebuild's and no
quick join is left unsettled (round twelve)."""

from __future__ import annotations

from chaincut.gangs import Evidence, analyse, persist
from chaincut.gangs.build import build_graph
from chaincut.gangs.community import communities
from chaincut.gangs.people import PersonLink
from chaincut.gangs.saved import load_graph
from chaincut.services import gang_join
from tests.gangs.test_live_service import _home_of, api, held  # noqa: F401
from tests.service.conftest import Api


def test_a_quick_join_is_settled_exactly_after(
    api: Api,  # noqa: F811
    held: tuple[str, list[str]],  # noqa: F811
    evidence: Evidence,
    links: list[PersonLink],
) -> None:
    report_id, together = held
    r = api.get(f"/v1/reports/{report_id}/gang", "analyst")
    assert r.status_code == 200, r.text
    assert r.json()["reports"] == together
    gang_join.drain(timeout=600)
    home = _home_of(api)
    assert persist.provisional(home) == []
    graph = load_graph(home)
    assert graph is not None
    assert graph.groups == communities(build_graph(evidence, links).weighted())
    saved = persist.load(home)
    assert saved is not None
    # (the groups are the rebuild's; the members read the report's evidence as the service
    # gathers it, its trace the filing's, as every live join does)
    rebuilt = analyse(evidence, links=links).gangs
    assert [(g["gang_id"], g["reports"]) for g in saved] == [
        (g.gang_id, g.reports) for g in rebuilt
    ]
