"""Reports grouped first: two regroupings of the gang analysis's reports, held against the truth.

docs/gangs.md "Round fifteen: grouping". For each training world (built and imported as
`gang_ties.py` does), the gang analysis runs in-process (`analyse`, seed 0: the product's
grouping) and its reports are regrouped two ways, each scored by report-pair F1 and precision:

- Candidate A, a report-to-report graph: each report reaches the nodes within `--hops` links
  of it through nodes that are not shared infrastructure (score below one half, as the
  grouping) and not other reports; two reports are tied by every node both reach, each node
  weighing 1 / (reports reaching it - 1) (a number, card or den cell of one gang counts fully,
  the contact mesh and a dealer serving many gangs count little), times `decay` per link past
  the first on either side. Leiden (modularity, the resolutions given) groups the reports.
- Candidate B, consensus: `analyse` with seeds 0..runs-1; two reports go together where at
  least k of the runs put them in one gang.

Training seeds only (below 1000): never choose anything on evaluation seeds.

    python benchmarks/report_groups.py --dir /tmp/rg --foreign 920-924 --simulate 920-924
        [--size tiny|small] [--reuse] [--hops 2,3] [--runs 7]
"""

from __future__ import annotations

import argparse
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from itertools import combinations
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from gang_ties import build, training_worlds, world_options

REPORT = "report:"


def pair_figures(groups: Iterable[Iterable[str]], truth: list[Any]) -> tuple[float, float]:
    """Report-pair F1 and precision of `groups` (report ids) against the truth, as
    `chaincut.gangs.evaluate.evaluate` gives them for the product's gangs."""
    from chaincut.gangs.evaluate import evaluate

    gangs = [SimpleNamespace(gang_id=f"G{i}", reports=list(g), members=[])
             for i, g in enumerate(groups)]  # fmt: skip
    figures = evaluate(gangs, truth)  # type: ignore[arg-type]
    return figures["report_pair_f1"], figures["report_pair_precision"]


def reached(
    edges: Iterable[tuple[str, str]], infra: Mapping[str, float], hops: int
) -> dict[str, dict[str, int]]:
    """Each report node -> the nodes within `hops` links of it (and how many links), walking
    through nodes below one half of shared infrastructure and never through another report."""
    adj: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        if infra.get(a, 0.0) < 0.5 and infra.get(b, 0.0) < 0.5:
            adj[a].add(b)
            adj[b].add(a)
    out: dict[str, dict[str, int]] = {}
    for r in sorted(n for n in set(adj) | set(infra) if n.startswith(REPORT)):
        dist = {r: 0}
        queue = deque([r])
        while queue:
            n = queue.popleft()
            if dist[n] >= hops:
                continue
            for m in sorted(adj[n]):
                if m not in dist:
                    dist[m] = dist[n] + 1
                    if not m.startswith(REPORT):
                        queue.append(m)
        out[r] = {n: d for n, d in dist.items() if not n.startswith(REPORT)}
    return out


def report_ties(got: Mapping[str, Mapping[str, int]], decay: float) -> dict[tuple[str, str], float]:
    """Candidate A's report-to-report weights (see the module's docstring)."""
    touch: dict[str, list[str]] = defaultdict(list)
    for r in sorted(got):
        for n in got[r]:
            touch[n].append(r)
    out: dict[tuple[str, str], float] = defaultdict(float)
    for n, reports in touch.items():
        if len(reports) < 2:
            continue
        specific = 1.0 / (len(reports) - 1)
        for a, b in combinations(reports, 2):
            out[(a, b)] += specific * decay ** (got[a][n] + got[b][n] - 2)
    return dict(out)


def leiden_reports(
    reports: list[str], ties: Mapping[tuple[str, str], float], resolution: float
) -> list[list[str]]:
    """The reports (ids, without the node kind) grouped by Leiden on `ties`, seed 0."""
    from graspologic_native import leiden

    edges = [(a, b, w) for (a, b), w in sorted(ties.items()) if w > 0]
    label: dict[str, Any] = {}
    if edges:
        _, part = leiden(edges, resolution=resolution, seed=0, use_modularity=True,
                         iterations=2, trials=3)  # fmt: skip
        label = {str(k): int(v) for k, v in part.items()}
    groups: dict[Any, list[str]] = defaultdict(list)
    for i, r in enumerate(reports):
        groups[label.get(r, f"alone {i}")].append(r[len(REPORT) :])
    return list(groups.values())


def consensus(runs: list[list[list[str]]], agree: int) -> list[list[str]]:
    """Candidate B: reports together where at least `agree` of the runs' groupings put them."""
    from scipy.cluster.hierarchy import DisjointSet

    together: dict[tuple[str, str], int] = defaultdict(int)
    for groups in runs:
        for g in groups:
            for a, b in combinations(sorted(g), 2):
                together[(a, b)] += 1
    ds: DisjointSet[str] = DisjointSet(sorted({r for gs in runs for g in gs for r in g}))
    for (a, b), n in sorted(together.items()):
        if n >= agree:
            ds.merge(a, b)
    return [sorted(s) for s in ds.subsets()]


def one_world(
    world: Path, home: Path, hops: list[int], runs: int
) -> dict[str, tuple[float, float]]:
    """Every variant's (F1, precision) on one imported world; "main" is the product's."""
    from chaincut.gangs import analyse, collect
    from chaincut.gangs.evaluate import read_truth
    from chaincut.lake.engine import get_engine
    from chaincut.settings import load_settings

    with get_engine(load_settings(home)) as lake:
        ev = collect(lake)
    truth = read_truth(world)
    analyses = [analyse(ev, seed=s) for s in range(runs)]
    graph = analyses[0].graph
    out = {"main": pair_figures((g.reports for g in analyses[0].gangs), truth)}
    pairs = [(e.a, e.b) for e in graph.edges]
    for h in hops:
        got = reached(pairs, graph.infra, h)
        reports = sorted(got)
        for decay in (1.0, 0.5):
            ties = report_ties(got, decay)
            for res in (0.3, 1.0):
                groups = leiden_reports(reports, ties, res)
                out[f"A hops {h} decay {decay} res {res}"] = pair_figures(groups, truth)
    per = [[g.reports for g in a.gangs] for a in analyses]
    for agree in sorted({runs, (runs + 1) // 2, 1}, reverse=True):
        out[f"B {agree} of {runs}"] = pair_figures(consensus(per, agree), truth)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    world_options(ap, "920-924")
    ap.add_argument("--hops", default="2,3", help="Candidate A's reach, as 2,3")
    ap.add_argument("--runs", type=int, default=7, help="Candidate B's analyse runs (seeds)")
    args = ap.parse_args(argv)
    worlds = training_worlds(args, ap)
    hops = [int(h) for h in args.hops.split(",")]
    table: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    for kind, seed in worlds:
        world, home = build(args.dir, kind, seed, args.size, args.reuse)
        for name, (f1, precision) in one_world(world, home, hops, args.runs).items():
            table[name].append((world.name, f1, precision))
        main_f1, main_p = table["main"][-1][1:]
        print(f"{world.name}: main {main_f1:.2f} ({main_p:.2f})", flush=True)
    for name, rows in table.items():
        mean_f1 = sum(r[1] for r in rows) / len(rows)
        mean_p = sum(r[2] for r in rows) / len(rows)
        each = " ".join(f"{w}={f:.2f}({p:.2f})" for w, f, p in rows)
        print(f"{name}: mean F1 {mean_f1:.3f} precision {mean_p:.3f} | {each}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
