"""Financiers and core members behave apart in the records, and the rows their roles add or
change are the only ones that differ from a world without them."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from chaincut.foreign import ForeignTruth, generate
from chaincut.foreign import roles as roles_module
from tests.foreign.conftest import SEED

SAME = ("persons", "accounts", "messages", "reports")


def read(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def role_of(data: dict[str, object]) -> dict[str, str]:
    gangs = data["gangs"]
    assert isinstance(gangs, list)
    return {m["id"]: m["role"] for g in gangs for m in g["members"]}


def test_only_the_roles_rows_differ_from_a_world_without_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(roles_module, "NO_FINANCIER_P", 1.0)  # every gang: bosses, no financier
    monkeypatch.setattr(roles_module, "ENABLED", False)
    generate(tmp_path / "off", SEED, 2_000)
    monkeypatch.setattr(roles_module, "ENABLED", True)
    on = generate(tmp_path / "on", SEED, 2_000).data
    for table in SAME:
        assert read(tmp_path / "off", table) == read(tmp_path / "on", table), table
    holdings = (tmp_path / "off/truth/holdings.csv", tmp_path / "on/truth/holdings.csv")
    assert holdings[0].read_bytes() == holdings[1].read_bytes()
    # labels: only the bosses' change, financier -> core_member
    before = {
        (r["entity_id"], r["entity_kind"]): r["label"] for r in read(tmp_path / "off", "labels")
    }
    after = {
        (r["entity_id"], r["entity_kind"]): r["label"] for r in read(tmp_path / "on", "labels")
    }
    assert before.keys() == after.keys()
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert changed and set(changed.values()) == {("financier", "core_member")}
    assert "financier" not in role_of(on).values()
    # payments: the same rows but the payee of a cross-border exit, and new FX rows after them
    exits = {a for g in on["gangs"] for a in g["accounts"] if role_of(on)[a] == "core_member"}
    old = read(tmp_path / "off", "transactions")
    new = read(tmp_path / "on", "transactions")
    assert [r for r in new if not r["txn_id"].startswith("FX")] == new[: len(old)]
    rerouted = 0
    for a, b in zip(old, new, strict=False):
        if a != b:
            assert {**a, "dst_account": ""} == {**b, "dst_account": ""}
            assert a["channel"] == "cross_border" and {a["dst_account"], b["dst_account"]} <= exits
            rerouted += 1
    assert len(new) > len(old)
    # calls: those that stay keep their ids; the ones dropped are the bosses'
    old_calls = {r["call_id"]: r for r in read(tmp_path / "off", "calls")}
    new_calls = read(tmp_path / "on", "calls")
    kept = [r for r in new_calls if not r["call_id"].startswith("FCX")]
    assert all(old_calls[r["call_id"]] == r for r in kept)
    bosses = {p for p, role in role_of(on).items() if role == "core_member" and p.startswith("+")}
    dropped = old_calls.keys() - {r["call_id"] for r in kept}
    assert dropped and all(old_calls[c]["caller"] in bosses for c in dropped)
    assert any(r["call_id"].startswith("FCX") for r in new_calls)


def test_financiers_get_the_profit_and_stay_out_of_the_den(
    world: tuple[Path, ForeignTruth],
) -> None:
    folder, truth = world
    data = truth.data
    role = role_of(data)
    received: Counter[str] = (
        Counter()
    )  # exits: from a mule card abroad, or relayed by a core member
    for r in read(folder, "transactions"):
        src, dst = role.get(r["src_account"], ""), role.get(r["dst_account"])
        if dst in ("financier", "core_member") and r["channel"] == "cross_border":
            received[dst] += src.startswith("mule_l")
        if src == "core_member" and dst == "financier" and r["txn_id"].startswith("FX"):
            received[dst] += 1  # never funding: that runs the other way
    accounts = Counter(role[a] for g in data["gangs"] for a in g["accounts"])
    assert (
        received["financier"] / accounts["financier"]
        > received["core_member"] / accounts["core_member"]
    )
    den_cells = {c for g in data["gangs"] for d in g["dens"] for c in d["cells"]}
    gang_phones = {m["id"] for g in data["gangs"] for m in g["members"] if m["kind"] == "phone"}
    financier_calls = core_calls = 0
    mules = {
        r["phone"]
        for r in read(folder, "persons")
        if r["person_id"] in role and role[r["person_id"]] == "mule"
    }
    core_to_mules = 0
    for r in read(folder, "calls"):
        if role.get(r["caller"]) == "financier":
            financier_calls += 1
            assert r["cell_id"] not in den_cells
            assert r["callee"] in gang_phones  # never a victim, a mule or a stranger
        if role.get(r["callee"]) == "financier":
            assert role.get(r["caller"]) == "core_member"
        if role.get(r["caller"]) == "core_member":
            core_calls += 1
            assert r["cell_id"] in den_cells
            core_to_mules += r["callee"] in mules
    assert 0 < financier_calls < core_calls and core_to_mules > 0


def test_the_financier_funds_the_suppliers_at_home(world: tuple[Path, ForeignTruth]) -> None:
    folder, truth = world
    role = role_of(truth.data)
    desks = set(truth.data["exits"]["otc"])
    paid: Counter[str] = Counter()
    for r in read(folder, "transactions"):
        if not r["txn_id"].startswith("FX"):
            continue
        payer = role.get(r["src_account"]) or ("otc" if r["src_account"] in desks else "?")
        payee = role.get(r["dst_account"]) or ("otc" if r["dst_account"] in desks else "?")
        assert payer in ("financier", "core_member", "otc"), r
        assert payee in ("financier", "core_member", "otc", "card_dealer", "recruiter", "logistics")
        paid[payee] += 1
    assert paid["card_dealer"] > 0 and paid["logistics"] + paid["recruiter"] > 0
    behaviour = [g["role_behaviour"] for g in truth.data["gangs"]]
    assert all(
        100 <= b["card_price"] <= 800 and 0.5 <= b["financier_share"] <= 0.9 for b in behaviour
    )
    assert json.loads(json.dumps(behaviour)) == behaviour
