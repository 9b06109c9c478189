"""Institutions and accounts: persons' cards and wallets, employers, merchants, billers, payment
platforms' pooled accounts, exchanges, ATM cash pseudo-accounts and foreign accounts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from chaincut.simulate import ident
from chaincut.simulate.accounts import bank_cards, foreign_accounts, payment_block
from chaincut.simulate.catalog import (
    AGGREGATORS,
    BANKS,
    BILLERS,
    EXCHANGES,
    FOREIGN_BANKS,
    MERCHANT_CATEGORIES,
    PAYMENT_INSTITUTIONS,
)
from chaincut.simulate.registry import (
    ACCOUNT_KINDS,
    ACCOUNT_LABELS,
    COUNTRIES,
    Counters,
    Institutions,
    Registry,
    code,
)
from chaincut.simulate.rng import cdf_of, stream

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]
YEAR = 365 * 86_400


@dataclass
class Economy:
    """Account indices of the population and of the organisations."""

    card_first: I64  # per person: first bank card (the salary card)
    card_n: I64
    pay_first: I64  # per person: first payment account, -1 if none
    pay_n: I64
    employer_acct: I64
    employer_cell: I64
    payday: I64  # day of month
    salary: I64  # per person, cents (0: none)
    offline_merchants: I64
    offline_cdf: F64
    online_merchants: I64
    online_cdf: F64
    billers: I64
    pooled: I64
    exchanges: I64
    atms: I64  # (bank, k) -> account
    foreign: I64
    orgs: dict[str, list[tuple[str, str]]]  # kind -> [(org id, name)] for world.json


def _orgs(counters: Counters, seed: int, n: int) -> tuple[I64, list[str]]:
    c = counters.take("org", n)
    ids = ident.numbered("ORG", c, 9, seed).to_pylist()
    return -1 - c, [str(i) for i in ids]


def build_economy(
    seed: int,
    n_persons: int,
    n_employers: int,
    n_merchants: int,
    atms_per_bank: int,
    n_foreign: int,
    start_ts: int,
    n_cells: int,
    accounts: Registry,
    institutions: Institutions,
    counters: Counters,
) -> Economy:
    rng = stream(seed, "economy")
    n_cards = 1 + rng.binomial(3, 0.3, n_persons)
    n_pay = rng.choice([0, 1, 2], size=n_persons, p=[0.1, 0.55, 0.35])
    owners = np.repeat(np.arange(n_persons, dtype=np.int64), n_cards)
    opened = start_ts - (rng.random(len(owners)) * 14 + 0.3) * YEAR
    cards = bank_cards(
        rng, owners, accounts, institutions, counters, seed, opened.astype(np.int64), "normal"
    )
    card_first = cards[0] + np.cumsum(n_cards) - n_cards
    powners = np.repeat(np.arange(n_persons, dtype=np.int64), n_pay)
    popened = (start_ts - (rng.random(len(powners)) * 9 + 0.2) * YEAR).astype(np.int64)
    pays = payment_block(rng, powners, accounts, institutions, counters, seed, popened, "normal")
    pay_first = np.where(n_pay > 0, (pays[0] if len(pays) else 0) + np.cumsum(n_pay) - n_pay, -1)

    orgs: dict[str, list[tuple[str, str]]] = {}

    def org_accounts(
        kind: str,
        n: int,
        label: str,
        names: list[str],
        ids: pa.Array,
        institution: I64 | int,
        country: I64 | int = 0,
    ) -> I64:
        holder, org_ids = _orgs(counters, seed, n)
        orgs[label] = list(zip(org_ids, names, strict=True))
        opened_at = (start_ts - (rng.random(n) * 10 + 1) * YEAR).astype(np.int64)
        return accounts.add(
            ids,
            kind=code(ACCOUNT_KINDS, kind),
            holder=holder,
            opened=opened_at,
            label=code(ACCOUNT_LABELS, label),
            institution=institution,
            country=country,
        )

    emp_owner_bank = rng.choice(len(BANKS), n_employers)
    employer_acct = org_accounts(
        "bank_card",
        n_employers,
        "employer",
        [f"employer {i + 1}" for i in range(n_employers)],
        ids=ident.numbered("3", counters.take("corporate", n_employers), 16, seed),
        institution=np.array([institutions.code(BANKS[b].code) for b in emp_owner_bank]),
    )
    cat = rng.choice(
        len(MERCHANT_CATEGORIES), n_merchants, p=_norm([c[2] for c in MERCHANT_CATEGORIES])
    )
    online = np.array([c[3] for c in MERCHANT_CATEGORIES])[cat]
    acq = np.where(
        online, institutions.code("Alipay"), institutions.code("UnionPay Merchant Services")
    )
    acq = np.where(online & (rng.random(n_merchants) < 0.45), institutions.code("WeChat Pay"), acq)
    merchants = org_accounts(
        "merchant",
        n_merchants,
        "merchant",
        [f"{MERCHANT_CATEGORIES[c][1]} {i + 1}" for i, c in enumerate(cat)],
        ids=ident.numbered("898", counters.take("merchant", n_merchants), 12, seed),
        institution=acq,
    )
    popularity = rng.pareto(1.2, n_merchants) + 1
    billers = org_accounts(
        "merchant",
        len(BILLERS),
        "biller",
        [zh for _, zh in BILLERS],
        ids=ident.numbered("898", counters.take("merchant", len(BILLERS)), 12, seed),
        institution=institutions.code("UnionPay Merchant Services"),
    )
    platforms = [p.code for p in PAYMENT_INSTITUTIONS] + list(AGGREGATORS)
    pooled = org_accounts(
        "payment",
        len(platforms),
        "pooled",
        platforms,
        ids=ident.numbered("3", counters.take("corporate", len(platforms)), 16, seed),
        institution=np.array([institutions.code(p) for p in platforms]),
    )
    exchanges = org_accounts(
        "exchange",
        len(EXCHANGES),
        "exchange",
        [e for e, _ in EXCHANGES],
        ids=ident.numbered("EX", counters.take("exchange", len(EXCHANGES)), 12, seed),
        institution=np.array([institutions.code(e) for e, _ in EXCHANGES]),
        country=np.array([COUNTRIES.index(c) for _, c in EXCHANGES]),
    )
    n_atm = atms_per_bank * len(BANKS)
    atms = org_accounts(
        "cash",
        n_atm,
        "cash",
        [f"ATM {BANKS[i // atms_per_bank].code} {i % atms_per_bank + 1}" for i in range(n_atm)],
        ids=ident.numbered("ATM", counters.take("atm", n_atm), 10, seed),
        institution=np.repeat([institutions.code(b.code) for b in BANKS], atms_per_bank),
    )
    fb = rng.integers(0, len(FOREIGN_BANKS), n_foreign)
    foreign = foreign_accounts(rng, fb, accounts, institutions, counters, seed, start_ts, "foreign")
    orgs["foreign"] = []
    salary = np.round(rng.lognormal(np.log(6500), 0.45, n_persons) / 10) * 1000
    return Economy(
        card_first=card_first.astype(np.int64),
        card_n=n_cards.astype(np.int64),
        pay_first=pay_first.astype(np.int64),
        pay_n=n_pay.astype(np.int64),
        employer_acct=employer_acct,
        employer_cell=rng.integers(0, n_cells, n_employers),
        payday=rng.choice(np.array([5, 10, 15, 20, 25]), n_employers),
        salary=salary.astype(np.int64),
        offline_merchants=merchants[~online],
        offline_cdf=cdf_of(popularity[~online]),
        online_merchants=merchants[online],
        online_cdf=cdf_of(popularity[online]),
        billers=billers,
        pooled=pooled,
        exchanges=exchanges,
        atms=atms.reshape(len(BANKS), atms_per_bank),
        foreign=foreign,
        orgs=orgs,
    )


def _norm(w: list[float]) -> F64:
    a = np.asarray(w, dtype=np.float64)
    out: F64 = a / a.sum()
    return out
