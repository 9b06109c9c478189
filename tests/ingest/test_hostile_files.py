"""Hostile or broken files: each becomes a located reject of that file, the rest imports.

The cases a hostile tester tried (issue 17, items 6, 9 and 10): impossible timestamps, a
truncated gzip file, a dangling link, a link out of the folder, a named pipe, a header of
hundreds of thousands of columns, a Parquet file naming one column twice, identifiers made of
invisible or control characters, repeated ids in a report, a report naming unknown transfers.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from chaincut.ingest import import_folder
from chaincut.settings import Settings

ACCOUNTS = "account_id,kind\nA,bank_card\nB,bank_card\n"
HEADER = "txn_id,ts,src_account,dst_account,amount\n"


def put(folder: Path, name: str, data: bytes | str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def ids(settings: Settings, table: str, key: str) -> list[object]:
    con = duckdb.connect(str(settings.lake_path), read_only=True)
    try:
        return [r[0] for r in con.execute(f"SELECT {key} FROM {table} ORDER BY 1").fetchall()]  # noqa: S608 - the test's own names
    finally:
        con.close()


def reasons(result: object) -> dict[tuple[str, int | None], str]:
    return {(Path(r.file).name, r.line): r.reason for r in result.rejected}  # type: ignore[attr-defined]


def test_impossible_timestamps_are_refused_at_their_line(
    settings: Settings, tmp_path: Path
) -> None:
    lines = [
        "T1,2026-03-01T10:00:00+08:00,A,B,1",
        "T2,2026-03-01T10:00:00+25:00,A,B,1",
        "T3,2026-03-01T10:00:00+99:99,A,B,1",
        "T4,10000-01-01T00:00:00,A,B,1",
        "T5,0001-01-01 (BC),A,B,1",
        "T6,2026-03-01T10:00:00-03:30,A,B,1",
        "T7,1899-12-31T23:00:00,A,B,1",
    ]
    put(tmp_path / "in", "transactions.csv", HEADER + "\n".join(lines) + "\n")
    result = import_folder(settings, tmp_path / "in")
    assert ids(settings, "transactions", "txn_id") == ["T1", "T6"]
    why = reasons(result)
    assert "impossible UTC offset" in why[("transactions.csv", 3)]
    assert "impossible UTC offset" in why[("transactions.csv", 4)]
    for line in (5, 6, 8):
        assert "year outside 1900-2199" in why[("transactions.csv", line)]


def test_typed_parquet_timestamps_outside_the_years_are_refused(
    settings: Settings, tmp_path: Path
) -> None:
    from datetime import datetime

    table = pa.table(
        {
            "txn_id": ["T1", "T2"],
            "ts": pa.array([datetime(2026, 3, 1), datetime(2250, 1, 1)], pa.timestamp("us")),
            "src_account": ["A", "A"],
            "dst_account": ["B", "B"],
            "amount": ["1", "1"],
        }
    )
    (tmp_path / "in").mkdir()
    pq.write_table(table, tmp_path / "in" / "transactions.parquet")
    result = import_folder(settings, tmp_path / "in")
    assert ids(settings, "transactions", "txn_id") == ["T1"]
    assert "year outside" in reasons(result)[("transactions.parquet", 2)]


def test_bad_files_are_rejected_one_by_one_and_the_rest_imports(
    settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    put(folder, "accounts.csv", ACCOUNTS)
    whole = gzip.compress(
        ("call_id,ts,caller,callee,duration_s\n" + "C,2026-03-01,1,2,3\n" * 50).encode()
    )
    put(folder, "calls.csv.gz", whole[: len(whole) // 2])
    os.symlink(tmp_path / "missing.csv", folder / "persons.csv")
    secret = put(
        tmp_path, "secret.csv", "report_id,ts,victim_account,fraud_txn_ids\nSECRET,x,y,z\n"
    )
    os.symlink(secret, folder / "reports.csv")
    os.mkfifo(folder / "messages.csv")
    result = import_folder(settings, folder)
    assert result.imported["accounts"] == 2
    why = reasons(result)
    assert "gzip" in why[("calls.csv.gz", None)]
    assert "does not exist" in why[("persons.csv", None)]
    assert "outside the folder" in why[("reports.csv", None)]
    assert "named pipe" in why[("messages.csv", None)]
    # nothing of the file behind the link is echoed back
    assert not any("SECRET" in r.reason for r in result.rejected)


def test_a_header_of_thousands_of_columns_is_refused_before_reading(
    settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    put(folder, "accounts.csv", ACCOUNTS)
    put(folder, "persons.csv", ",".join(f"c{i}" for i in range(200_000)) + "\n")
    result = import_folder(settings, folder)
    assert result.imported["accounts"] == 2
    assert "more than 1,000 columns" in reasons(result)[("persons.csv", None)]


def test_a_parquet_file_naming_a_column_twice_is_refused(
    settings: Settings, tmp_path: Path
) -> None:
    table = pa.table(
        {
            "txn_id": ["T1"],
            "ts": ["2026-03-01T10:00:00"],
            "src_account": ["A"],
            "dst_account": ["B"],
            "amount": ["5"],
            "AMOUNT": ["7"],
        }
    )
    (tmp_path / "in").mkdir()
    pq.write_table(table, tmp_path / "in" / "transactions.parquet")
    result = import_folder(settings, tmp_path / "in")
    assert result.imported["transactions"] == 0
    assert "appears 2 times" in reasons(result)[("transactions.parquet", 1)]


@pytest.mark.parametrize("value", ["\u3000\u00a0", "\u200b", "\u2060\ufeff", "A\x01", "B\tC", "  "])
def test_identifiers_must_show_a_character_and_hold_no_control(
    settings: Settings, tmp_path: Path, value: str
) -> None:
    put(tmp_path / "in", "accounts.csv", f'account_id,kind\n"{value}",bank_card\nGOOD,bank_card\n')
    result = import_folder(settings, tmp_path / "in")
    assert ids(settings, "accounts", "account_id") == ["GOOD"]
    # blanks alone are trimmed to nothing by the reader: "missing required value"
    assert ("identifier" if value.strip(" ") else "missing") in reasons(result)[("accounts.csv", 2)]


def test_repeated_ids_in_a_report_count_once_and_unknown_ones_are_warned(
    settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    put(
        folder,
        "transactions.csv",
        HEADER + "G0,2026-03-01T10:00:00,A,B,5\nG1,2026-03-01T11:00:00,A,B,5\n",
    )
    put(
        folder,
        "reports.csv",
        "report_id,ts,victim_account,fraud_txn_ids\nR1,2026-03-02,A,G0;G0;G1;G0;G9\n",
    )
    result = import_folder(settings, folder)
    assert ids(settings, "reports", "fraud_txn_ids") == [["G0", "G1", "G9"]]
    (warning,) = result.warnings
    assert "R1" in warning and "G9" in warning
    assert result.as_dict()["warnings"] == [warning]
