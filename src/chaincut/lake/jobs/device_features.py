"""Per-device (IMEI) features: what a SIM box (GOIP, "cat pool" 猫池) looks like from its IMEIs.

A box shows many SIMs behind one IMEI when it rotates IMEIs, or one SIM per IMEI when each slot
keeps its own; either way its SIMs call out only, to many numbers, briefly, from one cell, in
sync. Counts only, equal on every engine; ratios are taken in `chaincut.telecom.features`.
"""

from __future__ import annotations

from typing import Final

import ibis
import ibis.expr.types as ir

from chaincut.lake.jobs.number_features import DEFAULT_UTC_OFFSET, NIGHT_END, SHORT_SECONDS
from chaincut.lake.jobs.number_sync import OUT_PER_IN, number_sync
from chaincut.lake.jobs.number_victims import pitches, victim_contacts, victim_phones

#: the count columns of `device_features`, in order
DEVICE_COUNT_COLUMNS: Final = (
    "calls", "sims", "answered", "short", "duration_s", "distinct_callees", "cells",
    "top_cell_calls", "calls_with_cell", "active_windows", "active_days", "night_calls",
    "sims_in_calls", "sims_max_imeis", "sims_in_sync", "max_sync_peers", "victim_calls",
    "victims_contacted", "sims_in_answered", "sync_pitched", "sync_victims", "sync_sharers",
    "site_reused", "site_calls", "site_days",
)  # fmt: skip


def _own_calls(calls: ir.Table, utc_offset_hours: int) -> ir.Table:
    c = calls.filter(calls.imei.notnull())
    local = c.ts + ibis.interval(hours=utc_offset_hours)
    d = c.duration_s
    return c.group_by("imei").aggregate(
        calls=c.count(),
        sims=c.caller.nunique(),
        answered=c.count(where=d > 0),
        short=c.count(where=(d > 0) & (d < SHORT_SECONDS)),
        duration_s=d.sum(),
        distinct_callees=c.callee.nunique(),
        cells=c.cell_id.nunique(),
        calls_with_cell=c.count(where=c.cell_id.notnull()),
        active_windows=c.ts.truncate("h").nunique(),
        active_days=local.truncate("D").nunique(),
        night_calls=c.count(where=local.hour() < NIGHT_END),
        first_ts=c.ts.min(),
        last_ts=c.ts.max(),
    )


def _top_cell(calls: ir.Table) -> ir.Table:
    c = calls.filter(calls.imei.notnull() & calls.cell_id.notnull())
    per = c.group_by("imei", "cell_id").aggregate(n=c.count())
    return per.group_by("imei").aggregate(top_cell_calls=per.n.max())


def device_sims(calls: ir.Table) -> ir.Table:
    """Distinct (`imei`, `number`) of calls made with a known IMEI, with `calls`, `first_ts` and
    `last_ts` of that SIM in that device."""
    c = calls.filter(calls.imei.notnull())
    return c.group_by(imei=c.imei, number=c.caller).aggregate(
        calls=c.count(), first_ts=c.ts.min(), last_ts=c.ts.max()
    )


def _sims(calls: ir.Table, pitched: ir.Table) -> ir.Table:
    """What the device's SIMs do anywhere: calls received (and answered), IMEIs used, peers in
    sync."""
    pairs = device_sims(calls).select("imei", "number")
    inc = calls.group_by(number=calls.callee).aggregate(
        in_calls=calls.count(), in_answered=calls.count(where=calls.duration_s > 0)
    )
    rot = calls.filter(calls.imei.notnull())
    rot = rot.group_by(number=rot.caller).aggregate(imeis=rot.imei.nunique())
    sync = number_sync(calls, pitched)
    j = pairs.left_join(inc, "number").left_join(rot, "number").left_join(sync, "number")
    j = j.select(
        "imei", in_calls=j.in_calls, in_answered=j.in_answered, imeis=j.imeis,
        sync_peers=j.sync_peers, sync_pitched=j.sync_pitched, sync_victims=j.sync_victims,
        sync_sharers=j.sync_sharers,
    )  # fmt: skip
    peers = j.sync_peers.fill_null(0)
    return j.group_by("imei").aggregate(
        sims_in_calls=j.in_calls.fill_null(0).sum(),
        sims_in_answered=j.in_answered.fill_null(0).sum(),
        sims_max_imeis=j.imeis.max(),
        sims_in_sync=j.count(where=peers > 0),
        max_sync_peers=peers.max(),
        sync_pitched=j.sync_pitched.fill_null(0).max(),
        sync_victims=j.sync_victims.fill_null(0).max(),
        sync_sharers=j.sync_sharers.fill_null(0).max(),
    )


def top_cells(calls: ir.Table) -> ir.Table:
    """Each IMEI's busiest cell (`imei`, `cell_id`): where it made most of its calls, the
    smallest cell id among equals, so every engine picks the same one."""
    c = calls.filter(calls.imei.notnull() & calls.cell_id.notnull())
    per = c.group_by("imei", "cell_id").aggregate(n=c.count())
    rank = ibis.row_number().over(group_by=per.imei, order_by=[ibis.desc(per.n), per.cell_id])
    ranked = per.mutate(rank=rank)
    return ranked.filter(ranked.rank == 0).select("imei", "cell_id")


def reused_devices(calls: ir.Table) -> ir.Table:
    """IMEIs whose slots were reused and that call out (`imei`): it carried several SIMs, or
    one of its SIMs used several IMEIs (a swapped SIM, a rotating box), and its SIMs received
    at most one call for every `OUT_PER_IN` it made. A person's new handset, or a SIM moved
    into a spare phone, is reused too, but that person is called back."""
    c = calls.filter(calls.imei.notnull())
    pairs = c.select("imei", number=c.caller).distinct()
    rot = pairs.group_by("number").aggregate(imeis=pairs.imei.nunique())
    inc = calls.group_by(number=calls.callee).aggregate(in_calls=calls.count())
    j = pairs.left_join(rot, "number").left_join(inc, "number")
    j = j.select("imei", "number", imeis=j.imeis, in_calls=j.in_calls)
    per = j.group_by("imei").aggregate(
        sims=j.number.nunique(), max_imeis=j.imeis.max(), in_calls=j.in_calls.fill_null(0).sum()
    )
    made = c.group_by("imei").aggregate(made=c.count())
    t = per.join(made, "imei")
    keep = ((t.sims >= 2) | (t.max_imeis >= 2)) & (t.in_calls * OUT_PER_IN <= t.made)
    return t.filter(keep).select("imei")


def _site_peers(calls: ir.Table) -> ir.Table:
    """The reused IMEIs (`reused_devices`) with their busiest cell: `peer`, `cell`."""
    top = top_cells(calls)
    return reused_devices(calls).join(top, "imei").select(peer=ibis._.imei, cell=ibis._.cell_id)


def _with_peers(calls: ir.Table, window: ir.Table) -> ir.Table:
    """Per IMEI, its calls (`window`: the calls with a `window_start` each) from its busiest
    cell made in a window in which another reused IMEI whose busiest cell it is also called
    from there (`call_id`, `imei`, `cell_id`, `peer`)."""
    top = top_cells(calls)
    reused = _site_peers(calls)
    own = window.join(top, ["imei", "cell_id"]).select("call_id", "imei", "cell_id", "window_start")
    theirs = window.join(reused, [window.imei == reused.peer, window.cell_id == reused.cell])
    theirs = theirs.select(
        peer=theirs.imei, peer_cell=theirs.cell_id, peer_window=theirs.window_start
    )
    theirs = theirs.distinct()
    j = own.join(
        theirs,
        [
            own.cell_id == theirs.peer_cell,
            own.window_start == theirs.peer_window,
            own.imei != theirs.peer,
        ],
    )
    return j.select("call_id", "imei", "cell_id", "peer")


def site_calls(calls: ir.Table) -> ir.Table:
    """Per IMEI, its calls from its busiest cell made in an hour in which another reused
    IMEI (`reused_devices`) whose busiest cell it is also called from there (`call_id`, `imei`,
    `cell_id`, `peer`: that other IMEI): the slots of one box call in the box's sessions."""
    c = calls.filter(calls.imei.notnull() & calls.cell_id.notnull())
    return _with_peers(calls, c.mutate(window_start=c.ts.truncate("h")))


def site_days(calls: ir.Table, utc_offset_hours: int = DEFAULT_UTC_OFFSET) -> ir.Table:
    """As `site_calls`, by local day rather than hour: its calls from its busiest cell on a day
    on which one of the site's reused IMEIs called from there too. A box works on some days
    and all its slots with it; a seat in an office under the same mast calls on every working
    day, whether the box is on or not."""
    c = calls.filter(calls.imei.notnull() & calls.cell_id.notnull())
    local = c.ts + ibis.interval(hours=utc_offset_hours)
    return _with_peers(calls, c.mutate(window_start=local.truncate("D")))


def _site(calls: ir.Table, utc_offset_hours: int) -> ir.Table:
    """`site_reused`: the other reused IMEIs whose busiest cell is its own busiest cell;
    `site_calls`: its calls there in hours when one of them called there too; `site_days`:
    its calls there on local days when one of them called there too."""
    top = top_cells(calls)
    reused = _site_peers(calls)
    j = top.join(reused, [top.cell_id == reused.cell, top.imei != reused.peer])
    count = j.group_by("imei").aggregate(site_reused=j.peer.nunique())
    s = site_calls(calls)
    hours = s.group_by("imei").aggregate(site_calls=s.call_id.nunique())
    d = site_days(calls, utc_offset_hours)
    days = d.group_by("imei").aggregate(site_days=d.call_id.nunique())
    t = count.left_join(hours, "imei").select(
        "imei", "site_reused", site_calls=ibis._.site_calls.fill_null(0)
    )
    return t.left_join(days, "imei").select(
        "imei", "site_reused", "site_calls", site_days=ibis._.site_days.fill_null(0)
    )


def _victims(calls: ir.Table, contacts: ir.Table) -> ir.Table:
    v = contacts.filter(contacts.kind == "call")
    c = calls.filter(calls.imei.notnull()).select("call_id", "imei")
    j = v.join(c, v.event_id == c.call_id)
    return j.group_by("imei").aggregate(victim_calls=j.count(), victims_contacted=j.other.nunique())


def device_features(
    calls: ir.Table,
    messages: ir.Table,
    persons: ir.Table,
    reports: ir.Table,
    *,
    utc_offset_hours: int = DEFAULT_UTC_OFFSET,
) -> ir.Table:
    """One row per IMEI in the call records: `imei`, the `DEVICE_COUNT_COLUMNS` and
    `first_ts` / `last_ts`.

    Its calls: how many, with how many SIMs, answered, short (< 30 s), seconds, distinct
    callees, cells, calls at its busiest cell, hour windows, local days, night calls. Its SIMs:
    calls they received (anywhere) and answered, the most IMEIs any of them used, how many are
    in sync with other numbers at one cell, the most peers one has, and the most people the
    peers of one of them pitched (and of those, victims), the most of one SIM's group in sync
    that share IMEIs. Victims reached from this device. Its site: the other reused IMEIs
    (`reused_devices`) at its busiest cell, and its calls there in hours (`site_calls`) and on
    local days (`site_days`) when they called there too.
    """
    victims = victim_phones(reports, persons)
    contacts = victim_contacts(calls, messages, victims)
    t = _own_calls(calls, utc_offset_hours)
    for part in (
        _top_cell(calls),
        _sims(calls, pitches(calls, victims)),
        _victims(calls, contacts),
        _site(calls, utc_offset_hours),
    ):
        t = t.left_join(part, "imei")
    return t.select(
        "imei",
        *[t[name].fill_null(0).cast("int64").name(name) for name in DEVICE_COUNT_COLUMNS],
        first_ts=t.first_ts,
        last_ts=t.last_ts,
    )
