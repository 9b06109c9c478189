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

A report's judgement depends only on reports filed before it, so there is one result: every
report judged with every earlier report's stops. `sweep` reaches it in one trace per report,
tracing the reports in time order (one process); `settle` from traces made without them (in
several processes, or on Spark), re-tracing every report in which an account it judged was
stopped for an earlier report (and, with `near`, every report with a verify order close to a
stop once a stop was added before it: the stops of its accounts' payers weigh too,
`chaincut.trace.chain`) until nothing changes (evidence only adds points, so the stops only
grow and the passes end). Both give the same result whatever the order of report ids or
the number of workers.
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
#: trace one report with these stops known; its JSON object
TraceWith = Callable[[str, StopsByAccount], dict[str, Any]]

EMERGENCY_STOP = "emergency_stop"


def stops_of(
    results: Mapping[str, Mapping[str, Any]], times: Mapping[str, Micros]
) -> dict[str, list[tuple[Micros, str]]]:
    """The emergency stops of every report's JSON object (`report_json`), by account."""
    out: dict[str, list[tuple[Micros, str]]] = {}
    for rid, obj in results.items():
        _add(out, obj, times[rid])
    for v in out.values():
        v.sort()
    return out


def _add(stops: dict[str, list[tuple[Micros, str]]], obj: Mapping[str, Any], at: Micros) -> None:
    for o in obj.get("freeze", ()):
        if o.get("kind") == EMERGENCY_STOP:
            stops.setdefault(str(o["account_id"]), []).append((at, str(obj["report_id"])))


def sweep(times: Mapping[str, Micros], trace: TraceWith) -> dict[str, dict[str, Any]]:
    """Every report of `times` traced once, in time order (then id), with the stops of the
    reports before it; the JSON objects by report id."""
    stops: dict[str, list[tuple[Micros, str]]] = {}
    results: dict[str, dict[str, Any]] = {}
    for rid in sorted(times, key=lambda r: (times[r], r)):
        obj = results[rid] = trace(rid, stops)
        _add(stops, obj, times[rid])  # appended in (time, id) order: the lists stay sorted
    return results


def earlier(stops: StopsByAccount, account_id: str, before: tuple[Micros, str]) -> tuple[str, ...]:
    """The reports filed before `before` (time, report id) whose trace stopped the account."""
    got = stops.get(account_id, ())
    return tuple(rid for _, rid in got[: bisect_left(got, before)])


def earlier_times(
    stops: StopsByAccount, account_id: str, before: tuple[Micros, str]
) -> tuple[Micros, ...]:
    """The times of the reports filed before `before` whose trace stopped the account."""
    got = stops.get(account_id, ())
    return tuple(ts for ts, _ in got[: bisect_left(got, before)])


def _judged(obj: Mapping[str, Any]) -> set[str]:
    orders = [*obj.get("freeze", ()), *obj.get("verify", ())]
    return {str(o["account_id"]) for o in orders if o.get("score") is not None}


def settle(
    results: dict[str, dict[str, Any]],
    times: Mapping[str, Micros],
    retrace: Retrace,
    near: float | None = None,
) -> dict[str, dict[str, Any]]:
    """Re-trace (in place) the reports whose judged accounts were stopped for earlier reports,
    until every report was judged with all such stops; returns `results`. With `near` (a
    score), a report with a verify order scoring that much or more is also re-traced whenever
    a stop was added for a report filed before it: the stops of the accounts that paid its
    accounts weigh too (`chaincut.trace.chain`), and only such orders can change by them."""
    known: dict[str, tuple[frozenset[tuple[str, str]], int]] = {
        rid: (frozenset(), 0) for rid in results
    }
    while True:
        stops = stops_of(results, times)
        every = sorted(k for v in stops.values() for k in v)
        todo = []
        for rid, obj in results.items():
            key = (times[rid], rid)
            now = frozenset((a, r) for a in _judged(obj) for r in earlier(stops, a, key))
            # stops only grow: their count before this report says whether any was added (a
            # report with no close verify order keeps the count it was last traced with)
            close = near is not None and _near(obj, near)
            before = bisect_left(every, key) if close else known[rid][1]
            if (now, before) != known[rid]:
                known[rid] = (now, before)
                todo.append(rid)
        if not todo:
            return results
        results.update(retrace(sorted(todo), stops))


def _near(obj: Mapping[str, Any], floor: float) -> bool:
    return any(o.get("score") is not None and o["score"] >= floor for o in obj.get("verify", ()))
