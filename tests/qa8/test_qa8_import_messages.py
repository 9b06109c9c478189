"""What `chaincut import` tells a newcomer whose bank export differs from the format (round
eight's run on hand-edited copies of a foreign world): each problem on one line as
docs/data-format.md writes it, and a refused date, timestamp or empty file says what to write."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.table import Table
from typer.testing import CliRunner

import chaincut.cli.commands_lake  # noqa: F401  (registers the command)
from chaincut.cli.app import app, table_console
from chaincut.ingest import import_folder
from chaincut.settings import load_settings
from tests.ingest.test_foreign_csv import put

HEADER = "txn_id,ts,src_account,dst_account,amount\n"


def test_each_problem_is_one_line_with_its_field_in_brackets(tmp_path: Path) -> None:
    put(tmp_path / "in", "transactions.csv", HEADER + 'T1,2024-01-01,A,B,"1,000.00"\n')
    ran = CliRunner().invoke(app, ["import", str(tmp_path / "in"), "--home", str(tmp_path / "h")])
    assert ran.exit_code == 2
    lines = ran.output.splitlines()
    assert "1 problem:" in lines
    expected = (
        "transactions.csv:2 [amount]: not a decimal number: '1,000.00' (write digits with an "
        "optional point: no exponent, thousands separator or currency sign)"
    )
    assert any(line.endswith(expected) for line in lines), ran.output


def test_a_refused_date_or_time_says_what_to_write(tmp_path: Path) -> None:
    values = ["2024-02-30T10:00:00", "03/05/2024 10:00", "20240305", "yesterday"]
    put(tmp_path / "in", "transactions.csv", HEADER + "".join(
        f"T{i},{v},A,B,1.00\n" for i, v in enumerate(values)
    ))  # fmt: skip
    put(tmp_path / "in", "persons.csv", "person_id,birth_date\nP1,1990-13-01\nP2,13/01/1990\n")
    result = import_folder(load_settings(home=tmp_path / "h"), tmp_path / "in")
    why = {(Path(r.file).stem, r.line): r.reason for r in result.rejected}
    assert "no such date" in why[("transactions", 2)]
    assert "day or month first" in why[("transactions", 3)]
    assert "bare number" in why[("transactions", 4)]
    assert "for example 2024-03-01 16:15:02+08:00" in why[("transactions", 5)]
    assert "no such date" in why[("persons", 2)]
    assert "day or month first" in why[("persons", 3)]
    assert all(r.startswith(("not an ISO-8601 timestamp: '", "not a date")) for r in why.values())


def test_an_empty_file_names_the_header_it_needs(tmp_path: Path) -> None:
    put(tmp_path / "in", "transactions.csv", "")
    result = import_folder(load_settings(home=tmp_path / "h"), tmp_path / "in")
    [reject] = result.rejected
    assert reject.line == 1 and reject.reason.startswith("no header row")
    assert "txn_id,ts,src_account,dst_account,amount" in reject.reason


def test_a_wide_table_is_printed_whole_into_a_pipe(capsys: pytest.CaptureFixture[str]) -> None:
    table = Table()
    for i in range(8):
        table.add_column(f"column {i}")
    table.add_row(*["6222020000000000001"] * 8)
    table_console(table).print(table)
    out = capsys.readouterr().out
    assert out.count("6222020000000000001") == 8 and "…" not in out


def test_a_folder_without_tables_is_bad_input_and_says_what_to_name_them(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    put(folder, "Transactions.xlsx", b"PK\x03\x04")
    put(folder, "transaction.csv", HEADER)
    put(folder, "notes.txt", "minutes")
    ran = CliRunner().invoke(app, ["import", str(folder), "--home", str(tmp_path / "h")])
    assert ran.exit_code == 2
    out = " ".join(ran.output.split())
    assert (
        "Transactions.xlsx: a spreadsheet is not read: save it as CSV UTF-8 named transactions.csv"
        in out
    )
    assert "transaction.csv: table names are lower case and exact: name it transactions.csv" in out
    assert "notes.txt:" not in out  # not meant as a table: listed as ignored only
    assert "no interchange table in" in out


def test_a_folder_with_a_table_and_a_stray_file_still_imports(tmp_path: Path) -> None:
    put(tmp_path / "in", "transactions.csv", HEADER + "T1,2024-01-01,A,B,1.00\n")
    put(tmp_path / "in", "readme.txt", "exported by the bank")
    ran = CliRunner().invoke(app, ["import", str(tmp_path / "in"), "--home", str(tmp_path / "h")])
    assert ran.exit_code == 0, ran.output
