"""The account jobs on the mini ledger, against answers worked out by hand, on each engine."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import ibis
import pyarrow as pa
import pytest

from chaincut.lake.engine import Engine
from chaincut.lake.jobs.account_features import account_features
from chaincut.lake.jobs.account_patterns import account_patterns
from chaincut.lake.jobs.account_taint import account_neighbours, account_taint
from tests.lake.conftest import sorted_rows

D = Decimal
DAY, HOUR = 86_400, 3_600


def by_account(table: pa.Table) -> dict[str, dict[str, Any]]:
    return {row["account_id"]: row for row in table.to_pylist()}


@pytest.fixture(scope="module")
def features(mini_jobs: dict[str, pa.Table]) -> dict[str, dict[str, Any]]:
    return by_account(mini_jobs["account_features"])


@pytest.fixture(scope="module")
def patterns(mini_jobs: dict[str, pa.Table]) -> dict[tuple[str, str], tuple[int, list[str]]]:
    rows = mini_jobs["account_patterns"].to_pylist()
    out: dict[tuple[str, str], tuple[int, list[str]]] = {}
    for r in sorted(rows, key=lambda r: (r["account_id"], r["pattern"], r["rank"])):
        key = (r["account_id"], r["pattern"])
        out[key] = (r["matches"], [*out.get(key, (0, []))[1], r["txn_id"]])
    return out


def test_features_of_every_account_once(features: dict[str, dict[str, Any]]) -> None:
    # two partitions of keys, put together: every account that moved money, once
    assert len(features) == 23 and "L1" in features and "V6" in features


def test_the_standalone_jobs_give_what_scoring_gets(
    mini_duckdb: Engine, mini_jobs_duckdb: dict[str, pa.Table]
) -> None:
    t, a = mini_duckdb.table("transactions"), mini_duckdb.table("accounts")
    for job, expr in (
        ("account_features", account_features(t, a)),
        ("account_patterns", account_patterns(t)),
    ):
        assert sorted_rows(mini_duckdb.execute(expr)) == sorted_rows(mini_jobs_duckdb[job])


def test_fan_in_from_strangers_and_pass_through(features: dict[str, dict[str, Any]]) -> None:
    l1 = features["L1"]
    assert (l1["in_count"], l1["senders"], l1["out_count"], l1["receivers"]) == (6, 6, 2, 2)
    assert l1["in_amount"] == D("6000.00") and l1["out_amount"] == D("5900.00")
    assert (l1["stranger_in"], l1["stranger_small_in"]) == (6, 6)
    assert l1["stranger_small_amount"] == D("6000.00")
    # out at 02:00 and 02:05 after the last inflow at 01:50: 10 and 15 minutes
    assert (l1["pt_fast_count"], l1["pt_slow_count"], l1["pt_delay_min"]) == (2, 2, 600)
    assert (l1["pt_delay_sum"], l1["pt_delay_count"]) == (600 + 900, 2)
    assert l1["pt_slow_amount"] == D("5900.00")
    assert (l1["round_in"], l1["round_out"], l1["round1000_out"]) == (6, 2, 1)
    assert l1["age_first_s"] == 10 * DAY + HOUR
    assert l1["age_first_pt_s"] == 10 * DAY + 2 * HOUR
    assert l1["kind"] == "bank_card"


def test_windows(features: dict[str, dict[str, Any]]) -> None:
    l1 = features["L1"]
    assert (l1["w1h_in_count"], l1["w1h_fan_in"], l1["w1h_out_count"], l1["w1h_active"]) == (
        6,
        6,
        2,
        2,
    )
    assert l1["w1h_in_amount"] == D("6000.00") and l1["w1d_active"] == 1
    assert (l1["w1d_fan_in"], l1["w7d_fan_out"], l1["w30d_in_count"]) == (6, 2, 6)
    l2b = features["L2b"]  # in at 02:05, out at 03:10: a day's pass-through, not an hour's
    assert (l2b["pt_fast_count"], l2b["pt_slow_count"], l2b["pt_delay_min"]) == (0, 1, 3900)


def test_exits_night_currencies_and_self_transfers(features: dict[str, dict[str, Any]]) -> None:
    assert (features["L3"]["exit_count"], features["L3"]["exit_amount"]) == (1, D("5800.00"))
    assert features["X"]["kind"] == "exchange"
    # 20:00 UTC is 04:00 in Beijing
    assert (features["N1"]["night_in"], features["N2"]["night_out"]) == (1, 1)
    assert (features["M1"]["night_out"], features["B1"]["night_in"]) == (2, 2)
    # the USD payment counts, but its money is not added to yuan
    assert (features["S"]["in_count"], features["S"]["in_amount"]) == (2, D("52.30"))
    assert (features["N1"]["out_count"], features["N1"]["in_count"]) == (2, 1)


def test_taint_follows_reported_money_three_hops(mini_engine: Engine) -> None:
    t = mini_engine.table("transactions")
    rows = by_account(mini_engine.execute(account_taint(t, mini_engine.table("reports"))))
    assert sorted(rows) == ["L1", "L2a", "L2b", "L3"]
    l1 = rows["L1"]
    assert (l1["hop1_reports"], l1["hop1_victims"], l1["hop1_txns"]) == (2, 2, 2)
    assert l1["hop1_amount"] == D("2000.00")
    assert (rows["L2a"]["hop2_in"], rows["L2b"]["hop2_senders"]) == (1, 1)
    assert (rows["L3"]["hop3_in"], rows["L3"]["hop3_senders"], rows["L3"]["hop1_txns"]) == (2, 2, 0)


def test_neighbours_count_suspects_on_each_side(mini_engine: Engine) -> None:
    suspects = ibis.memtable(pa.table({"account_id": ["L1", "L3"]}))
    t = mini_engine.table("transactions")
    rows = by_account(mini_engine.execute(account_neighbours(t, suspects)))
    assert (rows["L2a"]["suspect_senders"], rows["L2a"]["suspect_receivers"]) == (1, 1)
    assert rows["V3"]["suspect_receivers"] == 1 and rows["X"]["suspect_in"] == 1
    assert rows["L1"]["suspect_counterparties"] == 0 if "L1" in rows else True


@pytest.mark.parametrize(
    ("account", "pattern", "matches", "examples"),
    [
        ("L1", "fan_in", 6, ["v1", "v2", "v3", "v4", "v5"]),
        ("L1", "pass_through", 2, ["l1a", "l1b"]),
        ("L1", "scatter_gather", 2, ["l1a", "l1b"]),
        ("L2a", "scatter_gather", 2, ["l1a", "l2a"]),
        ("L3", "scatter_gather", 2, ["l2a", "l2b"]),
        ("C2", "cycle", 3, ["c1", "c2", "c3"]),
        ("N1", "cycle", 2, ["n1", "n2"]),
        ("A1", "bipartite", 2, ["k1", "k2"]),
        ("M1", "stack", 4, ["k1", "k3", "k5", "k6"]),
        ("B2", "bipartite", 2, ["k6", "k8"]),
    ],
)
def test_detectors_find_the_planted_shapes(
    patterns: dict[tuple[str, str], tuple[int, list[str]]],
    account: str,
    pattern: str,
    matches: int,
    examples: list[str],
) -> None:
    assert patterns[(account, pattern)] == (matches, examples)


def test_detectors_stay_quiet_where_nothing_was_planted(
    patterns: dict[tuple[str, str], tuple[int, list[str]]],
) -> None:
    found = {key for key in patterns}
    assert ("L2a", "pass_through") not in found  # only one quick forward
    assert not any(p in ("fan_out", "gather_scatter") for _, p in found)
    assert not any(a in ("S", "X", "V1") and p != "fan_in" for a, p in found)
    assert {a for a, p in found if p == "stack"} == {"M1", "M2"}
