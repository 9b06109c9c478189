"""The interchange format: the tables chaincut reads and writes, their columns and types.

This module is the single definition of PRODUCT.md's "Data: the interchange format". The
importer validates against it, the simulator writes it, the lake creates its tables from it and
the docs are checked against it by a test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ColumnType(StrEnum):
    """Logical column types of the interchange format and how the lake stores them."""

    STRING = "string"
    TIMESTAMP = "timestamp"  # ISO-8601; naive means UTC; stored as naive UTC TIMESTAMP
    DECIMAL = "decimal"  # exact money, at most 2 decimal places; DECIMAL(18,2)
    INTEGER = "integer"
    DATE = "date"
    ID_LIST = "id_list"  # ';'-separated identifiers; stored as VARCHAR[]


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType = ColumnType.STRING
    required: bool = False
    choices: tuple[str, ...] = ()
    default: str | None = None
    positive: bool = False  # numbers that must be > 0
    #: an identifier (a key or a reference to one): it must hold a visible character and no
    #: control character
    identifier: bool = False
    #: a phone number: spaces, dashes, dots and brackets written inside one are dropped
    #: (`+86 138-0000 5678` is `+8613800005678`); IM ids and other text stay as written
    phone: bool = False

    @property
    def duckdb_type(self) -> str:
        return DUCKDB_TYPES[self.type]


@dataclass(frozen=True)
class TableSpec:
    name: str
    key: str
    columns: tuple[Column, ...]
    time_column: str | None = None
    description: str = ""
    event: bool = False  # bulk event table (lake) rather than a reference table
    composite_key: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def key_columns(self) -> tuple[str, ...]:
        return self.composite_key or (self.key,)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


DUCKDB_TYPES: dict[ColumnType, str] = {
    ColumnType.STRING: "VARCHAR",
    ColumnType.TIMESTAMP: "TIMESTAMP",
    ColumnType.DECIMAL: "DECIMAL(18,2)",
    ColumnType.INTEGER: "BIGINT",
    ColumnType.DATE: "DATE",
    ColumnType.ID_LIST: "VARCHAR[]",
}

S, T, D, INT, DT, L = (
    ColumnType.STRING,
    ColumnType.TIMESTAMP,
    ColumnType.DECIMAL,
    ColumnType.INTEGER,
    ColumnType.DATE,
    ColumnType.ID_LIST,
)

ACCOUNT_KINDS = ("bank_card", "payment", "crypto_wallet", "merchant", "exchange", "cash")
CHANNELS = ("transfer", "payment", "atm_withdrawal", "crypto_otc", "cross_border", "pos")
EXIT_CHANNELS = ("atm_withdrawal", "crypto_otc", "cross_border")
MESSAGE_CHANNELS = ("sms", "im", "call_transcript")
ENTITY_KINDS = ("account", "phone", "device", "person", "message")

FRAUD_TYPES: dict[str, str] = {
    "order_brushing": "刷单返利",
    "fake_investment": "虚假网络投资理财",
    "fake_loan": "虚假网络贷款",
    "fake_customer_service": "冒充电商物流客服",
    "impersonate_police": "冒充公检法",
    "fake_credit_repair": "虚假征信",
    "fake_shopping": "虚假购物服务",
    "impersonate_boss": "冒充领导熟人",
    "fake_game_trading": "网络游戏产品虚假交易",
    "romance": "网络婚恋交友",
    "fake_gambling": "虚假博彩",
    "other": "其他",
}

TABLES: dict[str, TableSpec] = {
    "accounts": TableSpec(
        "accounts",
        key="account_id",
        description="bank cards, payment accounts, wallets, merchants, exchanges",
        columns=(
            Column("account_id", S, identifier=True, required=True),
            Column("holder_id", S, identifier=True),
            Column("kind", S, choices=ACCOUNT_KINDS),
            Column("institution", S),
            Column("opened_at", T),
            Column("country", S),
        ),
    ),
    "persons": TableSpec(
        "persons",
        key="person_id",
        columns=(
            Column("person_id", S, identifier=True, required=True),
            Column("name", S),
            Column("id_number", S),
            Column("birth_date", DT),
            Column("phone", S, phone=True),
        ),
    ),
    "transactions": TableSpec(
        "transactions",
        key="txn_id",
        time_column="ts",
        event=True,
        columns=(
            Column("txn_id", S, identifier=True, required=True),
            Column("ts", T, required=True),
            Column("src_account", S, identifier=True, required=True),
            Column("dst_account", S, identifier=True, required=True),
            Column("amount", D, required=True, positive=True),
            Column("currency", S, default="CNY"),
            Column("channel", S, choices=CHANNELS),
        ),
    ),
    "calls": TableSpec(
        "calls",
        key="call_id",
        time_column="ts",
        event=True,
        columns=(
            Column("call_id", S, identifier=True, required=True),
            Column("ts", T, required=True),
            Column("caller", S, identifier=True, required=True, phone=True),
            Column("callee", S, identifier=True, required=True, phone=True),
            Column("duration_s", INT, required=True),
            Column("cell_id", S, identifier=True),
            Column("imei", S, identifier=True),
        ),
    ),
    "messages": TableSpec(
        "messages",
        key="msg_id",
        time_column="ts",
        event=True,
        columns=(
            Column("msg_id", S, identifier=True, required=True),
            Column("ts", T, required=True),
            Column("sender", S, identifier=True, required=True, phone=True),
            Column("receiver", S, identifier=True, required=True, phone=True),
            Column("text", S, required=True),
            Column("channel", S, choices=MESSAGE_CHANNELS),
        ),
    ),
    "reports": TableSpec(
        "reports",
        key="report_id",
        time_column="ts",
        columns=(
            Column("report_id", S, identifier=True, required=True),
            Column("ts", T, required=True),
            Column("victim_id", S, identifier=True),
            Column("victim_account", S, identifier=True, required=True),
            Column("fraud_txn_ids", L, required=True),
            Column("fraud_type", S),
            Column("narrative", S),
        ),
    ),
    "labels": TableSpec(
        "labels",
        key="entity_id",
        composite_key=("entity_id", "entity_kind"),
        description="ground truth, for evaluation only",
        columns=(
            Column("entity_id", S, identifier=True, required=True),
            Column("entity_kind", S, required=True, choices=ENTITY_KINDS),
            Column("label", S, required=True),
        ),
    ),
}

#: the order in which tables are imported (reference tables before events)
TABLE_ORDER: tuple[str, ...] = (
    "persons",
    "accounts",
    "transactions",
    "calls",
    "messages",
    "reports",
    "labels",
)

#: name of the column in which extra (non-format) columns are kept, as a JSON object
EXTRA_COLUMN = "extra"
