"""Import throughput: rows/s from Parquet and from CSV, against plain DuckDB loads.

    .venv/bin/python benchmarks/bench_import.py --rows 10000000 [--ids random] [--sources parquet]

Writes a synthetic transactions table (DuckDB-generated, deterministic) as CSV and as Parquet,
then times `chaincut import` on each into a fresh home (without the trace index, which
`chaincut import --no-index` also skips), and in the same run the baseline a user would
otherwise write: `CREATE TABLE AS SELECT * FROM read_csv/read_parquet(...)` with DuckDB's own
type detection and no validation, dedupe or rejects, on a connection opened by chaincut's own
`chaincut.lake.catalog.connect()` (the same memory cap, threads and spill folder). Prints wall time, rows/s, the ratio to the
baseline, the process CPU seconds (user + system, all threads: on a shared machine the figure
that moves least), a re-import of the same folder (every row unchanged) and the load average.

`--ids sequential` (the default) writes ids in increasing order, as most exports do; `--ids
random` writes hashed ids like the simulator's, where no key range can be skipped.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import duckdb

from chaincut.ingest import import_folder
from chaincut.lake.catalog import connect
from chaincut.settings import Settings

IDS = {
    "sequential": "'T' || lpad(CAST(i AS VARCHAR), 10, '0')",
    "random": "'T' || upper(to_hex(hash(i, 'txn')))",
}

GENERATE = """
SELECT {txn_id} AS txn_id,
       TIMESTAMP '2026-01-01' + to_seconds(CAST(i * 3 AS BIGINT)) AS ts,
       '6222' || lpad(CAST(hash(i) % 2000000 AS VARCHAR), 12, '0') AS src_account,
       '6222' || lpad(CAST(hash(i + 7) % 2000000 AS VARCHAR), 12, '0') AS dst_account,
       CAST(1 + (hash(i + 13) % 5000000) / 100.0 AS DECIMAL(18,2)) AS amount,
       'CNY' AS currency,
       (['transfer', 'payment', 'pos', 'atm_withdrawal'])[1 + CAST(hash(i) % 4 AS INT)] AS channel
FROM range(?) t(i)
"""


def write_inputs(folder: Path, rows: int, ids: str) -> tuple[Path, Path]:
    csv_dir, pq_dir = folder / "csv", folder / "parquet"
    csv_dir.mkdir(parents=True)
    pq_dir.mkdir(parents=True)
    con = duckdb.connect()
    con.execute(f"CREATE TABLE t AS {GENERATE.format(txn_id=IDS[ids])}", [rows])
    con.execute(f"COPY t TO '{csv_dir / 'transactions.csv'}' (HEADER, DELIMITER ',')")
    con.execute(f"COPY t TO '{pq_dir / 'transactions.parquet'}' (FORMAT parquet)")
    con.close()
    return csv_dir, pq_dir


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(run: Callable[[], None]) -> tuple[float, float]:
    """Wall and CPU seconds of `run`."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    run()
    return time.perf_counter() - wall, cpu_seconds() - cpu


def chaincut(folder: Path, home: Path) -> None:
    result = import_folder(Settings(home=home), folder)
    if result.rejected_count:
        raise SystemExit(f"the benchmark world has rejects: {result.rejected[:3]}")


def baseline(source: str, home: Path) -> None:
    # chaincut's own connect(): the same memory cap, threads and spill folder as the import
    con = connect(Settings(home=home))
    con.execute(f"CREATE TABLE t AS SELECT * FROM {source}")  # noqa: S608 - a reader relation built here
    con.close()  # the checkpoint that writes the compressed table is part of the load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--ids", choices=sorted(IDS), default="sequential")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--sources", default="parquet,csv", help="which inputs to time (comma-separated)"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(dir=args.workdir))
    try:
        csv_dir, pq_dir = write_inputs(work / "in", args.rows, args.ids)
        n = args.rows
        print(f"rows: {n:,}, ids: {args.ids}, load average before: {os.getloadavg()[0]:.1f}")
        for label, folder, source in (
            ("parquet", pq_dir, f"read_parquet('{pq_dir / 'transactions.parquet'}')"),
            ("csv", csv_dir, f"read_csv('{csv_dir / 'transactions.csv'}')"),
        ):
            if label not in args.sources.split(","):
                continue
            home = work / f"home-{label}"
            ours, ours_cpu = timed(partial(chaincut, folder, home))
            base, base_cpu = timed(partial(baseline, source, work / f"base-{label}"))
            again, _ = timed(partial(chaincut, folder, home))
            print(
                f"{label:8s} chaincut import {ours:7.2f} s {n / ours:>11,.0f} rows/s "
                f"(cpu {ours_cpu:6.2f} s) | plain DuckDB load {base:6.2f} s "
                f"{n / base:>11,.0f} rows/s (cpu {base_cpu:6.2f} s) | ratio {ours / base:4.1f}x "
                f"| re-import (no change) {again:6.2f} s | load {os.getloadavg()[0]:.1f}"
            )
            shutil.rmtree(home, ignore_errors=True)
            shutil.rmtree(work / f"base-{label}", ignore_errors=True)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of this process: {peak:,.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
