"""What `chaincut import` tells a new user about a foreign world broken the ways real exports
break (round thirteen): alike problems on one line so that a GBK file hides no other file's
problem, a transaction dated before its account was opened pointed out, counts in English."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import chaincut.cli.commands_lake  # noqa: F401  (registers the command)
from chaincut.cli.app import app
from chaincut.cli.commands_lake import line_ranges
from chaincut.ingest import import_folder
from chaincut.settings import Settings, load_settings
from tests.ingest.test_foreign_csv import put, rows


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(home=tmp_path / "home")


def test_a_gbk_file_is_one_problem_and_hides_no_other(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    names = "宋涵秀罗宇沈飞黄谢玉桂梁辉吕霞静于伟桐胡军任平李涛"  # a foreign world's persons
    persons = "person_id,name\n" + "".join(f"P{i},{names[i % 20 :][:3]}\n" for i in range(30))
    folder.mkdir()
    (folder / "persons.csv").write_bytes(persons.encode("gb18030"))
    put(folder, "transactions.csv", "txn_id,ts,src_account,dst_account,amount\n"
        'T1,2024-01-01,A,B,"1,234.50"\nT2,2024-01-01,A,B,10.00\n')  # fmt: skip
    ran = CliRunner().invoke(app, ["import", str(folder), "--home", str(tmp_path / "h")])
    assert ran.exit_code == 2
    lines = [line.strip() for line in ran.output.splitlines()]
    assert "31 problems:" in lines  # all of them below, in two lines
    gbk = [line for line in lines if line.startswith(f"{folder / 'persons.csv'}:2-31 (30 lines)")]
    assert len(gbk) == 1 and "not valid UTF-8" in gbk[0], ran.output
    amount = f"{folder / 'transactions.csv'}:2 [amount]: not a decimal number: '1,234.50'"
    assert any(line.startswith(amount) for line in lines), ran.output


def test_line_ranges() -> None:
    assert line_ranges([2, 3, 4, 7, 9, 10], 6) == "2-4, 7, 9-10"
    assert line_ranges([5], 1) == "5"
    assert line_ranges([1, 3, 5, 7, 9, 11, 13], 7) == "1, 3, 5, 7, 9, 11, ..."
    assert line_ranges([2, 3], 5) == "2-3, ..."  # the group holds lines not returned


def test_a_transaction_before_its_account_was_opened_imports_with_a_warning(
    settings: Settings, tmp_path: Path
) -> None:
    put(tmp_path / "in", "accounts.csv", "account_id,opened_at\nA,2024-03-01T00:00:00\nB,\n")
    put(tmp_path / "in", "transactions.csv", "txn_id,ts,src_account,dst_account,amount\n"
        "T1,2024-03-01T07:00:00+08:00,A,B,10.00\n"  # 23:00 UTC the day before: too early
        "T2,2024-03-01T09:00:00+08:00,B,A,10.00\n"  # 01:00 UTC: after
        "T3,2020-01-01,B,C,10.00\n")  # fmt: skip
    result = import_folder(settings, tmp_path / "in")
    assert result.rejected == [] and [r[0] for r in rows(settings, "transactions")] == [
        "T1", "T2", "T3"]  # fmt: skip
    (warned,) = result.warnings
    assert warned.startswith("1 transaction is dated before an account it moves money from or "
                             "to was opened (T1 of 2024-02-29 23:00 and A opened 2024-03-01 00:00)")  # fmt: skip
    # money paid into the account before it was opened counts too, each transaction once
    put(tmp_path / "more", "transactions.csv", "txn_id,ts,src_account,dst_account,amount\n"
        "T4,2024-02-01,A,A,10.00\n")  # fmt: skip
    (warned,) = import_folder(settings, tmp_path / "more").warnings
    assert warned.startswith("2 transactions are dated before an account they move money from "
                             "or to was opened (T1 of 2024-02-29 23:00 and A opened")  # fmt: skip
    assert "T4 of 2024-02-01 00:00 and A opened 2024-03-01 00:00, T4 of" in warned


def test_counts_in_the_warnings_are_english(settings: Settings, tmp_path: Path) -> None:
    put(tmp_path / "in", "reports.csv", "report_id,ts,victim_account,fraud_txn_ids\n"
        "R1,2024-01-01,V,T9\nR2,2024-01-01,V,T8;T9\n")  # fmt: skip
    result = import_folder(settings, tmp_path / "in")
    assert result.warnings == [
        "report R1 names 1 transfer not in the lake (T9): it cannot be traced until it is imported",
        "report R2 names 2 transfers not in the lake (T8, T9): it cannot be traced until they "
        "are imported",
    ]
