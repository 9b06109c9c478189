"""Round eleven: two numbers that show no kit are not alike by their kit (a box's SIM held by a
person and a company's unheld line at the box's mast share the cell and nothing else), and a
box's SIM reached by its victims' money leads on by its box's cell, not by where people work.

The index is faked with the few arrays the weights read, as in `test_clue9_weights`.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np

from chaincut.telecom.clue import cell
from chaincut.telecom.clue.cell import CellWeights
from chaincut.telecom.clue.den import KINDS, NEAR, DenSearch
from chaincut.telecom.clue.facts import ClueIndex

# numbers 0-2 show no kit (one SIM on their IMEIs, in sync with nobody): a box's SIM held by a
# person (0), a company's line held by nobody (1), another box's SIM held by a person (2)
MAX_SIMS = np.array([1, 1, 2])
SYNC = np.array([0, 0, 1])
HELD = np.array([1, 0, 1])


class FakeIndex:
    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.arrays = arrays


def _weights() -> CellWeights:
    arrays = {"num_max_sims": MAX_SIMS, "num_sync": SYNC, "hold_off": np.r_[0, np.cumsum(HELD)]}
    return CellWeights(cast(ClueIndex, FakeIndex(arrays)))


def test_two_plain_numbers_are_not_alike_by_their_kit() -> None:
    weights = _weights()
    company = weights.weigh(0, np.array([1]))[0]
    # the cell and half the kit's weight (it shows nothing either way), papers unlike
    assert abs(company - (cell.CELL_WEIGHT + cell.KIT_WEIGHT / 2)) < 1e-9
    assert not weights.linked(0, np.array([1]))[0]
    assert not weights.linked(1, np.array([0]))[0]


def test_two_plain_sims_held_by_people_still_link_by_their_papers() -> None:
    weights = _weights()
    assert weights.linked(0, np.array([2]))[0]
    full = cell.CELL_WEIGHT + cell.KIT_WEIGHT / 2 + cell.PAPERS_WEIGHT
    assert abs(weights.weigh(2, np.array([0]))[0] - full) < 1e-9


def _kept(how: tuple[bool, bool, bool, bool]) -> set[str]:
    search = cast(Any, DenSearch.__new__(DenSearch))
    search.looks = np.zeros(len(KINDS) + 1, bool)
    search.quiet = np.ones(len(KINDS) + 1, bool)
    kinds = np.array([*range(len(KINDS)), NEAR], np.int64)
    peers = np.arange(len(kinds), dtype=np.int64)
    order = DenSearch._narrow(search, np.arange(len(kinds)), kinds, peers, how)
    return {"same_template" if k == NEAR else KINDS[int(k)] for k in kinds[order]}


def test_a_number_reached_by_money_leads_on_by_its_box_s_cell() -> None:
    kept = _kept((False, False, True, False))
    assert "same_cell" in kept  # the box's other SIMs, each behind an IMEI of its own
    assert {"same_device", "in_sync", "shared_victim", "handover", "shared_money"} <= kept
    # not where people work, nor scripts and walks: the mule network may serve several dens
    assert not kept & {"same_place", "call_circle", "co_located", "same_beat", "same_text"}
    assert "same_template" not in kept
