"""Account blocks: bank cards at real BINs, payment-institution accounts and foreign accounts,
created in vectorised blocks and kept in their owners' order."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from chaincut.simulate import ident
from chaincut.simulate.catalog import BANKS, FOREIGN_BANKS, PAYMENT_INSTITUTIONS
from chaincut.simulate.registry import (
    ACCOUNT_KINDS,
    ACCOUNT_LABELS,
    COUNTRIES,
    Counters,
    Institutions,
    Registry,
    code,
)

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]
YEAR = 365 * 86_400


def _card_block(
    rng: np.random.Generator,
    owners: I64,
    weights: F64,
    accounts: Registry,
    institutions: Institutions,
    counters: Counters,
    seed: int,
    opened: I64,
    label: str | I64,
) -> I64:
    """Bank cards for `owners` (person indices), kept in the owners' order."""
    bank = rng.choice(len(BANKS), size=len(owners), p=weights / weights.sum())
    order = np.argsort(bank, kind="stable")
    parts = []
    for b in range(len(BANKS)):
        n = int((bank == b).sum())
        if n:
            info = BANKS[b]
            parts.append(
                ident.card_numbers(info.bins, info.length, counters.take(info.code, n), seed)
            )
    ids = pa.concat_arrays(parts).take(pa.array(np.argsort(order)))
    inst = np.array([institutions.code(b.code) for b in BANKS], dtype=np.int16)[bank]
    return accounts.add(
        ids,
        kind=code(ACCOUNT_KINDS, "bank_card"),
        institution=inst,
        holder=owners,
        opened=opened,
        label=_label(label),
    )


def payment_block(
    rng: np.random.Generator,
    owners: I64,
    accounts: Registry,
    institutions: Institutions,
    counters: Counters,
    seed: int,
    opened: I64,
    label: str | I64,
) -> I64:
    """Payment accounts (Alipay-, WeChat-like) for `owners`, kept in the owners' order."""
    w = np.array([p.weight for p in PAYMENT_INSTITUTIONS])
    inst = rng.choice(len(w), size=len(owners), p=w / w.sum())
    order = np.argsort(inst, kind="stable")
    parts = []
    for i, info in enumerate(PAYMENT_INSTITUTIONS):
        n = int((inst == i).sum())
        if n:
            c = counters.take(info.code, n)
            parts.append(ident.numbered(info.prefix, c, info.serial_digits, seed))
    ids = pa.concat_arrays(parts).take(pa.array(np.argsort(order)))
    codes = np.array([institutions.code(p.code) for p in PAYMENT_INSTITUTIONS], np.int16)
    return accounts.add(
        ids,
        kind=code(ACCOUNT_KINDS, "payment"),
        institution=codes[inst],
        holder=owners,
        opened=opened,
        label=_label(label),
    )


def bank_cards(
    rng: np.random.Generator,
    owners: I64,
    accounts: Registry,
    institutions: Institutions,
    counters: Counters,
    seed: int,
    opened: I64,
    label: str | I64,
    mule: bool = False,
) -> I64:
    w = np.array([b.mule_weight if mule else b.weight for b in BANKS])
    return _card_block(rng, owners, w, accounts, institutions, counters, seed, opened, label)


def foreign_accounts(
    rng: np.random.Generator,
    bank: I64,
    accounts: Registry,
    institutions: Institutions,
    counters: Counters,
    seed: int,
    start_ts: int,
    label: str,
    holder: I64 | None = None,
) -> I64:
    n = len(bank)
    country = np.array([COUNTRIES.index(c) for _, c in FOREIGN_BANKS])[bank]
    return accounts.add(
        ident.numbered("6", counters.take("foreign", n), 13, seed),
        kind=code(ACCOUNT_KINDS, "bank_card"),
        institution=np.array([institutions.code(b) for b, _ in FOREIGN_BANKS])[bank],
        holder=holder if holder is not None else -1 - counters.take("org", n),
        opened=(start_ts - (rng.random(n) * 4 + 0.1) * YEAR).astype(np.int64),
        country=country,
        label=code(ACCOUNT_LABELS, label),
    )


def _label(label: str | I64) -> I64 | int:
    return code(ACCOUNT_LABELS, label) if isinstance(label, str) else label
