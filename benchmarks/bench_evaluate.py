"""Time `chaincut evaluate` per world and per step, and print the figures beside the times.

    .venv/bin/python benchmarks/bench_evaluate.py --worlds 2 --scale tiny [--json]

Builds the simulator's default world and `--worlds` randomised worlds (seeds from `--seed`,
1000 by default), imports each and runs every detector with its shipped default, timing each
step (build, import, trace, accounts, clue, text, telecom); the baseline is the build and
import alone, which every detector's figure needs anyway.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from typing import Any

from chaincut.evaluate import evaluate, plan_worlds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_evaluate.py")
    parser.add_argument("--worlds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--scale", default="tiny", choices=("tiny", "small"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    steps: dict[str, dict[str, float]] = defaultdict(dict)
    last: dict[str, tuple[str, float]] = {}

    def on_step(world: str, step: str) -> None:
        now = time.perf_counter()
        if world in last:
            previous, since = last[world]
            steps[world][previous] = round(now - since, 3)
        last[world] = (step, now)

    plan = plan_worlds(args.worlds, args.seed, args.scale, None)
    started = time.perf_counter()
    result = evaluate(plan=plan, progress=on_step)
    total = time.perf_counter() - started
    out: dict[str, Any] = {"scale": args.scale, "seconds": round(total, 2), "worlds": []}
    for col in result.columns:
        times = steps[col.name]
        # the last step ends with the world
        if col.name in last:
            step, _ = last[col.name]
            times[step] = round(col.seconds - sum(times.values()), 3)
        base = times.get("building", 0.0) + times.get("importing", 0.0)
        out["worlds"].append(
            {
                "world": col.name,
                "seconds": round(col.seconds, 2),
                "build_and_import_s": round(base, 2),
                "detectors_s": round(col.seconds - base, 2),
                "steps_s": times,
                "figures": {k: round(v, 4) for k, v in col.figures.items()},
            }
        )
    if args.json:
        sys.stdout.write(json.dumps(out, indent=1) + "\n")
        return 0
    for w in out["worlds"]:
        sys.stdout.write(
            f"{w['world']:<22} {w['seconds']:7.1f} s  (build+import {w['build_and_import_s']:.1f} s, "
            f"detectors {w['detectors_s']:.1f} s)  {w['steps_s']}\n"
        )
    sys.stdout.write(f"total {total:.1f} s for {len(out['worlds'])} worlds ({args.scale})\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
