"""The line-to-line `handover` of the den search (`chaincut.telecom.clue.handover.line_handovers`)
and the search's second tier past `MAX_MEMBERS`.

A den without boxes works a victim in turns: one line opens (a message, or a call of two minutes
or more) and another holds the conversation from within hours. A cold call that rang, a taker
days later, and one person alone (who did not report) are not linked. Past `MAX_MEMBERS` a
search goes on along a box's own links between boxes' SIMs only.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from chaincut.settings import Settings
from chaincut.telecom.clue import den
from chaincut.telecom.clue import handover as ho
from chaincut.telecom.clue.facts import ClueIndex
from chaincut.telecom.clue.fresh import ensure_clue_index
from tests.lake.conftest import ts, write_lake

OPENER, TAKER = "+8617100000001", "+8617100000002"
COLD, COLD_TAKER = "+8617100000003", "+8617100000004"
LATE_OPENER, LATE = "+8617100000005", "+8617100000006"
LONE_OPENER, LONE_TAKER = "+8617100000007", "+8617100000008"
PEOPLE = [f"+86139100000{k:02d}" for k in range(8)]
SIMS = [f"+86170200000{k:02d}" for k in range(6)]


def _conversation(msgs: list[tuple[Any, ...]], line: str, person: str, day: int, tag: str) -> None:
    for i in range(3):
        when = ts(f"2024-03-{day:02d} 1{1 + i}:00:00")
        msgs.append((f"{tag}{i}", when, line, person, "您好，请加我微信详谈", "im"))


def _rows() -> dict[str, list[tuple[Any, ...]]]:
    calls: list[tuple[Any, ...]] = []
    msgs: list[tuple[Any, ...]] = []
    for k, person in enumerate(PEOPLE[:2]):  # opened by a message, held an hour later
        msgs.append((f"o{k}", ts(f"2024-03-0{k + 1} 10:00:00"), OPENER, person, "您好", "sms"))
        _conversation(msgs, TAKER, person, k + 1, f"t{k}")
    for k, person in enumerate(PEOPLE[2:4]):  # a cold call of 20 seconds opens nothing
        calls.append((f"c{k}", ts(f"2024-03-0{k + 1} 10:00:00"), COLD, person, 20, "R1", "IC"))
        _conversation(msgs, COLD_TAKER, person, k + 1, f"u{k}")
    for k, person in enumerate(PEOPLE[4:6]):  # opened by a pitch, taken five days later
        when = ts(f"2024-03-0{k + 1} 10:00:00")
        calls.append((f"p{k}", when, LATE_OPENER, person, 600, "R2", "IL"))
        _conversation(msgs, LATE, person, k + 6, f"v{k}")
    # one person opened and held, who never reported fraud: people meet people
    calls.append(("s0", ts("2024-03-01 10:00:00"), LONE_OPENER, PEOPLE[6], 600, "R3", "IS"))
    _conversation(msgs, LONE_TAKER, PEOPLE[6], 1, "w")
    for k, sim in enumerate(SIMS):  # six SIMs in the slots of one box (one IMEI)
        calls.append((f"b{k}", ts(f"2024-03-02 0{k}:00:00"), sim, PEOPLE[7], 30, "RB", "IBOX"))
    return {"persons": [], "calls": calls, "messages": msgs, "reports": [], "labels": []}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> ClueIndex:
    settings = Settings(home=tmp_path_factory.mktemp("line_handover") / "home")
    write_lake(settings, _rows())
    return ClueIndex(ensure_clue_index(settings))


def _handed(ix: ClueIndex, number: str, eligible: set[str] | None = None) -> set[str]:
    ids = ix.arrays["num_ids"]
    ok = np.ones(len(ids), bool)
    if eligible is not None:
        ok = np.array([ix.number(i) in eligible for i in range(len(ids))], bool)
    found = ho.line_handovers(ix, ix.code("num_ids", number), ok)
    return {ix.number(int(n)) for n in found.numbers}


def test_a_line_that_held_conversations_another_opened_is_linked_both_ways(
    index: ClueIndex,
) -> None:
    assert _handed(index, TAKER) == {OPENER}
    assert _handed(index, OPENER) == {TAKER}


def test_only_lines_the_search_may_follow_are_linked(index: ClueIndex) -> None:
    assert _handed(index, TAKER, eligible={TAKER}) == set()


def test_cold_calls_late_takers_and_one_person_alone_link_nothing(index: ClueIndex) -> None:
    assert _handed(index, COLD_TAKER) == set()
    assert _handed(index, COLD) == set()
    assert _handed(index, LATE) == set()
    assert _handed(index, LATE_OPENER) == set()
    assert _handed(index, LONE_TAKER) == set()


def test_a_number_with_a_crowd_of_contacts_is_not_followed(index: ClueIndex) -> None:
    ok = np.ones(len(index.arrays["num_ids"]), bool)
    found = ho.line_handovers(index, index.code("num_ids", TAKER), ok, max_contacts=1)
    assert len(found.numbers) == 0


def _box_search(ix: ClueIndex, boxed: bool) -> den.Found:
    search = den.DenSearch(ix)
    sims = np.array([ix.code("num_ids", s) for s in SIMS])
    search.boxed[sims] = boxed
    return search.search(int(sims[0]))


def test_past_the_first_tier_a_search_follows_only_a_box_s_own_links(
    index: ClueIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(den, "MAX_MEMBERS", 2)
    found = _box_search(index, boxed=True)
    assert {index.number(m) for m in found.members} == set(SIMS)
    assert found.truncated is False
    # the same IMEI between numbers that are no box's SIMs: the first tier only
    weak = _box_search(index, boxed=False)
    assert len(weak.members) == 2 and weak.truncated
    monkeypatch.setattr(den, "MAX_BOX_MEMBERS", 4)
    capped = _box_search(index, boxed=True)
    assert len(capped.members) == 4 and capped.truncated
