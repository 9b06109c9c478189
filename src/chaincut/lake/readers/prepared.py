"""Prepared look-ups: a reader's Ibis expression compiled once per engine, run with values.

A `Query` builds its expression with placeholders (`slot(n)`, `slot_list(n)`, `slot_time(n)`)
where the values go. `Engine.read_prepared` compiles it once for its engine, turning each
placeholder into a bound parameter (`?` on DuckDB and on Spark), and then only binds values:
a look-up costs what hand-written parameterised SQL costs, the expression is written once, and
values never become SQL text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Final

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pyarrow as pa

from chaincut.lake.engine.base import MARK, Engine

#: joins the values of a list placeholder (never part of an id)
SEP: Final = "\x1f"

Value = str | Sequence[str] | datetime | None


def slot(n: int) -> ir.StringValue:
    """Placeholder `n`: a string value."""
    return ibis.literal(f"{MARK}{n}{MARK}", type=dt.string)


def slot_list(n: int) -> ir.ArrayValue:
    """Placeholder `n`: a list of strings (test membership with `.contains(column)`)."""
    return slot(n).split(SEP)


def slot_time(n: int) -> ir.TimestampValue:
    """Placeholder `n`: a naive UTC time."""
    return slot(n).cast(dt.Timestamp())


def _bound(value: Value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        naive = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
        return naive.isoformat(sep=" ")
    return SEP.join(value)


class Query:
    """A named look-up: `query(engine, value0, value1, ...)` gives its rows as Arrow."""

    def __init__(self, name: str, build: Callable[[Engine], ir.Table]) -> None:
        self.name, self.build = name, build

    def __call__(self, engine: Engine, *values: Value) -> pa.Table:
        return engine.read_prepared(self, self.build, [_bound(v) for v in values])

    def rows(self, engine: Engine, *values: Value) -> list[dict[str, Any]]:
        return list(self(engine, *values).to_pylist())

    def __repr__(self) -> str:
        return self.name


def query(name: str) -> Callable[[Callable[[Engine], ir.Table]], Query]:
    """Decorator: the function building a look-up's expression becomes a `Query`."""

    def wrap(build: Callable[[Engine], ir.Table]) -> Query:
        return Query(name, build)

    return wrap
