"""Round twelve: a victim who paid through a payment institution's pooled account (WeChat,
Alipay) is traced on through the pool's forwarding, the pool's first outflow of the same amount
within an hour (the tracer's `hub_match_minutes`), to the card it paid, at the same hop as a
direct payment; the pool's other outflows are not the victim's money."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from chaincut.settings import Settings
from chaincut.telecom import clue
from chaincut.telecom.clue.facts import ClueIndex
from chaincut.telecom.clue.fresh import ensure_clue_index
from tests.lake.conftest import ts, write_lake

X, Y, Z = "+8615000000071", "+8615000000072", "+8615000000073"
#: victim -> (its line, what it paid, where, when)
VICTIMS: dict[str, tuple[str, str, str, str]] = {
    "+8613900000201": (X, "3000.00", "POOL", "10:00"),  # the pool forwards it to M
    "+8613900000202": (X, "4000.00", "POOL", "12:00"),  # ... and this one to M2
    "+8613900000203": (Y, "2500.00", "M", "11:00"),  # Y's victims paid M and M2 directly
    "+8613900000204": (Y, "3500.00", "M2", "13:00"),
    "+8613900000205": (Z, "1000.00", "D", "14:00"),  # Z's victims paid D, where the pool
    "+8613900000206": (Z, "1200.00", "D", "15:00"),  # paid another 3000.00 later
}
TABLES = ("persons", "accounts", "transactions", "calls", "messages", "reports")
#: the pool's outflows: (to, amount, when)
POOL_OUT = [
    ("E", "2999.00", "10:01"),  # not the same amount
    ("M", "3000.00", "10:05"),  # the first of the same amount: the forwarding
    ("D", "3000.00", "10:20"),  # the same amount again: someone else's payment
    ("M2", "4000.00", "12:30"),
]


def _rows() -> dict[str, list[tuple[Any, ...]]]:
    persons: list[tuple[Any, ...]] = []
    accounts: list[tuple[Any, ...]] = [
        ("POOL", "WeChat", "payment", "TENPAY", None, "CN", None),  # no person holds it
        *((c, None, "bank_card", "ABC", None, "CN", None) for c in ("M", "M2", "D", "E")),
    ]
    calls: list[tuple[Any, ...]] = []
    transactions: list[tuple[Any, ...]] = []
    reports: list[tuple[Any, ...]] = []
    for k, (phone, (line, amount, to, when)) in enumerate(VICTIMS.items(), 1):
        persons.append((f"pv{k}", "受害人", f"11010119900101{k:04d}", date(1990, 1, 1), phone))
        accounts.append((f"acv{k}", f"pv{k}", "bank_card", "ICBC", None, "CN", None))
        paid = ts(f"2024-03-04 {when}:00")
        transactions.append((f"t{k}", paid, f"acv{k}", to, Decimal(amount), "CNY"))
        reports.append(
            (f"r{k}", ts("2024-03-05 10:00:00"), f"pv{k}", f"acv{k}", [f"t{k}"], "刷单", "")
        )
        for j in range(3):  # the line works its victim in the days before
            when_called = ts(f"2024-03-0{2 + j} 1{k}:00:00")
            calls.append((f"{line}-{k}-{j}", when_called, line, phone, 300, line[-2:], line))
    for j, (to, amount, when) in enumerate(POOL_OUT):
        paid = ts(f"2024-03-04 {when}:00")
        transactions.append((f"p{j}", paid, "POOL", to, Decimal(amount), "CNY"))
    messages: list[tuple[Any, ...]] = []
    tables = (persons, accounts, transactions, calls, messages, reports)
    return dict(zip(TABLES, tables, strict=True))


@pytest.fixture(scope="module")
def pool_lake(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(home=tmp_path_factory.mktemp("pool") / "home")
    write_lake(settings, _rows())
    return settings


def _reached(ix: ClueIndex, phone: str) -> dict[str, int]:
    """The accounts a victim's money reached, with the hop."""
    a = ix.arrays
    pos = int(ix.victim_pos(np.array([ix.code("num_ids", phone)]))[0])
    rows = slice(int(a["vacc_off"][pos]), int(a["vacc_off"][pos + 1]))
    return {
        ix.name("acct_ids", int(c)): int(h)
        for c, h in zip(a["vacc_acct"][rows], a["vacc_hop"][rows], strict=True)
    }


def test_the_money_goes_through_the_pool_to_the_card_it_forwarded_to(
    pool_lake: Settings,
) -> None:
    ix = ClueIndex(ensure_clue_index(pool_lake))
    first, second = list(VICTIMS)[:2]
    assert _reached(ix, first) == {"M": 1}  # not E (another amount), not D (a later one)
    assert _reached(ix, second) == {"M2": 1}
    assert "POOL" not in {ix.name("acct_ids", c) for c in range(len(ix.arrays["acct_ids"]))}


def test_the_line_whose_victims_paid_through_the_pool_is_tied_by_their_money(
    pool_lake: Settings,
) -> None:
    [den] = clue(pool_lake, [X]).dens
    members = {m.number: m for m in den.members}
    assert Z not in members  # D got the pool's later 3000.00, not X's victim's
    joined = members[Y].joined
    assert joined is not None and joined.kind == "shared_money"
    assert "M" in joined.detail
