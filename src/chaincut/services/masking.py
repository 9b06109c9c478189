"""Masking personal identifiers for users below analyst level (脱敏).

Card and account numbers keep their first and last four characters (6222********1234), mobile
numbers their first three and last four (138****5678); shorter identifiers keep only their
edges. The mask keeps the length, so a masked value still reads as the kind of thing it is.
"""

from __future__ import annotations

import re

_MOBILE = re.compile(r"(\+?86)?1\d{10}")


def mask_phone(value: str) -> str:
    """A phone number with all but its first three and last four digits hidden."""
    prefix = ""
    digits = value
    if value.startswith("+86") and len(value) == 14:
        prefix, digits = "+86", value[3:]
    if len(digits) < 8:
        return mask_identifier(value)
    return prefix + digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_identifier(value: str) -> str:
    """Any identifier (account, card, ID number, phone) masked by its shape."""
    n = len(value)
    if _MOBILE.fullmatch(value):
        return mask_phone(value)
    if n >= 12:
        return value[:4] + "*" * (n - 8) + value[-4:]
    if n >= 8:
        return value[:2] + "*" * (n - 4) + value[-2:]
    if n >= 2:
        return value[0] + "*" * max(3, n - 1)
    return "***"


def masked(value: str | None, mask: bool) -> str | None:
    """`value` masked when `mask` is set (None stays None)."""
    if value is None or not mask:
        return value
    return mask_identifier(value)
