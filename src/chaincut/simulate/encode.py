"""Vectorised formatting of numbers into identifiers, timestamps and money columns.

Everything here turns numpy arrays into Arrow arrays without a Python loop per row, which is what
lets the simulator write millions of rows a second.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

U8 = NDArray[np.uint8]
I64 = NDArray[np.int64]

_HEX = np.frombuffer(b"0123456789ABCDEF", dtype=np.uint8)
#: the two hex characters of each byte value, as one uint16 (memory order = text order)
_HEX_PAIRS = (
    np.stack([_HEX[np.arange(256) >> 4], _HEX[np.arange(256) & 15]], axis=1)
    .copy()
    .view(np.uint16)
    .ravel()
)
ZERO = ord("0")
_PAIR_DIGITS = np.stack([np.arange(100) // 10, np.arange(100) % 10], axis=1).astype(np.uint8)


def digits(values: I64, width: int) -> U8:
    """The decimal digits of non-negative values, zero-padded to `width`, as an (n, width) array.

    Two digits per division (a table of 00..99), which halves the slow 64-bit divisions.
    """
    v = values.astype(np.int64).copy()
    out = np.empty((len(v), width), dtype=np.uint8)
    col = width
    while col >= 2:
        v, pair = np.divmod(v, 100)
        out[:, col - 2 : col] = _PAIR_DIGITS[pair]
        col -= 2
    if col == 1:
        out[:, 0] = v % 10
    return out


def luhn_digit(payload: U8) -> U8:
    """The Luhn check digit of each row of digits (card numbers, IMEIs)."""
    d = payload[:, ::-1].astype(np.int16)
    d[:, 0::2] *= 2
    d = np.where(d > 9, d - 9, d)
    out: U8 = ((10 - d.sum(axis=1) % 10) % 10).astype(np.uint8)
    return out


def _strings(out: pa.Array) -> pa.StringArray:
    if not isinstance(out, pa.StringArray):
        raise TypeError(f"expected strings, got {out.type}")
    return out


def chars_to_strings(chars: U8) -> pa.StringArray:
    """An (n, width) array of ASCII codes as n strings (built from buffers, no per-row work)."""
    n, width = chars.shape
    data = np.ascontiguousarray(chars).reshape(-1)
    kind = pa.string() if n * width < 2**31 else pa.large_string()
    offset_type = np.int32 if kind == pa.string() else np.int64
    offsets = np.arange(n + 1, dtype=offset_type) * offset_type(width)
    arr = pa.Array.from_buffers(kind, n, [None, pa.py_buffer(offsets), pa.py_buffer(data)])
    out = arr if kind == pa.string() else arr.cast(pa.string())
    return _strings(out)


def text_from_digits(prefix: bytes, body: U8, suffix: U8 | None = None) -> pa.StringArray:
    """prefix + digits (+ extra characters), e.g. b'+86' and 11 phone digits."""
    n = body.shape[0]
    parts = [np.frombuffer(prefix, dtype=np.uint8)[None, :].repeat(n, axis=0), body + ZERO]
    if suffix is not None:
        parts.append(suffix)
    return chars_to_strings(np.concatenate(parts, axis=1))


def hex_ids(prefix: str, values: NDArray[np.uint64]) -> pa.StringArray:
    """prefix + 16 upper-case hex digits of each value."""
    n = len(values)
    pre = prefix.encode()
    out = np.empty((n, len(pre) + 16), dtype=np.uint8)
    out[:, : len(pre)] = np.frombuffer(pre, dtype=np.uint8)
    big_endian = np.ascontiguousarray(values.astype(">u8")).view(np.uint8).reshape(n, 8)
    out[:, len(pre) :] = _HEX_PAIRS[big_endian].view(np.uint8).reshape(n, 16)
    return chars_to_strings(out)


def seq_ids(prefix: str, values: I64, width: int) -> pa.StringArray:
    """prefix + zero-padded decimal number, e.g. P000012345."""
    return text_from_digits(prefix.encode(), digits(values, width))


def civil(days: I64) -> tuple[I64, I64, I64]:
    """Year, month, day of days since 1970-01-01 (H. Hinnant's civil_from_days)."""
    z = days + 719_468
    era = np.floor_divide(z, 146_097)
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


def _date_chars(days: I64) -> U8:
    """YYYY-MM-DD of each day number; computed once per distinct day."""
    lo, hi = int(days.min()), int(days.max())
    span = np.arange(lo, hi + 1, dtype=np.int64)
    year, month, day = civil(span)
    table = np.empty((len(span), 10), dtype=np.uint8)
    table[:, 0:4] = digits(year, 4) + ZERO
    table[:, 5:7] = digits(month, 2) + ZERO
    table[:, 8:10] = digits(day, 2) + ZERO
    table[:, 4] = table[:, 7] = ord("-")
    out: U8 = table[days - lo]
    return out


def _time_table() -> U8:
    sod = np.arange(86_400, dtype=np.int64)
    table = np.empty((86_400, 8), dtype=np.uint8)
    table[:, 0:2] = digits(sod // 3600, 2) + ZERO
    table[:, 3:5] = digits(sod // 60 % 60, 2) + ZERO
    table[:, 6:8] = digits(sod % 60, 2) + ZERO
    table[:, 2] = table[:, 5] = ord(":")
    return table


_TIMES: list[U8] = []


def iso_utc(seconds: I64) -> pa.StringArray:
    """Unix seconds as ISO-8601 UTC text: 2026-03-01T08:15:02Z."""
    if not _TIMES:
        _TIMES.append(_time_table())
    n = len(seconds)
    if n == 0:
        return pa.array([], pa.string())
    days, sod = np.divmod(seconds.astype(np.int64), 86_400)
    out = np.empty((n, 20), dtype=np.uint8)
    out[:, 0:10] = _date_chars(days)
    out[:, 10] = ord("T")
    out[:, 11:19] = _TIMES[0][sod]
    out[:, 19] = ord("Z")
    return chars_to_strings(out)


def iso_date(days: I64) -> pa.StringArray:
    """Days since 1970-01-01 as YYYY-MM-DD."""
    if len(days) == 0:
        return pa.array([], pa.string())
    return chars_to_strings(_date_chars(days.astype(np.int64)))


def timestamps(seconds: I64) -> pa.TimestampArray:
    """UTC timestamps, in milliseconds (Parquet has no second unit)."""
    ms = seconds.astype(np.int64) * 1000
    return pa.array(ms, pa.int64()).cast(pa.timestamp("ms", tz="UTC"))


def dates(days: I64) -> pa.Date32Array:
    return pa.array(days.astype(np.int32), pa.int32()).cast(pa.date32())


def decimals(cents: I64) -> pa.Decimal128Array:
    """Integer cents as exact decimal128(18, 2) values (no float on the way)."""
    c = cents.astype(np.int64)
    words = np.ascontiguousarray(np.stack([c, c >> 63], axis=1))
    arr = pa.Array.from_buffers(pa.decimal128(18, 2), len(c), [None, pa.py_buffer(words)])
    if not isinstance(arr, pa.Decimal128Array):
        raise TypeError(f"expected decimal128 values, got {arr.type}")
    return arr


def money_text(cents: I64) -> pa.StringArray:
    """Integer cents as exact decimal text with two places: 1234.50."""
    out = decimals(cents).cast(pa.string())
    return _strings(out)
