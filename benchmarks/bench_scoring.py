"""Account scoring throughput on DuckDB: features, detectors and scores, transactions/s.

    .venv/bin/python benchmarks/bench_scoring.py --scale 1000000
    .venv/bin/python benchmarks/bench_scoring.py --home HOME --memory-limit 4GB --temp-dir DIR

Simulates a world of `--scale` transactions (or reads the lake of `--home`, read-only), then
scores every account with the shipped model exactly as `chaincut score accounts --out F.parquet`
does (`score_accounts`, then the flat table of every account), timing each lake job. Alongside,
in the same process and with the same DuckDB settings, the baseline a user would otherwise
write: one plain DuckDB GROUP BY of per-account totals and distinct counterparties. Prints
seconds, CPU seconds, transactions/s, the ratio to the baseline, the process's peak resident
memory (DuckDB's included) and the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from chaincut.ingest import import_folder
from chaincut.lake.engine import DuckDBEngine
from chaincut.scoring import default_model, score_accounts, scores_table
from chaincut.scoring.lake import PART_ACCOUNTS
from chaincut.settings import Settings
from chaincut.simulate import simulate

BASELINE = """
SELECT account_id, count(*), sum(amount), count(DISTINCT counterparty), min(ts), max(ts)
FROM (SELECT src_account AS account_id, dst_account AS counterparty, amount, ts FROM transactions
      UNION ALL
      SELECT dst_account, src_account, amount, ts FROM transactions)
GROUP BY account_id
"""


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    """CPU seconds of this process, every thread (DuckDB's and LightGBM's) included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _configure(engine: DuckDBEngine, temp_dir: Path | None) -> None:
    if temp_dir is not None:  # where DuckDB spills past its memory limit
        temp_dir.mkdir(parents=True, exist_ok=True)
        engine.backend.raw_sql(f"SET temp_directory = '{temp_dir}'")


def baseline_seconds(settings: Settings, temp_dir: Path | None) -> tuple[float, float]:
    """Wall and CPU seconds of the plain GROUP BY, on a connection configured like scoring's."""
    with DuckDBEngine(settings) as engine:
        _configure(engine, temp_dir)
        started, cpu = time.perf_counter(), cpu_s()
        engine.backend.raw_sql(BASELINE).fetchall()
        return time.perf_counter() - started, cpu_s() - cpu


def measure(settings: Settings, temp_dir: Path | None, part_accounts: int) -> dict[str, Any]:
    model = default_model()
    load_before = os.getloadavg()
    with DuckDBEngine(settings) as engine:
        _configure(engine, temp_dir)
        rows = engine.execute(engine.table("transactions").count().as_table()).to_pylist()
        txns = int(next(iter(rows[0].values())))
        started, cpu = time.perf_counter(), cpu_s()
        scores = score_accounts(engine, model, part_accounts=part_accounts)
        scored_s = time.perf_counter() - started
        table = scores_table(scores)  # what --out FILE.parquet writes
        total, total_cpu = time.perf_counter() - started, cpu_s() - cpu
        jobs: dict[str, float] = defaultdict(float)
        for t in engine.timings[1:]:
            jobs[t.label] += t.seconds
        peak_engine = peak_mb()
    base, base_cpu = baseline_seconds(settings, temp_dir)
    return {
        "transactions": txns,
        "accounts": table.num_rows,
        "flagged": int(scores.flagged.sum()),
        "score_accounts_s": round(scored_s, 1),
        "end_to_end_s": round(total, 1),
        "end_to_end_cpu_s": round(total_cpu, 1),
        "jobs_s": {k: round(v, 1) for k, v in jobs.items()},
        "end_to_end_txn_per_s": round(txns / total),
        "baseline_s": round(base, 1),
        "baseline_cpu_s": round(base_cpu, 1),
        "baseline_txn_per_s": round(txns / base),
        "ratio_to_baseline": round(total / base, 2),
        "cpu_ratio_to_baseline": round(total_cpu / max(base_cpu, 1e-9), 2),
        "peak_rss_mb_scoring": round(peak_engine),
        "peak_rss_mb": round(peak_mb()),
        "memory_limit": settings.duckdb_config().get("memory_limit", "DuckDB default (80% of RAM)"),
        "threads": settings.duckdb_threads or os.cpu_count(),
        "part_accounts": part_accounts,
        "load_average_before": [round(x, 1) for x in load_before],
        "load_average_after": [round(x, 1) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="1000000", help="transactions to simulate")
    parser.add_argument("--home", type=Path, help="score this lake instead of simulating one")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--threads", type=int, help="DuckDB threads (default: all cores)")
    parser.add_argument("--memory-limit", help="DuckDB memory limit, e.g. 4GB")
    parser.add_argument("--temp-dir", type=Path, help="where DuckDB spills (default: by the lake)")
    parser.add_argument("--part-accounts", type=int, default=PART_ACCOUNTS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="chaincut-bench-") as scratch:
        if args.home is None:
            world, home = Path(scratch) / "world", Path(scratch) / "home"
            simulate(world, seed=args.seed, scale=args.scale, fmt="parquet")
            import_folder(Settings(home=home), world)
        else:
            home = args.home
        settings = Settings(
            home=home, duckdb_threads=args.threads, duckdb_memory_limit=args.memory_limit
        )
        print(json.dumps(measure(settings, args.temp_dir, args.part_accounts), indent=1))


if __name__ == "__main__":
    main()
