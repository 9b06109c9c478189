"""The `same_beat` link of the den search: walking callers of one area.

Two lines that cold-call on the move through the same dozen cells, on the same days and hours,
are linked both ways; a line walking the same cells weeks later, one walking them at night, one
sharing a few cells of a round elsewhere and one that stays at a few cells are not. A line
reached by its beat alone leads on only along beats and handsets, never to a box's SIM.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from chaincut.settings import Settings
from chaincut.telecom.clue import beat
from chaincut.telecom.clue.beat import Beats
from chaincut.telecom.clue.den import DenSearch
from chaincut.telecom.clue.facts import ClueIndex
from chaincut.telecom.clue.fresh import ensure_clue_index
from tests.lake.conftest import ts, write_lake

WALK1, WALK2 = "+8617100000011", "+8617100000012"
LATER, NIGHT, ELSEWHERE, STAYS = (f"+861710000002{i}" for i in range(4))
HANDSET_MATE = "+8617100000031"
ROUND = tuple(f"R{i:02d}" for i in range(14))
OTHER = tuple(f"S{i:02d}" for i in range(10))


def _rows() -> dict[str, list[tuple[Any, ...]]]:
    calls: list[tuple[Any, ...]] = []

    def call(when: str, caller: str, cell: str, imei: str) -> None:
        callee = f"+86139{len(calls):08d}"  # a stranger each time: cold calls
        calls.append((f"c{len(calls)}", ts(when), caller, callee, 20, cell, imei))

    for day in (2, 3, 4):
        for i, cell in enumerate(ROUND):  # 02:00-08:30 UTC: the local working day
            minute = f"{(i % 2) * 30:02d}"
            call(f"2024-03-0{day} 0{2 + i // 2}:{minute}:00", WALK1, cell, "IW1")
            call(f"2024-03-0{day} 0{2 + i // 2}:{minute}:10", WALK2, cell, "IW2")
            call(f"2024-03-2{day} 0{2 + i // 2}:{minute}:00", LATER, cell, "IW3")
            call(f"2024-03-0{day} {14 + i // 2}:{minute}:00", NIGHT, cell, "IW4")
        for i, cell in enumerate(ROUND[:4] + OTHER):  # four cells of the round, the rest away
            call(f"2024-03-0{day} 0{2 + i // 2}:{(i % 2) * 30:02d}:20", ELSEWHERE, cell, "IW5")
        for i in range(12):  # many calls, from three of the round's cells only
            call(f"2024-03-0{day} 0{2 + i // 2}:{(i % 2) * 30:02d}:30", STAYS, ROUND[i % 3], "IW6")
        call(f"2024-03-0{day} 09:00:00", HANDSET_MATE, "X1", "IW2")  # WALK2's handset
    return {"persons": [], "calls": calls, "messages": [], "reports": [], "labels": []}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> ClueIndex:
    settings = Settings(home=tmp_path_factory.mktemp("beat") / "home")
    write_lake(settings, _rows())
    return ClueIndex(ensure_clue_index(settings))


def _mates(ix: ClueIndex, number: str, eligible: np.ndarray | None = None) -> dict[str, float]:
    if eligible is None:
        eligible = np.ones(len(ix.arrays["num_ids"]), bool)
    found = Beats(ix, eligible).mates(ix.code("num_ids", number))
    return {ix.number(int(n)): float(w) for n, w in zip(found.numbers, found.weights, strict=True)}


def test_two_lines_walking_one_round_are_linked_both_ways(index: ClueIndex) -> None:
    assert set(_mates(index, WALK1)) == {WALK2}
    assert set(_mates(index, WALK2)) == {WALK1}
    assert _mates(index, WALK1)[WALK2] >= beat.LINK_WEIGHT


def test_other_weeks_other_hours_another_round_or_no_round_do_not_link(
    index: ClueIndex,
) -> None:
    for number in (LATER, NIGHT, ELSEWHERE, STAYS):
        assert _mates(index, number) == {}, number
        assert number not in _mates(index, WALK1)


def test_only_eligible_numbers_are_linked(index: ClueIndex) -> None:
    eligible = np.ones(len(index.arrays["num_ids"]), bool)
    eligible[index.code("num_ids", WALK2)] = False
    assert _mates(index, WALK1, eligible) == {}
    assert _mates(index, WALK2, eligible) == {}
    # the clue itself need not be eligible: it leads to the eligible lines of its beat
    found = Beats(index, eligible).mates(index.code("num_ids", WALK2), clue=True)
    assert [index.number(int(n)) for n in found.numbers] == [WALK1]


def test_busy_cells_do_not_count(index: ClueIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(beat, "MAX_AT_PLACE", -1)  # every cell counts as busy
    assert _mates(index, WALK1) == {}


def test_a_line_reached_by_its_beat_leads_to_its_handset_but_not_to_a_box(
    index: ClueIndex,
) -> None:
    search = DenSearch(index)
    walk1, walk2, mate = (index.code("num_ids", x) for x in (WALK1, WALK2, HANDSET_MATE))
    search.mover[:] = False
    search.mover[[walk1, walk2]] = True
    found = search.search(walk1)
    reached = {index.number(m): e.kind for m, e in found.joined.items()}
    assert reached == {WALK2: "same_beat", HANDSET_MATE: "same_device"}
    link = search.link(found.joined[walk2])
    assert len(link.evidence) == 2 and "14 cells" in link.detail and "R00" in link.detail
    # the same handset mate taken for a box's SIM (in sync with 3+ numbers): not followed
    # from a line reached by its beat
    boxed = DenSearch(index)
    boxed.mover[:] = False
    boxed.mover[[walk1, walk2]] = True
    boxed.looks[mate] = True
    assert [index.number(m) for m in boxed.search(walk1).members] == [WALK1, WALK2]
