"""Where the gang's lines stand: the cells their calls went through, and how busy each cell is.

A SIM-box site or a den is a place: the numbers of one den call from the same few cells, so a
cell ties the lines that stand in it (`chaincut.gangs.build`). A cell in a city centre carries
hundreds of honest callers as well; `cell_reach` counts them, so that such a cell is weighed
as shared infrastructure and ties nothing on its own.

Pure Ibis; the engine executes.
"""

from __future__ import annotations

import ibis.expr.types as ir

from chaincut.lake.jobs.link_edges import calls_from


def link_cells(calls: ir.Table, phones: ir.Table) -> ir.Table:
    """The cells the numbers in `phones` (column `phone`) called from: `phone`, `cell`, `n`,
    `first_id`, `last_id` (call ids), `first_ts`, `last_ts`."""
    c = calls_from(calls, phones, "cell_id")
    return c.group_by(phone=c.caller, cell=c.cell_id).aggregate(
        n=c.call_id.count(),
        first_id=c.call_id.min(),
        last_id=c.call_id.max(),
        first_ts=c.ts.min(),
        last_ts=c.ts.max(),
    )


def cell_reach(calls: ir.Table, cells: ir.Table) -> ir.Table:
    """How many different numbers called from each cell of `cells` (column `cell`):
    `cell`, `callers`."""
    want = cells.select(want=cells.cell).distinct()
    c = calls.semi_join(want, calls.cell_id == want.want)
    return c.group_by(cell=c.cell_id).aggregate(callers=c.caller.nunique())
