"""Money: `Decimal` with two places at every edge, integer cents inside tight loops.

`to_money` is the strict entry point (refuses floats, NaN and sub-cent amounts instead of
rounding them, so an arithmetic slip never changes an amount on a freeze order); `to_cents` and
`from_cents` cross into and out of integer cents, which the trace kernel moves so that every
split conserves money to the cent (`allocate`: largest-remainder rounding, deterministic ties).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

#: an amount in money: a two-place `Decimal`
Money = Decimal
#: an amount in integer cents (fen), for tight loops
Cents = int

CENT = Decimal("0.01")
#: the largest amount NUMERIC(18,2) (the store's and the lake's money type) holds
MAX_MONEY = Decimal("9999999999999999.99")


def to_money(value: Decimal | int | str) -> Money:
    """`value` as a two-place `Decimal`; refuses floats, NaN, infinities, sub-cent amounts and
    amounts beyond NUMERIC(18,2) with `TypeError`/`ValueError`."""
    if isinstance(value, float | bool):
        raise TypeError(f"money must be a Decimal, int or str, not {type(value).__name__}")
    try:
        amount = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    quantized = amount.quantize(CENT)
    if quantized != amount:
        raise ValueError(f"amount {value} has more than two decimal places")
    if abs(quantized) > MAX_MONEY:
        raise ValueError(f"amount {value} exceeds NUMERIC(18,2)")
    return quantized


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


def from_cents(cents: Cents) -> Money:
    """The amount of `cents` as a two-place `Decimal`."""
    return (Decimal(cents) / 100).quantize(CENT, rounding=ROUND_HALF_EVEN)


#: the trace's historical name for `from_cents`
to_decimal = from_cents


def fmt(cents: Cents) -> str:
    """The amount as the JSON string chaincut uses, e.g. 12345 -> "123.45", -5 -> "-0.05"."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole}.{frac:02d}"


def fmt_grouped(cents: Cents) -> str:
    """The amount for people without its currency: "12,345.67"."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{frac:02d}"


def fmt_yuan(cents: Cents) -> str:
    """The amount for people: "¥12,345.67"."""
    return ("-" if cents < 0 else "") + "¥" + fmt_grouped(abs(cents))


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
