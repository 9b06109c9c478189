"""Recruiters meet the card holders where they live; the den's core members call the same
holders from abroad to run their cards: a number abroad weighs against `recruiter`."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.dealers import Candidate, confidence, dealers
from chaincut.gangs.member import MIN_CONFIDENCE, member

DEALER, HOME, ABROAD = "+8613800000001", "+8613800000003", "+855231425128"


def _named(caller: str, holders: int) -> dict[tuple[str, str], tuple[str, float, list[str]]]:
    """`holders` card holders (one card each, registered with the dealer's phone), all called
    by `caller`, who also talks to the dealer; a town of 200 others around them."""
    holder = {f"C{i}": f"M{i}" for i in range(holders)}
    ev = Evidence()
    ev.persons = [{"person_id": "D", "phone": DEALER}, {"person_id": "X", "phone": caller}]
    ev.persons += [{"person_id": f"M{i}", "phone": f"+86139{i:08d}"} for i in range(holders)]
    ev.persons += [{"person_id": f"N{i}", "phone": f"+86137{i:08d}"} for i in range(200)]
    ev.account_phones = [{"account_id": a, "phone": DEALER, "holder": p} for a, p in holder.items()]
    ev.contacts = [
        {"src": caller, "dst": f"+86139{i:08d}", "first_id": f"K{i}"} for i in range(holders)
    ] + [{"src": DEALER, "dst": caller, "first_id": "KD"}]
    ev.reach = {caller: (holders + 1, 0), DEALER: (1, 0)}
    ev.holders = [{"account_id": a, "person_id": p, "country": "CN"} for a, p in holder.items()]
    cards = {a: member("account", a, "mule", 0.9, []) for a in holder}
    phones, people = dealers({f"phone:{caller}"}, ev, cards, holder)
    return {(m.kind, m.id): (m.role, m.confidence, m.evidence) for m in phones + list(people.values())}  # fmt: skip


def test_a_home_number_calling_the_holders_is_a_recruiter_one_abroad_is_not() -> None:
    home = _named(HOME, 12)
    assert home[("phone", HOME)][0] == "recruiter"
    assert home[("person", "X")][0] == "recruiter"
    abroad = _named(ABROAD, 12)
    assert ("phone", ABROAD) not in abroad and ("person", "X") not in abroad
    # the dealer stays named either way, but is not said to talk to a recruiter abroad
    assert abroad[("phone", DEALER)][0] == "card_dealer"
    assert not any(ABROAD in str(e) for e in abroad[("phone", DEALER)][2])
    assert any(HOME in str(e) for e in home[("phone", DEALER)][2])


@given(st.integers(2, 30), st.floats(0.0, 0.2))
def test_a_number_abroad_never_weighs_more_as_a_recruiter(talks: int, base: float) -> None:
    def conf(phone: str) -> float:
        c = Candidate(phone, talks={f"+86139{i:08d}" for i in range(talks)}, base=base)
        c.abroad = phone == ABROAD
        ev = Evidence()
        ev.reach = {phone: (talks, 0)}
        role, value = confidence(ev, c)
        assert role == "recruiter"
        return value

    assert conf(ABROAD) < conf(HOME)
    assert conf(ABROAD) < MIN_CONFIDENCE or conf(HOME) > 0.97
