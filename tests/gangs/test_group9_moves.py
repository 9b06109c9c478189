"""Round nine of the grouping: a report whose bosses talk only to another group's bosses moves
there (`chaincut.gangs.end_moves`)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.gangs.end_moves import MIN_PAIR_CONTACTS, move_reports
from chaincut.gangs.graph import LinkGraph

#: group 0 holds R1, R2 and R3, group 1 holds R4 and R5
GROUPS = [
    ["account:A1", "person:V3", "report:R1", "report:R2", "report:R3"],
    ["account:B1", "report:R4", "report:R5"],
]
#: the numbers at the ends of each report's money
ENDS = {"R1": {"+1"}, "R2": {"+1"}, "R3": {"+3"}, "R4": {"+4"}, "R5": {"+5"}}


def _graph() -> LinkGraph:
    g = LinkGraph()
    for r in ("R1", "R2", "R3"):
        g.add(f"report:{r}", "account:A1", "paid", 3.0, [f"T{r}"])
    g.add("report:R3", "person:V3", "victim", 1.0, ["report R3"])  # R3's victim: R3's only
    for r in ("R4", "R5"):
        g.add(f"report:{r}", "account:B1", "paid", 3.0, [f"T{r}"])
    return g


def _talk(pairs: dict[tuple[str, str], int]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for (a, b), n in pairs.items():
        out.setdefault(a, {})[b] = out.setdefault(a, {}).get(b, 0) + n
        out.setdefault(b, {})[a] = out.setdefault(b, {}).get(a, 0) + n
    return out


def _group_of(groups: list[list[str]], n: str) -> set[str]:
    return next(set(g) for g in groups if n in g)


def test_a_report_whose_bosses_talk_only_to_another_groups_moves_with_its_victim() -> None:
    moved = move_reports(GROUPS, ENDS, _talk({("+3", "+4"): MIN_PAIR_CONTACTS}), _graph())
    assert {"report:R3", "person:V3", "report:R4"} <= _group_of(moved, "report:R3")
    assert "account:A1" in _group_of(moved, "report:R1")
    assert "report:R3" not in _group_of(moved, "report:R1")
    assert sorted(n for g in moved for n in g) == sorted(n for g in GROUPS for n in g)


def test_one_call_or_talk_at_home_moves_nothing() -> None:
    graph = _graph()
    # one call: a wrong number
    assert move_reports(GROUPS, ENDS, _talk({("+3", "+4"): 1}), graph) == GROUPS
    # R3's bosses also talk to R1's: R3 is where its bosses are (and R4, whose bosses talk
    # to R3's only, joins it there)
    home = {("+3", "+4"): 5, ("+3", "+1"): 1}
    moved = move_reports(GROUPS, ENDS, _talk(home), graph)
    assert {"report:R1", "report:R3", "report:R4"} <= _group_of(moved, "report:R3")
    assert "report:R5" not in _group_of(moved, "report:R3")


def test_two_pairs_of_people_talking_once_each_are_enough() -> None:
    ends = ENDS | {"R3": {"+3", "+6"}}
    moved = move_reports(GROUPS, ends, _talk({("+3", "+4"): 1, ("+6", "+5"): 1}), _graph())
    assert "report:R4" in _group_of(moved, "report:R3")


def test_talk_to_two_other_groups_says_nothing_about_which() -> None:
    groups = [*GROUPS, ["account:C1", "report:R7"]]
    ends = ENDS | {"R7": {"+7"}}
    talk = _talk({("+3", "+4"): 5, ("+3", "+7"): 5})
    moved = move_reports(groups, ends, talk, _graph())
    assert "report:R1" in _group_of(moved, "report:R3")
    assert "report:R7" not in _group_of(moved, "report:R3")


@settings(max_examples=40, deadline=None)
@given(
    calls=st.dictionaries(
        st.tuples(st.sampled_from(["+1", "+3", "+4", "+5"]), st.sampled_from(["+1", "+4", "+5"])),
        st.integers(1, 6),
        max_size=5,
    )
)
def test_moves_keep_every_node_once_and_never_empty_a_group_of_bosses_talking(
    calls: dict[tuple[str, str], int],
) -> None:
    moved = move_reports(GROUPS, ENDS, _talk(calls), _graph())
    nodes = [n for g in moved for n in g]
    assert sorted(nodes) == sorted(n for g in GROUPS for n in g)
    # R1 and R2 share their bosses' number: neither ever leaves the other
    assert "report:R2" in _group_of(moved, "report:R1")
