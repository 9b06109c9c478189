"""Round ten's live join: the faster readers give exactly what the scans they replace gave
(the roles' contacts of a set of numbers from an index, the row sets read a few columns at a
time), the numbers' contacts kept between joins and grown by a join's rows are the ones made
afresh, and the join leaves Python's collector as it found it."""

from __future__ import annotations

import gc
from collections import defaultdict
from typing import Any

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.bosses import kept_partners, partners
from chaincut.gangs.incremental import grow_partners, live_join
from chaincut.gangs.lines import _victim_calls
from chaincut.gangs.related import _boss_talk
from chaincut.gangs.rowset import RowSet, gets, reached_by, values
from chaincut.gangs.saved import SavedGraph, merge_added

PHONES = [f"+8613{k:09d}" for k in range(6)]
ROW = st.builds(
    lambda a, b, n, first: {"src": a, "dst": b, "n": n, "first_id": first},
    st.sampled_from(PHONES), st.sampled_from(PHONES), st.integers(1, 4),
    st.sampled_from(["C1", "C2", "M1"]),
)  # fmt: skip


def _scan(rows: list[dict[str, Any]], numbers: set[str]) -> dict[str, set[str]]:
    """The scan `reached_by` replaces (`dealers._talks` and `lines.dealers` until round ten)."""
    out: dict[str, set[str]] = defaultdict(set)
    for c in rows:
        if c["src"] in numbers:
            out[c["dst"]].add(c["src"])
        if c["dst"] in numbers:
            out[c["src"]].add(c["dst"])
    return out


@settings(max_examples=80, deadline=None)
@given(
    rows=st.lists(ROW, max_size=20), asked=st.lists(st.sets(st.sampled_from(PHONES)), max_size=4)
)
def test_reached_by_is_the_scan_in_the_same_order(
    rows: list[dict[str, Any]], asked: list[set[str]]
) -> None:
    for numbers in asked:  # (several questions of one index, as the gangs of a run ask)
        got, want = reached_by(rows, numbers), _scan(rows, numbers)
        assert list(got.items()) == list(want.items())  # (the numbers in the scan's order)
        assert [list(s) for s in got.values()] == [list(s) for s in want.values()]
    grown = [*rows, {"src": PHONES[0], "dst": PHONES[1], "n": 1, "first_id": "X"}]
    assert reached_by(grown, {PHONES[0]}) == _scan(grown, {PHONES[0]})  # (a new list: indexed)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(ROW, max_size=15))
def test_values_and_gets_read_what_the_rows_hold(rows: list[dict[str, Any]]) -> None:
    want = [(r["src"], r["dst"], r["n"]) for r in rows]
    assert list(values(rows, "src", "dst", "n")) == want
    assert list(values(rows, "src")) == [(r["src"],) for r in rows]
    table = RowSet(pa.Table.from_pylist(rows, schema=pa.schema(
        [("src", pa.string()), ("dst", pa.string()), ("n", pa.int64()), ("first_id", pa.string())]
    )))  # fmt: skip
    assert list(gets(table, "src", "dst", "n")) == want
    assert list(gets(table, "src", "missing")) == [(r["src"], None) for r in rows]
    assert list(gets(rows, "dst", "missing")) == [(r["dst"], None) for r in rows]


@settings(max_examples=60, deadline=None)
@given(old=st.lists(ROW, max_size=12), boss=st.lists(ROW, max_size=6),
       new=st.lists(ROW, max_size=6))  # fmt: skip
def test_grown_partners_are_the_partners_made_afresh(
    old: list[dict[str, Any]], boss: list[dict[str, Any]], new: list[dict[str, Any]]
) -> None:
    before = Evidence(contacts=old, boss_contacts=boss)
    after, added = merge_added(before, Evidence(contacts=new))
    kept = partners(before)  # (the map the analysis or the join before made)
    copies = {k: set(v) for k, v in kept.items()}
    grow_partners(before, after, added)
    held = kept_partners(after)
    assert held is not None or after.contacts is before.contacts
    grown = partners(after)
    afresh = partners(Evidence(contacts=list(after.contacts), boss_contacts=list(boss)))
    assert {k: v for k, v in grown.items() if v} == {k: v for k, v in afresh.items() if v}
    assert {k: set(v) for k, v in kept.items()} == copies  # (the map handed out unchanged)


def test_partners_kept_only_for_the_same_lists() -> None:
    a = Evidence(contacts=[{"src": PHONES[0], "dst": PHONES[1]}])
    assert partners(a) is partners(a)
    b = Evidence(contacts=[{"src": PHONES[0], "dst": PHONES[2]}])
    after, added = merge_added(b, Evidence(contacts=[{"src": PHONES[3], "dst": PHONES[4]}]))
    grow_partners(b, after, added)  # (the map kept is a's: nothing grown)
    assert kept_partners(after) is None
    assert partners(after)[PHONES[0]] == {PHONES[2]}
    a.contacts.append({"src": PHONES[0], "dst": PHONES[5]})  # (a list grown in place: afresh)
    assert partners(a)[PHONES[0]] == {PHONES[1], PHONES[5]}


def test_a_join_leaves_the_collector_as_it_found_it() -> None:
    gc.unfreeze()
    saved = SavedGraph(0, Evidence(), [], [], {})
    live_join(saved, Evidence())
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(ROW, max_size=15), victims=st.sets(st.sampled_from(PHONES)))
def test_the_lines_victim_calls_are_the_scan(rows: list[dict[str, Any]], victims: set[str]) -> None:
    want: dict[str, list[str]] = defaultdict(list)
    for c in rows:  # (the scan `lines.operators` made for every gang until round ten)
        if c["dst"] in victims:
            want[c["src"]].append(str(c["first_id"]))
    assert _victim_calls(rows, victims) == want
    assert _victim_calls(rows, victims) is _victim_calls(rows, set(victims))  # (made once)
    assert _victim_calls(list(rows), {PHONES[0]}) == {
        c["src"]: [
            str(x["first_id"]) for x in rows if x["src"] == c["src"] and x["dst"] == PHONES[0]
        ]
        for c in rows
        if c["dst"] == PHONES[0]
    }


def test_the_bosses_talk_is_made_again_for_other_rows() -> None:
    rows = [{"src": PHONES[0], "dst": PHONES[1], "n": 2}]
    talk, often, counts = _boss_talk(rows)
    assert talk[PHONES[1]] == {PHONES[0]} and often[(PHONES[0], PHONES[1])] == 2
    assert _boss_talk(rows)[0] is talk  # (kept while the same rows are asked about)
    more = [*rows, {"src": PHONES[2], "dst": PHONES[1], "n": None}]
    talk2, _, counts2 = _boss_talk(more)
    assert talk2[PHONES[1]] == {PHONES[0], PHONES[2]} and counts2[PHONES[1]][PHONES[2]] == 1
