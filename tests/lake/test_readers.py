"""The named readers of `chaincut.lake.readers`: the same answers on every engine, and the
answers the service's hand-written SQL gave before (kept here as the oracle, on DuckDB)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from chaincut.lake.engine import DuckDBEngine, Engine
from chaincut.lake.readers import events, subjects
from chaincut.settings import EngineName, Settings
from tests.lake.conftest import ROWS

ACCOUNTS = sorted({r[0] for r in ROWS["accounts"]} | {"NOBODY"})
NUMBERS = sorted(
    {r[2] for r in ROWS["calls"]} | {r[3] for r in ROWS["calls"]} | {"+8613800000009", "+86000"}
)


def _txns() -> list[tuple[Any, ...]]:
    return ROWS["transactions"]


def test_account_facts_follow_the_rows(engine: Engine) -> None:
    for account in ACCOUNTS:
        facts = subjects.account(engine, account)
        ins = [t for t in _txns() if t[3] == account]
        outs = [t for t in _txns() if t[2] == account]
        known = any(r[0] == account for r in ROWS["accounts"])
        if not (known or ins or outs):
            assert facts is None
            continue
        assert facts is not None
        assert facts["inflows"] == len(ins) and facts["outflows"] == len(outs)
        assert Decimal(facts["inflow_amount"]) == sum((t[4] for t in ins), Decimal("0.00"))
        assert Decimal(facts["outflow_amount"]) == sum((t[4] for t in outs), Decimal("0.00"))
        times = [t[1] for t in ins + outs]
        assert facts["first_seen"] == (min(times).isoformat() if times else None)


def test_subject_readers_agree_across_engines(engine: Engine, duckdb_engine: Engine) -> None:
    for reader, keys in (
        (subjects.account, ACCOUNTS),
        (subjects.number, NUMBERS),
        (subjects.person, ["p1", "p2"]),
    ):
        for key in keys:
            assert reader(engine, key) == reader(duckdb_engine, key), (reader.__name__, key)
    forms = ["+8613800000001", "8613800000001"]
    assert subjects.standing(engine, "phone", forms) == ("fraud", False)
    assert subjects.standing(engine, "account", ["M1"]) == ("mule_l1", True)
    assert subjects.standing(engine, "account", ["A"]) == (None, True)
    assert subjects.listed(engine, "account", "M1") == "mule_l1"
    assert subjects.listed(engine, "person", "p1") is None
    assert subjects.own_accounts(engine, "A", ["A", "M1"]) == {"A"}
    assert subjects.regions(engine, ["p1", "p9"]) == {"p1": "110101"}
    assert subjects.devices_of(engine, "+8613800000001") == ["86001"]


def test_event_readers_agree_across_engines(engine: Engine, duckdb_engine: Engine) -> None:
    ids = ["t1", "t3", "t99"]
    assert sorted(events.transfers(engine, ids)) == sorted(events.transfers(duckdb_engine, ids))
    assert {t[0] for t in events.transfers(engine, ids)} == {"t1", "t3"}
    assert events.txn_amounts(engine, ids) == Decimal("9000.25")
    assert events.txn_amounts(engine, []) == Decimal("0.00")
    losses = events.report_losses(engine)
    assert losses == events.report_losses(duckdb_engine)
    assert [(r[0], r[4]) for r in losses] == [("r1", Decimal("8000.50"))]
    since = datetime(2024, 3, 1, 8, 0)
    args = ("A", None, since, since + timedelta(days=1), timedelta(days=30))
    contacts = events.new_contacts(engine, *args)
    assert contacts == events.new_contacts(duckdb_engine, *args)
    assert events.label_counts(engine) == events.label_counts(duckdb_engine)
    assert events.labels_of_kind(engine, "account") == events.labels_of_kind(
        duckdb_engine, "account"
    )


def test_directories_follow_the_rows(engine: Engine) -> None:
    persons, accounts = ROWS["persons"], ROWS["accounts"]
    assert subjects.phone_holders(engine) == {r[4]: r[0] for r in persons if r[4]}
    assert subjects.account_holders(engine) == {r[0]: r[1] for r in accounts if r[1]}
    assert subjects.institution_accounts(engine, "ICBC") == {
        r[0] for r in accounts if r[3] == "ICBC"
    }
    labels = ROWS["labels"]
    for kind in ("account", "phone", "person"):
        assert events.labels_of_kind(engine, kind) == {r[0]: r[2] for r in labels if r[1] == kind}


#: the service's hand-written SQL before the readers (service/lakeview.py), as the oracle
OLD_ACCOUNT = (
    "SELECT a.holder_id, a.kind, a.institution, a.opened_at, a.country, "
    " (SELECT count(*) FROM transactions WHERE dst_account = $1), "
    " (SELECT coalesce(sum(amount), 0) FROM transactions WHERE dst_account = $1), "
    " (SELECT count(*) FROM transactions WHERE src_account = $1), "
    " (SELECT coalesce(sum(amount), 0) FROM transactions WHERE src_account = $1), "
    " (SELECT min(ts) FROM transactions WHERE src_account = $1 OR dst_account = $1), "
    " (SELECT max(ts) FROM transactions WHERE src_account = $1 OR dst_account = $1) "
    "FROM (SELECT $1 AS account_id) q LEFT JOIN accounts a USING (account_id)"
)
OLD_NUMBER = (
    "SELECT (SELECT count(*) FROM calls WHERE caller = $1),"
    " (SELECT count(*) FROM calls WHERE callee = $1),"
    " (SELECT count(DISTINCT callee) FROM calls WHERE caller = $1),"
    " (SELECT avg(duration_s) FROM calls WHERE caller = $1),"
    " (SELECT count(DISTINCT imei) FROM calls WHERE caller = $1),"
    " (SELECT count(DISTINCT cell_id) FROM calls WHERE caller = $1),"
    " (SELECT count(*) FROM messages WHERE sender = $1),"
    " (SELECT list(person_id ORDER BY person_id) FROM persons WHERE phone = $1)"
)


def _sql_rows(engine: Engine, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """The oracle: hand-written SQL on the DuckDB engine's connection."""
    assert isinstance(engine, DuckDBEngine)
    rows: list[tuple[Any, ...]] = engine.backend.con.execute(sql, params).fetchall()
    return rows


def test_readers_answer_as_the_old_sql(duckdb_engine: Engine) -> None:
    assert isinstance(duckdb_engine, DuckDBEngine)
    for account in ACCOUNTS:
        old = _sql_rows(duckdb_engine, OLD_ACCOUNT, [account])[0]
        new = subjects.account(duckdb_engine, account)
        if new is None:
            assert old[1] is None and not old[5] and not old[7]
            continue
        iso = [v.isoformat() if v is not None else None for v in (old[3], old[9], old[10])]
        assert (new["holder_id"], new["kind"], new["opened_at"]) == (old[0], old[1], iso[0])
        assert (new["inflows"], new["inflow_amount"]) == (old[5], str(Decimal(old[6])))
        assert (new["outflows"], new["outflow_amount"]) == (old[7], str(Decimal(old[8])))
        assert (new["first_seen"], new["last_seen"]) == (iso[1], iso[2])
    for phone in NUMBERS:
        out, into, callees, mean_s, imeis, cells, sms, holders = _sql_rows(
            duckdb_engine, OLD_NUMBER, [phone]
        )[0]
        found = subjects.number(duckdb_engine, phone)
        if found is None:
            assert not (out or into or sms or holders)
            continue
        assert (found["calls_out"], found["calls_in"], found["messages_sent"]) == (out, into, sms)
        assert (found["distinct_callees"], found["devices"], found["cells"]) == (
            callees,
            imeis,
            cells,
        )
        assert found["mean_call_s"] == (round(float(mean_s), 1) if mean_s is not None else None)
        assert found["holders"] == list(holders or [])


#: the hand-written SQL of the callers moved to readers (services/, cli/commands_demo.py,
#: trace/evaluate.py), each with the reader that replaced it, as the oracle
OLD_CALLERS: list[tuple[str, list[Any], Any]] = [
    (
        "SELECT txn_id, ts, src_account, dst_account, amount, channel "
        "FROM transactions WHERE txn_id IN (SELECT unnest(?::VARCHAR[]))",
        [["t1", "t3", "t99"]],
        lambda e: events.transfer_rows(e, ["t1", "t3", "t99"]),
    ),
    (
        "SELECT DISTINCT imei FROM calls WHERE caller = ? AND imei IS NOT NULL ORDER BY 1 LIMIT 20",
        ["+8613800000001"],
        lambda e: [(i,) for i in subjects.devices_of(e, "+8613800000001")],
    ),
    (
        "SELECT account_id FROM accounts WHERE institution = ?",
        ["ICBC"],
        lambda e: [(a,) for a in subjects.institution_accounts(e, "ICBC")],
    ),
    (
        "SELECT entity_kind, label, count(*) FROM labels GROUP BY ALL ORDER BY ALL",
        [],
        lambda e: [
            (k, lab, n) for k, per in events.label_counts(e).items() for lab, n in per.items()
        ],
    ),
    (
        "SELECT entity_id, any_value(label) FROM labels WHERE entity_kind = 'account' "
        "GROUP BY entity_id",
        [],
        lambda e: list(events.labels_of_kind(e, "account").items()),
    ),
]


def test_moved_callers_answer_as_their_old_sql(duckdb_engine: Engine) -> None:
    assert isinstance(duckdb_engine, DuckDBEngine)
    for sql, params, reader in OLD_CALLERS:
        old = _sql_rows(duckdb_engine, sql, params)
        assert old, sql  # the oracle must have something to compare
        assert sorted(map(tuple, reader(duckdb_engine))) == sorted(old), sql


def test_a_reader_runs_from_many_threads(duckdb_engine: Engine) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda a: subjects.account(duckdb_engine, a), ACCOUNTS * 5))
    assert results == [subjects.account(duckdb_engine, a) for a in ACCOUNTS * 5]


@pytest.mark.parametrize("kind", ["account", "phone"])
def test_no_forms_means_unknown(engine: Engine, kind: str) -> None:
    assert subjects.standing(engine, kind, []) == (None, False)


@pytest.mark.spark
@pytest.mark.usefixtures("spark")
def test_the_service_view_answers_alike_on_spark(lake_settings: Settings) -> None:
    """The console's look-ups (`service/lakeview.py`) with CHAINCUT_ENGINE=spark."""
    from chaincut.service.lakeview import LakeView

    on_duckdb = LakeView(lake_settings.model_copy(update={"engine": EngineName.duckdb}))
    on_spark = LakeView(lake_settings.model_copy(update={"engine": EngineName.spark}))
    try:
        for view in (on_duckdb, on_spark):
            assert view.account("M1") is not None
        for account in ACCOUNTS:
            assert on_spark.account(account) == on_duckdb.account(account)
        for phone in NUMBERS:
            assert on_spark.number(phone) == on_duckdb.number(phone)
        assert on_spark.person("p1") == on_duckdb.person("p1")
        assert on_spark.standing("account", ["M1"]) == on_duckdb.standing("account", ["M1"])
        assert on_spark.report_losses() == on_duckdb.report_losses()
        assert on_spark.regions(["p1"]) == on_duckdb.regions(["p1"])
        both = (on_spark, on_duckdb)
        assert [v.institution_accounts("ICBC") for v in both] == [{"A"}, {"A"}]
        assert on_spark.devices_of("+8613800000001") == on_duckdb.devices_of("+8613800000001")
        assert on_spark.transfer_rows(["t1", "t2"]) != []
        assert sorted(on_spark.transfer_rows(["t1", "t2"])) == sorted(
            on_duckdb.transfer_rows(["t1", "t2"])
        )
        assert on_spark.phone_holders() == on_duckdb.phone_holders() == {"+8613800000009": "p1"}
        assert on_spark.account_holders() == on_duckdb.account_holders() == {"A": "p1"}
    finally:
        on_duckdb.close()
        on_spark.close()
