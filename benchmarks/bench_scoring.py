"""Account scoring throughput on DuckDB: feature extraction and scoring, transactions/s.

    .venv/bin/python benchmarks/bench_scoring.py --scale 1000000
    .venv/bin/python benchmarks/bench_scoring.py --home HOME          # a lake you already have

Simulates a world of `--scale` transactions (or reads `--home`), imports it, then times the
lake jobs (`account_features`, `account_taint`, `account_patterns`, `account_neighbours`) and
the model (first pass, SHAP explanations, level guesses) with the shipped model. Alongside, the
baseline a user would otherwise write: one plain DuckDB GROUP BY of per-account totals and
distinct counterparties. Prints seconds, transactions/s, the ratio to the baseline, and the
process's peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from chaincut.ingest import import_folder
from chaincut.lake.engine import DuckDBEngine
from chaincut.scoring import default_model, read_accounts, score_lake
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


def baseline_seconds(settings: Settings) -> float:
    con = duckdb.connect(str(settings.lake_path), read_only=True)
    try:
        started = time.perf_counter()
        con.execute(BASELINE).fetchall()
        return time.perf_counter() - started
    finally:
        con.close()


def measure(settings: Settings) -> dict[str, Any]:
    model = default_model()
    with DuckDBEngine(settings) as engine:
        rows = engine.execute(engine.table("transactions").count().as_table()).to_pylist()
        txns = int(next(iter(rows[0].values())))
        started = time.perf_counter()
        lake = read_accounts(engine, model.feature_params, model.pattern_params)
        features_s = time.perf_counter() - started
        started = time.perf_counter()
        scores = score_lake(lake, model)
        scoring_s = time.perf_counter() - started
        jobs = {t.label: round(t.seconds, 2) for t in engine.timings}
    base = baseline_seconds(settings)
    total = features_s + scoring_s
    return {
        "transactions": txns,
        "accounts": len(scores),
        "features_s": round(features_s, 2),
        "scoring_s": round(scoring_s, 2),
        "jobs_s": jobs,
        "features_txn_per_s": round(txns / features_s),
        "end_to_end_txn_per_s": round(txns / total),
        "baseline_s": round(base, 2),
        "ratio_to_baseline": round(total / base, 1),
        "peak_rss_mb": round(peak_mb()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="1000000", help="transactions to simulate")
    parser.add_argument("--home", type=Path, help="score this lake instead of simulating one")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--threads", type=int, help="DuckDB threads (default: all cores)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="chaincut-bench-") as scratch:
        if args.home is None:
            world, home = Path(scratch) / "world", Path(scratch) / "home"
            simulate(world, seed=args.seed, scale=args.scale, fmt="parquet")
            import_folder(Settings(home=home), world)
        else:
            home = args.home
        settings = Settings(home=home, duckdb_threads=args.threads)
        print(json.dumps(measure(settings), indent=1))


if __name__ == "__main__":
    main()
