"""A header written in Chinese (a centre's export: `账号` for account_id) is refused as before,
with what to rename (round ten's new-user run: the reason said only that account_id was
missing). The format's names stay English: nothing is renamed silently."""

from __future__ import annotations

from pathlib import Path

from chaincut.ingest import import_folder
from chaincut.settings import Settings
from tests.ingest.conftest import write


def test_a_chinese_header_says_what_to_rename(settings: Settings, tmp_path: Path) -> None:
    write(tmp_path / "in", "accounts.csv", "账号,holder_id,kind\nA1,P1,bank_card\n")
    write(tmp_path / "in", "transactions.csv",
          "交易流水号,交易时间,付款账号,收款账号,金额,备注\nT1,2024-01-01,A,B,5.00,x\n")  # fmt: skip
    result = import_folder(settings, tmp_path / "in")
    reasons = {(p.file.rsplit("/", 1)[-1], p.field): p.reason for p in result.rejected}
    assert "rename 账号 → account_id" in reasons[("accounts.csv", "account_id")]
    amount = reasons[("transactions.csv", "amount")]
    assert "rename" in amount and "金额 → amount" in amount and "交易时间 → ts" in amount
    assert "备注" not in amount.split("rename", 1)[1]  # only what maps to a missing column
    assert sum(result.imported.values()) == 0


def test_an_unknown_chinese_header_still_says_the_names_are_english(
    settings: Settings, tmp_path: Path
) -> None:
    write(tmp_path / "in", "accounts.csv", "编号甲,holder_id\nA1,P1\n")
    (problem,) = import_folder(settings, tmp_path / "in").rejected
    assert "column names are English" in problem.reason and "rename" not in problem.reason


def test_an_english_header_gets_no_chinese_hint(settings: Settings, tmp_path: Path) -> None:
    write(tmp_path / "in", "accounts.csv", "acct,holder_id\nA1,P1\n")
    (problem,) = import_folder(settings, tmp_path / "in").rejected
    assert "English" not in problem.reason
