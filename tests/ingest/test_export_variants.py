"""Files as a bank's or an operator's export writes them: what imports, and what is refused
with its file, line, field and a way out (docs/data-format.md)."""

from __future__ import annotations

import codecs
from pathlib import Path

from chaincut.ingest import import_folder
from chaincut.ingest.reader import UTF16
from chaincut.settings import Settings
from tests.ingest.test_foreign_csv import put, rows


def test_a_bank_export_imports_but_for_the_lines_it_names(
    settings: Settings, tmp_path: Path
) -> None:
    text = (
        "\ufeff渠道,Amount,TXN_ID, ts ,src_account,dst_account,备注\r\n"  # BOM, any order, extras
        "transfer,10.00,T1,2024-03-01T08:00:00+08:00,A,B,工资\r\n"
        "transfer,20.5,T2,2024/3/1 08:00:00,A,B,\r\n"  # Excel's year-first date: accepted
        'transfer,"1,234.50",T3,2024-03-01,A,B,\r\n'
        "transfer,¥88.00,T4,2024-03-01,A,B,\r\n"
        "transfer,5.00,T5,3/1/2024 08:00,A,B,\r\n"
        "transfer,7.00,T6,2024-03-01,A"  # cut short: the export stopped mid-line
    )
    path = put(tmp_path / "in", "transactions.csv", text)
    result = import_folder(settings, tmp_path / "in")
    assert [r[0] for r in rows(settings, "transactions")] == ["T1", "T2"]
    got = {(r.line, r.field) for r in result.rejected}
    assert got == {(4, "amount"), (5, "amount"), (6, "ts"), (7, "")}
    assert all(r.file == str(path) for r in result.rejected)
    assert result.as_dict()["rejected_count"] == 4  # nothing lost without a word


def test_a_tab_separated_csv_is_refused_with_the_way_out(
    settings: Settings, tmp_path: Path
) -> None:
    put(tmp_path / "in", "transactions.csv", "txn_id\tts\tsrc_account\tdst_account\tamount\n"
        "T1\t2024-03-01\tA\tB\t10.00\n")  # fmt: skip
    result = import_folder(settings, tmp_path / "in")
    assert result.imported == {"transactions": 0}
    assert result.rejected and all("name the file .tsv" in r.reason for r in result.rejected)
    put(tmp_path / "in", "transactions.tsv", (tmp_path / "in" / "transactions.csv").read_bytes())
    (tmp_path / "in" / "transactions.csv").unlink()
    assert import_folder(settings, tmp_path / "in").imported == {"transactions": 1}


def test_a_utf16_file_says_so(settings: Settings, tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + "account_id,kind\r\nA,bank_card\r\n".encode("utf-16-le")
    path = put(tmp_path / "in", "accounts.csv", data)
    result = import_folder(settings, tmp_path / "in")
    assert result.imported == {"accounts": 0}
    assert [(r.file, r.line, r.reason) for r in result.rejected] == [(str(path), 1, UTF16)]
