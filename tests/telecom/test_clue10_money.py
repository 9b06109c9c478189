"""Round ten: `shared_money`. Two numbers whose victims' money reached the same specific
account within the chain (a card few victims' money reached) are linked; shared infrastructure
(a payment institution's pooled account) links nothing, a card more victims' money reached
weighs less;
a number nothing flags that rang a victim once does not make the victim's money its own."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.settings import Settings
from chaincut.telecom import clue
from chaincut.telecom.clue.chain import money_groups
from chaincut.telecom.clue.den import DenSearch
from chaincut.telecom.clue.facts import ClueIndex
from chaincut.telecom.clue.fresh import ensure_clue_index
from tests.lake.conftest import ts, write_lake

IM = "im:4400001"  # never calls: messages the two people it hooked
L2, L3, L4 = "+8615000000062", "+8615000000063", "+8615000000064"
P = "+8613800000077"  # a person who rang a victim once
VICTIMS = [f"+86139000001{k:02d}" for k in range(1, 9)]
WORKS = {IM: (1, 2), L2: (3, 4), L3: (5, 6), L4: (7, 8)}
#: victim -> the account its fraud transfer went to, and where that account paid it on
PAID = {
    1: ("C1", "C9"),  # IM's victim: C1 -> C9
    3: ("C3", "C9"),  # L2's victim: C3 -> C9, so IM and L2 share C9 (two victims' money)
    2: ("POOL", None),  # a pooled account: links IM to nobody
    4: ("POOL", None),
    5: ("POOL", None),
    6: ("H", None),  # a card three victims' money reached, of two lines
    7: ("H", None),
    8: ("H", None),
}


def _rows() -> dict[str, list[tuple[Any, ...]]]:
    persons: list[tuple[Any, ...]] = [("pP", "己", "110101199001010066", date(1990, 1, 1), P)]
    accounts: list[tuple[Any, ...]] = [
        ("POOL", None, "payment", "PAY", None, "CN", None),
        ("H", None, "bank_card", "ABC", None, "CN", None),
        *((c, None, "bank_card", "ABC", None, "CN", None) for c in ("C1", "C3", "C9")),
    ]
    calls: list[tuple[Any, ...]] = [
        ("p1", ts("2024-03-04 09:00:00"), P, VICTIMS[0], 60, "C1", "IP")
    ]
    messages: list[tuple[Any, ...]] = []
    transactions: list[tuple[Any, ...]] = []
    reports: list[tuple[Any, ...]] = []
    for k, phone in enumerate(VICTIMS, 1):
        persons.append((f"pv{k}", "受害人", f"11010119900101{k:04d}", date(1990, 1, 1), phone))
        accounts.append((f"acv{k}", f"pv{k}", "bank_card", "ICBC", None, "CN", None))
        first, then = PAID[k]
        transactions.append(
            (f"t{k}", ts(f"2024-03-04 1{k}:00:00"), f"acv{k}", first, Decimal("5000.00"), "CNY")
        )
        if then:
            transactions.append(
                (f"u{k}", ts(f"2024-03-04 1{k}:30:00"), first, then, Decimal("4900.00"), "CNY")
            )
        reports.append(
            (f"r{k}", ts("2024-03-05 10:00:00"), f"pv{k}", f"acv{k}", [f"t{k}"], "刷单", "")
        )
    for number, worked in WORKS.items():
        for k in worked:
            for j in range(3):
                when = ts(f"2024-03-0{2 + j} 1{k}:00:00")
                if number == IM:
                    messages.append(
                        (f"{number}-{k}-{j}", when, number, VICTIMS[k - 1], "加我", "im")
                    )
                else:
                    call = (
                        f"{number}-{k}-{j}",
                        when,
                        number,
                        VICTIMS[k - 1],
                        300,
                        number[-2:],
                        number,
                    )
                    calls.append(call)
    return {
        "persons": persons,
        "accounts": accounts,
        "transactions": transactions,
        "calls": calls,
        "messages": messages,
        "reports": reports,
    }


@pytest.fixture(scope="module")
def money_lake(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(home=tmp_path_factory.mktemp("money") / "home")
    write_lake(settings, _rows())
    return settings


def _search(settings: Settings) -> tuple[ClueIndex, DenSearch]:
    ix = ClueIndex(ensure_clue_index(settings))
    return ix, DenSearch(ix)


def test_the_chain_reaches_cards_not_the_pooled_account(money_lake: Settings) -> None:
    ix, _ = _search(money_lake)
    ids = {ix.name("acct_ids", c) for c in range(len(ix.arrays["acct_ids"]))}
    assert {"C1", "C3", "C9", "H"} <= ids
    assert "POOL" not in ids
    assert int(np.diff(ix.arrays["accv_off"])[ix.code("acct_ids", "H")]) == 3


def test_the_money_ties_the_im_account_to_the_line_whose_victim_paid_the_same_card(
    money_lake: Settings,
) -> None:
    [den] = clue(money_lake, [IM]).dens
    members = {m.number: m for m in den.members}
    assert L2 in members
    joined = members[L2].joined
    assert joined is not None and joined.kind == "shared_money"
    assert "C9" in joined.detail
    assert set(joined.evidence) == {f"{IM}-1-0", f"{L2}-3-0"}


def test_shared_infrastructure_and_a_hub_link_nothing(money_lake: Settings) -> None:
    found = {m.number for d in clue(money_lake, [IM]).dens for m in d.members}
    assert L3 not in found  # its victim paid the same pooled account as IM's
    found = {m.number for d in clue(money_lake, [L4]).dens for m in d.members}
    assert L3 not in found  # only a card three victims' money reached is shared: weight 0.5


def test_one_call_from_a_number_nothing_flags_is_not_working_the_victim(
    money_lake: Settings,
) -> None:
    ix, ds = _search(money_lake)
    victim = ix.code("num_ids", VICTIMS[0])
    assert ds.worked_money(ix.code("num_ids", IM), victim)
    assert not ds.worked_money(ix.code("num_ids", P), victim)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.sampled_from(["a", "b", "c", "d"]), st.integers(1, 3)),
        unique_by=lambda r: (r[0], r[1]),
    )
)
def test_money_groups_hold_every_row_once_each_way(rows: list[tuple[int, str, int]]) -> None:
    table = pa.table(
        {
            "pos": pa.array([r[0] for r in rows], pa.int32()),
            "account": pa.array([r[1] for r in rows], pa.string()),
            "hop": pa.array([r[2] for r in rows], pa.int8()),
        }
    )
    g = money_groups(table, 6)
    by_victim = {
        (p, g.ids[int(a)].decode(), int(h))
        for p in range(6)
        for a, h in zip(
            g.by_victim[1][g.by_victim[0][p] : g.by_victim[0][p + 1]],
            g.by_victim[2][g.by_victim[0][p] : g.by_victim[0][p + 1]],
            strict=True,
        )
    }
    by_account = {
        (int(p), g.ids[a].decode(), int(h))
        for a in range(len(g.ids))
        for p, h in zip(
            g.by_account[1][g.by_account[0][a] : g.by_account[0][a + 1]],
            g.by_account[2][g.by_account[0][a] : g.by_account[0][a + 1]],
            strict=True,
        )
    }
    assert by_victim == by_account == set(rows)
    assert list(g.ids) == sorted(g.ids)
