"""Columnar registries of the world's entities (persons, phones, devices, accounts, cells).

Parts of the simulator append blocks of entities with `add`; `finish` concatenates them. An
entity is its row index; its identifier string is only materialised when a table is written.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

I64 = NDArray[np.int64]

ACCOUNT_KINDS = ("bank_card", "payment", "crypto_wallet", "merchant", "exchange", "cash")
ACCOUNT_LABELS = (
    "normal", "victim", "mule_l1", "mule_l2", "mule_l3", "mule_l4", "runner", "merchant",
    "biller", "pooled", "exchange", "cash", "employer", "foreign", "foreign_den", "member",
    "bystander", "payroll_agent", "trader",
)  # fmt: skip
PERSON_LABELS = (
    "normal", "victim", "mule", "financier", "core", "operator", "logistics", "card_dealer",
    "launderer", "recruiter", "sim_registrant",
)  # fmt: skip
PHONE_LABELS = ("normal", "fraud", "simbox", "member")
DEVICE_LABELS = ("normal", "fraud", "simbox", "member")
COUNTRIES = ("CN", "KH", "MM", "PH", "LA", "MY", "TH", "VN", "HK", "AE", "SC", "KY")


def code(vocab: tuple[str, ...], value: str) -> int:
    return vocab.index(value)


class Registry:
    """A growing table: string ids plus numpy attribute columns of equal length."""

    def __init__(
        self, name: str, columns: dict[str, np.dtype[Any]], texts: tuple[str, ...] = ()
    ) -> None:
        self.name = name
        self._dtypes = columns
        self._ids: list[pa.Array] = []
        self._cols: dict[str, list[NDArray[Any]]] = {c: [] for c in columns}
        self._texts: dict[str, list[pa.Array]] = {t: [] for t in texts}
        self.size = 0
        self.ids: pa.Array = pa.array([], pa.string())
        self.col: dict[str, NDArray[Any]] = {}
        self.text: dict[str, pa.Array] = {}

    def add(
        self,
        ids: pa.Array,
        texts: dict[str, pa.Array] | None = None,
        **cols: NDArray[Any] | int | float,
    ) -> I64:
        """Append len(ids) entities; scalar columns are broadcast. Returns their indices."""
        n = len(ids)
        self._ids.append(ids)
        for t, parts in self._texts.items():
            parts.append((texts or {})[t])
        for name, dtype in self._dtypes.items():
            value = cols.pop(name, 0)
            arr = np.broadcast_to(np.asarray(value, dtype=dtype), (n,)).copy()
            self._cols[name].append(arr)
        if cols:
            raise KeyError(f"{self.name}: unknown columns {sorted(cols)}")
        first = self.size
        self.size += n
        return np.arange(first, self.size, dtype=np.int64)

    def finish(self) -> None:
        """Concatenate the blocks (idempotent; call after the last `add`)."""
        self.ids = pa.concat_arrays([a.cast(pa.string()) for a in self._ids])
        self.col = {c: np.concatenate(parts) for c, parts in self._cols.items()}
        self.text = {
            t: pa.concat_arrays([a.cast(pa.string()) for a in p]) for t, p in self._texts.items()
        }
        self._texts = {t: [a] for t, a in self.text.items()}
        self._ids = [self.ids]
        self._cols = {c: [a] for c, a in self.col.items()}

    def set(self, column: str, index: I64 | int, value: NDArray[Any] | int) -> None:
        """Change values (labels found out after the fact); finishes the registry first."""
        if column not in self.col or len(self.col[column]) != self.size:
            self.finish()
        self.col[column][index] = value
        self._cols[column] = [self.col[column]]

    def set_text(self, column: str, index: I64, values: pa.Array) -> None:
        """Change text values (identities lent after the fact); finishes the registry first."""
        if column not in self.text or len(self.text[column]) != self.size:
            self.finish()
        order = np.argsort(index, kind="stable")
        mask = np.zeros(self.size, dtype=bool)
        mask[index] = True
        if int(mask.sum()) != len(index):
            raise ValueError(f"{self.name}.{column}: an index is given twice")
        replaced = pc.replace_with_mask(
            self.text[column], pa.array(mask), values.take(pa.array(order)).cast(pa.string())
        )
        self.text[column] = replaced
        self._texts[column] = [self.text[column]]

    def id_of(self, index: int) -> str:
        return str(self.ids[index].as_py())


def new_persons() -> Registry:
    return Registry(
        "persons",
        {
            "birth_days": np.dtype(np.int64),
            "phone": np.dtype(np.int64),
            "label": np.dtype(np.uint8),
        },
        texts=("name", "id_number"),
    )


def new_accounts() -> Registry:
    return Registry(
        "accounts",
        {
            "kind": np.dtype(np.uint8),
            "institution": np.dtype(np.int16),
            "holder": np.dtype(np.int64),  # person index, or -1 - org index
            "opened": np.dtype(np.int64),
            "country": np.dtype(np.uint8),
            "label": np.dtype(np.uint8),
        },
    )


def new_phones() -> Registry:
    return Registry("phones", {"label": np.dtype(np.uint8), "owner": np.dtype(np.int64)})


def new_devices() -> Registry:
    return Registry("devices", {"label": np.dtype(np.uint8)})


class Institutions:
    """Institution names as small codes (accounts.institution)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def code(self, name: str) -> int:
        if name not in self.names:
            self.names.append(name)
        return self.names.index(name)


class Counters:
    """Per-namespace counters, so every generated serial is used once."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def take(self, namespace: str, n: int) -> I64:
        first = self._next.get(namespace, 0)
        self._next[namespace] = first + n
        return np.arange(first, first + n, dtype=np.int64)
