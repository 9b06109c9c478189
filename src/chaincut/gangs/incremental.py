"""A new report joins its gang without recomputing the graph.

The last analysis lists each gang's accounts with their roles. A report filed since then joins
the gang whose accounts its money reached (the accounts its fraud transfers paid and the ones
its freeze orders name), weighted by each member's confidence; with none in common it starts
a gang of its own at the next full run. Shared infrastructure is never a member, so it never
joins a report to a gang. A full rebuild (`chaincut gangs`) gives the same group whenever the
report's money reached a gang's cards.

`regroup` is the exact form: the new report's edges added to the link graph and only the
connected parts they touch grouped again, which gives the groups a full rebuild gives.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from chaincut.gangs.community import communities, components

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


def regroup(
    groups: list[list[str]],
    weights: dict[tuple[str, str], float],
    changed: dict[tuple[str, str], float],
    *,
    seed: int = 0,
) -> list[list[str]]:
    """The groups of the link graph `weights` (grouped as `groups`) once a new report's
    edges change it by `changed` (pair -> weight to add; negative where the report made a
    node look more like shared infrastructure), recomputing only the connected parts the
    change touches and the groups overlapping them: the other groups stay as they were.
    Community detection runs on each connected part alone (`community.communities`), so this
    gives exactly the groups a full rebuild gives."""
    merged = dict(weights)
    for pair, w in changed.items():
        merged[pair] = merged.get(pair, 0.0) + w
    merged = {pair: w for pair, w in merged.items() if w > 1e-12}
    parts = components(merged)
    redo = {n for pair, w in changed.items() if w != 0 for n in pair}
    while True:  # the parts and old groups the change reaches, to a fixed point
        grown = set(redo)
        grown.update(n for g in groups if redo.intersection(g) for n in g)
        grown.update(n for p in parts if grown.intersection(p) for n in p)
        if grown == redo:
            break
        redo = grown
    local = {pair: w for pair, w in merged.items() if pair[0] in redo or pair[1] in redo}
    kept = [g for g in groups if not redo.intersection(g)]
    return sorted(kept + communities(local, seed=seed), key=lambda g: (-len(g), g[0]))
