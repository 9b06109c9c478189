"""The importer: precise rejects, exact values, idempotence, atomicity."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from chaincut.ingest import import_folder
from chaincut.lake.catalog import connect
from chaincut.settings import Settings
from tests.ingest.conftest import write

TXNS = (
    "txn_id,ts,src_account,dst_account,amount,note\n"
    'T1,2024-01-01T00:00:00Z,A,B,100.00,"multi\nline"\n'
    "T2,2024-01-01,A,B,abc,x\n"
    "T3,2024-01-01,A,B\n"
    "T4,2024-01-01,A,B,5,y,z\n"
    "T5,2024-01-01 10:00:00+08:00,A,B,1.005,ok\n"
    "T6,2024-01-02,A,,3,ok\n"
    'T1,2024-01-01T00:00:00Z,A,B,100.00,"multi\nline"\n'
    "T1,2024-01-01T00:00:00Z,A,B,101.00,x\n"
    "T7,2024-01-03T08:00:00+08:00,B,C,50.5,\n"
)


def dump(settings: Settings, table: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(settings.lake_path), read_only=True)
    try:
        return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()  # noqa: S608 - the test's own names
    finally:
        con.close()


def test_rejects_cite_file_line_field_and_reason(settings: Settings, tmp_path: Path) -> None:
    src = tmp_path / "in"
    path = write(src, "transactions.csv", TXNS)
    result = import_folder(settings, src)
    got = {(r.line, r.field): r.reason for r in result.rejected}
    assert all(r.file == str(path) for r in result.rejected)
    assert got[(4, "amount")].startswith("not a decimal number: 'abc' (write digits")
    assert "too few fields" in got[(5, "")]
    assert "too many fields" in got[(6, "")]
    assert "more than 2 decimal places" in got[(7, "amount")]
    assert got[(8, "dst_account")] == "missing required value"
    assert got[(11, "txn_id")] == "duplicate txn_id 'T1' with other values (first at line 2)"
    assert len(got) == 6
    assert result.imported == {"transactions": 2}
    assert result.tables["transactions"].rejected == 6
    assert result.rejects_file is not None and result.rejects_file.exists()
    assert result.rejects_file.read_text().count("\n") == 1 + 6


def test_values_are_typed_exactly(settings: Settings, tmp_path: Path) -> None:
    src = tmp_path / "in"
    write(src, "transactions.csv", TXNS)
    import_folder(settings, src)
    rows = {r[0]: r for r in dump(settings, "transactions")}
    assert rows["T1"][4] == Decimal("100.00")
    assert rows["T7"][4] == Decimal("50.50")
    # +08:00 is converted to UTC, naive timestamps stay UTC
    assert rows["T7"][1] == datetime(2024, 1, 3, 0, 0)
    assert rows["T1"][5] == "CNY"  # default currency
    assert '"note":"multi\\nline"' in rows["T1"][7]  # extra column kept


def test_second_import_changes_nothing(settings: Settings, tmp_path: Path) -> None:
    src = tmp_path / "in"
    write(src, "transactions.csv", TXNS)
    write(src, "accounts.csv", "account_id,kind,institution\nA,bank_card,ICBC\nB,payment,Alipay\n")
    first = import_folder(settings, src)
    before = {t: dump(settings, t) for t in ("transactions", "accounts")}
    second = import_folder(settings, src)
    assert sum(second.imported.values()) == 0
    assert second.tables["transactions"].unchanged == first.imported["transactions"]
    assert {t: dump(settings, t) for t in before} == before


def test_immutable_conflict_rejected_reference_updated(settings: Settings, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write(a, "transactions.csv", "txn_id,ts,src_account,dst_account,amount\nT1,2024-01-01,A,B,5\n")
    write(a, "accounts.csv", "account_id,kind\nA,bank_card\n")
    write(b, "transactions.csv", "txn_id,ts,src_account,dst_account,amount\nT1,2024-01-01,A,B,6\n")
    write(b, "accounts.csv", "account_id,kind\nA,payment\n")
    import_folder(settings, a)
    result = import_folder(settings, b)
    assert [(r.line, r.field) for r in result.rejected] == [(2, "amount")]
    assert "already imported" in result.rejected[0].reason
    assert dump(settings, "transactions")[0][4] == Decimal("5.00")
    assert result.tables["accounts"].updated == 1
    assert dump(settings, "accounts")[0][2] == "payment"


def test_missing_required_column_refuses_that_file_only(settings: Settings, tmp_path: Path) -> None:
    src = tmp_path / "in"
    write(src, "calls.csv", "call_id,ts,caller,duration_s\nC1,2024-01-01,+861,5\n")
    write(src, "accounts.csv", "account_id\nA\n")
    result = import_folder(settings, src)
    assert [(r.line, r.field) for r in result.rejected] == [(1, "callee")]
    assert "missing from the header" in result.rejected[0].reason
    assert result.imported == {"accounts": 1, "calls": 0}


def test_unterminated_quote_keeps_the_good_rows(settings: Settings, tmp_path: Path) -> None:
    src = tmp_path / "in"
    write(
        src,
        "transactions.csv",
        "txn_id,ts,src_account,dst_account,amount\n"
        'T1,2024-01-01,A,B,1\nT2,2024-01-01,A,B,"2\nT3,2024-01-02,A,B,3\n',
    )
    result = import_folder(settings, src)
    assert result.imported == {"transactions": 1}
    assert result.rejected[0].line == 3
    assert "unterminated quote" in result.rejected[0].reason


def test_parquet_imports_the_same_rows_as_csv(settings: Settings, tmp_path: Path) -> None:
    csv_dir, pq_dir = tmp_path / "csv", tmp_path / "pq"
    write(
        csv_dir,
        "reports.csv",
        "report_id,ts,victim_account,fraud_txn_ids,fraud_type\n"
        "R1,2024-01-02T00:00:00Z,A,T1;T7,fake_investment\n",
    )
    write(
        csv_dir,
        "transactions.csv",
        "txn_id,ts,src_account,dst_account,amount,channel\nT1,2024-01-01,A,B,12.30,transfer\n",
    )
    pq_dir.mkdir()
    pq.write_table(
        pa.table(
            {
                "report_id": ["R1"],
                "ts": pa.array([datetime(2024, 1, 2)], pa.timestamp("us", tz="UTC")),
                "victim_account": ["A"],
                "fraud_txn_ids": pa.array([["T1", "T7"]], pa.list_(pa.string())),
                "fraud_type": ["fake_investment"],
            }
        ),
        pq_dir / "reports.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "txn_id": ["T1"],
                "ts": pa.array([datetime(2024, 1, 1)], pa.timestamp("ms")),
                "src_account": ["A"],
                "dst_account": ["B"],
                "amount": pa.array([Decimal("12.30")], pa.decimal128(18, 2)),
                "channel": ["transfer"],
            }
        ),
        pq_dir / "transactions.parquet",
    )
    other = Settings(home=tmp_path / "home2")
    assert import_folder(settings, csv_dir).rejected_count == 0
    assert import_folder(other, pq_dir).rejected_count == 0
    for table in ("reports", "transactions"):
        assert dump(settings, table) == dump(other, table)


def test_parquet_rejects_cite_row_numbers(settings: Settings, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    pq.write_table(
        pa.table(
            {
                "call_id": ["C1", "C2"],
                "ts": ["2024-01-01", "x"],
                "caller": ["1", "2"],
                "callee": ["3", "4"],
                "duration_s": [5, -1],
            }
        ),
        src / "calls.parquet",
    )
    result = import_folder(settings, src)
    assert {(r.line, r.field) for r in result.rejected} == {(2, "ts"), (2, "duration_s")}
    assert result.tables["calls"].rejected == 1


def test_line_numbers_hold_on_large_files(settings: Settings, tmp_path: Path) -> None:
    """Past DuckDB's batch sizes, with records spanning lines, lines are still exact."""
    src = tmp_path / "in"
    src.mkdir()
    lines = ["msg_id,ts,sender,receiver,text"]
    expected_bad: list[int] = []
    line_no = 2
    for i in range(120_000):
        if i % 10_000 == 5:
            lines.append(f'M{i},2024-01-01,a,b,"two\nlines"')
            line_no += 2
        elif i % 25_000 == 7:
            lines.append(f"M{i},not-a-time,a,b,hi")
            expected_bad.append(line_no)
            line_no += 1
        else:
            lines.append(f"M{i},2024-01-01,a,b,hi")
            line_no += 1
    (src / "messages.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_folder(settings, src)
    assert [r.line for r in result.rejected] == expected_bad


def _lake_snapshot(home: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(home / "lake.duckdb"), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()  # noqa: S608 - constant names
            for t in ("transactions", "calls", "import_log", "rejects")
        }
    finally:
        con.close()


#: the CLI with the importer's test hook set to pause inside the transaction after each file
_PAUSING = """
import sys, time
from chaincut.ingest import importer
def pause(src):
    sys.stderr.write(f"chaincut: paused inside the import after {src.display}\\n")
    sys.stderr.flush()
    time.sleep(30)
importer.after_file = pause
from chaincut.cli import main
sys.argv[0] = "chaincut"
main()
"""


def test_killing_an_import_leaves_the_lake_as_it_was(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first, second = tmp_path / "first", tmp_path / "second"
    write(
        first, "transactions.csv", "txn_id,ts,src_account,dst_account,amount\nT0,2024-01-01,A,B,1\n"
    )
    rows = "\n".join(f"T{i},2024-01-01,A{i % 97},B{i % 89},{i}.25" for i in range(1, 50_000))
    write(second, "transactions.csv", "txn_id,ts,src_account,dst_account,amount\n" + rows + "\n")
    write(second, "calls.csv", "call_id,ts,caller,callee,duration_s\nC1,2024-01-01,1,2,3\n")
    cli = [sys.executable, "-m", "chaincut", "import", "--home", str(home), "--json"]
    subprocess.run([*cli, str(first)], check=True, capture_output=True)
    before = _lake_snapshot(home)
    pausing = [sys.executable, "-c", _PAUSING, *cli[3:]]
    proc = subprocess.Popen(
        [*pausing, str(second)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    # the importer announces its pause inside the transaction, after the first file's rows
    assert proc.stderr is not None
    line = proc.stderr.readline().decode()
    assert "paused inside the import" in line, line
    assert proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _lake_snapshot(home) == before
    # and the lake still works: the same import now goes through
    done = subprocess.run([*cli, str(second)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert len(_lake_snapshot(home)["transactions"]) == 50_000


def test_import_memory_is_capped_unless_configured(settings: Settings) -> None:
    """The importer's connection gets connect()'s cap: a quarter of RAM, or the setting."""

    def limit(s: Settings) -> int:
        con = connect(s)
        row = con.execute("SELECT current_setting('memory_limit')").fetchone()
        con.close()
        number, unit = str(row[0] if row else "").split()
        return int(float(number) * {"MiB": 2**20, "GiB": 2**30, "KiB": 2**10}[unit])

    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    capped = limit(settings.model_copy(update={"duckdb_memory_limit": None}))
    assert capped <= max(ram // 4, 1 << 30) * 1.01
    assert limit(settings.model_copy(update={"duckdb_memory_limit": "1536MiB"})) == 1536 << 20
