"""The `co_located` link of the den search, and who `same_cell` may join.

Two lines that work one area (the same few quiet cells, the same days, most of their calls) are
linked; a line that shares one cell with them, one that worked there weeks later, one that makes
most of its calls elsewhere, and people at a busy cell are not. `same_cell` joins only numbers
that call like a box's SIM: a person at the box's cell who is called and messaged more than it
calls is never joined, however the model scores it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from chaincut.settings import Settings
from chaincut.telecom.clue import area
from chaincut.telecom.clue.den import DenSearch
from chaincut.telecom.clue.facts import ClueIndex
from chaincut.telecom.clue.fresh import ensure_clue_index
from tests.lake.conftest import ts, write_lake

WALK1, WALK2 = "+8617100000001", "+8617100000002"
ONE_CELL, LATER, ELSEWHERE = "+8617100000003", "+8617100000004", "+8617100000005"
HOME_BODY, BOX_SIM = "+8613700000001", "+8617200000001"
CELLS = ("A1", "A2", "A3")


def _rows() -> dict[str, list[tuple[Any, ...]]]:
    calls: list[tuple[Any, ...]] = []
    k = 0

    def call(when: str, caller: str, callee: str, cell: str, imei: str) -> None:
        nonlocal k
        k += 1
        calls.append((f"c{k}", ts(when), caller, callee, 30, cell, imei))

    for day in (1, 2, 3):
        for i, cell in enumerate(CELLS):  # two lines walk the same three cells, same days
            call(f"2024-03-0{day} 1{i}:00:00", WALK1, f"+861390000{day}{i}1", cell, "IW1")
            call(f"2024-03-0{day} 1{i}:20:00", WALK2, f"+861390000{day}{i}2", cell, "IW2")
        # one shared cell, the rest of its calls at cells of its own
        call(f"2024-03-0{day} 10:30:00", ONE_CELL, f"+861390001{day}0", "A1", "IW3")
        call(f"2024-03-0{day} 11:30:00", ONE_CELL, f"+861390001{day}1", "B1", "IW3")
        call(f"2024-03-0{day} 12:30:00", ONE_CELL, f"+861390001{day}2", "B2", "IW3")
        # the same cells, three weeks later
        for i, cell in enumerate(CELLS):
            call(f"2024-03-2{day} 1{i}:00:00", LATER, f"+861390002{day}{i}", cell, "IW4")
        # the same cells once, most calls far away
        call(f"2024-03-0{day} 09:00:00", ELSEWHERE, f"+861390003{day}0", CELLS[day - 1], "IW5")
        for j in range(4):
            call(f"2024-03-0{day} 15:0{j}:00", ELSEWHERE, f"+861390003{day}{j}", "Z9", "IW5")
        # a box's SIM and a person at home, both at the box's cell
        call(f"2024-03-0{day} 09:00:00", BOX_SIM, f"+861390004{day}0", "X1", "IB1")
        call(f"2024-03-0{day} 20:00:00", HOME_BODY, f"+861390005{day}0", "X1", "IH1")
        for j in range(3):  # family and friends call and message the person
            call(f"2024-03-0{day} 19:0{j}:00", f"+861390006{day}{j}", HOME_BODY, "Y1", "IY")
    msgs = [(f"m{i}", ts("2024-03-02 08:00:00"), "+8613900060", HOME_BODY, "好", "sms") for i in range(3)]  # fmt: skip
    return {"persons": [], "calls": calls, "messages": msgs, "reports": [], "labels": []}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> ClueIndex:
    settings = Settings(home=tmp_path_factory.mktemp("area") / "home")
    write_lake(settings, _rows())
    return ClueIndex(ensure_clue_index(settings))


def _mates(ix: ClueIndex, number: str) -> dict[str, float]:
    eligible = np.ones(len(ix.arrays["num_ids"]), bool)
    found = area.area_mates(ix, ix.code("num_ids", number), eligible)
    return {ix.number(int(n)): float(w) for n, w in zip(found.numbers, found.weights, strict=True)}


def test_lines_that_work_one_area_are_linked_both_ways(index: ClueIndex) -> None:
    assert set(_mates(index, WALK1)) == {WALK2}
    assert set(_mates(index, WALK2)) == {WALK1}
    assert _mates(index, WALK1)[WALK2] >= area.LINK_WEIGHT


def test_one_shared_cell_other_weeks_or_calls_elsewhere_do_not_link(index: ClueIndex) -> None:
    for number in (ONE_CELL, LATER, ELSEWHERE):
        assert _mates(index, number) == {}, number


def test_only_eligible_numbers_are_linked(index: ClueIndex) -> None:
    eligible = np.ones(len(index.arrays["num_ids"]), bool)
    eligible[index.code("num_ids", WALK2)] = False
    found = area.area_mates(index, index.code("num_ids", WALK1), eligible)
    assert len(found.numbers) == 0


def test_a_busy_cell_does_not_link(index: ClueIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(area, "MAX_AT_PLACE", -1)  # every cell counts as busy
    assert _mates(index, WALK1) == {}


def test_same_cell_joins_a_box_like_number_not_a_person_at_home(index: ClueIndex) -> None:
    search = DenSearch(index)
    box, person = (index.code("num_ids", x) for x in (BOX_SIM, HOME_BODY))
    assert search.box_like[box] and not search.box_like[person]
    search.flagged[:] = True  # whatever the model says of either
    mates, _ = search._cell_mates(box)
    assert person not in set(mates.tolist())
    # the person as a clue does not follow `same_cell` to the box either
    kinds, peers, _ = search.neighbours(person, clue=True)
    assert box not in set(peers[kinds == 3].tolist())


def test_a_den_search_from_one_walking_line_finds_the_other(
    index: ClueIndex,
) -> None:
    search = DenSearch(index)
    search.mover[:] = False
    search.mover[index.code("num_ids", WALK2)] = True
    found = search.search(index.code("num_ids", WALK1))
    reached = {index.number(m): e.kind for m, e in found.joined.items()}
    assert reached == {WALK2: "co_located"}
    link = search.link(found.joined[index.code("num_ids", WALK2)])
    assert len(link.evidence) == 2 and "A1" in link.detail
