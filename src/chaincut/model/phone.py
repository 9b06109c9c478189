"""Phone numbers in E.164 (`+8613014821479`), parsed by the `phonenumbers` library.

A number written without a country code is read in the region given (chaincut's setting
`CHAINCUT_PHONE_REGION`, default `CN`): `13014821479`, `130 1482 1479`, `0086 130 1482 1479`,
`8613014821479` and `+86 130-1482-1479` are one number. A landline keeps its area code without
the trunk `0` (`010 1234 5678` → `+861012345678`); service and SMS-gateway numbers (`95588`,
`1069…`) get the country code too, as the interchange data writes them.
"""

from __future__ import annotations

import re

import phonenumbers

from chaincut.model.text import compact

DEFAULT_REGION = "CN"
_DIGITS = re.compile(r"\+?\d+")
#: the fewest digits of a number (service numbers such as 95588) and the most E.164 allows
MIN_DIGITS, MAX_DIGITS = 5, 15
#: the most digits of a number written without a country code (mobiles 11, SMS gateways 13)
MAX_NATIONAL = 13


def normalize_phone(text: str, region: str = DEFAULT_REGION) -> str:
    """`text` as an E.164 number; `ValueError` naming what is wrong when it is not one."""
    raw = compact(text)
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if not raw:
        raise ValueError("phone: empty value")
    if not _DIGITS.fullmatch(raw):
        raise ValueError(f"phone: {text!r} holds characters other than digits")
    digits = raw.lstrip("+")
    international = raw.startswith("+")
    if international and (digits[0] == "0" or not 7 <= len(digits) <= MAX_DIGITS):
        raise ValueError(f"phone: {text!r} is not an international number (+ and 7-15 digits)")
    if len(digits) < MIN_DIGITS:
        raise ValueError(f"phone: {text!r} has too few digits for a number")
    if not international and len(digits) > MAX_NATIONAL and not digits.startswith("86"):
        raise ValueError(f"phone: {text!r} has too many digits for a number")
    try:
        number = phonenumbers.parse(raw, region.upper())
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"phone: {text!r} is not a phone number ({exc._msg})") from exc
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"phone: {text!r} has too few or too many digits for a number")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if number.italian_leading_zero and not _reads_back(e164):
        # a national number of zeros (`0098 000000`) is written with fewer zeros than it was
        # read with: a value that reads back as another number is no number
        raise ValueError(f"phone: {text!r} does not read back as one number ({e164})")
    return e164


def _reads_back(e164: str) -> bool:
    """Whether `e164` is read as itself, with its digits within E.164's bounds."""
    if not 7 <= len(e164) - 1 <= MAX_DIGITS:
        return False
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    again = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return again == e164 and phonenumbers.is_possible_number(number)


def phone_or_none(text: str, region: str = DEFAULT_REGION) -> str | None:
    """`normalize_phone(text, region)`, or None when `text` is not a number."""
    try:
        return normalize_phone(text, region)
    except ValueError:
        return None


def lake_forms(text: str, region: str = DEFAULT_REGION) -> list[str]:
    """The ways a data set may write the number `text`: E.164 first, then, for a number of
    `region`, its national forms (`13014821479`, `01012345678`, `1012345678`); `text` itself
    (stripped) when it is not a number. Look-ups try each, as imported data keeps numbers as
    written."""
    e164 = phone_or_none(text, region)
    if e164 is None:
        return [text.strip()]
    number = phonenumbers.parse(e164)
    forms = [e164]
    if phonenumbers.region_code_for_number(number) == region.upper():
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        forms += [compact(national), phonenumbers.national_significant_number(number)]
    return list(dict.fromkeys(forms))
