"""Round nine's weighed links: a shared cell (or sync) needs the cell and one likeness of kit or
papers; a shared victim needs both sides to have talked to it mostly in the fraud's window.

The index is faked with the few arrays and columns the weights read, so each case is one line.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from chaincut.telecom.clue import cell, victim
from chaincut.telecom.clue.cell import CellWeights
from chaincut.telecom.clue.facts import DAY_US, HOUR_US, ClueIndex
from chaincut.telecom.clue.victim import VictimTies

# numbers 0-5: slot SIMs held by people (0, 1), a room's handsets held by nobody (2, 3), a
# plain SIM held by a person (4), a plain SIM held by nobody (5)
MAX_SIMS = np.array([5, 4, 1, 1, 1, 1])
SYNC = np.array([0, 0, 7, 4, 1, 0])
HELD = np.array([1, 1, 0, 0, 1, 0])
# their peers in sync (round twelve weighs two handsets in sync by how far they share a room):
# 2 and 3 in one room with numbers beyond these six
PEERS = [[], [], [3, 100, 101, 102, 103, 104, 105], [2, 100, 101, 102], [100], []]


class FakeIndex:
    def __init__(self, arrays: dict[str, np.ndarray], columns: dict[Any, np.ndarray]) -> None:
        self.arrays = arrays
        self._columns = columns

    def column(self, group: str, column: str, n: int) -> np.ndarray:
        return self._columns.get((group, column, n), np.zeros(0, np.int64))

    def rows(self, group: str, code: int) -> slice:
        off = self.arrays[f"{group}_off"]
        return slice(int(off[code]), int(off[code + 1]))


def _cells() -> CellWeights:
    arrays = {
        "num_max_sims": MAX_SIMS,
        "num_sync": SYNC,
        "hold_off": np.r_[0, np.cumsum(HELD)],
        "sync_off": np.r_[0, np.cumsum([len(p) for p in PEERS])],
        "sync_peer": np.array([m for p in PEERS for m in p], np.int64),
    }
    return CellWeights(cast(ClueIndex, FakeIndex(arrays, {})))


def _linked(n: int) -> list[int]:
    weights = _cells()
    others = np.array([m for m in range(len(HELD)) if m != n])
    return [int(m) for m in others[weights.linked(n, others)]]


def test_a_box_s_slot_sims_link_and_a_campaign_room_does_not() -> None:
    # a slot SIM held by a person: the other slot SIM, the plain SIM held by a person, but
    # neither the room's unheld handsets nor an unheld plain SIM
    assert _linked(0) == [1, 4]
    # the room's handsets link to each other and to an unheld plain SIM, not to the box
    assert _linked(2) == [3, 5]


def test_the_weight_adds_up_the_cell_and_each_likeness() -> None:
    weights = _cells()
    both = weights.weigh(0, np.array([1]))[0]
    assert abs(both - (cell.CELL_WEIGHT + cell.KIT_WEIGHT + cell.PAPERS_WEIGHT)) < 1e-9
    neither = weights.weigh(0, np.array([2]))[0]
    assert abs(neither - cell.CELL_WEIGHT) < 1e-9 and neither < cell.LINK_WEIGHT
    plain_only = weights.weigh(0, np.array([5]))[0]  # no kit shown, other papers
    assert cell.CELL_WEIGHT < plain_only < cell.LINK_WEIGHT


@given(st.integers(0, 5), st.integers(0, 5))
def test_the_cell_weight_is_symmetric(a: int, b: int) -> None:
    weights = _cells()
    assert weights.weigh(a, np.array([b]))[0] == weights.weigh(b, np.array([a]))[0]


REPORT = 100 * DAY_US
VICTIM = 9


def _ties(contacts: dict[int, list[int]]) -> VictimTies:
    """`contacts`: per number, the hours (from the report) of its calls with the victim."""
    arrays = {
        "vic_code": np.array([VICTIM]),
        "vic_first": np.array([REPORT]),
        "vic_last": np.array([REPORT]),
    }
    columns: dict[Any, np.ndarray] = {}
    for n, hours in contacts.items():
        columns[("out", "ts", n)] = REPORT + np.array(hours, np.int64) * HOUR_US
        columns[("out", "peer", n)] = np.full(len(hours), VICTIM)
    return VictimTies(cast(ClueIndex, FakeIndex(arrays, columns)))


def test_a_den_works_the_days_before_the_report_and_a_friend_talks_on() -> None:
    den = [-30, -20, -5, -2, 30]  # the days before, and one ring the next day
    friend = [-400, -100, -3, 200, 500, 900]  # weeks before, and on after the report
    ties = _ties({1: den, 2: friend})
    assert ties.worked(1, VICTIM)
    assert not ties.worked(2, VICTIM)
    assert ties.worked_share(2, VICTIM) < victim.MIN_WORKED_SHARE


def test_the_window_bounds_hold() -> None:
    first = -victim.BEFORE_DAYS * 24
    last = victim.AFTER_HOURS
    ties = _ties({1: [first, last], 2: [first - 1, last + 1], 3: []})
    assert ties.worked_share(1, VICTIM) == 1.0
    assert ties.worked_share(2, VICTIM) == 0.0
    assert ties.worked_share(3, VICTIM) == 1.0  # no calls seen: the index's tie stands
