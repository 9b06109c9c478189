"""Every split and merge of the grouping on training worlds, with what ties a split gang's halves.

docs/gangs.md "Round fourteen: grouping". For each world (built and imported as
`gang_ties.py` does: `chaincut simulate|foreign-world` then `chaincut import`), the gang
analysis runs in-process and the groups of the link graph holding reports (`Analysis.grouping`,
the communities before the joins) are held against the truth: a truth gang whose reports lie in
two or more groups is a split, a group holding reports of two truth gangs a merge. For each
pair of a split gang's groups it prints the nodes tied to both (the ones that could join them):
the node (the least shared first), its shared-infrastructure score (past 0.5 it takes no part in the grouping), the
group it sits in, the kinds and weights of its edges into each half, and how many of its edges
reach groups of other gangs (a node many gangs share joins nothing). Training seeds only:
never choose anything on evaluation seeds (>= 1000).

    python benchmarks/gang_splits.py --dir /tmp/splits --foreign 980-984 --simulate 980-984
        [--size tiny|small] [--reuse] [--top 8]
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from gang_ties import build, training_worlds, world_options


def analyse_world(world: Path, home: Path) -> tuple[Any, Any, dict[str, Any]]:
    """The analysis, the truth and the figures of one imported world."""
    from chaincut.gangs import analyse, collect
    from chaincut.gangs.evaluate import evaluate, read_truth
    from chaincut.lake.engine import get_engine
    from chaincut.settings import load_settings

    with get_engine(load_settings(home)) as lake:
        evidence = collect(lake)
    analysis = analyse(evidence)
    truth = read_truth(world)
    return analysis, truth, evaluate(analysis.gangs, truth)


def splits(analysis: Any, truth: Any, top: int) -> list[str]:
    """The lines that describe the world's merges and splits (see the module's docstring)."""
    true_of = {f"report:{r}": k for k, t in enumerate(truth) for r in t.reports}
    group_of = {n: i for i, g in enumerate(analysis.grouping) for n in g}
    votes = {i: Counter(true_of[n] for n in g if n in true_of)
             for i, g in enumerate(analysis.grouping)}  # fmt: skip
    gang = {i: c.most_common(1)[0][0] for i, c in votes.items() if c}
    out = [f"  merge: group {i} holds reports of gangs {sorted(c)}"
           for i, c in votes.items() if len(c) > 1]  # fmt: skip
    ties: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    for e in analysis.graph.edges:
        ties[e.a].append((e.b, e.kind, e.weight))
        ties[e.b].append((e.a, e.kind, e.weight))
    infra = analysis.graph.infra
    for t in sorted(set(gang.values())):
        halves = sorted(i for i in gang if gang[i] == t)
        if len(halves) < 2:
            continue
        sizes = ", ".join(f"{i}: {len(analysis.grouping[i])} nodes, {votes[i][t]} reports"
                          for i in halves)  # fmt: skip
        out.append(f"  split: gang {t} in groups {sizes}")
        for x, i in enumerate(halves):
            for j in halves[x + 1 :]:
                both: list[tuple[float, str]] = []
                for n in sorted(ties):
                    into: dict[int, list[str]] = defaultdict(list)
                    for other, kind, w in ties[n]:
                        if group_of.get(other) in (i, j):
                            into[group_of[other]].append(f"{kind} {w:.2f}")
                    if i in into and j in into:
                        away = sum(gang.get(group_of.get(o, -1), t) != t for o, _, _ in ties[n])
                        both.append(
                            (
                                infra.get(n, 0.0),
                                f"    {n} (shared {infra.get(n, 0.0):.2f}, group "
                                f"{group_of.get(n, '-')}, {away} edges to other gangs): "
                                f"{'; '.join(into[i][:3])} | {'; '.join(into[j][:3])}",
                            )
                        )
                out.append(f"   groups {i} and {j}: {len(both)} nodes tied to both")
                # (the least shared first: a node past 0.5 takes no part in the grouping)
                out += [line for _, line in sorted(both, key=lambda b: b[0])[:top]]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    world_options(ap, "980-984")
    ap.add_argument("--top", type=int, default=8, help="nodes listed per pair of halves")
    args = ap.parse_args(argv)
    worlds = training_worlds(args, ap)
    for kind, seed in worlds:
        world, home = build(args.dir, kind, seed, args.size, args.reuse)
        analysis, truth, figures = analyse_world(world, home)
        f1, precision = figures["report_pair_f1"], figures["report_pair_precision"]
        print(f"{world.name}: report-pair F1 {f1:.2f} ({precision:.2f}), "
              f"{figures['gangs']} gangs ({figures['true_gangs']})", flush=True)  # fmt: skip
        for line in splits(analysis, truth, args.top):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
