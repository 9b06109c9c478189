"""How often the live join's quick path (`chaincut.gangs.quick`) groups as a full rebuild does,
over the reports of an imported world (docs/gangs.md "Round twelve: speed").

For each report R (in id order, up to `--reports`): the graph without R built and grouped as
a run groups it, then R's edges added and the nodes they touch moved (`quick.place`), and the
gangs made (`incremental.gangs_of`). Prints one JSON line per report: `before_same`, whether
the gangs without R are the full rebuild's without R (where not, one report more moved other
reports between gangs, and no placement of R alone can give the rebuild's gangs: the ceiling);
`quick_same`, whether every gang of the quick join holds the reports the rebuild's does;
`place_ms`, the CPU of the placement.

    python benchmarks/quick_join_agree.py --home HOME [--reports 25]
"""

from __future__ import annotations

import argparse
import copy
import json
import time
from pathlib import Path

from chaincut.gangs import Evidence, collect
from chaincut.gangs.analyse import Gang
from chaincut.gangs.build import build_graph
from chaincut.gangs.community import communities
from chaincut.gangs.incremental import gangs_of
from chaincut.gangs.people import resolve
from chaincut.gangs.quick import changes, place
from chaincut.lake.engine import get_engine
from chaincut.settings import Settings


def _without(ev: Evidence, report_id: str) -> Evidence:
    out = copy.copy(ev)
    for name in ("reports", "transfers", "traces"):
        setattr(out, name, [r for r in getattr(ev, name) if r["report_id"] != report_id])
    return out


def _reports(gangs: list[Gang], leave: str = "") -> set[frozenset[str]]:
    """Every gang's reports (`leave` taken out of each), the empty set left out."""
    return {frozenset(g.reports) - {leave} for g in gangs} - {frozenset()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, required=True, help="a home with an imported lake")
    ap.add_argument("--reports", type=int, default=25, help="how many reports to join")
    args = ap.parse_args()
    with get_engine(Settings(home=args.home)) as engine:
        ev = collect(engine)
    links = resolve(ev.persons, seed=0)
    graph = build_graph(ev, links)
    weights = graph.weighted()
    rebuilt = gangs_of(communities(weights), ev, graph)
    for report_id in sorted(r["report_id"] for r in ev.reports)[: args.reports]:
        before = _without(ev, report_id)
        held = build_graph(before, links)
        kept = held.weighted()
        groups = communities(kept)
        member = {n: k for k, g in enumerate(groups) for n in g}
        cpu = time.process_time()
        placed = place(groups, member, changes(kept, weights), weights)
        ms = (time.process_time() - cpu) * 1000
        line = {
            "world": args.home.name,
            "report": report_id,
            "before_same": _reports(gangs_of(groups, before, held)) == _reports(rebuilt, report_id),
            "quick_same": _reports(gangs_of(placed, ev, graph)) == _reports(rebuilt),
            "place_ms": round(ms, 1),
        }
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
