"""Exact money for tracing: a re-export of `chaincut.model.money` (integer cents inside,
`Decimal` and "123.45" strings at the edges)."""

from chaincut.model.money import (
    Cents,
    allocate,
    allocate_map,
    fmt,
    fmt_yuan,
    to_cents,
    to_decimal,
)

__all__ = ["Cents", "allocate", "allocate_map", "fmt", "fmt_yuan", "to_cents", "to_decimal"]
