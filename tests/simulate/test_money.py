"""The ground truth of money is exact, and the ledger respects time and balances."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest

from chaincut.model.schema import EXIT_CHANNELS
from tests.simulate.conftest import World, make_world


def cents(text: str) -> int:
    return int(Decimal(text) * 100)


def check_conservation(world: World) -> None:
    """Per report: holdings + exits + spent = the victim's transfers, to the cent."""
    txns = {t["txn_id"]: t for t in world.table("transactions")}
    found: dict[str, int] = defaultdict(int)
    for name in ("holdings", "exits", "spent"):
        for row in world.truth(name):
            assert cents(row["amount"]) > 0
            found[row["report_id"]] += cents(row["amount"])
    reports = world.table("reports")
    assert reports
    for r in reports:
        loss = sum(cents(txns[i]["amount"]) for i in r["fraud_txn_ids"].split(";"))
        assert found[r["report_id"]] == loss, r["report_id"]


def check_balances(world: World) -> None:
    """Opening balance 0; outflows before inflows at equal times; only cash may go negative."""
    kind = {a["account_id"]: a["kind"] for a in world.table("accounts")}
    events: list[tuple[str, int, str, int]] = []
    for t in world.table("transactions"):
        amount = cents(t["amount"])
        events.append((t["ts"], 0, t["src_account"], -amount))
        events.append((t["ts"], 1, t["dst_account"], amount))
    events.sort()
    balance: dict[str, int] = defaultdict(int)
    for _, _, account, amount in events:
        balance[account] += amount
        assert balance[account] >= 0 or kind[account] == "cash", account


def test_conservation_per_report(world: World) -> None:
    check_conservation(world)


def test_no_balance_ever_negative(world: World) -> None:
    check_balances(world)


def test_reports_follow_their_transfers(world: World) -> None:
    txns = {t["txn_id"]: t for t in world.table("transactions")}
    for r in world.table("reports"):
        ids = r["fraud_txn_ids"].split(";")
        assert all(txns[i]["src_account"] == r["victim_account"] for i in ids)
        assert all(txns[i]["channel"] == "transfer" for i in ids)
        assert max(txns[i]["ts"] for i in ids) < r["ts"]
        assert r["narrative"] and r["fraud_type"]


def test_exits_and_spending_happened_before_the_report(world: World) -> None:
    txns = {t["txn_id"]: t for t in world.table("transactions")}
    report_ts = {r["report_id"]: r["ts"] for r in world.table("reports")}
    exits = world.truth("exits")
    assert exits and world.truth("spent")
    for row in exits:
        t = txns[row["txn_id"]]
        assert row["channel"] == t["channel"] in EXIT_CHANNELS
        assert t["src_account"] == row["account_id"]
        assert cents(row["amount"]) <= cents(t["amount"])
        assert t["ts"] <= report_ts[row["report_id"]]
    for row in world.truth("spent"):
        t = txns[row["txn_id"]]
        assert t["src_account"] == row["account_id"] and t["ts"] <= report_ts[row["report_id"]]


def test_money_still_in_the_chain_and_commingled(world: World) -> None:
    held: dict[str, set[str]] = defaultdict(set)
    for row in world.truth("holdings"):
        held[row["account_id"]].add(row["report_id"])
    reports = {r["report_id"] for r in world.table("reports")}
    assert len({rid for ids in held.values() for rid in ids}) > len(reports) / 2
    assert any(len(ids) > 1 for ids in held.values()), "no card holds two victims' money"


@pytest.mark.parametrize(
    "params",
    [
        {"lot_policy": "fifo", "mule_layers": 1},
        {"lot_policy": "pro_rata", "mule_layers": 4, "split_factor": (2, 3)},
        {"pooled_share": 1.0, "runner_entry_share": 0.6, "hold_probability": 0.0},
    ],
    ids=["fifo-1-layer", "pro-rata-4-layers", "pooled-runners"],
)
def test_other_typologies_conserve_money(tmp_path: Any, params: dict[str, Any]) -> None:
    world = make_world(tmp_path, seed=5, scale=4000, **params)
    check_conservation(world)
    check_balances(world)
