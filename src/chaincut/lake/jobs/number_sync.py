"""Synchronised numbers at one place: the SIMs of a box power on and off together.

A number is *present* at a cell in an hour window when it made a call there (the cell and IMEI
of a call record are the caller's). Two numbers are *in sync* when, at one cell, they share at
least `MIN_SHARED` windows, at least half the windows of the one with fewer and a quarter of
the windows of the other: the SIMs of a GOIP box call from one cell in the box's sessions,
while two people who live under one mast rarely call in the same hours again and again, and a
heavy caller passing by shares a few of its many hours.

Only outbound-leaning numbers take part (at least `MIN_OUT_CALLS` calls out and no more than one
call in for every `OUT_PER_IN` out): SIM boxes only call out, and leaving ordinary two-way numbers
out keeps the pairwise join small where a busy cell holds thousands of numbers an hour.
"""

from __future__ import annotations

from typing import Final

import ibis
import ibis.expr.types as ir

MIN_SHARED: Final = 2
MIN_OUT_CALLS: Final = 3
OUT_PER_IN: Final = 3


def presence(calls: ir.Table) -> ir.Table:
    """Distinct (`number`, `cell_id`, `window_start`) of calls made with a known cell, plus
    `calls` (how many in that window)."""
    c = calls.filter(calls.cell_id.notnull())
    c = c.select(number=c.caller, cell_id=c.cell_id, window_start=c.ts.truncate("h"))
    return c.group_by("number", "cell_id", "window_start").aggregate(calls=c.count())


def outbound_numbers(calls: ir.Table) -> ir.Table:
    """Numbers that only or mostly call out (see the module docstring): column `number`."""
    out = calls.group_by(number=calls.caller).aggregate(out_calls=calls.count())
    inc = calls.group_by(number=calls.callee).aggregate(in_calls=calls.count())
    j = out.left_join(inc, "number")
    j = j.select(number=j.number, out_calls=j.out_calls, in_calls=j.in_calls.fill_null(0))
    return j.filter(
        (j.out_calls >= MIN_OUT_CALLS) & (j.in_calls * OUT_PER_IN <= j.out_calls)
    ).select("number")


def sync_pairs(calls: ir.Table) -> ir.Table:
    """Pairs of outbound-leaning numbers in sync at one cell, each pair once per direction.

    Columns: `number`, `peer`, `cell_id`, `shared` (windows both were present in at that cell),
    `windows` and `peer_windows` (each one's windows at any cell).
    """
    p = presence(calls)
    p = p.join(outbound_numbers(calls), "number")
    totals = p.group_by("number").aggregate(windows=p.count())
    q = p.select(peer=p.number, peer_cell=p.cell_id, peer_window=p.window_start)
    j = p.join(
        q,
        [p.cell_id == q.peer_cell, p.window_start == q.peer_window, p.number != q.peer],
    )
    shared = j.group_by("number", "peer", "cell_id").aggregate(shared=j.count())
    mine = totals.select(number=totals.number, windows=totals.windows)
    theirs = totals.select(peer=totals.number, peer_windows=totals.windows)
    s = shared.join(mine, "number").join(theirs, "peer")
    fewer = ibis.least(s.windows, s.peer_windows)
    more = ibis.greatest(s.windows, s.peer_windows)
    close = (s.shared * 2 >= fewer) & (s.shared * 4 >= more)
    return s.filter((s.shared >= MIN_SHARED) & close).select(
        "number", "peer", "cell_id", "shared", "windows", "peer_windows"
    )


def device_sharers(calls: ir.Table) -> ir.Table:
    """Numbers that called with an IMEI another number also called with: column `number`."""
    c = calls.filter(calls.imei.notnull())
    used = c.select(number=c.caller, imei=c.imei).distinct()
    per = used.group_by("imei").aggregate(sims=used.number.nunique())
    j = used.join(per, "imei")
    return j.filter(j.sims >= 2).select("number").distinct()


def _group_sharers(calls: ir.Table, s: ir.Table) -> ir.Table:
    """Per number in sync: `sync_sharers`, how many of it and its peers share an IMEI."""
    group = s.select(number=s.number, member=s.peer).union(
        s.select(number=s.number, member=s.number), distinct=True
    )
    share = device_sharers(calls).select(member=ibis._.number)
    j = group.join(share, "member")
    return j.group_by("number").aggregate(sync_sharers=j.member.nunique())


def number_sync(calls: ir.Table, pitched: ir.Table) -> ir.Table:
    """Per number with at least one peer in sync: `sync_peers` (distinct peers),
    `sync_cells` (cells where it is in sync), `sync_shared_max` (most windows shared with one
    peer), `sync_pitched` (distinct people its peers talked to for 5 minutes or more),
    `sync_victims` (of those, the ones who later reported fraud) and `sync_sharers` (how many
    of it and its peers called with an IMEI that another number also used). `pitched` has the
    columns of `chaincut.lake.jobs.number_victims.pitches`.

    A box's dials that connect last seconds; its long calls are the pitches to victims, so its
    SIMs' long calls are mostly with people who then report fraud. An outbound call centre
    dialling at random has long calls too, with victims among them only by chance.

    A box is one device whose slots are reused: a blocked SIM is swapped for a fresh one in the
    same slot, behind the same IMEI, or the box rotates its IMEIs, so over its life some of its
    SIMs share IMEIs. A room of phones (an outbound campaign, a call centre) gives every line a
    handset of its own: none of its lines in sync shares one."""
    s = sync_pairs(calls)
    base = s.group_by("number").aggregate(
        sync_peers=s.peer.nunique(),
        sync_cells=s.cell_id.nunique(),
        sync_shared_max=s.shared.max(),
    )
    t = pitched.select(peer=pitched.number, other=pitched.other, victim=pitched.victim)
    j = s.select("number", "peer").distinct().join(t, "peer")
    talk = j.group_by("number").aggregate(
        sync_pitched=j.other.nunique(), sync_victims=j.other.nunique(where=j.victim)
    )
    out = base.left_join(talk, "number").left_join(_group_sharers(calls, s), "number")
    return out.select(
        "sync_peers", "sync_cells", "sync_shared_max", number=base.number,
        sync_pitched=out.sync_pitched.fill_null(0), sync_victims=out.sync_victims.fill_null(0),
        sync_sharers=out.sync_sharers.fill_null(0),
    )  # fmt: skip


def cell_window_crowds(calls: ir.Table) -> ir.Table:
    """Per cell and hour window: `numbers` present (callers with a call there)."""
    p = presence(calls)
    return p.group_by("cell_id", "window_start").aggregate(numbers=p.number.nunique())
