"""Small ledgers for the trace tests: build them as `Txn` lists, load them into a lake."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa

from chaincut.lake.catalog import bump_generation, connect
from chaincut.lake.sql import ident
from chaincut.settings import Settings
from chaincut.trace.model import AccountInfo, ReportInfo, Txn
from chaincut.trace.money import to_decimal

HOUR = 3_600_000_000
T0 = 1_714_521_600_000_000  # 2024-05-01 00:00:00 UTC


def at(hours: float) -> int:
    """A kernel time `hours` after T0."""
    return T0 + int(hours * HOUR)


def worked_example() -> tuple[list[Txn], ReportInfo]:
    """REFERENCES.md's worked example: +100 own, +100 stolen, -150 to X, +50 own, -60 to Y."""
    txns = [
        Txn(at(1), "t1", "C1", "M", 10000, "transfer"),
        Txn(at(2), "F1", "V", "M", 10000, "transfer"),
        Txn(at(3), "t3", "M", "X", 15000, "transfer"),
        Txn(at(4), "t4", "C2", "M", 5000, "transfer"),
        Txn(at(5), "t5", "M", "Y", 6000, "transfer"),
    ]
    return txns, ReportInfo("R1", at(6), "V", (txns[1],))


def _ts(values: list[int | None]) -> pa.Array:
    return pa.array(values, pa.int64()).cast(pa.timestamp("us"))


def write_lake(
    home: Path,
    txns: Iterable[Txn],
    reports: Iterable[ReportInfo] = (),
    accounts: Iterable[AccountInfo] = (),
) -> Settings:
    """A lake in `home` holding exactly these rows (the way the importer would store them).

    An account with `org` False is held by a person of the same id (written to `persons`), one
    with `org` True by an organisation; `since` is written as its opening date.
    """
    txns, reports, accounts = list(txns), list(reports), list(accounts)
    money = pa.decimal128(18, 2)
    tables = {
        "transactions": pa.table(
            {
                "txn_id": [t.txn_id for t in txns],
                "ts": _ts([t.ts for t in txns]),
                "src_account": [t.src for t in txns],
                "dst_account": [t.dst for t in txns],
                "amount": pa.array([to_decimal(t.cents) for t in txns], money),
                "currency": ["CNY"] * len(txns),
                "channel": pa.array([t.channel for t in txns], pa.string()),
            }
        ),
        "reports": pa.table(
            {
                "report_id": [r.report_id for r in reports],
                "ts": _ts([r.ts for r in reports]),
                "victim_account": [r.victim_account for r in reports],
                "fraud_txn_ids": pa.array(
                    [[t.txn_id for t in r.fraud_txns] for r in reports], pa.list_(pa.string())
                ),
            }
        ),
        "accounts": pa.table(
            {
                "account_id": [a.account_id for a in accounts],
                "holder_id": pa.array(
                    [
                        None
                        if a.org is None
                        else (f"ORG-{a.account_id}" if a.org else a.account_id)
                        for a in accounts
                    ],
                    pa.string(),
                ),
                "kind": pa.array([a.kind for a in accounts], pa.string()),
                "institution": pa.array([a.institution for a in accounts], pa.string()),
                "country": pa.array([a.country for a in accounts], pa.string()),
                "opened_at": _ts([a.since for a in accounts]),
            }
        ),
        "persons": pa.table(
            {"person_id": pa.array([a.account_id for a in accounts if a.org is False], pa.string())}
        ),
    }
    settings = Settings(home=home)
    con = connect(settings)
    try:
        for name, table in tables.items():
            if table.num_rows:
                con.register("incoming", table)
                cols = ", ".join(ident(c) for c in table.column_names)
                con.execute(f"INSERT INTO {ident(name)} ({cols}) SELECT {cols} FROM incoming")  # noqa: S608 - ident() names
                con.unregister("incoming")
        bump_generation(con)
    finally:
        con.close()
    return settings


__all__ = ["HOUR", "T0", "at", "worked_example", "write_lake"]
