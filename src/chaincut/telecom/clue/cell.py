"""How much one shared cell says: the `same_cell` link of the den search, weighted (round nine).

`same_cell` ties two flagged numbers that both call like a box's SIM from one cell in
overlapping days: a box's SIMs that made too few calls to show sync, each behind a slot's IMEI
of its own. But a box's mast is shared. A legitimate outbound campaign rented at the same cell
(fresh lines in a room of handsets, all dialling in the same hours) is flagged by the model and
looks like a box too, and one such link pulls in its whole room through `in_sync` (training
world 36: 28.6 innocent numbers per clue). Sharing the cell is therefore weighed, not taken:

- `CELL_WEIGHT` for the cell itself (the gate: both flagged, box-like, half or more of their
  calls there, overlapping days);
- `KIT_WEIGHT` when both sit in the same kind of kit: both on slot IMEIs that carry
  `MIN_SLOTS` or more SIMs (a box), or both handsets of their own in sync with `MIN_SLOTS` or
  more numbers (a room of phones), weighed by how far they sit in one room (`same_room`, the
  Jaccard share of the two numbers each with its peers in sync, round twelve: a box's SIM in
  sync with three handsets of a campaign's room of dozens is not of that room); a number that
  shows neither says nothing against, nor for: half, also when both show neither (round
  eleven);
- `PAPERS_WEIGHT` when both were registered the same way: both to a person's identity (a box's
  SIMs are bought on borrowed ID cards), or neither to a person (a company's lines).

A link needs `LINK_WEIGHT`: the cell and one likeness. A den's boxes at one cell share both; a
campaign's handsets in sync with no person on their papers, next to a box's slot SIMs held in
people's names, share neither, however the model scores them.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from chaincut.telecom.clue.facts import ClueIndex
from chaincut.telecom.clue.store import Array

CELL_WEIGHT: Final = 0.4
KIT_WEIGHT: Final = 0.3
PAPERS_WEIGHT: Final = 0.3
LINK_WEIGHT: Final = 0.7
#: SIMs on one IMEI, or numbers in sync, that make a kit visible
MIN_SLOTS: Final = 3
#: kit kinds: nothing visible, a box's slots, a room of handsets in sync
PLAIN, SLOTS, ROOM = 0, 1, 2


class CellWeights:
    """The kit and papers of every number of one index, and the weight of their shared cell."""

    def __init__(self, ix: ClueIndex) -> None:
        a = ix.arrays
        slots = a["num_max_sims"] >= MIN_SLOTS
        room = (a["num_sync"] >= MIN_SLOTS) & ~slots
        self.kit: Array = np.where(slots, SLOTS, np.where(room, ROOM, PLAIN))
        # registered to a person (`persons.phone`): a row among the holders
        self.held: Array = np.diff(a["hold_off"]) > 0
        self._ix = ix

    def _room(self, n: int) -> Array:
        """`n` and its peers in sync, sorted: the room it dials in."""
        ix = self._ix
        peers = ix.arrays["sync_peer"][ix.rows("sync", n)]
        out: Array = np.union1d(peers, [n])
        return out

    def same_room(self, n: int, m: int) -> float:
        """How far two handsets in sync sit in one room: the Jaccard share of their rooms
        (each number with its peers in sync). A campaign's handsets share a room of dozens; a
        box's SIM at the campaign's mast, in sync with three of them by the hours they share,
        is in sync with the room without being one of it (round twelve, training randomised
        730: 27 of a campaign's lines returned by one clue)."""
        mine, theirs = self._room(n), self._room(m)
        return len(np.intersect1d(mine, theirs)) / len(np.union1d(mine, theirs))

    def weigh(self, n: int, mates: Array) -> Array:
        """The weight of the cell `n` shares with each of `mates` (both past the gate)."""
        kit, mine = self.kit[mates], self.kit[n]
        # a number that shows no kit (too few calls or SIMs) counts half: nothing against, and
        # nothing for either, also when both show none (round eleven: two plain numbers counted
        # as alike, so a box's SIM held by a person linked to a company's 24 unheld lines at
        # its mast on cell and "kit" alone, training world randomised 502)
        plain = (kit == PLAIN) | (mine == PLAIN)
        alike_kit = np.where(plain, 0.5, np.where(kit == mine, 1.0, 0.0))
        if mine == ROOM:
            # two handsets in sync are one kit only as far as they sit in one room
            for i in np.flatnonzero(kit == ROOM):
                alike_kit[i] = self.same_room(n, int(mates[i]))
        alike_papers = self.held[mates] == self.held[n]
        out: Array = CELL_WEIGHT + KIT_WEIGHT * alike_kit + PAPERS_WEIGHT * alike_papers
        return out

    def linked(self, n: int, mates: Array) -> Array:
        """Whether the shared cell links `n` to each of `mates`."""
        out: Array = self.weigh(n, mates) >= LINK_WEIGHT - 1e-9
        return out
