"""How widely the numbers near a gang reach out, without grouping the whole city's traffic.

`link_edges.phone_reach` groups every call and message by its caller or sender, then the gang
analysis keeps the numbers that reached a reported victim or that several of the chain's
people talk to. `focused_reach` cuts the traffic down to those numbers first (a semi-join on
the caller or sender) and groups only their rows: a number's rows are all kept or all
dropped, so each row it returns is the row `phone_reach` gives for that number. At 10 M
transactions the city has millions of calls and messages and a few thousand such numbers.

Pure Ibis; the engine executes.
"""

from __future__ import annotations

import ibis.expr.types as ir

from chaincut.lake.jobs.link_edges import _pairs


def focused_reach(
    calls: ir.Table, messages: ir.Table, victims: ir.Table, also: ir.Table
) -> ir.Table:
    """`phone_reach(calls, messages, victims)` for the numbers that called or wrote to one of
    `victims` (column `phone`) and the numbers in `also` (column `phone`), and no others:
    `phone`, `contacts`, `victims`."""
    e = _pairs(calls, messages)
    v = victims.select(vphone=victims.phone).distinct()
    reached = e.semi_join(v, e.b == v.vphone).select(phone=e.a)
    wanted = reached.union(also.select(phone=also.phone), distinct=True)
    e = e.semi_join(wanted, e.a == wanted.phone)
    j = e.left_join(v, e.b == v.vphone)
    return j.group_by(phone=j.a).aggregate(
        contacts=j.b.nunique(),
        victims=j.vphone.nunique(),
    )
