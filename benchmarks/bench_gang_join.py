"""Benchmark: one report joining its gang live, as the service does it for a report filed after
the last `chaincut gangs` (`chaincut.services.gang_join`), over the reports of an imported world.

The world's evidence is collected once. For each report R (in id order, up to `--reports`) the
link graph is first built and grouped without R (untimed: the graph a run made before R was
filed would save, held in memory as the service holds it after a join: with the parts of the
graph `build_graph` reuses, its `memo`), then the live join is timed as the service runs it:

- `lake`: R's evidence gathered from the lake (`gangs.filed.report_evidence`; its trace is the
  filing's, already made, as at `POST /v1/reports`);
- `join`: `incremental.live_join` (the graph built from the saved rows and R's, the contact
  edges reused where R changes none of their inputs, the parts it touches grouped again, the
  gangs made);
- `save`: the gangs written and the join appended to the graph's journal.

Once, for the whole graph: `base_save` (what `chaincut gangs` adds to write it) and
`cold_load` (the service's first read of it, or after another process changed it).
`cpu` is the process's CPU time over the three (DuckDB's threads included): on a shared
machine the figure to compare. `agree` counts the reports whose live gang holds the same reports as a full rebuild's
(`analyse` over the whole evidence). Prints one JSON object: p50 / p90 / p95 / max per phase
(ms).

    .venv/bin/python benchmarks/bench_gang_join.py --home HOME [--reports 200] [--cold] [--profile N]
        [--after-join]

`--after-join` times each join as the service's join after another join: the state the join
before leaves (the gangs of the graph without R made once, untimed: the numbers' contacts and
the gangs `live_join` keeps between joins), where by default the join follows the analysis.

`--profile N` also prints to stderr the N functions of `live_join` that took the most time
summed over the joins (cProfile, cumulative seconds): where a join's CPU goes, step by step.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import io
import json
import pstats
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from chaincut.gangs import Evidence, analyse, collect, persist
from chaincut.gangs.build import build_graph
from chaincut.gangs.community import communities
from chaincut.gangs.filed import report_evidence
from chaincut.gangs.incremental import gangs_of, live_join
from chaincut.gangs.people import resolve
from chaincut.gangs.saved import (
    JOURNAL,
    SavedGraph,
    append_join,
    graph_path,
    load_graph,
    save_graph,
)
from chaincut.lake.engine import get_engine
from chaincut.settings import Settings


def _without(ev: Evidence, report_id: str) -> Evidence:
    out = copy.copy(ev)
    for name in ("reports", "transfers", "traces"):
        setattr(out, name, [r for r in getattr(ev, name) if r["report_id"] != report_id])
    return out


def _mine(gangs: list[Any], report_id: str) -> set[str]:
    """The reports of the gang holding `report_id` (a `Gang` or its saved object)."""
    for g in gangs:
        reports = g["reports"] if isinstance(g, dict) else g.reports
        if report_id in reports:
            return set(reports)
    return set()


def _partition(gangs: list[Any]) -> set[frozenset[str]]:
    """Every gang's reports: two groupings are the same where these are."""
    return {frozenset(g["reports"] if isinstance(g, dict) else g.reports) for g in gangs}


def _state(
    before: Evidence,
    links: list[Any],
    generation: int,
    groups: list[list[str]] | None,
    args: argparse.Namespace,
) -> SavedGraph:
    """The saved state a join of R starts from: the graph without R built and grouped (the
    grouping `groups` where made already), with what the service holds in memory."""
    memo: dict[str, Any] = {}  # what the service holds from the join before R's
    graph = build_graph(before, links, memo=None if args.cold else memo)
    weights = graph.weighted()
    grouped = communities(weights) if groups is None else [list(g) for g in groups]
    saved = SavedGraph(generation, before, links, grouped, weights)
    if args.after_join and not args.cold:  # (what `live_join` leaves in `memo`)
        memo["gangs_links"], memo["gangs_cases"] = links, None
        gangs_of(saved.groups, before, graph, memo)
    saved.memo = memo
    return saved


def _figures(values: list[float]) -> dict[str, float]:
    ms = sorted(v * 1000 for v in values)
    p90, p95 = (ms[min(len(ms) - 1, round(q * (len(ms) - 1)))] for q in (0.90, 0.95))
    return {"p50": round(statistics.median(ms), 1), "p90": round(p90, 1), "p95": round(p95, 1),
            "max": round(ms[-1], 1)}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, required=True, help="a home with an imported lake")
    ap.add_argument("--reports", type=int, default=200, help="how many reports to join")
    ap.add_argument("--cold", action="store_true",
                    help="each join the first after the graph was read (nothing kept from the "
                         "join before)")  # fmt: skip
    ap.add_argument("--after-join", action="store_true",
                    help="each join after a join (the service's usual case): the gangs of the "
                         "graph without the report made beforehand, untimed, as the join "
                         "before leaves them in memory")  # fmt: skip
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="print the N costliest functions of the joins (cProfile) to stderr")  # fmt: skip
    args = ap.parse_args()
    profiler = cProfile.Profile() if args.profile else None
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
        partition = _partition(full)
        agree = whole = agree_exact = whole_exact = 0
        paths: Counter[str] = Counter()
        held = sorted(rows)[: args.reports]
        names = ("lake", "join", "save", "total", "cpu", "cpu_join", "cpu_exact")
        phases: dict[str, list[float]] = {k: [] for k in names}
        with tempfile.TemporaryDirectory(prefix="chaincut-bench-") as scratch:
            home = Path(scratch)
            weights = build_graph(ev, links).weighted()
            base = SavedGraph(generation, ev, links, communities(weights), weights)
            ticks = [time.perf_counter()]
            save_graph(home, base)
            ticks.append(time.perf_counter())
            if load_graph(home) is None:
                raise SystemExit(f"the graph saved in {home} did not read back")
            ticks.append(time.perf_counter())
            once = {"base_save_s": round(ticks[1] - ticks[0], 2),
                    "cold_load_s": round(ticks[2] - ticks[1], 2),
                    "graph_mb": round(graph_path(home).stat().st_size / 2**20, 1)}  # fmt: skip
            for n, report_id in enumerate(held):
                before = _without(ev, report_id)
                grouped: list[list[str]] | None = None
                # the exact join first (the baseline: its CPU), then the quick one timed,
                # each from the same state made afresh
                for exact in (True, False):
                    saved = _state(before, links, generation, grouped, args)
                    grouped = saved.groups
                    if exact:
                        extra = report_evidence(
                            engine, rows[report_id], traces.get(report_id), before
                        )
                        cpu = time.process_time()
                        _, gangs = live_join(saved, extra)
                        phases["cpu_exact"].append(time.process_time() - cpu)
                        agree_exact += _mine(gangs, report_id) == rebuilt.get(report_id, set())
                        whole_exact += _partition(gangs) == partition
                (home / JOURNAL).unlink(missing_ok=True)
                cpu = time.process_time()
                ticks = [time.perf_counter()]
                extra = report_evidence(engine, rows[report_id], traces.get(report_id), before)
                ticks.append(time.perf_counter())
                if profiler is not None:
                    profiler.enable()
                cpu_join = time.process_time()
                after, gangs = live_join(saved, extra, quick=True)
                phases["cpu_join"].append(time.process_time() - cpu_join)
                if profiler is not None:
                    profiler.disable()
                paths[str(saved.memo.get("grouped"))] += 1
                ticks.append(time.perf_counter())
                persist.save(home, [g.detail() for g in gangs])
                append_join(home, extra, after)
                ticks.append(time.perf_counter())
                for k, name in enumerate(("lake", "join", "save")):
                    phases[name].append(ticks[k + 1] - ticks[k])
                phases["total"].append(ticks[-1] - ticks[0])
                phases["cpu"].append(time.process_time() - cpu)
                agree += _mine(gangs, report_id) == rebuilt.get(report_id, set())
                whole += _partition(gangs) == partition
                print(f"{n + 1}/{len(held)} {report_id} {phases['total'][-1]:.3f} s",
                      file=sys.stderr, flush=True)  # fmt: skip
    out: dict[str, Any] = {
        "reports": len(held),
        "evidence_rows": sum(len(v) for v in vars(ev).values()),
        "setup_s": round(setup_s, 1),
        **once,
        "agree_with_rebuild": agree,
        "same_gangs_as_rebuild": whole,
        "exact_agree_with_rebuild": agree_exact,
        "exact_same_gangs_as_rebuild": whole_exact,
        "paths": dict(sorted(paths.items())),
        **{f"{k}_ms": _figures(v) for k, v in phases.items()},
    }
    print(json.dumps(out))
    if profiler is not None:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(args.profile)
        print(text.getvalue(), file=sys.stderr)


if __name__ == "__main__":
    main()
