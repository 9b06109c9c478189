"""Round twelve: two handsets in sync are one kit only as far as they sit in one room. A box's
SIM held in a person's name, in sync with three handsets of a campaign's room at its mast, is
not joined to the room's unheld lines by the cell and that "kit" (training randomised 730: 27
of a campaign's lines returned by one clue); a den's SIMs in sync with one another still are,
whatever their papers. The index is faked with the arrays the weights read, as in
`test_clue11`."""

from __future__ import annotations

from typing import cast

import numpy as np

from chaincut.telecom.clue import cell
from chaincut.telecom.clue.cell import CellWeights
from chaincut.telecom.clue.facts import ClueIndex

BOX = 0  # a box's SIM held by a person, in sync with three of the room's handsets
ROOM = list(range(1, 9))  # a campaign's eight handsets, unheld, all in sync with one another
DEN = [9, 10, 11, 12]  # a den's four SIMs in sync with one another, 9 held, the rest not
PEERS: dict[int, list[int]] = {BOX: [1, 2, 3]}
for n in ROOM:
    PEERS[n] = [m for m in ROOM if m != n] + ([BOX] if n <= 3 else [])
for n in DEN:
    PEERS[n] = [m for m in DEN if m != n]
HELD = [1] + [0] * len(ROOM) + [1, 0, 0, 0]


class FakeIndex:
    def __init__(self) -> None:
        size = len(HELD)
        sync = [len(PEERS[n]) for n in range(size)]
        self.arrays = {
            "num_max_sims": np.ones(size, np.int64),
            "num_sync": np.array(sync),
            "hold_off": np.r_[0, np.cumsum(HELD)],
            "sync_off": np.r_[0, np.cumsum(sync)],
            "sync_peer": np.concatenate([PEERS[n] for n in range(size)]),
        }

    def rows(self, group: str, code: int) -> slice:
        off = self.arrays[f"{group}_off"]
        return slice(int(off[code]), int(off[code + 1]))


def _weights() -> CellWeights:
    return CellWeights(cast(ClueIndex, FakeIndex()))


def test_a_box_sim_in_sync_with_a_campaigns_handsets_is_not_of_its_room() -> None:
    weights = _weights()
    assert weights.same_room(BOX, 1) < 0.5
    assert not weights.linked(BOX, np.array(ROOM)).any()
    assert not weights.linked(1, np.array([BOX]))[0]


def test_a_rooms_handsets_and_a_dens_sims_in_sync_are_still_alike() -> None:
    weights = _weights()
    assert weights.linked(1, np.array(ROOM[1:])).all()
    # a den's SIMs in one room: the cell and the kit link them though their papers differ
    assert weights.same_room(9, 10) == 1.0
    assert abs(weights.weigh(9, np.array([10]))[0] - (cell.CELL_WEIGHT + cell.KIT_WEIGHT)) < 1e-9
    assert weights.linked(9, np.array([10, 11, 12])).all()
