"""Benchmark: one report joining its gang live, as the service does it for a report filed after
the last `chaincut gangs` (`chaincut.services.gang_join`), over the reports of an imported world.

The world's evidence is collected once. For each report R (in id order, up to `--reports`) the
link graph is first built and grouped without R (untimed: the graph a run made before R was
filed would save, written to a scratch home with the gangs), then the live join is timed as
the service runs it:

- `load`: the saved graph and gangs read from the home;
- `lake`: R's evidence gathered from the lake (`gangs.filed.report_evidence`; its trace is the
  filing's, already made, as at `POST /v1/reports`);
- `join`: `incremental.live_join` (the graph built from the saved rows and R's, the parts it
  touches grouped again, the gangs made);
- `save`: the gangs and the graph written back.

`agree` counts the reports whose live gang holds the same reports as a full rebuild's
(`analyse` over the whole evidence). Prints one JSON object: p50 / p95 / max per phase (ms).

    .venv/bin/python benchmarks/bench_gang_join.py --home HOME [--reports 200]
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from chaincut.gangs import Evidence, analyse, collect, persist
from chaincut.gangs.build import build_graph
from chaincut.gangs.community import communities
from chaincut.gangs.filed import report_evidence
from chaincut.gangs.incremental import live_join
from chaincut.gangs.people import resolve
from chaincut.gangs.saved import SavedGraph, load_graph, save_graph
from chaincut.lake.engine import get_engine
from chaincut.settings import Settings


def _without(ev: Evidence, report_id: str) -> Evidence:
    out = copy.copy(ev)
    for name in ("reports", "transfers", "traces"):
        setattr(out, name, [r for r in getattr(ev, name) if r["report_id"] != report_id])
    return out


def _figures(values: list[float]) -> dict[str, float]:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return {"p50": round(statistics.median(ms), 1), "p95": round(p95, 1), "max": round(ms[-1], 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, required=True, help="a home with an imported lake")
    ap.add_argument("--reports", type=int, default=200, help="how many reports to join")
    args = ap.parse_args()
    with get_engine(Settings(home=args.home)) as engine:
        started = time.perf_counter()
        ev = collect(engine)
        generation = engine.generation()
        links = resolve(ev.persons, seed=0)
        full = [g.detail() for g in analyse(ev, links=links).gangs]
        rebuilt = {r: set(g["reports"]) for g in full for r in g["reports"]}
        setup_s = time.perf_counter() - started
        t = engine.tables(["reports"])["reports"]
        rows = {
            str(r["report_id"]): r for r in engine.execute(t, label="bench reports").to_pylist()
        }
        traces = {tr["report_id"]: tr for tr in ev.traces}
        phases: dict[str, list[float]] = {k: [] for k in ("load", "lake", "join", "save", "total")}
        agree = 0
        held = sorted(rows)[: args.reports]
        with tempfile.TemporaryDirectory(prefix="gangsvc6-bench-") as scratch:
            home = Path(scratch)
            for report_id in held:
                before = _without(ev, report_id)
                weights = build_graph(before, links).weighted()
                save_graph(
                    home, SavedGraph(generation, before, links, communities(weights), weights)
                )
                # (the saved gangs are only read back here: the rebuild's are as large)
                persist.save(home, full)
                ticks = [time.perf_counter()]
                saved, _ = load_graph(home), persist.load(home)
                if saved is None:
                    raise SystemExit(f"the graph saved in {home} did not read back")
                ticks.append(time.perf_counter())
                extra = report_evidence(
                    engine, rows[report_id], traces.get(report_id), saved.evidence
                )
                ticks.append(time.perf_counter())
                after, gangs = live_join(saved, extra)
                ticks.append(time.perf_counter())
                persist.save(home, [g.detail() for g in gangs])
                save_graph(home, after)
                ticks.append(time.perf_counter())
                for k, name in enumerate(("load", "lake", "join", "save")):
                    phases[name].append(ticks[k + 1] - ticks[k])
                phases["total"].append(ticks[-1] - ticks[0])
                mine = next((set(g.reports) for g in gangs if report_id in g.reports), set())
                agree += mine == rebuilt.get(report_id, set())
    out: dict[str, Any] = {
        "reports": len(held),
        "evidence_rows": sum(len(v) for v in vars(ev).values()),
        "setup_s": round(setup_s, 1),
        "agree_with_rebuild": agree,
        **{f"{k}_ms": _figures(v) for k, v in phases.items()},
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
