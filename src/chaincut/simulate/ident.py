"""Identifiers that look and check like real ones: names, ID numbers, phones, cards, IMEIs.

All functions are vectorised and unique by construction: a serial number is a bijection of a
counter, so two calls with disjoint counters never collide.
"""

from __future__ import annotations

import zlib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from chaincut.simulate.catalog import GIVEN_CHARS, MOBILE_PREFIXES, SURNAMES
from chaincut.simulate.encode import ZERO, civil, digits, luhn_digit, text_from_digits
from chaincut.simulate.rng import affine_serial

I64 = NDArray[np.int64]
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)
_SURNAME_WEIGHTS = 1.0 / np.arange(1, len(SURNAMES) + 1) ** 0.9


def surnames(rng: np.random.Generator, n: int) -> I64:
    p = _SURNAME_WEIGHTS / _SURNAME_WEIGHTS.sum()
    out: I64 = rng.choice(len(SURNAMES), size=n, p=p).astype(np.int64)
    return out


def names(rng: np.random.Generator, surname: I64) -> pa.StringArray:
    """Chinese names: a surname and one or two given characters."""
    n = len(surname)
    sur = pa.array(list(SURNAMES)).take(pa.array(surname))
    chars = pa.array(list(GIVEN_CHARS))
    g1 = chars.take(pa.array(rng.integers(0, len(GIVEN_CHARS), n)))
    two = rng.random(n) < 0.7
    g2 = chars.take(pa.array(rng.integers(0, len(GIVEN_CHARS), n)))
    g2 = pc.if_else(pa.array(two), g2, pa.scalar("", pa.string()))
    out = pc.binary_join_element_wise(sur, g1, g2, "")
    if not isinstance(out, pa.StringArray):
        raise TypeError(f"expected string names, got {out.type}")
    return out


def id_numbers(
    region: I64, birth_days: I64, male: NDArray[np.bool_], seq_offset: int = 0
) -> pa.StringArray:
    """18-digit resident ID numbers with a valid check digit, unique within the call.

    region(6) + birth date YYYYMMDD(8) + sequence(3, odd for men) + check digit (ISO 7064).
    """
    n = len(region)
    year, month, day = civil(birth_days.astype(np.int64))
    ymd = year * 10_000 + month * 100 + day
    order = np.lexsort((male, ymd, region))
    key = region[order] * 100_000_000 + ymd[order]
    first = np.r_[True, key[1:] != key[:-1]]
    group_start = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - group_start
    seq = ((rank + seq_offset) * 2 + male.astype(np.int64)) % 1000
    body = np.concatenate([digits(region, 6), digits(ymd, 8), digits(seq, 3)], axis=1)
    check = _ID_CHECK[(body.astype(np.int64) @ _ID_WEIGHTS) % 11]
    return text_from_digits(b"", body, check[:, None])


def mobile_numbers(counter: I64, salt: int) -> pa.StringArray:
    """+86 mobile numbers (E.164), unique per counter."""
    prefixes = np.asarray(MOBILE_PREFIXES, dtype=np.int64)
    serial = affine_serial(counter, len(prefixes) * 10**8, salt)
    number = prefixes[serial // 10**8] * 10**8 + serial % 10**8
    return text_from_digits(b"+86", digits(number, 11))


def foreign_numbers(country_code: str, counter: I64, salt: int) -> pa.StringArray:
    """Mobile numbers of another country, e.g. +855 and 9 digits."""
    serial = affine_serial(counter, 10**8, salt)
    return text_from_digits(f"{country_code}9".encode(), digits(serial, 8))


def card_numbers(bins: tuple[int, ...], length: int, counter: I64, salt: int) -> pa.StringArray:
    """Bank card numbers: a BIN, a scrambled serial and a Luhn check digit (16 to 19 digits)."""
    serial_digits = length - 7
    serial = affine_serial(counter, len(bins) * 10**serial_digits, salt + bins[0])
    bin_ = np.asarray(bins, dtype=np.int64)[serial // 10**serial_digits]
    payload = np.concatenate(
        [digits(bin_, 6), digits(serial % 10**serial_digits, serial_digits)], axis=1
    )
    return text_from_digits(b"", payload, luhn_digit(payload)[:, None] + ZERO)


def imeis(tacs: tuple[int, ...], counter: I64, salt: int) -> pa.StringArray:
    """15-digit IMEIs: type allocation code, serial and Luhn check digit."""
    serial = affine_serial(counter, len(tacs) * 10**6, salt + 15)
    tac = np.asarray(tacs, dtype=np.int64)[serial // 10**6]
    payload = np.concatenate([digits(tac, 8), digits(serial % 10**6, 6)], axis=1)
    return text_from_digits(b"", payload, luhn_digit(payload)[:, None] + ZERO)


def numbered(prefix: str, counter: I64, width: int, salt: int) -> pa.StringArray:
    """prefix + a scrambled serial of `width` digits (payment, merchant, foreign accounts)."""
    serial = affine_serial(counter, 10**width, salt + zlib.crc32(prefix.encode()))
    return text_from_digits(prefix.encode(), digits(serial, width))
