"""Round twelve: a victim who paid through a payment institution's pooled account (WeChat,
Alipay) is traced on through the pool's forwarding, the pool's first outflow of the same amount
within an hour (the tracer's `hub_match_minutes`), to the card it paid, at the same hop as a
direct payment; the pool's other outflows are not the victim's money."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from chaincut.settings import Settings
from chaincut.telecom import clue
from chaincut.telecom.clue.facts import ClueIndex
from chaincut.telecom.clue.fresh import ensure_clue_index
from tests.lake.conftest import ts
from tests.telecom.paid_victims import lake_of, paid_victims

X, Y, Z = "+8615000000071", "+8615000000072", "+8615000000073"
#: victim -> (its line, where it paid, what, when)
VICTIMS: dict[str, tuple[str, str, str, str]] = {
    "+8613900000201": (X, "POOL", "3000.00", "10:00"),  # the pool forwards it to M
    "+8613900000202": (X, "POOL", "4000.00", "12:00"),  # ... and this one to M2
    "+8613900000203": (Y, "M", "2500.00", "11:00"),  # Y's victims paid M and M2 directly
    "+8613900000204": (Y, "M2", "3500.00", "13:00"),
    "+8613900000205": (Z, "D", "1000.00", "14:00"),  # Z's victims paid D, where the pool
    "+8613900000206": (Z, "D", "1200.00", "15:00"),  # paid another 3000.00 later
}
#: the pool's outflows: (to, amount, when)
POOL_OUT = [
    ("E", "2999.00", "10:01"),  # not the same amount
    ("M", "3000.00", "10:05"),  # the first of the same amount: the forwarding
    ("D", "3000.00", "10:20"),  # the same amount again: someone else's payment
    ("M2", "4000.00", "12:30"),
]


def _rows() -> dict[str, list[tuple[Any, ...]]]:
    rows = paid_victims([(v, *spec) for v, spec in VICTIMS.items()])
    rows["accounts"] += [
        ("POOL", "WeChat", "payment", "TENPAY", None, "CN", None),  # no person holds it
        *((c, None, "bank_card", "ABC", None, "CN", None) for c in ("M", "M2", "D", "E")),
    ]
    for j, (to, amount, when) in enumerate(POOL_OUT):
        paid = ts(f"2024-03-04 {when}:00")
        rows["transactions"].append((f"p{j}", paid, "POOL", to, Decimal(amount), "CNY"))
    return rows


@pytest.fixture(scope="module")
def pool_lake(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return lake_of(tmp_path_factory, "pool", _rows())


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
