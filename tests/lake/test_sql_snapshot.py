"""The SQL Ibis generates for DuckDB from a job, kept in tests/lake/snapshots/.

A change here means a job or Ibis changed what runs: read the diff, and if it is intended,
rewrite the snapshots with `CHAINCUT_UPDATE_SNAPSHOTS=1 pytest tests/lake/test_sql_snapshot.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

import ibis

from chaincut.lake.engine import lake_schema
from chaincut.lake.jobs import account_activity

SNAPSHOTS = Path(__file__).parent / "snapshots"


def check_snapshot(name: str, sql: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("CHAINCUT_UPDATE_SNAPSHOTS"):
        path.write_text(sql + "\n", encoding="utf-8")
    assert path.exists(), f"no snapshot {path}; write it with CHAINCUT_UPDATE_SNAPSHOTS=1"
    assert sql + "\n" == path.read_text(encoding="utf-8")


def test_account_activity_sql_for_duckdb() -> None:
    transactions = ibis.table(lake_schema("transactions"), name="transactions")
    sql = ibis.to_sql(account_activity(transactions), dialect="duckdb")
    check_snapshot("account_activity.duckdb.sql", str(sql))
