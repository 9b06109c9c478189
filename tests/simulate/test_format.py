"""The files follow the interchange format exactly (schema.py) and identifiers check out."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from chaincut.model.schema import TABLES
from chaincut.simulate import simulate
from chaincut.simulate.tables import EXTRAS
from tests.simulate.conftest import World

TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
MONEY = re.compile(r"^\d+\.\d{2}$")
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def test_headers_are_the_schema_columns(world: World) -> None:
    for name, spec in TABLES.items():
        header = (world.path / f"{name}.csv").open(encoding="utf-8").readline()
        want = [*spec.column_names, *EXTRAS.get(name, ())]
        assert header.strip().replace('"', "").split(",") == want, name


def test_required_choices_and_types(world: World) -> None:
    for name, spec in TABLES.items():
        rows = world.table(name)
        assert rows, name
        keys = [tuple(r[k] for k in spec.key_columns) for r in rows]
        assert len(set(keys)) == len(keys), f"duplicate keys in {name}"
        for col in spec.columns:
            values = [r[col.name] for r in rows]
            if col.required:
                assert all(v not in (None, "") for v in values), (name, col.name)
            if col.choices:
                assert {v for v in values if v is not None} <= set(col.choices), (name, col.name)
            if col.type == "timestamp":
                assert all(TS.match(v) for v in values if v is not None), (name, col.name)
            if col.type == "decimal":
                assert all(MONEY.match(v) and Decimal(v) > 0 for v in values), (name, col.name)


def test_references_resolve(world: World) -> None:
    accounts = {r["account_id"] for r in world.table("accounts")}
    persons = {r["person_id"]: r for r in world.table("persons")}
    txns = world.table("transactions")
    assert all(t["src_account"] in accounts and t["dst_account"] in accounts for t in txns)
    holders = {r["holder_id"] for r in world.table("accounts")}
    assert {h for h in holders if h.startswith("P")} <= set(persons)
    phones = [p["phone"] for p in persons.values()]
    assert len(set(phones)) == len(phones)
    assert all(re.match(r"^\+(86 ?1\d{10}|\d{2,3}9\d{8})$", p) for p in phones)


def test_id_numbers_cards_and_imeis_check(world: World) -> None:
    persons = world.table("persons")
    ids = [p["id_number"] for p in persons]
    labels = {r["entity_id"]: r["label"] for r in world.table("labels")}
    own = [p["id_number"] for p in persons if labels[p["person_id"]] != "sim_registrant"]
    assert len(set(own)) == len(own), "one ID per person (registrants borrow real ones)"
    for number in ids:
        total = sum(int(c) * w for c, w in zip(number[:17], ID_WEIGHTS, strict=True))
        assert number[17] == "10X98765432"[total % 11]
    cards = [
        a["account_id"]
        for a in world.table("accounts")
        if a["kind"] == "bank_card"
        and a["country"] == "CN"
        and a["account_id"].startswith(("6", "4"))
    ]
    assert len(cards) > 1000
    assert all(16 <= len(c) <= 19 and luhn_ok(c) for c in cards)
    imeis = {c["imei"] for c in world.table("calls") if c["imei"]}
    assert all(len(i) == 15 and luhn_ok(i) for i in imeis)


def test_parquet_types_are_exact(tmp_path: Path) -> None:
    simulate(tmp_path, seed=3, scale=3000, fmt="parquet")
    txns = pq.read_table(tmp_path / "transactions.parquet")
    assert txns.schema.field("amount").type == pa.decimal128(18, 2)
    assert txns.schema.field("ts").type == pa.timestamp("ms", tz="UTC")
    assert txns.column_names == list(TABLES["transactions"].column_names)
    calls = pq.read_table(tmp_path / "calls.parquet")
    assert calls.schema.field("duration_s").type == pa.int64()
    assert all(x > 0 for x in txns.column("amount").to_pylist())
    assert not (tmp_path / "transactions.csv").exists()
