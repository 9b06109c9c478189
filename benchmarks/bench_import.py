"""Import throughput: rows/s from Parquet and from CSV, against plain DuckDB loads.

    .venv/bin/python benchmarks/bench_import.py --rows 10000000

Writes a synthetic transactions table (DuckDB-generated, deterministic) as CSV and as Parquet,
then times `chaincut import` on each into a fresh home, and in the same run the baseline a user
would otherwise write: `CREATE TABLE AS SELECT * FROM read_csv/read_parquet(...)` with DuckDB's
own type detection and no validation, dedupe or rejects. Prints rows/s and the ratio.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from chaincut.ingest import import_folder
from chaincut.settings import Settings

GENERATE = """
SELECT 'T' || lpad(CAST(i AS VARCHAR), 10, '0') AS txn_id,
       TIMESTAMP '2026-01-01' + to_seconds(CAST(i * 3 AS BIGINT)) AS ts,
       '6222' || lpad(CAST(hash(i) % 2000000 AS VARCHAR), 12, '0') AS src_account,
       '6222' || lpad(CAST(hash(i + 7) % 2000000 AS VARCHAR), 12, '0') AS dst_account,
       CAST(1 + (hash(i + 13) % 5000000) / 100.0 AS DECIMAL(18,2)) AS amount,
       'CNY' AS currency,
       (['transfer', 'payment', 'pos', 'atm_withdrawal'])[1 + CAST(hash(i) % 4 AS INT)] AS channel
FROM range(?) t(i)
"""


def write_inputs(folder: Path, rows: int) -> tuple[Path, Path]:
    csv_dir, pq_dir = folder / "csv", folder / "parquet"
    csv_dir.mkdir(parents=True)
    pq_dir.mkdir(parents=True)
    con = duckdb.connect()
    con.execute(f"CREATE TABLE t AS {GENERATE}", [rows])
    con.execute(f"COPY t TO '{csv_dir / 'transactions.csv'}' (HEADER, DELIMITER ',')")
    con.execute(f"COPY t TO '{pq_dir / 'transactions.parquet'}' (FORMAT parquet)")
    con.close()
    return csv_dir, pq_dir


def time_chaincut(folder: Path, home: Path) -> float:
    start = time.perf_counter()
    result = import_folder(Settings(home=home), folder)
    elapsed = time.perf_counter() - start
    assert result.rejected_count == 0, result.rejected[:3]
    return elapsed


def time_baseline(source: str, home: Path) -> float:
    home.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(home / "plain.duckdb"))
    start = time.perf_counter()
    con.execute(f"CREATE TABLE t AS SELECT * FROM {source}")
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(dir=args.workdir))
    try:
        csv_dir, pq_dir = write_inputs(work / "in", args.rows)
        n = args.rows
        print(f"rows: {n:,}")
        for label, folder, source in (
            ("parquet", pq_dir, f"read_parquet('{pq_dir / 'transactions.parquet'}')"),
            ("csv", csv_dir, f"read_csv('{csv_dir / 'transactions.csv'}')"),
        ):
            ours = time_chaincut(folder, work / f"home-{label}")
            base = time_baseline(source, work / f"base-{label}")
            again = time_chaincut(folder, work / f"home-{label}")  # re-import: all unchanged
            print(
                f"{label:8s} chaincut import {ours:7.2f} s  {n / ours:>12,.0f} rows/s | "
                f"plain DuckDB load {base:6.2f} s  {n / base:>12,.0f} rows/s | "
                f"ratio {ours / base:4.1f}x | re-import (no change) {again:6.2f} s"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
