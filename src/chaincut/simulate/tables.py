"""Rows (entity indices) to Arrow tables with exactly the interchange format's columns.

CSV gets text: ISO-8601 UTC timestamps, amounts as exact decimals with two places. Parquet gets
typed columns: timestamp[ms, UTC], decimal128(18, 2), date32, int64. Never a float.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from chaincut.model.schema import CHANNELS, MESSAGE_CHANNELS, TABLES, ColumnType
from chaincut.simulate import encode, ident
from chaincut.simulate.params import Format
from chaincut.simulate.registry import ACCOUNT_KINDS, COUNTRIES
from chaincut.simulate.rng import key64, mix64
from chaincut.simulate.rows import Calls, Messages, Txns
from chaincut.simulate.world import World

I64 = NDArray[np.int64]
_CHANNELS = pa.array(list(CHANNELS))
_MESSAGE_CHANNELS = pa.array(list(MESSAGE_CHANNELS))


def arrow_type(kind: ColumnType, fmt: Format) -> pa.DataType:
    if fmt == "csv" and kind != ColumnType.INTEGER:
        return pa.string()
    return {
        ColumnType.STRING: pa.string(),
        ColumnType.TIMESTAMP: pa.timestamp("ms", tz="UTC"),
        ColumnType.DECIMAL: pa.decimal128(18, 2),
        ColumnType.INTEGER: pa.int64(),
        ColumnType.DATE: pa.date32(),
        ColumnType.ID_LIST: pa.string(),
    }[kind]


#: extra columns the simulator writes after a table's format columns (the format keeps extra
#: columns): the phone an account was registered with (`simulate.registration`)
EXTRAS: dict[str, tuple[str, ...]] = {"accounts": ("reg_phone",)}


def schema_for(table: str, fmt: Format) -> pa.Schema:
    fields = [pa.field(c.name, arrow_type(c.type, fmt)) for c in TABLES[table].columns]
    return pa.schema(fields + [pa.field(x, pa.string()) for x in EXTRAS.get(table, ())])


def ts_column(seconds: I64, fmt: Format) -> pa.Array:
    return encode.iso_utc(seconds) if fmt == "csv" else encode.timestamps(seconds)


def money_column(cents: I64, fmt: Format) -> pa.Array:
    return encode.money_text(cents) if fmt == "csv" else encode.decimals(cents)


def take(ids: pa.Array, index: I64) -> pa.Array:
    """ids[index], null where index < 0."""
    missing = index < 0
    idx = pa.array(np.where(missing, 0, index), mask=missing if missing.any() else None)
    return ids.take(idx)


def build(table: str, fmt: Format, columns: dict[str, Any]) -> pa.Table:
    schema = schema_for(table, fmt)
    arrays = [
        columns[f.name].cast(f.type) if columns[f.name].type != f.type else columns[f.name]
        for f in schema
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


class Formatter:
    """Turns row blocks of one world into tables."""

    def __init__(self, world: World, fmt: Format, text_pool: pa.Array | None = None) -> None:
        self.w, self.fmt = world, fmt
        self.text_pool = text_pool
        self.keys = {name: key64(world.seed, name) for name in ("txn", "call", "msg")}

    def txn_ids(self, uid: NDArray[np.uint64]) -> pa.Array:
        return encode.hex_ids("T", mix64(uid, self.keys["txn"]))

    def msg_ids(self, uid: NDArray[np.uint64]) -> pa.Array:
        return encode.hex_ids("M", mix64(uid, self.keys["msg"]))

    def transactions(self, t: Txns) -> pa.Table:
        acc = self.w.accounts.ids
        return build(
            "transactions",
            self.fmt,
            {
                "txn_id": self.txn_ids(t.uid),
                "ts": ts_column(t.ts, self.fmt),
                "src_account": acc.take(pa.array(t.src)),
                "dst_account": acc.take(pa.array(t.dst)),
                "amount": money_column(t.cents, self.fmt),
                "currency": pa.repeat(pa.scalar("CNY"), len(t)),
                "channel": _CHANNELS.take(pa.array(t.channel)),
            },
        )

    def calls(self, c: Calls) -> pa.Table:
        phones = self.w.phones.ids
        return build(
            "calls",
            self.fmt,
            {
                "call_id": encode.hex_ids("C", mix64(c.uid, self.keys["call"])),
                "ts": ts_column(c.ts, self.fmt),
                "caller": phones.take(pa.array(c.caller)),
                "callee": phones.take(pa.array(c.callee)),
                "duration_s": pa.array(c.duration, pa.int64()),
                "cell_id": take(self.w.cells.ids, c.cell),
                "imei": take(self.w.devices.ids, c.imei),
            },
        )

    def messages(self, m: Messages) -> pa.Table:
        phones = self.w.phones.ids
        if self.text_pool is None:
            raise RuntimeError("messages need the text pool: build it before the tables")
        return build(
            "messages",
            self.fmt,
            {
                "msg_id": self.msg_ids(m.uid),
                "ts": ts_column(m.ts, self.fmt),
                "sender": phones.take(pa.array(m.sender)),
                "receiver": phones.take(pa.array(m.receiver)),
                "text": self.text_pool.take(pa.array(m.text)),
                "channel": _MESSAGE_CHANNELS.take(pa.array(m.channel)),
            },
        )

    def accounts(self) -> pa.Table:
        a = self.w.accounts
        holder = a.col["holder"]
        person_ids = self.w.persons.ids
        org = ident.numbered("ORG", np.maximum(-1 - holder, 0), 9, self.w.seed)
        holders = pa.array(np.where(holder >= 0, 0, 1).astype(bool))
        return build(
            "accounts",
            self.fmt,
            {
                "account_id": a.ids,
                "holder_id": _pick(holders, org, take(person_ids, np.maximum(holder, 0))),
                "kind": pa.array(list(ACCOUNT_KINDS)).take(pa.array(a.col["kind"])),
                "institution": pa.array(self.w.institutions.names).take(
                    pa.array(a.col["institution"])
                ),
                "opened_at": ts_column(a.col["opened"], self.fmt),
                "country": pa.array(list(COUNTRIES)).take(pa.array(a.col["country"])),
                "reg_phone": self.reg_phone(),
            },
        )

    def reg_phone(self) -> pa.Array:
        """Each account's registration phone (`World.reg_phone`; all null when unset)."""
        if self.w.reg_phone is None:
            return pa.nulls(self.w.accounts.size, pa.string())
        return self.w.reg_phone

    def persons(self) -> pa.Table:
        p = self.w.persons
        days = p.col["birth_days"]
        return build(
            "persons",
            self.fmt,
            {
                "person_id": p.ids,
                "name": p.text["name"],
                "id_number": p.text["id_number"],
                "birth_date": encode.iso_date(days) if self.fmt == "csv" else encode.dates(days),
                "phone": self.w.phones.ids.take(pa.array(p.col["phone"])),
            },
        )


def _pick(mask: pa.Array, when_true: pa.Array, when_false: pa.Array) -> pa.Array:
    return pc.if_else(mask, when_true, when_false)
