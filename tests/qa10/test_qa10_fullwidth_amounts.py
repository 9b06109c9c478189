"""An amount typed with a Chinese input method in full-width mode is the same exact amount (round
ten's new-user run: `１２３４.００` was refused as "not a decimal number ... no exponent,
thousands separator or currency sign", none of which it held). A full-width timestamp is
refused with a hint that names what is wrong."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from chaincut.ingest import import_folder
from chaincut.settings import load_settings
from tests.ingest.test_foreign_csv import put, rows

WIDE = str.maketrans("0123456789.+-,", "０１２３４５６７８９．＋－，")
HEAD = "txn_id,ts,src_account,dst_account,amount\n"


def test_full_width_amounts_are_the_ascii_amount(tmp_path: Path) -> None:
    settings = load_settings(home=tmp_path / "home")
    put(tmp_path / "in", "transactions.csv", HEAD
        + f"T1,2024-01-01,A,B,{'1234.00'.translate(WIDE)}\n"
        + f"T2,2024-01-01,A,B,{'12.5'.translate(WIDE)}\n"
        + "T3,2024-01-01,A,B,１２３４.５\n"  # full-width digits, ASCII point
        + "T4,2024-01-01,A,B,7.25\n")  # fmt: skip
    result = import_folder(settings, tmp_path / "in")
    assert result.rejected == []
    amounts = {r[0]: r[4] for r in rows(settings, "transactions")}
    assert amounts == {
        "T1": Decimal("1234.00"),
        "T2": Decimal("12.50"),
        "T3": Decimal("1234.50"),
        "T4": Decimal("7.25"),
    }
    again = import_folder(settings, tmp_path / "in")
    assert sum(again.imported.values()) == 0 and again.rejected == []


def test_full_width_amounts_keep_the_amount_rules(tmp_path: Path) -> None:
    settings = load_settings(home=tmp_path / "home")
    put(tmp_path / "in", "transactions.csv", HEAD
        + f"T1,2024-01-01,A,B,\"{'1,234.00'.translate(WIDE)}\"\n"
        + f"T2,2024-01-01,A,B,{'1.005'.translate(WIDE)}\n"
        + f"T3,2024-01-01,A,B,{'-5'.translate(WIDE)}\n"
        + f"T4,{'2024-01-01'.translate(WIDE)},A,B,5\n")  # fmt: skip
    result = import_folder(settings, tmp_path / "in")
    reasons = {(p.line, p.field): p.reason for p in result.rejected}
    assert "thousands separator" in reasons[(2, "amount")]
    assert reasons[(3, "amount")].startswith("more than 2 decimal places")
    assert reasons[(4, "amount")].startswith("must be greater than 0")
    assert "full-width digits" in reasons[(5, "ts")]
    assert rows(settings, "transactions") == []


@hsettings(max_examples=8, deadline=None)
@given(cents=st.lists(st.integers(min_value=1, max_value=10**12), min_size=1, max_size=30))
def test_a_full_width_amount_imports_as_its_ascii_twin(
    tmp_path_factory: pytest.TempPathFactory, cents: list[int]
) -> None:
    tmp = tmp_path_factory.mktemp("fw")
    texts = [f"{Decimal(c) / 100:.2f}" for c in cents]
    body = "".join(
        f"A{i},2024-01-01,A,B,{t}\nW{i},2024-01-01,A,B,{t.translate(WIDE)}\n"
        for i, t in enumerate(texts)
    )
    settings = load_settings(home=tmp / "home")
    put(tmp / "in", "transactions.csv", HEAD + body)
    assert import_folder(settings, tmp / "in").rejected == []
    got = {r[0]: r[4] for r in rows(settings, "transactions")}
    for i, t in enumerate(texts):
        assert got[f"A{i}"] == got[f"W{i}"] == Decimal(t)
