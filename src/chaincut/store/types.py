"""Column types shared by the store's tables: exact money, UTC timestamps, JSON documents.

SQLite has no exact decimal and no time zones, so the two types below adapt per dialect:
PostgreSQL stores `NUMERIC(18,2)` and `TIMESTAMPTZ`; SQLite stores integer cents (exact, and
still summable and comparable in SQL) and ISO text. Python code always sees `Decimal` and
timezone-aware UTC `datetime` values.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Dialect, Numeric
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator, TypeEngine

# money values live in chaincut.model.money; re-exported for the store's callers
from chaincut.model.money import CENT, MAX_MONEY, to_money

__all__ = [
    "CENT",
    "MAX_MONEY",
    "JSONDocument",
    "Money",
    "UTCDateTime",
    "as_utc",
    "to_money",
    "utc_now",
]


def as_utc(value: datetime) -> datetime:
    """`value` in UTC; a naive datetime is taken to be UTC already (as in the interchange format)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


class Money(TypeDecorator[Decimal]):
    """Exact money: `NUMERIC(18,2)` on PostgreSQL, integer cents on SQLite."""

    impl = Numeric(18, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(18, 2, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        amount = to_money(value)
        if dialect.name == "sqlite":
            return int(amount * 100)
        return amount

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) / 100).quantize(CENT)
        return Decimal(value).quantize(CENT)

    @property
    def python_type(self) -> type[Decimal]:
        return Decimal


class UTCDateTime(TypeDecorator[datetime]):
    """A point in time, stored as `TIMESTAMPTZ` (PostgreSQL) or ISO text (SQLite), read as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        utc = as_utc(value)
        # SQLite compares timestamps as text: store them naive, all in UTC, so order is time order
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(
        self,
        value: datetime | None,
        dialect: Dialect,  # noqa: ARG002 - SQLAlchemy's signature; every dialect reads alike
    ) -> datetime | None:
        if value is None:
            return None
        return as_utc(value)

    @property
    def python_type(self) -> type[datetime]:
        return datetime


#: a JSON document: `JSONB` on PostgreSQL, JSON text elsewhere
JSONDocument = JSON().with_variant(JSONB(), "postgresql")
