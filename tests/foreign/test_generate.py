"""The foreign world: deterministic, importable without rejects, money that adds up, truth that
matches its tables."""

from __future__ import annotations

import csv
import filecmp
import json
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from chaincut.foreign import ForeignTruth, generate, read_truth, resolve_size
from chaincut.ingest import import_folder
from chaincut.settings import load_settings
from tests.foreign.conftest import SEED

TABLES = ("persons", "accounts", "transactions", "calls", "messages", "reports", "labels")


def read(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    # the smallest world (150 people) is enough to compare byte for byte
    for name in ("a", "b"):
        generate(tmp_path / name, SEED, 2_000)
    for name in (*(f"{t}.csv" for t in TABLES), "truth.json", "truth/holdings.csv"):
        assert filecmp.cmp(tmp_path / "a" / name, tmp_path / "b" / name, shallow=False), name
    generate(tmp_path / "c", SEED + 1, 2_000)
    assert not filecmp.cmp(tmp_path / "a" / "transactions.csv", tmp_path / "c" / "transactions.csv")


def test_imports_with_zero_rejects(world: tuple[Path, ForeignTruth], tmp_path: Path) -> None:
    folder, truth = world
    result = import_folder(load_settings(home=tmp_path / "home"), folder)
    assert result.rejected_count == 0, result.rejected[:5]
    for table in TABLES:
        assert result.tables[table].imported == truth.rows[table] > 0, table


def test_no_account_spends_money_it_never_had(world: tuple[Path, ForeignTruth]) -> None:
    folder, truth = world
    sources = set(truth.data["sources"])
    balance: dict[str, Decimal] = defaultdict(Decimal)
    rows = read(folder, "transactions")
    for row in sorted(rows, key=lambda r: (r["ts"], r["txn_id"])):
        amount = Decimal(row["amount"])
        assert amount > 0 and amount == amount.quantize(Decimal("0.01"))
        balance[row["src_account"]] -= amount
        balance[row["dst_account"]] += amount
        if row["src_account"] not in sources:
            assert balance[row["src_account"]] >= 0, row


def test_every_truth_id_exists_in_the_tables(world: tuple[Path, ForeignTruth]) -> None:
    folder, truth = world
    assert read_truth(folder) == json.loads(json.dumps(truth.data))
    persons = {r["person_id"] for r in read(folder, "persons")}
    accounts = {r["account_id"] for r in read(folder, "accounts")}
    txns = {r["txn_id"] for r in read(folder, "transactions")}
    calls = read(folder, "calls")
    numbers = {r["caller"] for r in calls} | {r["callee"] for r in calls}
    numbers |= {r["sender"] for r in read(folder, "messages")}
    devices = {r["imei"] for r in calls}
    reports = {r["report_id"] for r in read(folder, "reports")}
    data = truth.data
    for gang in data["gangs"]:
        assert set(gang["persons"]) <= persons
        assert set(gang["accounts"]) <= accounts
        assert set(gang["reports"]) <= reports
        used = {m["id"] for m in gang["members"] if m["kind"] == "phone"} & numbers
        assert used, gang["gang_id"]
        boxes = {imei for b in gang["boxes"] for _, imei in b["imeis"]}
        assert boxes & devices, gang["gang_id"]
    for victim in data["victims"]:
        assert victim["person_id"] in persons and victim["account"] in accounts
        assert set(victim["txn_ids"]) <= txns
    assert set(data["reports"]) == reports
    assert set(data["bystanders"]) <= accounts
    sims_of = {
        r["person_id"]: set(r["registered_sims"].split(";")) for r in read(folder, "persons")
    }
    sold = [s for g in data["gangs"] for b in g["boxes"] for s in b["sims"] if s["registered_to"]]
    assert sold
    for sim in sold:
        assert sim["number"] in sims_of[sim["registered_to"]]
    labels = {(r["entity_id"], r["entity_kind"]) for r in read(folder, "labels")}
    for gang in data["gangs"]:
        for m in gang["members"]:
            assert (m["id"], m["kind"]) in labels, m


def test_bystanders_exist_and_were_paid_by_mules(world: tuple[Path, ForeignTruth]) -> None:
    folder, truth = world
    label = {
        r["entity_id"]: r["label"] for r in read(folder, "labels") if r["entity_kind"] == "account"
    }
    by_id = {r["txn_id"]: r for r in read(folder, "transactions")}
    bystanders = truth.data["bystanders"]
    assert len(bystanders) >= 3
    for account, txn_ids in bystanders.items():
        assert label[account] == "bystander"
        for txn in txn_ids:
            row = by_id[txn]
            assert row["dst_account"] == account
            assert label[row["src_account"]].startswith(("mule", "runner"))


def test_sizes_are_checked() -> None:
    assert resolve_size("tiny") < resolve_size("small") < resolve_size("medium")
    assert resolve_size(5000) == 5000
    with pytest.raises(ValueError, match="unknown size"):
        resolve_size("huge")
    with pytest.raises(ValueError, match="too small"):
        resolve_size(10)


VOCABULARY = {
    "account": {"mule_l1", "mule_l2", "mule_l3", "mule_l4", "runner", "member", "victim"}
    | {"bystander", "normal"},
    "person": {"financier", "core_member", "operator", "card_dealer", "launderer", "mule"}
    | {"recruiter", "logistics", "victim", "targeted", "bystander", "normal"},
    "phone": {"simbox", "fraud", "member", "normal"},
    "device": {"simbox", "member", "normal"},
    "message": {"fraud", "spam", "normal"},
}


def test_labels_use_the_documented_vocabulary(world: tuple[Path, ForeignTruth]) -> None:
    folder, _ = world
    page = (Path(__file__).resolve().parents[2] / "docs" / "foreign-world.md").read_text("utf-8")
    seen: dict[str, set[str]] = defaultdict(set)
    for row in read(folder, "labels"):
        seen[row["entity_kind"]].add(row["label"])
    for kind, labels in seen.items():
        assert labels <= VOCABULARY[kind], (kind, labels - VOCABULARY[kind])
        assert all(f"`{label}`" in page or label.startswith("mule_l") for label in labels)
    assert {"mule_l1", "victim", "normal"} <= seen["account"]
    assert {"simbox", "normal"} <= seen["phone"] and {"fraud", "normal"} <= seen["message"]


def test_reports_list_the_victims_own_transfers_before_the_report(
    world: tuple[Path, ForeignTruth],
) -> None:
    folder, truth = world
    by_id = {r["txn_id"]: r for r in read(folder, "transactions")}
    reports = read(folder, "reports")
    assert reports
    for report in reports:
        for txn in report["fraud_txn_ids"].split(";"):
            assert by_id[txn]["src_account"] == report["victim_account"]
            assert by_id[txn]["ts"] < report["ts"]
    paid = {v["report_id"]: v for v in truth.data["victims"] if v["report_id"]}
    assert set(paid) == {r["report_id"] for r in reports}


def test_box_sims_live_at_least_a_day_and_box_imeis_carry_only_their_sims(
    world: tuple[Path, ForeignTruth],
) -> None:
    folder, truth = world
    end = datetime.fromisoformat(truth.data["start"]) + timedelta(days=truth.data["days"])
    callers: dict[str, set[str]] = defaultdict(set)
    for row in read(folder, "calls"):
        callers[row["imei"]].add(row["caller"])
    boxes = [b for g in truth.data["gangs"] for b in g["boxes"]]
    assert boxes and all(4 <= b["slots"] <= 256 for b in boxes)
    for box in boxes:
        for sim in box["sims"]:
            until = datetime.fromisoformat(sim["to"])
            assert until - datetime.fromisoformat(sim["from"]) >= timedelta(days=1) or until == end
        numbers = {s["number"] for s in box["sims"]}
        used = [imei for _, imei in box["imeis"] if imei in callers]
        assert used, box["box_id"]
        assert all(callers[imei] <= numbers for imei in used)
