"""Exact money for tracing: integer cents inside, `Decimal` and "123.45" strings at the edges.

The kernel moves integer cents so that every split conserves money to the cent; splits that
are not whole cents use largest-remainder rounding with a deterministic tie-break.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

Cents = int

_CENT = Decimal("0.01")


def to_cents(value: Decimal | str | int) -> Cents:
    """Exact cents of an amount with at most two decimal places; raises ValueError otherwise."""
    try:
        dec = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(f"not a decimal amount: {value!r}") from exc
    if not dec.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    scaled = dec * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(f"amount has more than two decimal places: {value!r}")
    return int(scaled)


def to_decimal(cents: Cents) -> Decimal:
    """The amount of `cents` as a two-place `Decimal`."""
    return (Decimal(cents) / 100).quantize(_CENT, rounding=ROUND_HALF_EVEN)


def fmt(cents: Cents) -> str:
    """The amount as the JSON string chaincut uses, e.g. 12345 -> "123.45", -5 -> "-0.05"."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole}.{frac:02d}"


def fmt_yuan(cents: Cents) -> str:
    """The amount for people: "¥12,345.67"."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}¥{whole:,}.{frac:02d}"


def allocate(total: Cents, weights: Sequence[int]) -> list[Cents]:
    """Split `total` cents in proportion to non-negative integer `weights`, exactly.

    Largest-remainder rounding: each part is the floor of its exact share, and the cents left
    over go one each to the largest fractional remainders, ties to the earlier position. The
    parts sum to `total`; a part never exceeds its weight when `total` <= sum(weights). All
    weights zero gives all to nothing: the parts are zeros and the function raises if total != 0.
    """
    if total < 0:
        raise ValueError("cannot allocate a negative total")
    denom = sum(weights)
    if denom == 0:
        if total:
            raise ValueError("cannot allocate a positive total over zero weights")
        return [0] * len(weights)
    parts: list[int] = []
    remainders: list[tuple[int, int]] = []
    for pos, w in enumerate(weights):
        q, r = divmod(total * w, denom)
        parts.append(q)
        remainders.append((-r, pos))
    left = total - sum(parts)
    if left:
        for _, pos in sorted(remainders)[:left]:
            parts[pos] += 1
    return parts


def allocate_map(total: Cents, weights: Mapping[str, int]) -> dict[str, Cents]:
    """`allocate` over a mapping, with keys taken in sorted order (order-independent)."""
    keys = sorted(weights)
    return dict(zip(keys, allocate(total, [weights[k] for k in keys]), strict=True))
