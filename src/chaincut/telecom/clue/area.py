"""Numbers that move together: the `co_located` link of the den search, weighted.

A den's mobile lines are carried by operators who work one small area: the same few cells, on
the same days (the flat, the café below it, the street between). Two such lines
share nothing else when they reached no victim in common, but their footprints are one. No
single fact of these is a den (neighbours share cells too), so the link weighs:

- the cells both call from: at least `MIN_SHARED_CELLS` of them, each used by both in
  overlapping days (one shared cell is `same_cell` or `same_place`, with their own gates);
- the cover: the share of each one's calls made from those shared cells, the smaller of the two,
  as the weight (never under `MIN_COVER`: both spend most of their working time there);
- `PER_CELL` for each shared cell beyond the second, up to `MAX_CELLS`.

Neither may roam: a number seen at more than `MAX_FOOTPRINT` cells (a courier, a driver, a line
cold-calling on the walk) shares cells with everyone in its district. It links only numbers the
shipped model flags or that talk to victims like a fraud line
(`DenSearch.line`), never a box's SIM (those are found by device and sync), and cells where more
than `MAX_AT_PLACE` numbers are at home (a station, a mall) do not count: shared
infrastructure never links alone. A link needs `LINK_WEIGHT`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from chaincut.telecom.clue.facts import ClueIndex
from chaincut.telecom.clue.place import MAX_AT_PLACE
from chaincut.telecom.clue.store import Array

#: cells both must call from (one shared cell is the `same_cell` and `same_place` links' case)
MIN_SHARED_CELLS: Final = 2
#: calls a number needs, with a known cell, before its footprint says anything
MIN_CALLS: Final = 3
#: the least share of each one's calls made from the shared cells, whatever the cells
MIN_COVER: Final = 0.5
PER_CELL: Final = 0.1
MAX_CELLS: Final = 0.3
#: a number seen at more cells than this roams a district (a courier, a driver, a line that
#: cold-calls on the walk): sharing its cells says no more than "the same district"
MAX_FOOTPRINT: Final = 10
#: the evidence a link needs: a cover of 0.7 on two cells, 0.6 on three, 0.5 on four
LINK_WEIGHT: Final = 0.7


@dataclass(frozen=True)
class AreaMates:
    """The numbers linked to one number by footprint: (numbers, the cell both used most,
    weights), aligned."""

    numbers: Array
    cells: Array
    weights: Array


def _empty() -> AreaMates:
    return AreaMates(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64))


def _footprint(ix: ClueIndex, n: int) -> int:
    """How many cells `n` called from."""
    cells = ix.out(n, "cell")
    return len(np.unique(cells[cells >= 0]))


def area_mates(ix: ClueIndex, n: int, eligible: Array) -> AreaMates:
    """Every `eligible` number whose footprint with `n`'s weighs `LINK_WEIGHT` or more: both
    call from `MIN_SHARED_CELLS` or more of the same quiet cells in overlapping days, and each
    makes `MIN_COVER` or more of its calls there (less cover needs more cells)."""
    cells = ix.out(n, "cell")
    known = cells[cells >= 0]
    if len(known) < MIN_CALLS:
        return _empty()
    mine, counts = np.unique(known, return_counts=True)
    if not MIN_SHARED_CELLS <= len(mine) <= MAX_FOOTPRINT:
        return _empty()
    off = ix.arrays["out_off"]
    shared_cells: dict[int, int] = {}
    their_calls: dict[int, int] = {}
    my_calls: dict[int, int] = {}
    best: dict[int, tuple[int, int]] = {}  # number -> (my calls there, cell)
    for cell, count in zip(mine.tolist(), counts.tolist(), strict=True):
        rows = ix.rows("cell", cell)
        num = ix.arrays["cell_num"][rows]
        calls = ix.arrays["cell_calls"][rows]
        first, last = ix.arrays["cell_first"][rows], ix.arrays["cell_last"][rows]
        own = off[num + 1] - off[num]
        if int((2 * calls >= own).sum()) > MAX_AT_PLACE:
            continue  # a busy public place: everyone passes through it
        me = num == n
        start, end = int(first[me][0]), int(last[me][0])
        ok = eligible[num] & ~me & (first <= end) & (last >= start)
        for m, c in zip(num[ok].tolist(), calls[ok].tolist(), strict=True):
            shared_cells[m] = shared_cells.get(m, 0) + 1
            their_calls[m] = their_calls.get(m, 0) + c
            my_calls[m] = my_calls.get(m, 0) + count
            if count > best.get(m, (-1, -1))[0]:
                best[m] = (count, cell)
    found, where, weight = [], [], []
    for m in sorted(shared_cells):
        k = shared_cells[m]
        if k < MIN_SHARED_CELLS:
            continue
        theirs = int(off[m + 1] - off[m])
        cover = min(my_calls[m] / len(cells), their_calls[m] / max(theirs, 1))
        if theirs < MIN_CALLS or cover < MIN_COVER or _footprint(ix, m) > MAX_FOOTPRINT:
            continue
        w = cover + min(MAX_CELLS, PER_CELL * (k - MIN_SHARED_CELLS))
        if w >= LINK_WEIGHT - 1e-9:
            found.append(m)
            where.append(best[m][1])
            weight.append(round(w, 2))
    return AreaMates(
        np.array(found, np.int64), np.array(where, np.int64), np.array(weight, np.float64)
    )
