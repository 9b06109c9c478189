"""Stops already issued for other victims' reports: evidence for the judge in later reports.

A rented card keeps its owner's ordinary life: money stays for days, the card is years old,
and one victim's payment is a small part of what it receives. Judged on one report alone it
looks like the landlord PRODUCT.md rules out freezing. But the chain uses it again and again,
and when the judge has already stopped it for an earlier report (another victim's money
reached it and, on that report's evidence, it belonged to the chain), a later report that
reaches it has that stop as evidence an analyst can check: the earlier report, its order.
The judge (`chaincut.trace.bystander`) weighs it where the ledger offers
`earlier_stops(account_id, before)`: the reports filed before `before` (report time, report
id) whose trace stopped the account. `ScoredLedger(ledger, scores, stops=...)` offers it.

`trace --all` (`settle`) traces every report, collects the emergency stops, re-traces every
report in which an account it judged was stopped for an earlier report, and repeats until
nothing changes. Evidence only adds points, so the stops only grow and the passes end; the
result does not depend on the order of the reports or the number of workers, and a report
is always judged with every earlier stop that touches its accounts.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from chaincut.trace.model import Micros

#: the stops of each account: (report time, report id), sorted
StopsByAccount = Mapping[str, Sequence[tuple[Micros, str]]]
#: re-trace these reports with these stops known; their new JSON objects by report id
Retrace = Callable[[list[str], StopsByAccount], dict[str, dict[str, Any]]]

EMERGENCY_STOP = "emergency_stop"


def stops_of(
    results: Mapping[str, Mapping[str, Any]], times: Mapping[str, Micros]
) -> dict[str, list[tuple[Micros, str]]]:
    """The emergency stops of every report's JSON object (`report_json`), by account."""
    out: dict[str, list[tuple[Micros, str]]] = {}
    for rid, obj in results.items():
        for o in obj.get("freeze", ()):
            if o.get("kind") == EMERGENCY_STOP:
                out.setdefault(str(o["account_id"]), []).append((times[rid], rid))
    for v in out.values():
        v.sort()
    return out


def earlier(stops: StopsByAccount, account_id: str, before: tuple[Micros, str]) -> tuple[str, ...]:
    """The reports filed before `before` (time, report id) whose trace stopped the account."""
    got = stops.get(account_id, ())
    return tuple(rid for _, rid in got[: bisect_left(got, before)])


def _judged(obj: Mapping[str, Any]) -> set[str]:
    orders = [*obj.get("freeze", ()), *obj.get("verify", ())]
    return {str(o["account_id"]) for o in orders if o.get("score") is not None}


def settle(
    results: dict[str, dict[str, Any]], times: Mapping[str, Micros], retrace: Retrace
) -> dict[str, dict[str, Any]]:
    """Re-trace (in place) the reports whose judged accounts were stopped for earlier reports,
    until every report was judged with all such stops; returns `results`."""
    known: dict[str, frozenset[tuple[str, str]]] = {rid: frozenset() for rid in results}
    while True:
        stops = stops_of(results, times)
        todo = []
        for rid, obj in results.items():
            now = frozenset(
                (a, r) for a in _judged(obj) for r in earlier(stops, a, (times[rid], rid))
            )
            if now != known[rid]:
                known[rid] = now
                todo.append(rid)
        if not todo:
            return results
        results.update(retrace(sorted(todo), stops))
