"""Parquet written the way other tools write it: pandas, Spark, Arrow, with their own types."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from chaincut.ingest import import_folder
from chaincut.settings import Settings
from tests.ingest.test_foreign_csv import HEADER, put, rows


def write(folder: Path, name: str, table: pa.Table) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return path


def txns(n: int, **columns: pa.Array) -> pa.Table:
    base: dict[str, pa.Array] = {
        "txn_id": pa.array([f"T{i}" for i in range(n)]),
        "ts": pa.array(
            [datetime(2024, 1, 1) + timedelta(seconds=i) for i in range(n)], pa.timestamp("us")
        ),
        "src_account": pa.array(["A"] * n),
        "dst_account": pa.array(["B"] * n),
        "amount": pa.array([Decimal("1.00")] * n, pa.decimal128(18, 2)),
    }
    base.update(columns)
    return pa.table(base)


def test_amounts_as_int_decimal38_and_float(settings: Settings, tmp_path: Path) -> None:
    src = tmp_path / "in"
    write(src, "transactions/ints.parquet", txns(2, amount=pa.array([100, 0], pa.int64())))
    wide = [Decimal("12.3400000000"), Decimal("12.3450000000")]
    write(
        src,
        "transactions/wide.parquet",
        txns(2, txn_id=pa.array(["W0", "W1"]), amount=pa.array(wide, pa.decimal128(38, 10))),
    )
    floats = [100.1, 0.1 + 0.2, 19.99, float("nan"), 1e15]
    write(
        src,
        "transactions/floats.parquet",
        txns(
            5, txn_id=pa.array([f"F{i}" for i in range(5)]), amount=pa.array(floats, pa.float64())
        ),
    )
    result = import_folder(settings, src)
    amounts = {r[0]: r[4] for r in rows(settings, "transactions")}
    assert amounts == {
        "T0": Decimal("100.00"),
        "W0": Decimal("12.34"),
        "F0": Decimal("100.10"),
        "F2": Decimal("19.99"),
    }
    why = {(Path(r.file).name, r.line): r.reason for r in result.rejected}
    assert why[("ints.parquet", 2)].startswith("must be greater than 0")
    assert why[("wide.parquet", 2)].startswith("more than 2 decimal places")
    assert "not an exact number of cents" in why[("floats.parquet", 2)]
    assert "not an exact number of cents" in why[("floats.parquet", 4)]
    assert "not an exact number of cents" in why[("floats.parquet", 5)]  # beyond 2**46
    assert len(why) == 5


def test_timestamps_with_zones_units_and_dates(settings: Settings, tmp_path: Path) -> None:
    src = tmp_path / "in"
    shanghai = pa.array([datetime(2024, 3, 1, 8, 0)], pa.timestamp("us", tz="UTC"))
    shanghai = shanghai.cast(pa.timestamp("us", tz="Asia/Shanghai"))
    write(src, "transactions/tz.parquet", txns(1, ts=shanghai))
    nanos = pa.array([datetime(2024, 3, 1, 8, 0, 0, 123456)], pa.timestamp("ns"))
    write(src, "transactions/ns.parquet", txns(1, txn_id=pa.array(["N"]), ts=nanos))
    dates = pa.array([date(2024, 3, 1)], pa.date32())
    write(src, "transactions/date.parquet", txns(1, txn_id=pa.array(["D"]), ts=dates))
    texts = pa.array(["2024-03-01T16:00:00+08:00"], pa.large_string())
    write(src, "transactions/text.parquet", txns(1, txn_id=pa.array(["S"]), ts=texts))
    assert import_folder(settings, src).rejected_count == 0
    assert {r[0]: r[1] for r in rows(settings, "transactions")} == {
        "T0": datetime(2024, 3, 1, 8, 0),
        "N": datetime(2024, 3, 1, 8, 0, 0, 123456),
        "D": datetime(2024, 3, 1),
        "S": datetime(2024, 3, 1, 8, 0),
    }


def test_string_kinds_and_numeric_ids(settings: Settings, tmp_path: Path) -> None:
    src = tmp_path / "in"
    table = txns(
        3,
        txn_id=pa.array(["T0", "T1", "T2"], pa.large_string()),
        src_account=pa.array([6222020000000001, 6222020000000002, 6222020000000003], pa.int64()),
        dst_account=pa.array([6.222e15, 6.2220200000000015e15, 1.5], pa.float64()),
        channel=pa.array(["Transfer", "pos", "ATM_withdrawal"]).dictionary_encode(),
    )
    write(src, "transactions.parquet", table)
    result = import_folder(settings, src)
    got = {r[0]: (r[2], r[3], r[6]) for r in rows(settings, "transactions")}
    assert got == {
        "T0": ("6222020000000001", "6222000000000000", "transfer"),
        "T1": ("6222020000000002", "6222020000000002", "pos"),
    }
    (reject,) = result.rejected
    assert (reject.line, reject.field) == (3, "dst_account")
    assert "floating-point number where text was expected" in reject.reason


def test_extra_columns_of_any_type_are_kept_as_strict_json(
    settings: Settings, tmp_path: Path
) -> None:
    def strict(text: str) -> object:
        def refuse(token: str) -> object:
            raise ValueError(f"not JSON: {token}")

        return json.loads(text, parse_constant=refuse)

    table = txns(
        3,
        score=pa.array([float("nan"), float("inf"), 0.25]),
        blob=pa.array([b"\x00", None, b"z"]),
        tags=pa.array([["a"], [], None], pa.list_(pa.string())),
        meta=pa.array([{"x": 1}, None, {"x": 2}], pa.struct([("x", pa.int32())])),
        seen=pa.array([datetime(2024, 1, 1, 8)] * 3, pa.timestamp("ns", tz="UTC")),
    )
    write(tmp_path / "in", "transactions.parquet", table)
    assert import_folder(settings, tmp_path / "in").rejected_count == 0
    extra = {r[0]: strict(str(r[7])) for r in rows(settings, "transactions")}
    assert [e["score"] for e in extra.values()] == ["nan", "inf", 0.25]  # type: ignore[index]
    assert extra["T0"] == {
        "score": "nan",
        "blob": "\\x00",
        "tags": ["a"],
        "meta": {"x": 1},
        "seen": "2024-01-01 08:00:00+00",
    }


def test_durations_lists_and_birth_dates(settings: Settings, tmp_path: Path) -> None:
    src = tmp_path / "in"
    calls = pa.table(
        {
            "call_id": ["C1", "C2", "C3"],
            "ts": pa.array([datetime(2024, 1, 1)] * 3, pa.timestamp("ms", tz="UTC")),
            "caller": ["1", "1", "1"],
            "callee": ["2", "2", "2"],
            "duration_s": pa.array([30.0, 30.5, None], pa.float64()),  # pandas: ints with NaN
        }
    )
    write(src, "calls.parquet", calls)
    reports = pa.table(
        {
            "report_id": ["R1", "R2"],
            "ts": pa.array([datetime(2024, 1, 2)] * 2, pa.timestamp("s")),
            "victim_account": ["A", "A"],
            "fraud_txn_ids": pa.array([["T1", " T2 "], []], pa.large_list(pa.large_string())),
        }
    )
    write(src, "reports.parquet", reports)
    persons = pa.table(
        {
            "person_id": ["P1"],
            "birth_date": pa.array([datetime(1990, 5, 17)], pa.timestamp("ms")),
        }
    )
    write(src, "persons.parquet", persons)
    result = import_folder(settings, src)
    assert [(r[0], r[4]) for r in rows(settings, "calls")] == [("C1", 30)]
    assert [(r[0], r[4]) for r in rows(settings, "reports")] == [("R1", ["T1", "T2"])]
    assert rows(settings, "persons")[0][3] == date(1990, 5, 17)
    assert {(Path(r.file).name, r.line, r.field) for r in result.rejected} == {
        ("calls.parquet", 2, "duration_s"),
        ("calls.parquet", 3, "duration_s"),
        ("reports.parquet", 2, "fraud_txn_ids"),
    }


def test_partitioned_folders_and_a_mix_of_csv_and_parquet(
    settings: Settings, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    write(src, "transactions/date=2024-01-01/part-0.parquet", txns(2))
    write(
        src,
        "transactions/date=2024-01-02/part-0.parquet",
        txns(2, txn_id=pa.array(["X0", "X1"]), amount=pa.array([5, -5], pa.int32())),
    )
    put(src / "transactions", "late.csv", HEADER + "L1,2024-01-03,A,B,7\n")
    put(src, "accounts.csv", "account_id,kind\nA,bank_card\nB,payment\n")
    put(src, "notes.txt", "not a table")
    result = import_folder(settings, src)
    assert result.imported == {"accounts": 2, "transactions": 4}
    (reject,) = result.rejected
    assert reject.file.endswith("date=2024-01-02/part-0.parquet") and reject.line == 2
    assert result.ignored == [str(src / "notes.txt")]
    assert import_folder(settings, src).imported == {"accounts": 0, "transactions": 0}


def test_an_unreadable_parquet_file_is_reported_and_the_rest_imports(
    settings: Settings, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    put(src, "calls.parquet", b"PAR1 this is not really parquet")
    put(src, "accounts.csv", "account_id\nA\n")
    result = import_folder(settings, src)
    assert result.imported == {"accounts": 1, "calls": 0}
    (reject,) = result.rejected
    assert reject.file.endswith("calls.parquet") and "cannot read Parquet file" in reject.reason


def test_a_damaged_parquet_page_refuses_that_file_only(settings: Settings, tmp_path: Path) -> None:
    src = tmp_path / "in"
    ids = pa.array([f"T{i:07d}" for i in range(50_000)])
    path = write(
        src,
        "transactions.parquet",
        txns(50_000, txn_id=ids, ts=pa.array([datetime(2024, 1, 1)] * 50_000, pa.timestamp("us"))),
    )
    data = bytearray(path.read_bytes())
    middle = len(data) // 3
    data[middle : middle + 64] = b"\xff" * 64  # the footer still describes the file
    path.write_bytes(bytes(data))
    put(src, "accounts.csv", "account_id\nA\n")
    result = import_folder(settings, src)
    assert result.imported == {"accounts": 1, "transactions": 0}
    (reject,) = result.rejected
    assert reject.file == str(path) and reject.reason.startswith("cannot read Parquet file")


def test_a_large_parquet_file_goes_in_batches_with_exact_rows(
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr("chaincut.ingest.check.BATCH_ROWS", 1000)
    n = 4_500
    amounts = pa.array(
        [Decimal(-1 if i % 997 == 5 else 1 + i) for i in range(n)], pa.decimal128(18, 2)
    )
    ids = pa.array([f"T{(i * 7919) % n:06d}" for i in range(n)])  # unsorted, all different
    write(tmp_path / "in", "transactions.parquet", txns(n, txn_id=ids, amount=amounts))
    with caplog.at_level(logging.INFO, logger="chaincut.ingest.check"):
        result = import_folder(settings, tmp_path / "in")
    assert "taken in batches" in caplog.text
    bad = [i + 1 for i in range(n) if i % 997 == 5]
    assert sorted(r.line or 0 for r in result.rejected) == bad
    assert result.imported == {"transactions": n - len(bad)}
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="chaincut.ingest.check"):
        again = import_folder(settings, tmp_path / "in")  # every key in the lake: merged
    assert "merged with the lake" in caplog.text
    assert again.tables["transactions"].unchanged == n - len(bad)
    assert again.imported == {"transactions": 0}
    assert sorted(r.line or 0 for r in again.rejected) == bad


def test_a_large_reimport_is_merged_batch_by_batch_like_a_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New rows, unchanged rows, changed rows and bad rows spread over several batches give the
    same lake, counts and rejects (with their row numbers) as the file taken whole."""
    n = 3_000

    def amounts(changed: bool) -> pa.Array:
        values = [
            Decimal(-1)
            if i % 701 == 3
            else Decimal(2 + i if changed and i % 499 == 7 else 1 + i).scaleb(-2)
            for i in range(n)
        ]
        return pa.array(values, pa.decimal128(18, 2))

    ids = pa.array([f"T{(i * 7919) % n:06d}" for i in range(n)])
    first = txns(n, txn_id=ids, amount=amounts(False)).slice(0, 2_000)  # the rest is new later
    second = txns(n, txn_id=ids, amount=amounts(True))
    results, lakes = [], []
    for batch in (10**9, 700):
        monkeypatch.setattr("chaincut.ingest.check.BATCH_ROWS", batch)
        settings = Settings(home=tmp_path / f"home-{batch}")
        write(tmp_path / f"one-{batch}", "transactions.parquet", first)
        write(tmp_path / f"two-{batch}", "transactions.parquet", second)
        import_folder(settings, tmp_path / f"one-{batch}")
        results.append(import_folder(settings, tmp_path / f"two-{batch}"))
        lakes.append(sorted(rows(settings, "transactions")))
    whole, batched = results
    assert lakes[0] == lakes[1]
    new_good = len([i for i in range(2_000, n) if i % 701 != 3])
    assert batched.imported == whole.imported == {"transactions": new_good}
    assert batched.tables["transactions"].unchanged == whole.tables["transactions"].unchanged
    changed = [r for r in whole.rejected if "already imported" in r.reason]
    assert len(changed) == len([i for i in range(2_000) if i % 499 == 7 and i % 701 != 3])
    assert [(r.line, r.field, r.reason) for r in batched.rejected] == [
        (r.line, r.field, r.reason) for r in whole.rejected
    ]


def test_a_large_reimport_of_accounts_updates_batch_by_batch_like_a_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reference rows taken in batches are updated (and counted) as when the file is whole."""
    n = 2_500
    ids = pa.array([f"A{(i * 7919) % n:05d}" for i in range(n)])

    def accounts(version: int) -> pa.Table:
        banks = [f"bank-{version if i % 7 == 2 else 0}" for i in range(n)]
        return pa.table({"account_id": ids, "institution": pa.array(banks)})

    results, lakes = [], []
    for batch in (10**9, 600):
        monkeypatch.setattr("chaincut.ingest.check.BATCH_ROWS", batch)
        settings = Settings(home=tmp_path / f"home-{batch}")
        write(tmp_path / f"one-{batch}", "accounts.parquet", accounts(0).slice(0, 1_800))
        write(tmp_path / f"two-{batch}", "accounts.parquet", accounts(1))
        import_folder(settings, tmp_path / f"one-{batch}")
        results.append(import_folder(settings, tmp_path / f"two-{batch}"))
        lakes.append(rows(settings, "accounts"))
    whole, batched = results
    assert lakes[0] == lakes[1]
    assert len(lakes[1]) == n
    assert batched.imported == whole.imported == {"accounts": n - 1_800}
    updated = len([i for i in range(1_800) if i % 7 == 2])
    assert batched.tables["accounts"].updated == whole.tables["accounts"].updated == updated
    assert batched.tables["accounts"].unchanged == 1_800 - updated
