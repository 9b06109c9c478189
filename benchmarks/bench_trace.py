"""Benchmark: one stop-payment trace (p50/p95) and `trace --all` (traces/s) against baselines.

For each ledger size it simulates a city with the chaincut simulator (Parquet), loads it into a
lake, builds the trace index, and then measures in the same run:

- chaincut: `trace_one` on the memory-mapped index (the index opened once; opening it is
  timed on its own), and the wall time of `chaincut trace R --json --no-issue` in a fresh
  process for a few reports;
- baseline 1, a recursive SQL CTE in DuckDB over the raw lake table: every account reachable
  from the victim's transfers forward in time, at most `max_hops` transfers, skipping exit
  channels and merchant/exchange accounts (reachability only, no amounts: less work than a
  trace);
- baseline 2, NetworkX over the loaded graph (a MultiDiGraph of every transfer): the same
  time-respecting reachability, by BFS; the load time and memory are reported too, and it is
  skipped above `--nx-max` transactions;
- `trace --all`: every report traced at its own time (or a random `--all-max` of them), in 1
  and 2 processes.

`--passes 2` traces the sample twice and also reports the second pass (the index's pages then
in the page cache). The figures are printed after each stage ("so far"), so a long run that is
stopped keeps what it measured.

Usage (figures in docs/tracing.md):

    .venv/bin/python benchmarks/bench_trace.py --transactions 1000000 10000000 --samples 60
    .venv/bin/python benchmarks/bench_trace.py --world OUT      # a simulated world (Parquet)
    .venv/bin/python benchmarks/bench_trace.py --lake HOME/lake.duckdb --work DIR --nx-max 0 \
        --passes 2 --all-max 1000 --baseline-samples 2

`--lake` opens an existing lake read-only (it is linked into a home under `--work`, where the
index is built). Peak memory is reported for the benchmark process (index build and traces)
and for a fresh CLI process.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from statistics import quantiles
from typing import Any

import duckdb

from chaincut.lake.catalog import bump_generation, connect
from chaincut.lake.sql import ident, literal
from chaincut.settings import Settings
from chaincut.trace import TraceIndex, TraceParams, ensure_index, trace_all, trace_one
from chaincut.trace.api import _chunk

PARAMS = TraceParams()
#: table -> {lake column: expression over the simulator's Parquet file}
TABLES = {
    "accounts": {
        "account_id": "account_id",
        "holder_id": "holder_id",
        "kind": "kind",
        "institution": "institution",
        "opened_at": "CAST(opened_at AS TIMESTAMP)",
        "country": "country",
    },
    "persons": {"person_id": "person_id"},
    "transactions": {
        "txn_id": "txn_id",
        "ts": "CAST(ts AS TIMESTAMP)",
        "src_account": "src_account",
        "dst_account": "dst_account",
        "amount": "amount",
        "currency": "currency",
        "channel": "channel",
    },
    "reports": {
        "report_id": "report_id",
        "ts": "CAST(ts AS TIMESTAMP)",
        "victim_account": "victim_account",
        "fraud_txn_ids": "string_split(fraud_txn_ids, ';')",
    },
    "labels": {"entity_id": "entity_id", "entity_kind": "entity_kind", "label": "label"},
}


def pct(values: list[float], q: int) -> float:
    return quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def make_world(work: Path, n: int, seed: int) -> Path:
    src = work / f"world-{n}-{seed}"
    if not (src / "transactions.parquet").exists():
        from chaincut.simulate import simulate

        secs, _ = timed(lambda: simulate(src, seed=seed, scale=n, fmt="parquet"))
        print(f"  simulated {n:,} transactions in {secs:.1f} s")
    return src


def load_lake(src: Path, home: Path) -> Settings:
    """The simulated tables into a lake (a direct bulk load; the importer is benchmarked apart)."""
    settings = Settings(home=home)
    if settings.lake_path.exists():
        return settings
    con = connect(settings)
    t = time.perf_counter()
    for table, cols in TABLES.items():
        names, exprs = ", ".join(cols), ", ".join(cols.values())
        parquet = literal(str(src / f"{table}.parquet"))
        con.execute(
            f"INSERT INTO {ident(table)} ({names}) SELECT {exprs} FROM read_parquet({parquet})"  # noqa: S608 - ident()/literal(); constant expressions
        )
    bump_generation(con)
    con.close()
    print(f"  loaded the lake in {time.perf_counter() - t:.1f} s")
    return settings


CTE = """
WITH RECURSIVE reach(account, ts, hop) AS (
    SELECT t.dst_account, t.ts, 1 FROM transactions t WHERE t.txn_id IN (SELECT unnest(?))
    UNION
    SELECT t.dst_account, min(t.ts), r.hop + 1
    FROM reach r JOIN transactions t ON t.src_account = r.account AND t.ts > r.ts
    WHERE r.hop < ? AND t.ts <= ? AND coalesce(t.channel, '') NOT IN
        ('atm_withdrawal', 'crypto_otc', 'cross_border')
      AND t.dst_account NOT IN (SELECT account_id FROM accounts WHERE kind IN ('merchant', 'exchange'))
    GROUP BY t.dst_account, r.hop
)
SELECT count(DISTINCT account) FROM reach
"""


def run_cte(con: duckdb.DuckDBPyConnection, fraud: list[str], ts: Any) -> Any:
    return con.execute(CTE, [fraud, PARAMS.max_hops, ts]).fetchall()


def bench_cte(settings: Settings, reports: list[tuple[str, Any, list[str]]]) -> list[float]:
    con = connect(settings, read_only=True)  # the settings' memory cap, as chaincut runs
    out = []
    for _, ts, fraud in reports:
        secs, _ = timed(partial(run_cte, con, fraud, ts))
        out.append(secs)
    con.close()
    return out


def bench_networkx(
    settings: Settings, reports: list[tuple[str, Any, list[str]]]
) -> tuple[float, float, list[float]]:
    import networkx as nx

    con = connect(settings, read_only=True)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    g = nx.MultiDiGraph()
    rows = con.execute(
        "SELECT src_account, dst_account, epoch(ts), channel, txn_id FROM transactions"
    ).fetchall()
    g.add_edges_from((s, d, {"ts": ts, "channel": ch, "id": i}) for s, d, ts, ch, i in rows)
    del rows
    blocked = {
        a
        for (a,) in con.execute(
            "SELECT account_id FROM accounts WHERE kind IN ('merchant', 'exchange')"
        ).fetchall()
    }
    fraud_dst = {}
    load = time.perf_counter() - t
    mem_gb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1e6
    for rid, _, fraud in reports:
        fraud_dst[rid] = con.execute(
            "SELECT dst_account, epoch(ts) FROM transactions WHERE txn_id IN (SELECT unnest(?))",
            [fraud],
        ).fetchall()
    con.close()
    times = []
    for rid, ts, _ in reports:
        secs, _ = timed(partial(nx_reach, g, blocked, fraud_dst[rid], ts.timestamp()))
        times.append(secs)
    del g
    gc.collect()
    return load, mem_gb, times


PY_TRACE = """
import sys, time
t = time.perf_counter()
from pathlib import Path
from chaincut.settings import Settings
from chaincut.trace import TraceParams, trace_report
trace_report(Settings(home=Path(sys.argv[1])), sys.argv[2], TraceParams())
print(time.perf_counter() - t)
"""


EXITS = {"atm_withdrawal", "crypto_otc", "cross_border"}


def nx_reach(g: Any, blocked: set[str], seeds: list[tuple[str, float]], until: float) -> int:
    """Accounts reachable forward in time within max_hops (what a NetworkX user would write)."""
    best = dict(seeds)
    frontier = dict(best)
    for _ in range(PARAMS.max_hops - 1):
        nxt: dict[str, float] = {}
        for a, t0 in frontier.items():
            for _, d, data in g.out_edges(a, data=True):
                t1 = data["ts"]
                ok = t0 < t1 <= until and data["channel"] not in EXITS and d not in blocked
                if ok and t1 < best.get(d, float("inf")) and t1 < nxt.get(d, float("inf")):
                    nxt[d] = t1
        best.update(nxt)
        frontier = nxt
        if not frontier:
            break
    return len(best)


def fresh_process(home: Path, report_id: str) -> tuple[float, float]:
    """Wall time of the CLI in a new process, and of import + index check + trace in one."""
    t = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).parent / "chaincut"), "trace", report_id, "--json", "--no-issue",
         "--home", str(home)],
        check=True, capture_output=True, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )  # fmt: skip
    cli = time.perf_counter() - t
    out = subprocess.run(
        [sys.executable, "-c", PY_TRACE, str(home), report_id], check=True, capture_output=True,
        text=True,
    )  # fmt: skip
    return cli, float(out.stdout.strip())


def linked_home(lake: Path, home: Path) -> Settings:
    """A home whose lake is `lake` (a symbolic link: only read), for an index of our own."""
    home.mkdir(parents=True, exist_ok=True)
    link = home / "lake.duckdb"
    if not link.exists():
        link.symlink_to(lake.resolve())
    return Settings(home=home)


def homes(args: argparse.Namespace) -> list[Settings]:
    """The homes to measure: an existing lake, an existing world, or simulated ones."""
    if args.lake:
        return [linked_home(args.lake, args.work / f"home-{args.lake.parent.name}")]
    if args.world:
        return [load_lake(args.world, args.work / f"home-{args.world.name}")]
    return [
        load_lake(make_world(args.work, n, args.seed), args.work / f"home-{n}-{args.seed}")
        for n in args.transactions
    ]


def peak_gb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1e6, 2)


def bench_size(settings: Settings, args: argparse.Namespace) -> dict[str, Any]:
    print(f"== {settings.home}")
    build, index = timed(lambda: ensure_index(settings, rebuild=args.rebuild))
    n = int(index.meta["transactions"])
    print(f"  {n:,} transactions, index ready in {build:.1f} s")
    opened, index = timed(lambda: TraceIndex(index.path))
    ids = index.report_ids()
    rng = random.Random(args.seed)
    sample = rng.sample(ids, min(args.samples, len(ids)))
    passes = []
    for _ in range(args.passes):  # the first pass may read the index from disk, later ones not
        passes.append([timed(partial(trace_one, index, rid, PARAMS))[0] for rid in sample])
    lat = passes[0]
    reps = [(r, index.report(r)) for r in sample]
    raw = [(rid, rep_ts(info.ts), [t.txn_id for t in info.fraud_txns]) for rid, info in reps]
    res: dict[str, Any] = {
        "transactions": n,
        "reports": len(ids),
        "index_build_s": round(build, 2) if args.rebuild else index.meta["build_seconds"],
        "index_open_ms": round(opened * 1e3, 2),
        "trace_p50_ms": round(pct(lat, 50) * 1e3, 2),
        "trace_p95_ms": round(pct(lat, 95) * 1e3, 2),
        "trace_max_ms": round(max(lat) * 1e3, 2),
        **(
            {
                "trace_warm_p50_ms": round(pct(passes[-1], 50) * 1e3, 2),
                "trace_warm_p95_ms": round(pct(passes[-1], 95) * 1e3, 2),
            }
            if len(passes) > 1
            else {}
        ),
        "index_gb": round(sum(f.stat().st_size for f in index.path.iterdir()) / 1e9, 2),
        "peak_rss_build_and_traces_gb": peak_gb(resource.RUSAGE_SELF),
    }
    print(f"  so far: {json.dumps(res)}", flush=True)  # a long run keeps what it measured
    for workers in (1, 2):
        res[f"all_traces_per_s_{workers}w"] = bench_all(settings, index, workers, args)
    print(f"  so far: {json.dumps(res)}", flush=True)
    fresh = [fresh_process(settings.home, rid) for rid in sample[: args.fresh]]
    if fresh:
        res["cli_fresh_process_p50_s"] = round(pct([f[0] for f in fresh], 50), 2)
        res["api_fresh_process_p50_s"] = round(pct([f[1] for f in fresh], 50), 3)
        res["peak_rss_fresh_process_gb"] = peak_gb(resource.RUSAGE_CHILDREN)
    print(f"  so far: {json.dumps(res)}", flush=True)
    cte = bench_cte(settings, raw[: args.baseline_samples])
    res |= {"cte_p50_ms": round(pct(cte, 50) * 1e3, 1), "cte_p95_ms": round(pct(cte, 95) * 1e3, 1)}
    if n <= args.nx_max:
        load, mem, nxt = bench_networkx(settings, raw[: args.baseline_samples])
        res |= {
            "nx_load_s": round(load, 1),
            "nx_memory_gb": round(mem, 2),
            "nx_p50_ms": round(pct(nxt, 50) * 1e3, 2),
            "nx_p95_ms": round(pct(nxt, 95) * 1e3, 2),
        }
    res["ratio_cte_p95"] = round(res["cte_p95_ms"] / res["trace_p95_ms"], 1)
    if "nx_p95_ms" in res:
        res["ratio_nx_p95"] = round(res["nx_p95_ms"] / res["trace_p95_ms"], 1)
    for key, value in res.items():
        print(f"  {key:28s} {value}")
    return res


def bench_all(
    settings: Settings, index: TraceIndex, workers: int, args: argparse.Namespace
) -> float:
    """Traces per second of `--all` in `workers` processes: every report, or a random
    `--all-max` of them (in report id order, as `--all` takes them)."""
    ids = index.report_ids()
    if args.all_max and len(ids) > args.all_max:
        ids = sorted(random.Random(args.seed).sample(ids, args.all_max))
    if len(ids) == len(index.report_ids()):
        secs, count = timed(lambda: sum(1 for _ in trace_all(settings, PARAMS, workers=workers)))
    else:  # the same work as trace_all's, on the sample
        jobs = [(str(index.path), ids[i : i + 200], PARAMS) for i in range(0, len(ids), 200)]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            secs, count = timed(lambda: sum(len(part) for part in pool.map(_chunk, jobs)))
    return round(count / secs, 1)


def rep_ts(us: int) -> Any:
    from chaincut.trace.model import from_micros

    return from_micros(us)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--transactions", type=int, nargs="+", default=[1_000_000])
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--samples", type=int, default=60, help="reports timed per size")
    ap.add_argument("--baseline-samples", type=int, default=20)
    ap.add_argument("--all-max", type=int, default=0, help="--all on this many reports (0: all)")
    ap.add_argument("--passes", type=int, default=1, help="times the sample is traced (warm: last)")
    ap.add_argument("--fresh", type=int, default=3, help="fresh-process CLI runs per size")
    ap.add_argument("--nx-max", type=int, default=2_000_000, help="largest ledger for NetworkX")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the index (timed)")
    ap.add_argument("--world", type=Path, help="an existing simulated world (Parquet)")
    ap.add_argument("--lake", type=Path, help="an existing lake file (only read)")
    ap.add_argument("--work", type=Path, default=Path("bench-data/trace"))
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results = [bench_size(settings, args) for settings in homes(args)]
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
