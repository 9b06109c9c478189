"""Number-clue verification (号码核查): `clue(settings, numbers) -> ClueResult`.

For each number: its holder, first and last activity, devices, the cells where it is used and
when, and the people it reached who later reported fraud. Then the candidate dens: every number
linked to the clues by a shared device, activity in sync at one place, or a shared victim
(`chaincut.telecom.clue.den`), with the SIM boxes among them, where they are, the victims they
reached and the evidence of every link. Two clues that lead to one den share it.

The answer comes from the clue index (`HOME/index/clue-*`, built on first use after an import),
so it takes milliseconds, not a scan of the lake.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from chaincut.settings import Settings
from chaincut.telecom.clue.den import DenSearch, Found
from chaincut.telecom.clue.facts import HOUR_US, ClueIndex, describe, number_clue, when
from chaincut.telecom.clue.fresh import ClueUnavailable, ensure_clue_index
from chaincut.telecom.clue.result import Box, ClueResult, Den, DenVictim, Member

__all__ = ["ClueResult", "ClueUnavailable", "clue", "investigate", "open_index"]

#: den cells listed (the busiest)
MAX_CELLS = 12


@lru_cache(maxsize=4)
def open_index(folder: Path) -> ClueIndex:
    """The index in `folder`, opened once per process (folders never change once built)."""
    return ClueIndex(folder)


def clue(settings: Settings, numbers: Sequence[str]) -> ClueResult:
    """Verify `numbers` against the lake of `settings` (building its clue index if stale).

    Raises `ClueUnavailable` when there is no lake or it cannot be read (an import running).
    """
    started = time.perf_counter()
    ix = open_index(ensure_clue_index(settings))
    return investigate(ix, numbers, started)


def investigate(ix: ClueIndex, numbers: Sequence[str], started: float | None = None) -> ClueResult:
    """The answer for `numbers` from an open index."""
    started = time.perf_counter() if started is None else started
    asked = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))
    codes = {n: ix.code("num_ids", n) for n in asked}
    clues = [c for c in dict.fromkeys(codes.values()) if c >= 0]
    search = DenSearch(ix)
    groups: list[Found] = []
    for code in clues:
        if any(code in g.joined or code == g.members[0] for g in groups):
            continue  # already in a den found from an earlier clue
        found = search.search(code)
        if len(found.members) >= 2:
            groups = _merge(groups, found)
    dens: list[Den] = []
    den_of: dict[int, str] = {}
    for found in groups:
        den_id = f"den-{len(dens) + 1}"
        den_of.update((m, den_id) for m in found.members)
        dens.append(_den(ix, search, den_id, found, set(clues)))
    facts = tuple(number_clue(ix, n, den_of.get(codes[n])) for n in asked)
    elapsed = (time.perf_counter() - started) * 1000
    return ClueResult(facts, tuple(dens), describe(ix), round(elapsed, 3))


def _merge(groups: list[Found], found: Found) -> list[Found]:
    """Add `found` to the dens found so far, joining those it shares a number with (a clue
    that is no suspect reaches a den that does not reach back to it)."""
    mine = set(found.members)
    keep, joined = [], found
    for g in groups:
        if mine.isdisjoint(g.members):
            keep.append(g)
            continue
        extra = [m for m in joined.members if m not in set(g.members)]
        edges = {**joined.joined, **g.joined}
        joined = Found(g.members + extra, edges, g.truncated or joined.truncated)
    return [*keep, joined]


def _den(ix: ClueIndex, search: DenSearch, den_id: str, found: Found, clues: set[int]) -> Den:
    members = sorted(found.members)
    people = []
    for m in members:
        edge = found.joined.get(m)
        link = search.link(edge) if edge is not None and m not in clues else None
        holders = tuple(h.person_id for h in ix.holders(m))
        rows = ix.rows("out", m)
        victims = int(ix.arrays["num_victims"][m])
        people.append(
            Member(ix.number(m), search.role(m), m in clues, holders, rows.stop - rows.start,
                   victims, link)
        )  # fmt: skip
    people.sort(key=lambda p: (not p.clue, p.role != "simbox", p.role != "fraud_line", p.number))
    return Den(
        den_id=den_id,
        clues=tuple(sorted(ix.number(c) for c in members if c in clues)),
        members=tuple(people),
        boxes=_boxes(ix, search, members),
        cells=_cells(ix, members),
        victims=_victims(ix, members),
        truncated=found.truncated,
    )


def _boxes(ix: ClueIndex, search: DenSearch, members: list[int]) -> tuple[Box, ...]:
    """Members linked by a shared IMEI or by sync, grouped: one group per box."""
    inside = np.array([m for m in members if search.boxed[m]], np.int64)
    if not len(inside):
        return ()
    a_list, b_list = [], []
    for m in inside:
        _, peers, _ = search.neighbours(int(m), victims=False)
        a_list.append(np.full(len(peers), m))
        b_list.append(peers)
    a, b = np.concatenate(a_list), np.concatenate(b_list)
    keep = np.isin(b, inside)
    ai, bi = np.searchsorted(inside, a[keep]), np.searchsorted(inside, b[keep])
    label = np.arange(len(inside))
    while True:  # propagate the smallest label along the links until nothing changes
        before = label.copy()
        np.minimum.at(label, ai, label[bi])
        np.minimum.at(label, bi, label[ai])
        label = label[label]
        if np.array_equal(label, before):
            break
    boxes = [_box(ix, [int(s) for s in inside[label == g]]) for g in np.unique(label)]
    return tuple(
        sorted((b for b in boxes if len(b.sims) >= 2), key=lambda b: (-len(b.sims), b.sims))
    )


def _box(ix: ClueIndex, sims: list[int]) -> Box:
    cell = np.concatenate([ix.out(s, "cell") for s in sims])
    imei = np.concatenate([ix.out(s, "imei") for s in sims])
    ts = np.concatenate([ix.out(s, "ts") for s in sims])
    counts = Counter(int(c) for c in cell[cell >= 0])
    # a box's cells: where most of its calls come from (not where one SIM once roamed)
    cells = [c for c, k in counts.most_common() if k >= 0.05 * len(cell)]
    return Box(
        cells=tuple(ix.name("cell_ids", c) for c in cells),
        sims=tuple(sorted(ix.number(s) for s in sims)),
        imeis=tuple(sorted(ix.name("imei_ids", int(i)) for i in np.unique(imei[imei >= 0]))),
        calls=len(ts),
        hours=len(np.unique(ts // HOUR_US)),
        first=when(ts.min()),
        last=when(ts.max()),
    )


def _cells(ix: ClueIndex, members: list[int]) -> tuple[tuple[str, int], ...]:
    cell = np.concatenate([ix.out(m, "cell") for m in members])
    counts = Counter(int(c) for c in cell[cell >= 0])
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], ix.name("cell_ids", kv[0])))
    return tuple((ix.name("cell_ids", c), k) for c, k in ranked[:MAX_CELLS])


def _victims(ix: ClueIndex, members: list[int]) -> tuple[DenVictim, ...]:
    last = ix.arrays["vic_last"]
    pos_parts, who_parts = [], []
    for m in members:
        for group in ("out", "mout"):
            pos = ix.victim_pos(ix.column(group, "peer", m))
            hit = pos >= 0
            if hit.any():
                pos, ts = pos[hit], ix.column(group, "ts", m)[hit]
                pos = pos[ts < last[pos]]
                pos_parts.append(pos)
                who_parts.append(np.full(len(pos), m, np.int64))
    if not pos_parts:
        return ()
    pairs = np.unique(np.stack([np.concatenate(pos_parts), np.concatenate(who_parts)]), axis=1)
    reached: dict[int, list[str]] = defaultdict(list)
    for p, m in pairs.T:
        reached[int(p)].append(ix.number(int(m)))
    out = [
        DenVictim(
            ix.number(int(ix.arrays["vic_code"][p])),
            tuple(r.report_id for r in ix.reports(p)),
            tuple(sorted(by)),
        )
        for p, by in reached.items()
    ]
    return tuple(sorted(out, key=lambda v: (v.reports, v.victim)))
