"""Per-cell features: where fraud calls come from (a den's building shows as a few cells).

A call's cell is the caller's. A cell that hosts a SIM box has hours in which far more numbers
call from it than usual, numbers that only call out, numbers in sync, and calls to people who
later reported fraud. Counts only, equal on every engine.
"""

from __future__ import annotations

from typing import Final

import ibis.expr.types as ir

from chaincut.lake.jobs.number_sync import cell_window_crowds, outbound_numbers, sync_pairs
from chaincut.lake.jobs.number_victims import victim_contacts, victim_phones

#: the count columns of `cell_features`, in order
CELL_COUNT_COLUMNS: Final = (
    "calls", "answered", "numbers", "imeis", "active_windows", "max_numbers_in_window",
    "outbound_numbers", "sync_numbers", "victim_calls", "victims_contacted",
)  # fmt: skip


def cell_features(
    calls: ir.Table, messages: ir.Table, persons: ir.Table, reports: ir.Table
) -> ir.Table:
    """One row per cell in the call records: `cell_id`, the `CELL_COUNT_COLUMNS`, `first_ts`
    and `last_ts`.

    Calls made from it (answered), distinct numbers and IMEIs that called from it, hour windows
    with calls, the most numbers in one hour window, how many of its numbers only or mostly call
    out, how many are in sync with another number here, and calls from here to victims.
    """
    c = calls.filter(calls.cell_id.notnull())
    base = c.group_by("cell_id").aggregate(
        calls=c.count(),
        answered=c.count(where=c.duration_s > 0),
        numbers=c.caller.nunique(),
        imeis=c.imei.nunique(),
        active_windows=c.ts.truncate("h").nunique(),
        first_ts=c.ts.min(),
        last_ts=c.ts.max(),
    )
    crowds = cell_window_crowds(calls)
    peak = crowds.group_by("cell_id").aggregate(max_numbers_in_window=crowds.numbers.max())
    here = c.select(number=c.caller, cell_id=c.cell_id).distinct()
    outbound = here.join(outbound_numbers(calls), "number")
    outbound = outbound.group_by("cell_id").aggregate(outbound_numbers=outbound.count())
    pairs = sync_pairs(calls)
    in_sync = pairs.group_by("cell_id").aggregate(sync_numbers=pairs.number.nunique())
    v = victim_contacts(calls, messages, victim_phones(reports, persons))
    v = v.filter(v.kind == "call")
    cc = c.select("call_id", "cell_id")
    vj = v.join(cc, v.event_id == cc.call_id)
    victims = vj.group_by("cell_id").aggregate(
        victim_calls=vj.count(), victims_contacted=vj.other.nunique()
    )
    t = base
    for part in (peak, outbound, in_sync, victims):
        t = t.left_join(part, "cell_id")
    return t.select(
        "cell_id",
        *[t[name].fill_null(0).cast("int64").name(name) for name in CELL_COUNT_COLUMNS],
        first_ts=t.first_ts,
        last_ts=t.last_ts,
    )
