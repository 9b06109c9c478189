"""The link graph's lake jobs, on the lake suite's tiny lake; the same rows on Spark."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pytest

from chaincut.lake.engine import Engine
from chaincut.lake.jobs.link_edges import (
    account_degree,
    link_contacts,
    link_devices,
    link_holders,
    link_messages,
    link_payers,
    link_registrations,
    link_transfers,
    phone_reach,
    report_transfers,
)
from tests.lake.conftest import sorted_rows

VICTIM_PHONE = "+8613900000002"


def _ids(column: str, *values: str) -> ir.Table:
    return ibis.memtable(pa.table({column: pa.array(list(values), pa.string())}))


JOBS: dict[str, Callable[[Engine], ir.Table]] = {
    "holders": lambda e: link_holders(e.table("accounts")),
    "registrations": lambda e: link_registrations(e.table("persons")),
    "contacts": lambda e: link_contacts(
        e.table("calls"), e.table("messages"), _ids("phone", VICTIM_PHONE)
    ),
    "reach": lambda e: phone_reach(
        e.table("calls"), e.table("messages"), _ids("phone", VICTIM_PHONE)
    ),
    "devices": lambda e: link_devices(e.table("calls"), _ids("phone", "+8613800000001")),
    "transfers": lambda e: link_transfers(
        e.table("transactions"), _ids("account_id", "M1", "M2", "M3")
    ),
    "report": lambda e: report_transfers(e.table("reports"), e.table("transactions")),
    "degree": lambda e: account_degree(e.table("transactions"), _ids("account_id", "M1", "X")),
    "payers": lambda e: link_payers(e.table("transactions"), _ids("account_id", "M2")),
    "messages": lambda e: link_messages(e.table("messages"), _ids("phone", VICTIM_PHONE)),
}


def _run(engine: Engine, name: str) -> list[dict[str, Any]]:
    expr = JOBS[name](engine)
    engine.backend._register_in_memory_tables(expr)
    return list(engine.execute(expr, label=name).to_pylist())


def test_holders_and_registrations(duckdb_engine: Engine) -> None:
    assert [(r["account_id"], r["person_id"]) for r in _run(duckdb_engine, "holders")] == [
        ("A", "p1")
    ]
    regs = {(r["kind"], r["value"]) for r in _run(duckdb_engine, "registrations")}
    assert regs == {("phone", "+8613800000009"), ("id_number", "110101198005010011")}


def test_contacts_keep_evidence_ids_of_pairs_touching_the_phones(duckdb_engine: Engine) -> None:
    rows = {(r["src"], r["dst"], r["channel"]): r for r in _run(duckdb_engine, "contacts")}
    call = rows[("+8613800000001", VICTIM_PHONE, "call")]
    assert (call["n"], call["first_id"], call["last_id"]) == (1, "c1", "c1")
    assert rows[(VICTIM_PHONE, "+8613800000001", "msg")]["first_id"] == "m2"
    assert all(VICTIM_PHONE in (s, d) for s, d, _ in rows)  # c2 touches no victim


def test_reach_counts_victims_among_contacts(duckdb_engine: Engine) -> None:
    reach = {r["phone"]: (r["contacts"], r["victims"]) for r in _run(duckdb_engine, "reach")}
    assert reach["+8613800000001"] == (2, 1)
    assert reach[VICTIM_PHONE] == (1, 0)


def test_money_jobs(duckdb_engine: Engine) -> None:
    pairs = {(r["src"], r["dst"]): r for r in _run(duckdb_engine, "transfers")}
    assert set(pairs) == {("M1", "M2"), ("M1", "M3")}  # the self-transfer and X are out
    assert str(pairs[("M1", "M2")]["amount"]) == "4000.25"
    paid = sorted(
        (r["report_id"], r["txn_id"], r["dst_account"]) for r in _run(duckdb_engine, "report")
    )
    assert paid == [("r1", "t1", "M1"), ("r1", "t2", "M1")]
    degree = {r["account_id"]: r["counterparties"] for r in _run(duckdb_engine, "degree")}
    assert degree == {"M1": 3, "X": 2}
    assert [r["imei"] for r in _run(duckdb_engine, "devices")] == ["86001"]
    payers = {(r["src"], r["dst"]): str(r["amount"]) for r in _run(duckdb_engine, "payers")}
    assert payers == {("M1", "M2"): "4000.25"}


def test_messages_to_the_victims_keep_their_text(duckdb_engine: Engine) -> None:
    rows = _run(duckdb_engine, "messages")
    expr = duckdb_engine.table("messages")
    everything = list(duckdb_engine.execute(expr, label="all messages").to_pylist())
    want = {m["msg_id"] for m in everything if m["receiver"] == VICTIM_PHONE and m["text"]}
    assert want and {r["msg_id"] for r in rows} == want
    assert all(r["receiver"] == VICTIM_PHONE and r["text"] for r in rows)


@pytest.mark.spark
@pytest.mark.parametrize("name", sorted(JOBS))
def test_spark_gives_the_same_rows(duckdb_engine: Engine, spark_engine: Engine, name: str) -> None:
    assert sorted_rows(pa.Table.from_pylist(_run(spark_engine, name))) == sorted_rows(
        pa.Table.from_pylist(_run(duckdb_engine, name))
    )
