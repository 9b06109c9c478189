"""The evidence behind listing a card no report's money reached: a dealer's phone, a payment to
the gang's account abroad, payments by the people the gang's lines talked to."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.collect import dealer_phones
from chaincut.gangs.roles import _abroad as abroad
from chaincut.gangs.roles import _targeted as targeted
from chaincut.gangs.roles import money_facts


def _reg(phone: str, *cards: tuple[str, str]) -> list[dict[str, str]]:
    return [{"account_id": a, "phone": phone, "holder": h} for a, h in cards]


def test_a_dealer_registers_cards_of_several_people_a_family_does_not() -> None:
    rows = _reg("+861", ("c1", "P1"), ("c2", "P2"), ("c3", "P3"), ("c4", "P4"))
    rows += _reg("+862", ("f1", "MUM"), ("f2", "SON"), ("f3", "DAUGHTER"))
    found = dealer_phones(rows, {"c1", "f1"}, owners={"+862": "MUM"})
    assert found == {"+861": {"c1", "c2", "c3", "c4"}}  # the family phone: two others only
    assert dealer_phones(rows, {"x"}) == {}  # none of its cards in the chain: no lead


def _targeted_evidence(payers: int, degree: int) -> Evidence:
    ev = Evidence(scores={"C": 0.8}, degrees={"C": degree})
    ev.targeted = [
        {"src": f"A{i}", "dst": "C", "n": 1, "amount": "500.00", "first_id": f"T{i}",
         "last_id": f"T{i}", "person": f"P{i}", "line": "+8613800000001", "contact": f"K{i}"}
        for i in range(payers)
    ]  # fmt: skip
    return ev


@given(st.integers(1, 5), st.integers(0, 200))
def test_targeted_payers_back_a_card_and_counterparties_discount_it(n: int, degree: int) -> None:
    conf = targeted("C", (ev := _targeted_evidence(n, degree)), money_facts(ev))
    more = _targeted_evidence(n + 1, degree)
    wider = _targeted_evidence(n, degree + 10)
    assert 0.0 < conf < ev.scores["C"]
    assert targeted("C", more, money_facts(more)) > conf
    assert targeted("C", wider, money_facts(wider)) < conf
    assert targeted("OTHER", ev, money_facts(ev)) == 0.0


def test_paying_the_gangs_account_abroad_lists_a_card() -> None:
    ev = Evidence(degrees={"C": 3, "BUSY": 5000})
    ev.abroad = [
        {"src": s, "dst": "GB1", "n": 1, "amount": "9000.00", "first_id": "T1", "last_id": "T1"}
        for s in ("C", "BUSY")
    ]
    f = money_facts(ev)
    assert abroad("C", ev, f) >= 0.8 > abroad("BUSY", ev, f)
    assert abroad("NOBODY", ev, f) == 0.0
