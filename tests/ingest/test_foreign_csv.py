"""CSV written the way other tools write it: Excel, pandas, exports from banks' systems."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from chaincut.ingest import import_folder
from chaincut.settings import Settings

HEADER = "txn_id,ts,src_account,dst_account,amount\n"


def rows(settings: Settings, table: str, order: str = "1") -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(settings.lake_path), read_only=True)
    try:
        return con.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()  # noqa: S608 - the test's own names
    finally:
        con.close()


def put(folder: Path, name: str, data: bytes | str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_excel_utf8_with_bom_and_crlf(settings: Settings, tmp_path: Path) -> None:
    text = (
        "txn_id,ts,src_account,dst_account,amount\r\n"
        "T1,2024-01-01 08:00:00,A,B,100\r\n"
        "T2,2024-01-01 09:00:00,A,B\r\n"
        "T3,2024-01-01 10:00:00,A,B,abc\r\n"
        "T4,2024-01-01 11:00:00,A,B,5.5\r\n"
    )
    put(tmp_path / "in", "transactions.csv", b"\xef\xbb\xbf" + text.encode())
    result = import_folder(settings, tmp_path / "in")
    assert result.imported == {"transactions": 2}
    assert [(r.line, r.field) for r in result.rejected] == [(3, ""), (4, "amount")]
    assert [r[0] for r in rows(settings, "transactions")] == ["T1", "T4"]  # no BOM in the id


def test_quoted_newlines_and_commas_keep_values_and_lines(
    settings: Settings, tmp_path: Path
) -> None:
    text = (
        "msg_id,ts,sender,receiver,text\n"
        'M1,2024-01-01,a,b,"您好,\n您的快递\n已到"\n'
        '"M2",2024-01-01,a,b,"say ""hi"", then go"\n'
        "M3,yesterday,a,b,x\n"
        "\n"
        'M4,2024-01-01,a,b,"one\r\ntwo"\n'
        "M5,2024-01-01,a,b\n"
        "M6,2024-01-01,,b,x\n"
    )
    put(tmp_path / "in", "messages.csv", text)
    result = import_folder(settings, tmp_path / "in")
    got = {(r.line, r.field) for r in result.rejected}
    assert got == {(6, "ts"), (10, ""), (11, "sender")}
    texts = {r[0]: r[4] for r in rows(settings, "messages")}
    assert texts == {"M1": "您好,\n您的快递\n已到", "M2": 'say "hi", then go', "M4": "one\r\ntwo"}


def test_header_only_and_empty_files(settings: Settings, tmp_path: Path) -> None:
    put(tmp_path / "in", "transactions.csv", HEADER)
    put(tmp_path / "in", "calls.csv", "call_id,ts,caller,callee,duration_s")  # no newline
    put(tmp_path / "in", "messages.csv", "")
    result = import_folder(settings, tmp_path / "in")
    assert result.imported == {"transactions": 0, "calls": 0, "messages": 0}
    assert [(Path(r.file).name, r.line) for r in result.rejected] == [("messages.csv", 1)]
    assert result.rejected[0].reason.startswith("no header row")


def test_columns_in_another_order_any_case_extras_kept(settings: Settings, tmp_path: Path) -> None:
    put(
        tmp_path / "in",
        "transactions.csv",
        " Amount ,DST_ACCOUNT,Branch,txn_id,src_account,TS,channel,currency,extra\n"
        "12.30,B,Shenzhen 1,T1,A,2024-01-01,Transfer,,kept too\n",
    )
    result = import_folder(settings, tmp_path / "in")
    assert result.rejected_count == 0
    (row,) = rows(settings, "transactions")
    assert row[:7] == ("T1", datetime(2024, 1, 1), "A", "B", Decimal("12.30"), "CNY", "transfer")
    assert json.loads(str(row[7])) == {"Branch": "Shenzhen 1", "extra": "kept too"}


def test_a_trailing_delimiter_adds_nothing_but_its_values(
    settings: Settings, tmp_path: Path
) -> None:
    # bank exports often end every line with a comma: a sixth column with a blank name
    lines = ["T1,2024-01-01,A,B,1,", "T2,2024-01-01,A,B,2,stray", "T3,2024-01-01,A,B,3,"]
    put(tmp_path / "in", "transactions.csv", HEADER.strip() + ",\n" + "\n".join(lines) + "\n")
    body = "txn_id,ts,src_account,dst_account,amount,Branch,\nT4,2024-01-01,A,B,4,SZ,\n"
    put(tmp_path / "named", "transactions.csv", body)
    for folder in ("in", "named"):
        assert import_folder(settings, tmp_path / folder).rejected_count == 0
    # an unterminated quote sends the file to Python's csv module: the same names and values
    body = HEADER.strip() + ',\nT5,2024-01-01,A,B,5,\nT6,2024-01-01,A,B,6,x\nT7,"\n'
    put(tmp_path / "python", "transactions.csv", body)
    assert [r.line for r in import_folder(settings, tmp_path / "python").rejected] == [4]
    body = 'txn_id,ts,src_account,dst_account,amount,Branch\nT8,2024-01-01,A,B,8,\nT9,"\n'
    put(tmp_path / "python-named", "transactions.csv", body)
    assert [r.line for r in import_folder(settings, tmp_path / "python-named").rejected] == [3]
    extra = {r[0]: r[7] and json.loads(str(r[7])) for r in rows(settings, "transactions")}
    assert extra == {
        **{"T1": None, "T2": {"column5": "stray"}, "T3": None, "T4": {"Branch": "SZ"}},
        **{"T5": None, "T6": {"column5": "x"}, "T8": {"Branch": None}},
    }


def test_a_column_twice_in_the_header_refuses_the_file(settings: Settings, tmp_path: Path) -> None:
    put(tmp_path / "in", "transactions.csv", HEADER.strip() + ",Amount\nT1,2024-01-01,A,B,5,6\n")
    put(tmp_path / "in", "accounts.csv", "account_id\nA\n")
    result = import_folder(settings, tmp_path / "in")
    assert result.imported == {"accounts": 1, "transactions": 0}
    (reject,) = result.rejected
    assert (reject.line, reject.field) == (1, "amount")
    assert "appears 2 times in the header" in reject.reason


def test_a_semicolon_file_is_refused_with_a_hint(settings: Settings, tmp_path: Path) -> None:
    put(tmp_path / "in", "accounts.csv", "account_id;kind\nA;bank_card\n")
    (reject,) = import_folder(settings, tmp_path / "in").rejected
    assert (reject.line, reject.field) == (1, "account_id")
    assert "separated by ';'" in reject.reason


def test_timestamps_with_offsets_zones_and_dates(settings: Settings, tmp_path: Path) -> None:
    stamps = {
        "T1": ("2024-03-01T08:15:02Z", datetime(2024, 3, 1, 8, 15, 2)),
        "T2": ("2024-03-01 16:15:02+08:00", datetime(2024, 3, 1, 8, 15, 2)),
        "T3": ("2024-03-01T16:15:02+0800", datetime(2024, 3, 1, 8, 15, 2)),
        "T4": ("2024-03-01 08:15:02", datetime(2024, 3, 1, 8, 15, 2)),
        "T5": ("2024-03-01", datetime(2024, 3, 1)),
        "T6": ("2024-03-01T03:15:02.250-05:00", datetime(2024, 3, 1, 8, 15, 2, 250000)),
        "T7": ("2024-03-01 16:15:02 Asia/Shanghai", datetime(2024, 3, 1, 8, 15, 2)),
        "T8": ("2024-03-01T08:15", datetime(2024, 3, 1, 8, 15)),
        "T9": ("2024-03-01 08:15:02 UTC", datetime(2024, 3, 1, 8, 15, 2)),
        "TA": ("2024-03-01T08:15:02 gmt", datetime(2024, 3, 1, 8, 15, 2)),
        "TB": ("2024/3/1 16:15:02+08:00", datetime(2024, 3, 1, 8, 15, 2)),
        "TC": ("2024/03/01 08:15", datetime(2024, 3, 1, 8, 15)),
        "TD": ("2024-03-01 16:15:02 +0800", datetime(2024, 3, 1, 8, 15, 2)),
        "TE": ("2024-03-01T03:15:02 -05:00", datetime(2024, 3, 1, 8, 15, 2)),
    }
    bad = {"B1": "2024-02-30", "B2": "1709280902", "B3": "01/03/2024 08:15", "B4": "yesterday"}
    lines = [f"{k},{v[0]},A,B,1" for k, v in stamps.items()] + [
        f"{k},{v},A,B,1" for k, v in bad.items()
    ]
    put(tmp_path / "in", "transactions.csv", HEADER + "\n".join(lines) + "\n")
    result = import_folder(settings, tmp_path / "in")
    assert {r[0]: r[1] for r in rows(settings, "transactions")} == {
        k: v[1] for k, v in stamps.items()
    }
    assert sorted(r.line or 0 for r in result.rejected) == [16, 17, 18, 19]
    assert all(r.reason.startswith("not an ISO-8601 timestamp") for r in result.rejected)


def test_ambiguous_zone_abbreviations_are_refused(settings: Settings, tmp_path: Path) -> None:
    # the zone-aware parser would read CST as US Central: a Chinese export means UTC+8
    lines = [
        "C1,2024-03-01 16:15:02 CST,A,B,1",
        "C2,2024-03-01T16:15:02IST,A,B,1",
        "C3,2024/3/1 8:15 CST,A,B,1",
        "C4,2024-03-01 PRC,A,B,1",
    ]
    put(tmp_path / "in", "transactions.csv", HEADER + "\n".join(lines) + "\n")
    result = import_folder(settings, tmp_path / "in")
    assert rows(settings, "transactions") == []
    assert [(r.line, r.field) for r in result.rejected] == [(n, "ts") for n in range(2, 6)]
    assert all("ambiguous time-zone abbreviation" in r.reason for r in result.rejected)
    assert "+08:00" in result.rejected[0].reason


def test_amounts_are_exact_decimals_or_rejected(settings: Settings, tmp_path: Path) -> None:
    good = {"100": "100.00", "100.5": "100.50", " 7.25 ": "7.25", "12.300": "12.30", ".5": "0.50"}
    bad = {
        "1e3": "not a decimal number",
        "1,000.00": "not a decimal number",
        "¥100": "not a decimal number",
        "1.005": "more than 2 decimal places",
        "100.00000000000000000001": "more than 2 decimal places",
        "0": "must be greater than 0",
        "-5": "must be greater than 0",
        "12345678901234567": "too large",
    }
    lines = [f'T{i},2024-01-01,A,B,"{v}"' for i, v in enumerate([*good, *bad])]
    put(tmp_path / "in", "transactions.csv", HEADER + "\n".join(lines) + "\n")
    result = import_folder(settings, tmp_path / "in")
    stored = [r[4] for r in rows(settings, "transactions", "txn_id")]
    assert sorted(stored) == sorted(Decimal(v) for v in good.values())
    reasons = {r.line: r.reason for r in result.rejected}
    for i, (_value, why) in enumerate(bad.items(), start=len(good) + 2):
        assert reasons[i].startswith(why), (i, reasons[i])
    assert len(reasons) == len(bad)


def test_durations_whole_numbers_as_spreadsheets_write_them(
    settings: Settings, tmp_path: Path
) -> None:
    put(
        tmp_path / "in",
        "calls.csv",
        "call_id,ts,caller,callee,duration_s\n"
        "C1,2024-01-01,1,2,30\nC2,2024-01-01,1,2,30.0\nC3,2024-01-01,1,2,30.5\n"
        "C4,2024-01-01,1,2,-1\nC5,2024-01-01,1,2,1e2\n",
    )
    result = import_folder(settings, tmp_path / "in")
    assert [(r[0], r[4]) for r in rows(settings, "calls")] == [("C1", 30), ("C2", 30)]
    assert {r.line: r.reason.split(":")[0].split(",")[0] for r in result.rejected} == {
        4: "not a whole number",
        5: "must not be negative",
        6: "not a whole number",
    }


def test_tsv_gzip_and_a_gb18030_file(settings: Settings, tmp_path: Path) -> None:
    src = tmp_path / "in"
    put(src, "calls.tsv", "call_id\tts\tcaller\tcallee\tduration_s\nC1\t2024-01-01\t1\t2\t3\n")
    put(src, "transactions.csv.gz", gzip.compress((HEADER + "T1,2024-01-01,A,B,1\n").encode()))
    gbk = "account_id,institution\nA,中国工商银行\nB,招商银行\n".encode("gb18030")
    path = put(src, "accounts.csv", gbk)
    result = import_folder(settings, src)
    assert result.imported == {"accounts": 0, "transactions": 1, "calls": 1}
    assert {(r.file, r.line) for r in result.rejected} == {(str(path), 2), (str(path), 3)}
    assert all("not valid UTF-8" in r.reason for r in result.rejected)


def test_phone_numbers_lose_their_separators_and_ids_stay_as_written(
    settings: Settings, tmp_path: Path
) -> None:
    put(tmp_path / "in", "calls.csv", "call_id,ts,caller,callee,duration_s\n"
        "C1,2024-01-01,+86 138-0000 5678,(010) 1234-5678,60\n"
        "C2,2024-01-01,13800005678,im:12 34,5\n"
        "C3,2024-01-01,+8613800005678,400.123.4567,5\n")  # fmt: skip
    put(tmp_path / "in", "persons.csv", "person_id,phone\nP1,138 0000 5678\nP2,\n")
    result = import_folder(settings, tmp_path / "in")
    assert result.imported == {"calls": 3, "persons": 2}
    assert [r[2:4] for r in rows(settings, "calls")] == [
        ("+8613800005678", "01012345678"),
        ("+8613800005678", "im:12 34"),  # a mobile in E.164; an IM id is kept as written
        ("+8613800005678", "4001234567"),
    ]
    assert [(r[0], r[4]) for r in rows(settings, "persons")] == [
        ("P1", "+8613800005678"),
        ("P2", None),
    ]
    assert result.warnings == []  # one form: nothing to warn about
    again = import_folder(settings, tmp_path / "in")  # importing twice changes nothing
    assert again.imported == {"calls": 0, "persons": 0}
    assert again.as_dict()["unchanged"] == {"calls": 3, "persons": 2}


def test_one_form_of_numbers_raises_no_warning(settings: Settings, tmp_path: Path) -> None:
    put(tmp_path / "in", "messages.csv", "msg_id,ts,sender,receiver,text\n"
        "M1,2024-01-01,+8613800005678,+8613900001111,hi\n")  # fmt: skip
    assert import_folder(settings, tmp_path / "in").warnings == []


def test_rows_a_file_holds_twice_are_counted_so_the_counts_add_up(
    settings: Settings, tmp_path: Path
) -> None:
    put(tmp_path / "in", "calls.csv", "call_id,ts,caller,callee,duration_s\n"
        "C1,2024-01-01,+8613800005678,+8613900001111,60\n"
        "C1,2024-01-01,+8613800005678,+8613900001111,60\n"
        "C1,2024-01-01,+8613800005678,+8613900001111,61\n"
        "C2,2024-01-01,+8613800005678,+8613900001111,5\n")  # fmt: skip
    result = import_folder(settings, tmp_path / "in")
    c = result.tables["calls"]
    assert (c.read, c.imported, c.rejected, c.repeated) == (4, 2, 1, 1)
    assert c.read == c.imported + c.updated + c.unchanged + c.rejected + c.repeated
    assert result.as_dict()["repeated"] == {"calls": 1}
