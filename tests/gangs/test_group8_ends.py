"""Round eight of the grouping: one pair of the people at the ends of two groups' money who
talked again and again joins the groups (`related.MIN_PAIR_CONTACTS`)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.gangs.analyse import analyse
from chaincut.gangs.related import MIN_END_TALK, MIN_PAIR_CONTACTS
from tests.gangs.test_related import _world


@settings(max_examples=12, deadline=None)
@given(there=st.integers(1, 6), back=st.integers(0, 6))
def test_one_pair_joins_two_groups_once_it_talked_often_enough(there: int, back: int) -> None:
    calls = [("1", "2")] + ([("2", "1")] if back else [])
    ev = _world(calls)
    ev.boss_contacts[0]["n"] = there
    if back:
        ev.boss_contacts[1]["n"] = back
    groups = [g.reports for g in analyse(ev, links=[]).gangs]
    joined = there + back >= MIN_PAIR_CONTACTS
    assert groups == ([["R1", "R2"]] if joined else [["R1"], ["R2"]])


def test_a_pair_talking_often_within_one_groups_ends_joins_nothing() -> None:
    assert MIN_END_TALK == 2 and MIN_PAIR_CONTACTS == 3
    ev = _world([("1", "3")])  # both people at the first report's ends
    ev.boss_contacts[0]["n"] = 10
    assert [g.reports for g in analyse(ev, links=[]).gangs] == [["R1"], ["R2"]]
