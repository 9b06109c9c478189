"""Bank and payment accounts, bank card numbers and IMEIs: digits with a Luhn check digit.

People write card numbers in groups (`6217 0046 7904 3769 455`, `621700-4679043769455`) and in
full-width digits; all of them are one account. A payment account id (`alipay:…`, a merchant
id) keeps its letters. Bank card numbers (UnionPay 62…, Visa 4…, Mastercard 5…, 16 to 19
digits) carry a Luhn check digit; other account numbers need not, so the account form does not
demand it (`card_number` does).
"""

from __future__ import annotations

import re

from chaincut.model.text import compact, fold

_ACCOUNT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:@]{3,63}")
_ACCOUNT_SEPARATORS = re.compile(r"[\s\u00a0\u3000\u200b-\u200d\ufeff\-‐‑‒–—―]")
_CARD_PREFIXES = ("62", "4", "5")


def luhn_ok(digits: str) -> bool:
    """Whether the decimal string `digits` ends in a valid Luhn check digit."""
    if not digits.isdigit():
        return False
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_digit(payload: str) -> str:
    """The Luhn check digit that completes the decimal string `payload`."""
    for digit in "0123456789":
        if luhn_ok(payload + digit):
            return digit
    raise ValueError(f"not digits: {payload!r}")  # unreachable for digits


def normalize_account(text: str) -> str:
    """A bank or payment account id without the spaces and dashes people write in it
    (full-width characters folded); `ValueError` when it is not one."""
    raw = _ACCOUNT_SEPARATORS.sub("", fold(text))
    if not raw:
        raise ValueError("account: empty value")
    if not _ACCOUNT.fullmatch(raw):
        raise ValueError(
            f"account: {text!r} is not an account number (4-64 letters, digits, _ . : @)"
        )
    return raw


def is_card_number(digits: str) -> bool:
    """Whether `digits` reads as a bank card number: 16-19 digits, a card prefix, Luhn valid."""
    return (
        digits.isdigit()
        and 16 <= len(digits) <= 19
        and digits.startswith(_CARD_PREFIXES)
        and luhn_ok(digits)
    )


def card_number(text: str) -> str:
    """A bank card number as digits only; `ValueError` unless it has 12-19 digits and, at 16
    digits or more, a valid Luhn check digit."""
    digits = compact(text)
    if not digits.isdigit() or not 12 <= len(digits) <= 19:
        raise ValueError(f"card: {text!r} is not a card number (12-19 digits)")
    if len(digits) >= 16 and not luhn_ok(digits):
        raise ValueError(f"card: {text!r} fails the Luhn check (a digit is wrong)")
    return digits


def normalize_imei(text: str) -> str:
    """A handset's IMEI as its 15 digits: 14 digits get their check digit, 15 must pass Luhn;
    `ValueError` otherwise."""
    digits = compact(text)
    if not digits.isdigit() or len(digits) not in (14, 15):
        raise ValueError(f"imei: {text!r} is not an IMEI (14 or 15 digits)")
    if len(digits) == 14:
        return digits + luhn_digit(digits)
    if not luhn_ok(digits):
        raise ValueError(f"imei: {text!r} fails the Luhn check (a digit is wrong)")
    return digits
