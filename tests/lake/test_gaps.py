"""The gaps declared in `GAPS`, each a strict expected failure on the engines that declare it.

If an engine gains a capability (an Ibis or engine upgrade), its test passes, `xfail_strict`
turns that into a failure, and the gap must be removed from `GAPS` and docs/engines.md.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import ibis
import pytest

from chaincut.lake.engine import GAPS, Capability, Engine, EngineGapError
from tests.lake.conftest import WHALE, expect_gap, ts


def test_every_gap_names_a_known_engine_and_gives_a_reason() -> None:
    assert set(GAPS) <= {"duckdb", "spark"}
    assert all(reason.strip() for gaps in GAPS.values() for reason in gaps.values())
    declared = {capability for gaps in GAPS.values() for capability in gaps}
    assert declared == set(Capability), "a capability no engine lacks is not a gap"


def test_require_raises_with_the_reason(engine: Engine) -> None:
    for capability in Capability:
        if engine.supports(capability):
            engine.require(capability)
        else:
            with pytest.raises(EngineGapError, match="could not provide"):
                engine.require(capability)


def test_timestamp_bucket(request: pytest.FixtureRequest, engine: Engine) -> None:
    expect_gap(request, engine, Capability.TIMESTAMP_BUCKET)
    t = engine.table("transactions")
    result = engine.execute(t.select(b=t.ts.bucket(hours=1), h=t.ts.truncate("h")))
    assert all(row["b"] == row["h"] for row in result.to_pylist())


def test_asof_join(request: pytest.FixtureRequest, engine: Engine) -> None:
    expect_gap(request, engine, Capability.ASOF_JOIN)
    t = engine.table("transactions")
    sent = t.select(out_txn=t.txn_id, account=t.src_account, ts=t.ts)
    received = t.select(in_txn=t.txn_id, account=t.dst_account, in_ts=t.ts)
    # for each payment, the latest money the payer received at or before it (pass-through)
    joined = sent.asof_join(received, on=sent.ts >= received.in_ts, predicates="account")
    pairs = {r["out_txn"]: r["in_txn"] for r in engine.execute(joined).to_pylist()}
    assert {k: pairs[k] for k in ("t3", "t4", "t5", "t1")} == {
        "t3": "t2",
        "t4": "t2",
        "t5": "t3",
        "t1": None,
    }


def test_ordered_aggregate(request: pytest.FixtureRequest, engine: Engine) -> None:
    expect_gap(request, engine, Capability.ORDERED_AGGREGATE)
    t = engine.table("transactions")
    expr = t.group_by("src_account").aggregate(txns=t.txn_id.collect(order_by=[t.ts, t.txn_id]))
    sent = {r["src_account"]: r["txns"] for r in engine.execute(expr).to_pylist()}
    assert sent["M1"] == ["t3", "t4"]
    assert sent["M3"] == ["t7", "t10"]


def test_exact_decimal_mean(request: pytest.FixtureRequest, engine: Engine) -> None:
    expect_gap(request, engine, Capability.EXACT_DECIMAL_MEAN)
    t = engine.table("transactions")
    pair = t.filter(t.txn_id.isin(["t8", "t9"]))  # WHALE and 0.01
    mean = engine.execute(pair.aggregate(m=pair.amount.mean())).column("m")[0].as_py()
    assert mean == (WHALE + Decimal("0.01")) / 2 == Decimal("4999999999999999.99")


def test_json_string_field(request: pytest.FixtureRequest, engine: Engine) -> None:
    expect_gap(request, engine, Capability.JSON_STRING_FIELD)
    accounts = engine.table("accounts")
    dealers = accounts.select(accounts.account_id, dealer=accounts.extra["dealer"].str)
    rows = {r["account_id"]: r["dealer"] for r in engine.execute(dealers).to_pylist()}
    assert (rows["M1"], rows["A"]) == ("k1", None)


def test_gaps_do_not_touch_the_portable_alternatives(engine: Engine) -> None:
    """What GAPS recommends instead works everywhere: truncate, and sum / count."""
    t = engine.table("transactions")
    pair = t.filter(t.txn_id.isin(["t8", "t9"]))
    total = pair.aggregate(s=pair.amount.sum(), n=pair.count())
    row = engine.execute(total).to_pylist()[0]
    assert row["s"] / row["n"] == Decimal("4999999999999999.99")
    first = engine.execute(t.aggregate(h=t.ts.truncate("h").min())).to_pylist()[0]["h"]
    assert first == ts("2024-03-01 09:00")


def test_docs_list_every_gap() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "engines.md").read_text(encoding="utf-8")
    for engine_name, gaps in GAPS.items():
        for capability in gaps:
            assert f"| `{capability}` | {engine_name} |" in docs


def test_time_range_windows_and_lag_are_portable(engine: Engine) -> None:
    """The alternative GAPS offers to ASOF joins: window functions over time."""
    t = engine.table("transactions")
    by_sender = ibis.window(group_by=t.src_account, order_by=t.ts)
    last_hour = ibis.window(
        group_by=t.src_account, order_by=t.ts, range=(-ibis.interval(hours=1), 0)
    )
    expr = t.select(
        t.txn_id,
        recent=t.count().over(last_hour),
        previous=t.txn_id.lag().over(by_sender),
    )
    rows = {r["txn_id"]: (r["recent"], r["previous"]) for r in engine.execute(expr).to_pylist()}
    assert rows["t3"] == (1, None)
    assert rows["t4"] == (2, "t3")
    assert rows["t5"][0] == rows["t6"][0] == 2  # same instant: both are in each other's hour
    assert rows["t10"] == (1, "t7")
