"""Which operator holds a number, for masking by need (脱敏按需): an operator's security team
sees its own subscribers' numbers in full, other operators' masked.

A number's operator is read from its number block (号段) through the `phonenumbers` library's
carrier data, the ITU/MIIT allocations, not anything of our own. A number ported to another
operator (携号转网) keeps its block's operator here; erring that way shows its original
operator a number it allocated and masks it from the one that took it over.
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import carrier

#: an operator user's institution, as admins write it (lower case, no spaces), -> the carrier
#: name `phonenumbers` gives in English
_ALIASES = {
    "China Mobile": ("chinamobile", "cmcc", "中国移动", "移动"),
    "China Unicom": ("chinaunicom", "cucc", "unicom", "中国联通", "联通"),
    "China Telecom": ("chinatelecom", "ctcc", "中国电信", "电信"),
    "China Broadnet": ("chinabroadnet", "cbn", "broadnet", "中国广电", "广电"),
}
_BY_ALIAS = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}


def operator_of_institution(institution: str | None) -> str | None:
    """The carrier an operator user's institution names (`CMCC`, `China Mobile`, `中国移动`
    are one), or None when it names none."""
    if not institution:
        return None
    key = "".join(institution.split()).lower()
    named = {"".join(n.split()).lower(): n for n in _ALIASES}
    return _BY_ALIAS.get(key) or named.get(key)


def operator_of_number(number: str, region: str = "CN") -> str | None:
    """The carrier whose number block holds `number` (in any form `region` reads), or None
    when the number does not parse or its block has no known carrier."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    return carrier.name_for_number(parsed, "en") or None


def holds_number(institution: str | None, number: str, region: str = "CN") -> bool:
    """Whether the operator named by `institution` holds `number` (its block's carrier)."""
    mine = operator_of_institution(institution)
    return mine is not None and operator_of_number(number, region) == mine
