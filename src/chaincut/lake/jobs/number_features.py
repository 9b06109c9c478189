"""Per-number features from call and message records (涉诈电话, SIM-box SIMs).

Every column is an exact count or a timestamp, so DuckDB and Spark give equal results; ratios
(outbound share, answer rate, reciprocity, ...) are taken by the caller, in
`chaincut.telecom.features`. A call's `cell_id` and `imei` are the caller's; a call of
`duration_s` 0 was not answered. Hours of the day are local: `utc_offset_hours` (Beijing, +8,
by default) is added to the UTC timestamps before the hour and the day are read.
"""

from __future__ import annotations

from typing import Final

import ibis
import ibis.expr.types as ir

from chaincut.lake.jobs.number_sync import number_sync
from chaincut.lake.jobs.number_victims import number_victim_features, pitches, victim_phones

#: answered calls shorter than this are "short" (hung up once the callee hears the pitch)
SHORT_SECONDS: Final = 30
#: answered calls from this long are "long"
LONG_SECONDS: Final = 300
#: local hours [0, NIGHT_END) are night
NIGHT_END: Final = 6
DEFAULT_UTC_OFFSET: Final = 8

#: the count columns of `number_features` (0 where a number has none), in order
COUNT_COLUMNS: Final = (
    "out_calls", "out_answered", "out_short", "out_medium", "out_long", "out_duration_s",
    "distinct_callees", "reciprocal_callees", "in_calls", "in_answered", "distinct_callers",
    "imeis", "cells", "top_cell_calls", "out_calls_with_cell", "active_windows", "active_days",
    "active_hours", "night_calls", "msgs_out", "msgs_in", "msg_receivers", "contacts_out",
    "victim_calls", "victim_msgs", "victims_contacted", "victims_talked", "max_sims_per_imei",
    "sync_peers", "sync_cells", "sync_shared_max", "id_numbers", "sync_pitched", "sync_victims",
    "sync_sharers",
)  # fmt: skip


def _outgoing(calls: ir.Table, utc_offset_hours: int) -> ir.Table:
    c = calls
    local = c.ts + ibis.interval(hours=utc_offset_hours)
    d = c.duration_s
    answered = d > 0
    return c.group_by(number=c.caller).aggregate(
        out_calls=c.count(),
        out_answered=c.count(where=answered),
        out_short=c.count(where=answered & (d < SHORT_SECONDS)),
        out_medium=c.count(where=(d >= SHORT_SECONDS) & (d < LONG_SECONDS)),
        out_long=c.count(where=d >= LONG_SECONDS),
        out_duration_s=d.sum(),
        distinct_callees=c.callee.nunique(),
        imeis=c.imei.nunique(),
        cells=c.cell_id.nunique(),
        out_calls_with_cell=c.count(where=c.cell_id.notnull()),
        active_windows=c.ts.truncate("h").nunique(),
        active_days=local.truncate("D").nunique(),
        active_hours=local.hour().nunique(),
        night_calls=c.count(where=local.hour() < NIGHT_END),
        out_first_ts=c.ts.min(),
        out_last_ts=c.ts.max(),
    )


def _incoming(calls: ir.Table) -> ir.Table:
    c = calls
    return c.group_by(number=c.callee).aggregate(
        in_calls=c.count(),
        in_answered=c.count(where=c.duration_s > 0),
        distinct_callers=c.caller.nunique(),
        in_first_ts=c.ts.min(),
        in_last_ts=c.ts.max(),
    )


def _reciprocal(calls: ir.Table) -> ir.Table:
    """Distinct callees of a number that also called it (at any time)."""
    out = calls.select(number=calls.caller, other=calls.callee).distinct()
    back = calls.select(number=calls.callee, other=calls.caller).distinct()
    j = out.join(back, ["number", "other"])
    return j.group_by("number").aggregate(reciprocal_callees=j.count())


def _top_cell(calls: ir.Table) -> ir.Table:
    c = calls.filter(calls.cell_id.notnull())
    per = c.group_by(number=c.caller, cell=c.cell_id).aggregate(n=c.count())
    return per.group_by("number").aggregate(top_cell_calls=per.n.max())


def _messages(messages: ir.Table) -> ir.Table:
    m = messages
    sent = m.group_by(number=m.sender).aggregate(
        msgs_out=m.count(), msg_receivers=m.receiver.nunique(), msg_first_ts=m.ts.min(),
        msg_last_ts=m.ts.max(),
    )  # fmt: skip
    got = m.group_by(number=m.receiver).aggregate(
        msgs_in=m.count(), rcv_first_ts=m.ts.min(), rcv_last_ts=m.ts.max()
    )
    return sent.outer_join(got, "number").select(
        number=ibis.coalesce(sent.number, got.number),
        msgs_out=sent.msgs_out,
        msg_receivers=sent.msg_receivers,
        msgs_in=got.msgs_in,
        msg_first_ts=ibis.least(sent.msg_first_ts, got.rcv_first_ts),
        msg_last_ts=ibis.greatest(sent.msg_last_ts, got.rcv_last_ts),
    )


def _contacts_out(calls: ir.Table, messages: ir.Table) -> ir.Table:
    both = calls.select(number=calls.caller, other=calls.callee).union(
        messages.select(number=messages.sender, other=messages.receiver), distinct=True
    )
    return both.group_by("number").aggregate(contacts_out=both.count())


def sims_per_imei(calls: ir.Table) -> ir.Table:
    """Per IMEI seen in calls: `imei`, `sims` (distinct numbers that called with it)."""
    c = calls.filter(calls.imei.notnull())
    return c.group_by(imei=c.imei).aggregate(sims=c.caller.nunique())


def _max_sims(calls: ir.Table) -> ir.Table:
    c = calls.filter(calls.imei.notnull())
    used = c.select(number=c.caller, imei=c.imei).distinct()
    j = used.join(sims_per_imei(calls), "imei")
    return j.group_by("number").aggregate(max_sims_per_imei=j.sims.max())


def id_numbers(persons: ir.Table) -> ir.Table:
    """Per phone of `persons`: `id_numbers`, the most numbers registered to one ID number among
    its holders (SIM cards bought in bulk on a few people's IDs: one ID, several numbers)."""
    p = persons.filter(persons.phone.notnull() & persons.id_number.notnull())
    p = p.select("phone", "id_number").distinct()
    per_id = p.group_by("id_number").aggregate(id_phones=p.phone.nunique())
    j = p.join(per_id, "id_number")
    return j.group_by(number=j.phone).aggregate(id_numbers=j.id_phones.max())


def numbers(calls: ir.Table, messages: ir.Table) -> ir.Table:
    """Every number in the call and message records, on either side: column `number`."""
    sides = [
        calls.select(number=calls.caller),
        calls.select(number=calls.callee),
        messages.select(number=messages.sender),
        messages.select(number=messages.receiver),
    ]
    return ibis.union(*sides, distinct=True)


def number_features(
    calls: ir.Table,
    messages: ir.Table,
    persons: ir.Table,
    reports: ir.Table,
    *,
    utc_offset_hours: int = DEFAULT_UTC_OFFSET,
) -> ir.Table:
    """One row per number in calls or messages: `number`, the `COUNT_COLUMNS` (exact counts,
    0 where none) and `first_ts` / `last_ts` (its first and last call or message, either way).

    Out-calls: answered, short (< 30 s), medium, long (>= 5 min), total seconds, distinct callees
    and how many of them called back, IMEIs and cells used, calls at its busiest cell, hour
    windows, local days and local hours of the day with calls, night calls (local 0-6 h).
    In-calls: calls, answered, distinct callers. Messages both ways. Victims (people who later
    reported fraud) reached by call or message. The most SIMs seen on any IMEI it used. Peers in
    sync at one cell and whom they pitched (see `chaincut.lake.jobs.number_sync`). The
    most numbers one ID number of its holders registered (`persons`: one row per subscription).
    """
    victims = victim_phones(reports, persons)
    parts = [
        _outgoing(calls, utc_offset_hours),
        _incoming(calls),
        _reciprocal(calls),
        _top_cell(calls),
        _messages(messages),
        _contacts_out(calls, messages),
        number_victim_features(calls, messages, victims),
        _max_sims(calls),
        number_sync(calls, pitches(calls, victims)),
        id_numbers(persons),
    ]
    t = numbers(calls, messages)
    for part in parts:
        t = t.left_join(part, "number")
    firsts = [t.out_first_ts, t.in_first_ts, t.msg_first_ts]
    lasts = [t.out_last_ts, t.in_last_ts, t.msg_last_ts]
    return t.select(
        "number",
        *[t[name].fill_null(0).cast("int64").name(name) for name in COUNT_COLUMNS],
        first_ts=ibis.least(*[ibis.coalesce(x, *firsts) for x in firsts]),
        last_ts=ibis.greatest(*[ibis.coalesce(x, *lasts) for x in lasts]),
    )
