"""A new report joins its gang without recomputing the graph.

The last analysis lists each gang's accounts with their roles. A report filed since then joins
the gang whose accounts its money reached (the accounts its fraud transfers paid and the ones
its freeze orders name), weighted by each member's confidence; with none in common it starts
a gang of its own at the next full run. Shared infrastructure is never a member, so it never
joins a report to a gang. A full rebuild (`chaincut gangs`) gives the same group whenever the
report's money reached a gang's cards.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: how much member confidence the report's accounts must share with a gang to join it
MIN_SHARED = 0.5


def join(
    gangs: list[dict[str, Any]], report_id: str, accounts: Iterable[str]
) -> dict[str, Any] | None:
    """The gang (as saved, plus `joined`: the report and the shared accounts) that the report
    whose money reached `accounts` belongs to; None when it shares no member with any gang."""
    reached = set(accounts)
    best: tuple[float, str, dict[str, Any], list[str]] | None = None
    for g in gangs:
        if report_id in g["reports"]:
            return g
        shared = [m for m in g["members"] if m["kind"] == "account" and m["id"] in reached]
        weight = sum(float(m["confidence"]) for m in shared)
        if weight >= MIN_SHARED and (best is None or (weight, g["gang_id"]) > best[:2]):
            best = (weight, g["gang_id"], g, sorted(m["id"] for m in shared))
    if best is None:
        return None
    out = dict(best[2])
    out["joined"] = {"report_id": report_id, "shared_accounts": best[3]}
    return out
