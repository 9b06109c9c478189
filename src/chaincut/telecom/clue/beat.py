"""Lines that cold-call through the same area: the `same_beat` link of the den search, weighted.

A den's walking callers (a line in a handset carried from cell to cell, in a car or on foot)
cold-call strangers all day through the cells of one area. Such a line talks to no victim
twice, shares no handset, no text and no victim with the den's other lines: the one thing its
records show is its beat, the cells it calls from, the weeks and the hours. Two lines the
shipped model flags (or that work victims like a fraud line) that walk the same beat in the
same weeks and hours are, to an analyst, that area's walking callers: one den, or two dens that
share the area. The link says so in its words, and weighs:

- the beat: the cells both call from (each roams: more than `area.MAX_FOOTPRINT` cells, the
  case `co_located` leaves out), as the Jaccard share of the two sets of cells (at least
  `MIN_JACCARD`), over `MIN_SHARED` or more quiet cells used by both in overlapping days;
- the cover: the smaller of the two shares of calls made from the shared cells (at least
  `MIN_COVER`: both work there, not pass through);
- the hours: the overlap of the two local-hour profiles of their calls (at least `MIN_HOURS`).

Weight `JACCARD_WEIGHT` times the Jaccard share plus `COVER_WEIGHT` times the cover plus
`HOURS_WEIGHT` times the hours; a link needs `LINK_WEIGHT`. Only movers (flagged or fraud lines,
no box's SIM) are linked, and busy public cells (more than `place.MAX_AT_PLACE` numbers at home)
do not count, so a courier, a driver or a person at home is never joined: they are not flagged,
and a district's people share a cell or two with a beat, not its whole round.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from chaincut.telecom.clue.area import MAX_FOOTPRINT
from chaincut.telecom.clue.facts import HOUR_US, ClueIndex
from chaincut.telecom.clue.place import MAX_AT_PLACE
from chaincut.telecom.clue.store import Array

#: calls with a known cell a line needs before its beat says anything
MIN_CALLS: Final = 20
#: quiet cells both must call from, each in overlapping days
MIN_SHARED: Final = 6
MIN_JACCARD: Final = 0.5
MIN_COVER: Final = 0.8
MIN_HOURS: Final = 0.5
JACCARD_WEIGHT: Final = 0.4
COVER_WEIGHT: Final = 0.3
HOURS_WEIGHT: Final = 0.3
#: the evidence a link needs: e.g. Jaccard 0.7, cover 0.9 and hours 0.8 (0.28 + 0.27 + 0.24)
LINK_WEIGHT: Final = 0.75


@dataclass(frozen=True)
class BeatMates:
    """The numbers linked to one number by beat: (numbers, the shared cell both used most,
    weights), aligned."""

    numbers: Array
    cells: Array
    weights: Array


def _empty() -> BeatMates:
    return BeatMates(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64))


@dataclass(frozen=True)
class Beat:
    """One line's round: its quiet cells with its calls there, calls with a known cell, and
    the share of its calls in each local hour."""

    cells: Array
    counts: Array
    calls: int
    hours: Array


def beat(ix: ClueIndex, n: int) -> Beat:
    """The cells `n` calls from (all, busy or not), its calls there and its hour profile."""
    cells = ix.out(n, "cell")
    known = cells >= 0
    mine, counts = np.unique(cells[known], return_counts=True)
    local = (ix.out(n, "ts")[known] + ix.local_us) // HOUR_US % 24
    hours = np.bincount(local.astype(np.int64), minlength=24).astype(np.float64)
    return Beat(mine, counts, int(known.sum()), hours / max(hours.sum(), 1.0))


def roams(b: Beat) -> bool:
    """A walking caller's round: enough calls, from more cells than a room's or a flat's."""
    return b.calls >= MIN_CALLS and len(b.cells) > MAX_FOOTPRINT


class Beats:
    """The beat link over one index; each number's round is read once."""

    def __init__(self, ix: ClueIndex, eligible: Array) -> None:
        self.ix, self.eligible = ix, eligible
        self._beats: dict[int, Beat] = {}
        self._busy: dict[int, bool] = {}

    def of(self, n: int) -> Beat:
        if n not in self._beats:
            self._beats[n] = beat(self.ix, n)
        return self._beats[n]

    def busy(self, cell: int) -> bool:
        """More than `MAX_AT_PLACE` numbers at home at `cell` (half or more of their calls)."""
        if cell not in self._busy:
            ix = self.ix
            rows = ix.rows("cell", cell)
            num = ix.arrays["cell_num"][rows]
            own = ix.arrays["out_off"][num + 1] - ix.arrays["out_off"][num]
            self._busy[cell] = int((2 * ix.arrays["cell_calls"][rows] >= own).sum()) > MAX_AT_PLACE
        return self._busy[cell]

    def mates(self, n: int, clue: bool = False) -> BeatMates:
        """Every eligible roaming number whose beat with `n`'s weighs `LINK_WEIGHT` or more;
        `n` must be eligible itself unless it is the `clue` (an analyst's lead is a suspect by
        being one)."""
        ix, mine = self.ix, self.of(n)
        if not ((clue or self.eligible[n]) and roams(mine)):
            return _empty()
        shared: dict[int, list[int]] = {}  # number -> the quiet cells both use, in overlap
        for cell in mine.cells.tolist():
            if self.busy(cell):
                continue
            rows = ix.rows("cell", cell)
            num = ix.arrays["cell_num"][rows]
            first, last = ix.arrays["cell_first"][rows], ix.arrays["cell_last"][rows]
            me = num == n
            start, end = int(first[me][0]), int(last[me][0])
            ok = self.eligible[num] & ~me & (first <= end) & (last >= start)
            for m in num[ok].tolist():
                shared.setdefault(m, []).append(cell)
        found, where, weight = [], [], []
        for m in sorted(shared):
            cells = np.array(shared[m], np.int64)
            if len(cells) < MIN_SHARED:
                continue
            w, top = self._weigh(mine, self.of(m), cells)
            if w >= LINK_WEIGHT - 1e-9:
                found.append(m)
                where.append(top)
                weight.append(round(w, 2))
        return BeatMates(
            np.array(found, np.int64), np.array(where, np.int64), np.array(weight, np.float64)
        )

    @staticmethod
    def _weigh(a: Beat, b: Beat, cells: Array) -> tuple[float, int]:
        """(weight, the shared cell `a` used most); 0 when a gate is not met."""
        if not roams(b):
            return 0.0, -1
        jaccard = len(cells) / len(np.union1d(a.cells, b.cells))
        in_a = np.isin(a.cells, cells)
        cover = min(
            float(a.counts[in_a].sum()) / a.calls,
            float(b.counts[np.isin(b.cells, cells)].sum()) / b.calls,
        )
        hours = float(np.minimum(a.hours, b.hours).sum())
        if jaccard < MIN_JACCARD or cover < MIN_COVER or hours < MIN_HOURS:
            return 0.0, -1
        top = int(a.cells[in_a][int(np.argmax(a.counts[in_a]))])
        w = JACCARD_WEIGHT * jaccard + COVER_WEIGHT * cover + HOURS_WEIGHT * hours
        return w, top
