"""The AMLworld loader on a sample these tests write, and a sanity check on the public sample.

The sanity figures are account-level and out-of-fold on 28 k rows of HI-Small: they are NOT
comparable with the published transaction-level minority-class F1 on the full data set
(GFP+LightGBM 62.9, Multi-PNA+EU 68.2).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pyarrow.csv as pacsv
import pytest

from chaincut import metrics
from chaincut.ingest import import_folder
from chaincut.lake.engine import DuckDBEngine
from chaincut.scoring import default_model, score_accounts, train_accounts
from chaincut.scoring.amlworld import (
    HELD_OUT,
    AmlworldError,
    attempt_halves,
    convert_amlworld,
    read_amlworld,
)
from chaincut.settings import Settings
from tests.scoring.conftest import FAST

HEADER = (
    "Timestamp,From Bank,Account,To Bank,Account.1,Amount Received,Receiving Currency,"
    "Amount Paid,Payment Currency,Payment Format,Is Laundering\n"
)
ROWS = [
    "2022/09/01 00:20,10,8000EBD30,10,8000EBD30,3697.34,US Dollar,3697.34,US Dollar,Reinvestment,0",
    "2022/09/01 00:21,0070,100428660,1124,800825340,389769.39,US Dollar,389769.39,US Dollar,Cheque,1",
    "2022/09/01 01:05,1124,800825340,3,80012C0D0,0.004567,Bitcoin,0.004567,Bitcoin,Bitcoin,1",
    "2022/09/02 13:00,3,80012C0D0,10,8000EBD30,120.005,Euro,130.125,US Dollar,Wire,0",
]
#: the shipped model on the sample's held-out half: well below its measured figures
#: (docs/scoring.md), far above the base rate of 0.02
SHIPPED_AP_FLOOR = 0.5
INNOCENT_CEILING = 5
SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "amlworld_hi_small_sample"


@pytest.fixture
def aml_csv(tmp_path: Path) -> Path:
    path = tmp_path / "HI-Tiny_Trans.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    return path


def test_rows_become_interchange_transactions(aml_csv: Path) -> None:
    rows = read_amlworld(aml_csv).to_pylist()
    first, cheque, coin, wire = rows
    assert first["txn_id"] == "AML000000001" and first["ts"] == "2022-09-01T00:20:00"
    assert first["src_account"] == first["dst_account"] == "10:8000EBD30"
    assert cheque["src_account"] == "70:100428660"  # zero-padded banks are the same bank
    assert cheque["amount"] == Decimal("389769.39") and cheque["is_laundering"]
    assert coin["amount"] == Decimal("0.01") and coin["currency"] == "BTC"
    assert coin["channel"] == "crypto_otc" and coin["amount_paid_exact"] == "0.004567"
    assert wire["amount"] == Decimal("130.12")  # half to even, in the paying currency
    assert (wire["currency"], wire["receiving_currency"]) == ("USD", "EUR")


def test_convert_labels_accounts_and_imports_cleanly(aml_csv: Path, tmp_path: Path) -> None:
    summary = convert_amlworld(aml_csv, tmp_path / "aml")
    assert (summary.transactions, summary.accounts) == (4, 4)
    assert (summary.laundering_transactions, summary.laundering_accounts) == (2, 3)
    labels = pacsv.read_csv(tmp_path / "aml" / "labels.csv").to_pylist()
    assert {r["entity_id"]: r["label"] for r in labels}["10:8000EBD30"] == "normal"
    result = import_folder(Settings(home=tmp_path / "home"), tmp_path / "aml")
    assert result.rejected_count == 0
    assert result.tables["transactions"].imported == 4


def test_a_time_range_keeps_its_transactions_and_labels_from_them(
    aml_csv: Path, tmp_path: Path
) -> None:
    early = convert_amlworld(aml_csv, tmp_path / "early", until=datetime(2022, 9, 1, 1, 5))
    late = convert_amlworld(aml_csv, tmp_path / "late", since=datetime(2022, 9, 1, 1, 5))
    assert (early.transactions, late.transactions) == (2, 2)  # the boundary goes to `since`
    assert (early.laundering_transactions, late.laundering_transactions) == (1, 1)
    labels = pacsv.read_csv(tmp_path / "late" / "labels.csv").to_pylist()
    # 70:100428660 laundered before the cut only: the late part does not know it
    assert {r["entity_id"]: r["label"] for r in labels} == {
        "10:8000EBD30": "normal",
        "1124:800825340": "laundering",
        "3:80012C0D0": "laundering",
    }


def test_the_trained_half_is_labelled_held_out_and_attempts_stay_whole(
    aml_csv: Path, tmp_path: Path
) -> None:
    halves = attempt_halves(read_amlworld(aml_csv))
    # 70:100428660 -> 1124:800825340 -> 3:80012C0D0 launder together: one attempt, one half
    assert halves["70:100428660"] == halves["1124:800825340"] == halves["3:80012C0D0"]
    for half in (0, 1):
        convert_amlworld(aml_csv, tmp_path / f"aml{half}", trained_half=half)
        rows = pacsv.read_csv(tmp_path / f"aml{half}" / "labels.csv").to_pylist()
        held = {r["entity_id"] for r in rows if r["label"] == HELD_OUT}
        assert held == {a for a, h in halves.items() if h == half}
        assert all(r["label"] in (HELD_OUT, "normal", "laundering") for r in rows)


def test_files_in_another_format_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(AmlworldError, match="lacks AMLworld columns"):
        read_amlworld(path)


def read_labels_of(folder: Path) -> dict[str, str]:
    rows = pacsv.read_csv(folder / "labels.csv").to_pylist()
    return {str(r["entity_id"]): str(r["label"]) for r in rows}


# (the mark sat on the helper above, so a checkout without ../shared failed here instead of
# skipping)
@pytest.mark.skipif(not SAMPLE.is_dir(), reason="../shared/data/amlworld_hi_small_sample is absent")
def test_sanity_on_the_public_sample_not_comparable_to_published_f1(tmp_path: Path) -> None:
    summary = convert_amlworld(SAMPLE / "HI-Small_Trans_sample.csv", tmp_path / "aml")
    assert summary.transactions == 28_374 and summary.laundering_transactions == 185
    settings = Settings(home=tmp_path / "home")
    assert import_folder(settings, tmp_path / "aml").rejected_count == 0
    with DuckDBEngine(settings) as engine:
        scores = score_accounts(engine)  # the shipped model: trained on simulated worlds only
        own = train_accounts(engine, FAST)  # trained on the sample, judged out of fold
    assert len(scores) > 5_000 and all(0.0 <= s.score <= 1.0 for s in scores)
    # the shipped model learnt from half 0 of the sample: judged on half 1 only
    halves = attempt_halves(read_amlworld(SAMPLE / "HI-Small_Trans_sample.csv"))
    labels = read_labels_of(tmp_path / "aml")
    kept = [i for i, a in enumerate(scores.ids) if halves[str(a)] == 1]
    truth = [labels[str(scores.ids[i])] == "laundering" for i in kept]
    values = [float(scores.values[i]) for i in kept]
    assert sum(truth) >= 40
    assert metrics.average_precision(truth, values) >= SHIPPED_AP_FLOOR
    flagged = [t for t, v in zip(truth, values, strict=True) if v >= default_model().threshold]
    assert flagged.count(False) <= INNOCENT_CEILING, flagged.count(False)
    oof = own.info["out_of_fold_final"]
    assert oof["positives"] == summary.laundering_accounts
    # far better than chance (2 % of the accounts that moved money launder): a sanity bar only
    assert oof["pr_auc"] > 5 * oof["positives"] / oof["accounts"], oof
