"""A live join after a live join keeps the gangs the new report cannot change (the same group,
none of their identifiers among those whose facts the report's rows may change:
`incremental._changed`) as the join before made them, and makes the others again: the gangs
stay the full rebuild's either way."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.gangs import Evidence, analyse
from chaincut.gangs.build import build_graph
from chaincut.gangs.community import communities
from chaincut.gangs.incremental import live_join
from chaincut.gangs.people import PersonLink, resolve
from chaincut.gangs.saved import SavedGraph, merge

OWN = ("reports", "transfers", "traces")


def _without(ev: Evidence, held: set[str]) -> tuple[Evidence, dict[str, Evidence]]:
    """The evidence without the `held` reports, and the rows each of them brings."""
    before, extra = copy.copy(ev), {r: Evidence() for r in held}
    for name in OWN:
        rows = getattr(ev, name)
        setattr(before, name, [r for r in rows if r["report_id"] not in held])
        for r in held:
            setattr(extra[r], name, [x for x in rows if x["report_id"] == r])
    return before, extra


def _joined_once(ev: Evidence, links: list[PersonLink], first: Evidence) -> SavedGraph:
    """The state the service holds after one live join (`first`) on `ev`'s analysis."""
    weights = build_graph(ev, links).weighted()
    saved = SavedGraph(7, ev, links, communities(weights), weights)
    return live_join(saved, first)[0]


def _rebuilt(ev: Evidence, links: list[PersonLink]) -> list[dict[str, Any]]:
    return [g.detail() for g in analyse(ev, links=links).gangs]


def test_two_joins_in_a_row_give_the_rebuilt_gangs(evidence: Evidence) -> None:
    links = resolve(evidence.persons, seed=0)
    reports = sorted(r["report_id"] for r in evidence.reports)
    rebuilt = _rebuilt(evidence, links)

    @settings(max_examples=4, deadline=None)
    @given(held=st.lists(st.sampled_from(reports), min_size=2, max_size=2, unique=True))
    def check(held: list[str]) -> None:
        before, extra = _without(evidence, set(held))
        after = _joined_once(before, links, extra[held[0]])
        _, gangs = live_join(after, extra[held[1]])
        assert [g.detail() for g in gangs] == rebuilt

    check()


def test_an_untouched_gang_is_kept_and_the_gangs_stay_the_rebuilds(evidence: Evidence) -> None:
    links = resolve(evidence.persons, seed=0)
    held = sorted(r["report_id"] for r in evidence.reports)[0]
    before, extra = _without(evidence, {held})
    after = _joined_once(before, links, extra[held])
    made = dict(after.memo["gangs"])
    # evidence about an account no gang holds or cites, tied to nothing
    news = Evidence(degrees={"ACCOUNT-ELSEWHERE": 3})
    _, gangs = live_join(after, news)
    assert made and all(after.memo["gangs"][k] is v for k, v in made.items())
    assert [g.detail() for g in gangs] == _rebuilt(merge(evidence, news), links)


def test_a_gang_whose_evidence_changed_is_made_again(evidence: Evidence) -> None:
    links = resolve(evidence.persons, seed=0)
    reports = sorted(r["report_id"] for r in evidence.reports)
    before, extra = _without(evidence, {reports[0]})
    after = _joined_once(before, links, extra[reports[0]])
    made = dict(after.memo["gangs"])
    # one of a gang's cards found held by somebody else (a holders row the lake now gives)
    ident, card = next((k, m.id) for k, (_, g) in made.items() for m in g.members
                       if m.kind == "account" and any(h["account_id"] == m.id
                                                      for h in evidence.holders))  # fmt: skip
    row = next(h for h in evidence.holders if h["account_id"] == card)
    news = Evidence(holders=[row | {"person_id": "PERSON-NEW"}])
    _, gangs = live_join(after, news)
    assert after.memo["gangs"].get(ident) is not made[ident]
    whole = merge(evidence, news)
    assert [g.detail() for g in gangs] == _rebuilt(whole, links)
    assert whole.holders != evidence.holders  # (the row is news to the analysis)
