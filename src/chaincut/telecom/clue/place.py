"""People who work together: the `same_place` and `call_circle` links of the den search, weighted.

A den's operators sit in one room: their lines call from one cell, in the same hours, and call
each other and the same few people (the gang's members). No single fact of these is a den (an
office's colleagues share a cell and call each other too), so each counts for a weight and a
link needs `LINK_WEIGHT` of evidence, always on top of the place:

- the place: both make half or more of their calls from one cell, in overlapping days (the gate:
  a den is one site, so numbers elsewhere are never linked this way);
- calls between them: `CALLED` for each direction in which one called the other;
- the same hours: `PER_HOUR` for each hour window in which both called from that cell, up to
  `MAX_HOURS`;
- the same contacts: `PER_CONTACT` for each other number both called, up to `MAX_CONTACTS`.

Mutual calls at one place are enough; calls one way need shared hours or contacts as well;
the same hours and contacts alone (at most 0.6) are not: a call centre's seats share a room,
its hours and its customers, but do not call each other. Neighbours under one mast do not link. The search uses these links only from a clue
that is not a SIM box's SIM and from numbers it reached this way: a box is found by its devices
and sync, and a box dials thousands of people at random, so common contacts mean nothing there.

People in a den's other rooms (its other cells) are linked as `call_circle` (`_circle`) without
the place: they must call each other both ways (0.7) and share hours and contacts for 0.5 more
(`CIRCLE_WEIGHT`), and neither may be in touch with more than `MAX_CIRCLE` numbers: friends who
call each other in the evening from home share neither the hours nor the contacts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from chaincut.telecom.clue.facts import HOUR_US, ClueIndex
from chaincut.telecom.clue.store import Array

#: evidence a `same_place` link needs (the weights below add up to it)
LINK_WEIGHT: Final = 0.7
CALLED: Final = 0.35
PER_HOUR: Final = 0.1
MAX_HOURS: Final = 0.3
PER_CONTACT: Final = 0.1
MAX_CONTACTS: Final = 0.3
#: evidence a link between people working from different cells needs (calls both ways, and
#: shared hours and contacts)
CIRCLE_WEIGHT: Final = 1.2
#: people with more contacts than this are no den's operators (a shop, a dispatcher)
MAX_CIRCLE: Final = 60
#: a cell with more numbers at home than this is a busy public place, not a room
MAX_AT_PLACE: Final = 500


@dataclass(frozen=True)
class PlaceMates:
    """The numbers linked to one number by place: (numbers, cells, weights), aligned."""

    numbers: Array
    cells: Array
    weights: Array
    #: linked by calls, hours and contacts from a cell of its own (`_circle`), not the place
    circle: Array


def _home_cells(ix: ClueIndex, n: int) -> Array:
    """The cell(s) from which `n` makes half or more of its calls."""
    cells = ix.out(n, "cell")
    known = cells[cells >= 0]
    if not len(known):
        return np.zeros(0, np.int64)
    values, counts = np.unique(known, return_counts=True)
    out: Array = values[2 * counts >= len(cells)]
    return out


def place_mates(ix: ClueIndex, n: int) -> PlaceMates:
    """Every number at `n`'s place whose evidence with `n` weighs `LINK_WEIGHT` or more."""
    off = ix.arrays["out_off"]
    mine_peer = ix.out(n, "peer")
    mine_ts, mine_cell = ix.out(n, "ts"), ix.out(n, "cell")
    callers = set(ix.column("in", "peer", n).tolist())
    found, where, weight = [], [], []
    for cell in _home_cells(ix, n):
        rows = ix.rows("cell", int(cell))
        num = ix.arrays["cell_num"][rows]
        calls = ix.arrays["cell_calls"][rows]
        first, last = ix.arrays["cell_first"][rows], ix.arrays["cell_last"][rows]
        own = off[num + 1] - off[num]
        at_home = 2 * calls >= own
        if int(at_home.sum()) > MAX_AT_PLACE:
            continue
        me = num == n
        start, end = int(first[me][0]), int(last[me][0])
        ok = at_home & (first <= end) & (last >= start) & ~me
        hours = set((mine_ts[mine_cell == cell] // HOUR_US).tolist())
        contacts = set(mine_peer.tolist())
        for m in num[ok]:
            m = int(m)
            peer = ix.out(m, "peer")
            w = CALLED * (int(m in contacts) + int(m in callers or bool((peer == n).any())))
            theirs = set((ix.out(m, "ts")[ix.out(m, "cell") == cell] // HOUR_US).tolist())
            w += min(MAX_HOURS, PER_HOUR * len(hours & theirs))
            common = (contacts & set(peer.tolist())) - {n, m}
            w += min(MAX_CONTACTS, PER_CONTACT * len(common))
            if w >= LINK_WEIGHT - 1e-9:
                found.append(m)
                where.append(int(cell))
                weight.append(round(w, 2))
    at_place, seen = len(found), set(found)
    for m, cell, w in _circle(ix, n, set(mine_peer.tolist()), callers):
        if m not in seen:
            found.append(m)
            where.append(cell)
            weight.append(w)
    circle = np.arange(len(found)) >= at_place
    return PlaceMates(
        np.array(found, np.int64),
        np.array(where, np.int64),
        np.array(weight, np.float64),
        circle,
    )


def _circle(
    ix: ClueIndex, n: int, called: set[int], callers: set[int]
) -> list[tuple[int, int, float]]:
    """(number, its home cell, weight): the people `n` calls and is called by, each working
    from one cell of its own, who share `n`'s working hours and its contacts: colleagues in
    the den's other rooms. Without the shared cell, the evidence must weigh `CIRCLE_WEIGHT`."""
    mine = _home_cells(ix, n)
    if not len(mine) or len(called | callers) > MAX_CIRCLE:
        return []
    hours = set((ix.out(n, "ts") // HOUR_US).tolist())
    out = []
    for m in sorted(called & callers):
        if m == n:
            continue
        theirs = _home_cells(ix, m)
        if not len(theirs) or np.intersect1d(theirs, mine).size:
            continue
        peer = ix.out(m, "peer")
        contacts = set(peer.tolist()) | set(ix.column("in", "peer", m).tolist())
        if len(contacts) > MAX_CIRCLE:
            continue
        w = 2 * CALLED
        w += min(MAX_HOURS, PER_HOUR * len(hours & set((ix.out(m, "ts") // HOUR_US).tolist())))
        common = ((called | callers) & contacts) - {n, m}
        w += min(MAX_CONTACTS, PER_CONTACT * len(common))
        if w >= CIRCLE_WEIGHT - 1e-9:
            out.append((m, int(theirs[0]), round(w, 2)))
    return out


def called_between(ix: ClueIndex, a: int, b: int) -> int | None:
    """The sequence of the first call from `a` to `b` or from `b` to `a`, if any."""
    for x, y in ((a, b), (b, a)):
        hits = np.flatnonzero(ix.out(x, "peer") == y)
        if len(hits):
            return int(ix.out(x, "seq")[hits[0]])
    return None
