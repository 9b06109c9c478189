"""Number-clue latency on a big lake: the clue index against a plain DuckDB look-up.

    .venv/bin/python benchmarks/bench_clue.py --scale small --background 10000000 [--json]
    .venv/bin/python benchmarks/bench_clue.py --scale 20000000 --calls-per-txn 5 --work DIR
    .venv/bin/python benchmarks/bench_clue.py --home HOME --world WORLD   # an existing lake

Simulates a city with its dens (`--scale`, `--calls-per-txn`: 5 makes 100 million calls from
20 million transactions, 120 calls a person a month), imports it, then optionally pads the
lake's calls with `--background` synthetic calls among ordinary numbers (DuckDB-generated,
deterministic: random pairs over the window, one handset and a home cell each), so the dens hide
in a lake of that size. Or takes an existing home and its world's truth (`--home`, `--world`:
the folder `chaincut simulate` wrote). Then: the clue index's build time; `clue()` latency,
warm, for a clue from every SIM box and fraud line of every den and for random numbers (p50,
p95, max); fresh processes, each importing chaincut, opening the index and answering one clue
(p50, p95 of the whole and of the answer alone); a fresh `chaincut clue` process end to end;
and the baseline an analyst would otherwise run, one DuckDB query on the lake for the same
numbers' calls (a scan: the lake is in time order, not by number).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from chaincut.ingest import import_folder
from chaincut.lake import catalog
from chaincut.settings import Settings
from chaincut.simulate import SimParams, simulate
from chaincut.telecom.clue.fresh import ensure_clue_index
from chaincut.telecom.evaluate_clue import clue_quality
from chaincut.telecom.verify import investigate, open_index

BACKGROUND = """
INSERT INTO calls (call_id, ts, caller, callee, duration_s, cell_id, imei)
SELECT 'G' || lpad(CAST(i AS VARCHAR), 11, '0'),
       TIMESTAMP '2026-02-28 16:00:00' + to_seconds(CAST(hash(i) % 2592000 AS BIGINT)),
       '+8619' || lpad(CAST(hash(i + 1) % $people AS VARCHAR), 9, '0'),
       '+8619' || lpad(CAST(hash(i + 2) % $people AS VARCHAR), 9, '0'),
       CASE WHEN hash(i + 3) % 8 = 0 THEN 0 ELSE 5 + CAST(hash(i + 4) % 600 AS BIGINT) END,
       '460-01-' || lpad(CAST(hash(hash(i + 1) % $people) % $cells AS VARCHAR), 6, '0'),
       '86' || lpad(CAST(hash(i + 1) % $people AS VARCHAR), 13, '0')
FROM range($rows) t(i)
"""


def pad(settings: Settings, rows: int) -> float:
    started = time.perf_counter()
    with catalog.connect(settings) as con:
        people = max(1000, rows // 25)
        con.execute(BACKGROUND, {"rows": rows, "people": people, "cells": max(100, people // 400)})
        catalog.bump_generation(con)
    return time.perf_counter() - started


def percentiles(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(float(np.percentile(values, 50)), 2),
        "p95": round(float(np.percentile(values, 95)), 2),
        "max": round(max(values), 2),
        "n": len(values),
    }


def baseline(settings: Settings, numbers: list[str]) -> list[float]:
    con = duckdb.connect(str(settings.lake_path), read_only=True)
    out = []
    for number in numbers:
        started = time.perf_counter()
        con.execute(
            "SELECT count(*), min(ts), max(ts), count(DISTINCT imei), count(DISTINCT cell_id) "
            "FROM calls WHERE caller = ? OR callee = ?",
            [number, number],
        ).fetchall()
        out.append((time.perf_counter() - started) * 1000)
    con.close()
    return out


FRESH = """
import sys, time
started = time.perf_counter()
from pathlib import Path
from chaincut.settings import Settings
from chaincut.telecom import clue
answer = clue(Settings(home=Path(sys.argv[1])), [sys.argv[2]])
print(answer.elapsed_ms, (time.perf_counter() - started) * 1000)
"""


def fresh(home: Path, numbers: list[str]) -> dict[str, dict[str, float]]:
    """One new Python process per clue: (the answer alone, import to answer, whole process)."""
    answer, inside, whole = [], [], []
    for number in numbers:
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", FRESH, str(home), number],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        whole.append((time.perf_counter() - started) * 1000)
        a, b = (float(x) for x in out.stdout.split())
        answer.append(a)
        inside.append(b)
    return {
        "answer_ms": percentiles(answer),
        "import_to_answer_ms": percentiles(inside),
        "process_ms": percentiles(whole),
    }


def cli(home: Path, number: str) -> float:
    started = time.perf_counter()
    chaincut = Path(sys.executable).with_name("chaincut")
    subprocess.run(
        [str(chaincut), "clue", number, "--home", str(home), "--json"],
        check=True,
        capture_output=True,
    )
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="small")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--background", type=int, default=0, help="synthetic calls to add")
    parser.add_argument("--calls-per-txn", type=float, help="SimParams.calls_per_txn")
    parser.add_argument("--work", type=Path, help="keep the world and home here")
    parser.add_argument("--home", type=Path, help="use this home's lake (skip simulating)")
    parser.add_argument("--world", type=Path, help="the folder simulated into --home's lake")
    parser.add_argument("--fresh", type=int, default=10, help="fresh processes to time")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="chaincut-bench-clue-") as tmp:
        work = args.work or Path(tmp)
        world, settings = work / "world", Settings(home=work / "home")
        if args.home:
            world, settings = args.world, Settings(home=args.home)
        figures: dict[str, Any] = {}
        if not settings.lake_path.exists():
            started = time.perf_counter()
            params = SimParams()
            if args.calls_per_txn:
                params = replace(params, calls_per_txn=args.calls_per_txn)
            simulate(world, seed=args.seed, scale=args.scale, fmt="parquet", params=params)
            import_folder(settings, world)
            figures["simulate_import_s"] = round(time.perf_counter() - started, 1)
            if args.background:
                figures["pad_s"] = round(pad(settings, args.background), 1)
        with catalog.connect(settings, read_only=True) as con:
            figures["calls"] = con.execute("SELECT count(*) FROM calls").fetchall()[0][0]
        started = time.perf_counter()
        folder = ensure_clue_index(settings)
        figures["index_build_s"] = round(time.perf_counter() - started, 1)
        figures["index_mb"] = round(sum(f.stat().st_size for f in folder.iterdir()) / 2**20)
        ix = open_index(folder)
        quality = clue_quality(ix, world / "truth" / "world.json", normal_clues=200)
        figures["clues"] = quality["summary"]
        dens = [r["clue"] for r in quality["clues"]]
        figures["clue_warm_ms_den_clues"] = percentiles(
            [_timed(ix, n) for n in dens for _ in range(3)]
        )
        rng = np.random.default_rng(0)
        codes = rng.choice(len(ix.arrays["num_ids"]), size=200, replace=False)
        normal = [ix.number(int(c)) for c in codes]
        figures["clue_warm_ms_random_numbers"] = percentiles([_timed(ix, n) for n in normal])
        picks = [dens[int(i)] for i in np.linspace(0, len(dens) - 1, min(args.fresh, len(dens)))]
        figures["fresh_process"] = fresh(settings.home, picks)
        figures["cli_cold_ms"] = percentiles([cli(settings.home, n) for n in dens[:3]])
        figures["baseline_duckdb_scan_ms"] = percentiles(baseline(settings, dens[:5] + normal[:5]))
        figures["ratio_baseline_p50_over_clue_p50"] = round(
            statistics.median(baseline(settings, normal[:5]))
            / max(figures["clue_warm_ms_random_numbers"]["p50"], 1e-3),
            1,
        )
    if args.json:
        print(json.dumps(figures, indent=1))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")


def _timed(ix: Any, number: str) -> float:
    started = time.perf_counter()
    investigate(ix, [number])
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    main()
