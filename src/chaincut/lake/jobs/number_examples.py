"""Example records behind a number's or a device's score: the evidence an analyst shows.

For the numbers (or IMEIs) in a small table of ids, up to `k` records per kind of evidence, the
earliest first (ties by id, so every engine picks the same ones):

| kind | numbers | devices |
|---|---|---|
| `out` | calls it made | calls made with it |
| `unanswered` | its calls nobody answered | the same, from the device |
| `answered_in` | calls it received and answered | |
| `short` | its answered calls under 30 s | the same, from the device |
| `imei` | its first call with each IMEI | its first call with each SIM |
| `device` | calls other SIMs made with its IMEIs | |
| `sync` | its calls in hours a peer in sync called from its cell | its SIMs' such calls |
| `sync_peer` | the peers' calls in those hours | |
| `victim` | calls and messages to people who later reported fraud | calls from it to them |
| `msg_out` | messages it sent | |
| `site` | | the first call of each other reused IMEI at its busiest cell, made there |
"""

from __future__ import annotations

from typing import Final

import ibis
import ibis.expr.types as ir

from chaincut.lake.jobs.device_features import reused_devices, top_cells
from chaincut.lake.jobs.number_features import SHORT_SECONDS
from chaincut.lake.jobs.number_sync import sync_pairs
from chaincut.lake.jobs.number_victims import victim_contacts, victim_phones

DEFAULT_EXAMPLES: Final = 3
_COLUMNS: Final = ("id", "kind", "event_id", "ts")


def _pick(rows: ir.Table, k: int) -> ir.Table:
    """The first `k` rows per (`id`, `kind`) by (`ts`, `event_id`)."""
    rank = ibis.row_number().over(group_by=[rows.id, rows.kind], order_by=[rows.ts, rows.event_id])
    ranked = rows.mutate(rank=rank)
    return ranked.filter(ranked.rank < k).select(*_COLUMNS)


def _calls(c: ir.Table, id_column: str, kind: str) -> ir.Table:
    return c.select(id=c[id_column], kind=ibis.literal(kind), event_id=c.call_id, ts=c.ts)


def _first_per(c: ir.Table, id_column: str, by: str, kind: str) -> ir.Table:
    """Each id's first call per distinct value of `by` (an IMEI, a SIM)."""
    rank = ibis.row_number().over(group_by=[c[id_column], c[by]], order_by=[c.ts, c.call_id])
    firsts = c.mutate(rank=rank)
    return _calls(firsts.filter(firsts.rank == 0), id_column, kind)


def _sync_calls(calls: ir.Table, ids: ir.Table, id_column: str) -> tuple[ir.Table, ir.Table]:
    """(calls of the ids in hours shared with a peer in sync, the peers' calls in those hours)."""
    pairs = sync_pairs(calls).select("number", "peer", "cell_id")
    c = calls.filter(calls.cell_id.notnull()).mutate(window_start=calls.ts.truncate("h"))
    if id_column == "imei":  # a device's SIMs stand for it
        sims = c.filter(c.imei.notnull()).select(sim=c.caller, owner=c.imei).distinct()
        sims = sims.join(ids, sims.owner == ids.id).select("sim", "owner")
    else:
        sims = ids.select(sim=ids.id, owner=ids.id)
    mine = c.join(sims, c.caller == sims.sim).join(
        pairs, [c.caller == pairs.number, c.cell_id == pairs.cell_id]
    )
    mine = mine.select(
        "owner", "call_id", "ts", "peer", window=mine.window_start, cell=mine.cell_id
    )
    theirs = c.select(
        peer_number=c.caller, peer_cell=c.cell_id, peer_window=c.window_start,
        peer_call=c.call_id, peer_ts=c.ts,
    )  # fmt: skip
    both = mine.join(
        theirs,
        [
            mine.peer == theirs.peer_number,
            mine.cell == theirs.peer_cell,
            mine.window == theirs.peer_window,
        ],
    )
    own = both.select(id=both.owner, kind=ibis.literal("sync"), event_id=both.call_id, ts=both.ts)
    peer = both.select(
        id=both.owner, kind=ibis.literal("sync_peer"), event_id=both.peer_call, ts=both.peer_ts
    )
    return own.distinct(), peer.distinct()


def number_examples(
    calls: ir.Table,
    messages: ir.Table,
    persons: ir.Table,
    reports: ir.Table,
    numbers: ir.Table,
    k: int = DEFAULT_EXAMPLES,
) -> ir.Table:
    """Up to `k` example records per number of `numbers` (a table with column `id`) and kind.

    Columns: `id` (the number), `kind`, `event_id` (a call_id, or a msg_id for messages it
    sent and victim messages), `ts`.
    """
    ids = numbers.select("id").distinct()
    c = calls.join(ids, calls.caller == ids.id)
    d = c.duration_s
    got = calls.join(ids, calls.callee == ids.id)
    sync_own, sync_peer = _sync_calls(calls, ids, "number")
    used = c.filter(c.imei.notnull()).select(owner=c.caller, used_imei=c.imei).distinct()
    shared = calls.join(used, [calls.imei == used.used_imei, calls.caller != used.owner])
    victims = victim_contacts(calls, messages, victim_phones(reports, persons))
    victims = victims.join(ids, victims.number == ids.id)
    sent = messages.join(ids, messages.sender == ids.id)
    parts = [
        _calls(c, "caller", "out"),
        _calls(c.filter(d == 0), "caller", "unanswered"),
        _calls(got.filter(got.duration_s > 0), "callee", "answered_in"),
        _calls(c.filter((d > 0) & (d < SHORT_SECONDS)), "caller", "short"),
        _first_per(c.filter(c.imei.notnull()), "caller", "imei", "imei"),
        _calls(shared, "owner", "device"),
        sync_own,
        sync_peer,
        victims.select(id=victims.number, kind=ibis.literal("victim"), event_id=victims.event_id,
                       ts=victims.ts),
        sent.select(id=sent.sender, kind=ibis.literal("msg_out"), event_id=sent.msg_id,
                    ts=sent.ts),
    ]  # fmt: skip
    return _pick(ibis.union(*parts, distinct=False), k)


def device_examples(
    calls: ir.Table,
    messages: ir.Table,
    persons: ir.Table,
    reports: ir.Table,
    devices: ir.Table,
    k: int = DEFAULT_EXAMPLES,
) -> ir.Table:
    """Up to `k` example calls per IMEI of `devices` (a table with column `id`) and kind.

    Columns: `id` (the IMEI), `kind`, `event_id` (a call_id), `ts`.
    """
    ids = devices.select("id").distinct()
    c = calls.join(ids, calls.imei == ids.id)
    d = c.duration_s
    sync_own, _ = _sync_calls(calls, ids, "imei")
    victims = victim_contacts(calls, messages, victim_phones(reports, persons))
    victims = victims.filter(victims.kind == "call").select("event_id", "ts")
    v = c.join(victims, c.call_id == victims.event_id)
    parts = [
        _calls(c, "imei", "out"),
        _calls(c.filter(d == 0), "imei", "unanswered"),
        _calls(c.filter((d > 0) & (d < SHORT_SECONDS)), "imei", "short"),
        _first_per(c, "imei", "caller", "sims"),
        sync_own,
        v.select(id=v.imei, kind=ibis.literal("victim"), event_id=v.call_id, ts=v.ts),
        _site_calls(calls, ids),
    ]
    return _pick(ibis.union(*parts, distinct=False), k)


def _site_calls(calls: ir.Table, ids: ir.Table) -> ir.Table:
    """Per IMEI of `ids`, the first call from its busiest cell of each other reused IMEI
    (`reused_devices`) whose busiest cell it is too: the box's rotation and swaps it sits
    beside."""
    top = top_cells(calls)
    mine = ids.join(top, ids.id == top.imei).select(id=ibis._.id, cell=ibis._.cell_id)
    reused = reused_devices(calls).join(top, "imei").select(peer=ibis._.imei, at=ibis._.cell_id)
    nb = mine.join(reused, [mine.cell == reused.at, mine.id != reused.peer])
    c = calls.join(nb, [calls.imei == nb.peer, calls.cell_id == nb.cell])
    c = c.select("id", "peer", "call_id", "ts")
    return _first_per(c, "id", "peer", "site")
