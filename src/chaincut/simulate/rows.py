"""Event rows as numpy columns (entity indices, not strings), merged and sorted per chunk.

`uid` is a row's unique counter; identifiers are `mix64(uid)` so they are unique and reveal
nothing. Namespaces: normal chunk k uses (k + 1) << 32, set-up rows (opening deposits, salaries)
0, and the fraud side FRAUD_UID and up.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Self

import numpy as np
from numpy.typing import NDArray

from chaincut.model.schema import CHANNELS, MESSAGE_CHANNELS

I64 = NDArray[np.int64]
U8 = NDArray[np.uint8]
U64 = NDArray[np.uint64]

FRAUD_UID = 1 << 56
SETUP_UID = 1 << 55


_CHANNEL_CODES = {name: i for i, name in enumerate(CHANNELS)}
_MESSAGE_CHANNEL_CODES = {name: i for i, name in enumerate(MESSAGE_CHANNELS)}


def channel_code(name: str) -> int:
    return _CHANNEL_CODES[name]


def message_channel_code(name: str) -> int:
    return _MESSAGE_CHANNEL_CODES[name]


def chunk_uids(chunk: int, n: int) -> U64:
    out: U64 = (np.uint64(chunk + 1) << np.uint64(32)) + np.arange(n, dtype=np.uint64)
    return out


class Columns:
    """Common behaviour of the row classes: concat, take, sort by time."""

    ts: I64

    @classmethod
    def concat(cls, parts: list[Self]) -> Self:
        names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
        return cls(**{n: np.concatenate([getattr(p, n) for p in parts]) for n in names})

    def take(self, idx: NDArray[Any]) -> Self:
        names = [f.name for f in fields(self)]  # type: ignore[arg-type]
        return type(self)(**{n: getattr(self, n)[idx] for n in names})

    def sorted(self) -> Self:
        return self.take(np.argsort(self.ts, kind="stable"))

    def __len__(self) -> int:
        return len(self.ts)


@dataclass
class Txns(Columns):
    ts: I64
    src: I64
    dst: I64
    cents: I64
    channel: U8
    uid: U64

    @classmethod
    def empty(cls) -> Txns:
        z = np.zeros(0, np.int64)
        return cls(z, z, z, z, np.zeros(0, np.uint8), np.zeros(0, np.uint64))


@dataclass
class Calls(Columns):
    ts: I64
    caller: I64  # phone index
    callee: I64
    duration: I64
    cell: I64  # -1: none (abroad)
    imei: I64  # -1: none
    uid: U64

    @classmethod
    def empty(cls) -> Calls:
        z = np.zeros(0, np.int64)
        return cls(z, z, z, z, z, z, np.zeros(0, np.uint64))


@dataclass
class Messages(Columns):
    ts: I64
    sender: I64  # phone index
    receiver: I64
    text: I64  # index into the run's text pool
    channel: U8
    label: U8  # 0 normal, else 1 + index of the fraud type
    uid: U64

    @classmethod
    def empty(cls) -> Messages:
        z = np.zeros(0, np.int64)
        return cls(z, z, z, z, np.zeros(0, np.uint8), np.zeros(0, np.uint8), np.zeros(0, np.uint64))


class RowList:
    """Rows appended one at a time on the fraud side, turned into columns at the end."""

    def __init__(self, width: int) -> None:
        self.cols: list[list[int]] = [[] for _ in range(width)]

    def append(self, *values: int) -> int:
        for col, v in zip(self.cols, values, strict=True):
            col.append(v)
        return len(self.cols[0]) - 1

    def __len__(self) -> int:
        return len(self.cols[0])

    def array(self, i: int, dtype: type[Any] = np.int64) -> NDArray[Any]:
        return np.asarray(self.cols[i], dtype=dtype)
