"""Round seven's roles: a dealer whose cards are spread over several gangs, and the financier
told from the core members by who funds the operation and who runs it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.dealers import Candidate, confidence, dealers
from chaincut.gangs.funders import funders
from chaincut.gangs.member import Member, member

DEALER = "+8613800000001"
FIN_PHONE, CORE_PHONE, MULE_PHONE = "+8562055500001", "+8562055500002", "+8613900000001"


def test_a_dealer_whose_other_card_went_to_another_gang_counts_both_people() -> None:
    """One of this gang's cards and one card of another gang's chain, two people, both on
    the dealer's number: named (a lead), where one card alone is not."""
    ev = Evidence(persons=[{"person_id": "D", "phone": DEALER}])
    ev.account_phones = [{"account_id": "C1", "phone": DEALER, "holder": "M1"},
                         {"account_id": "X1", "phone": DEALER, "holder": "M2"},
                         {"account_id": "OWN", "phone": DEALER, "holder": "D"}]  # fmt: skip
    cards = {"C1": member("account", "C1", "mule", 0.9, [])}
    spread, people = dealers(set(), ev, cards, {"C1": "M1"}, chain={"C1", "X1"})
    alone, _ = dealers(set(), ev, cards, {"C1": "M1"}, chain={"C1"})
    assert [m.role for m in spread if m.id == DEALER] == ["card_dealer"]
    assert people["D"].role == "card_dealer" and people["D"].confidence >= 0.5
    assert not [m for m in alone if m.role == "card_dealer"]
    assert any("1 more person that other reports' money reached" in e for e in spread[0].evidence)


@given(st.integers(0, 4), st.integers(0, 4))
def test_more_peoples_cards_elsewhere_never_lower_a_dealer(here: int, elsewhere: int) -> None:
    c = Candidate(DEALER, cards=["C0"], holders={f"M{i}" for i in range(1 + here)},
                  elsewhere={f"E{i}" for i in range(elsewhere)})  # fmt: skip
    more = Candidate(DEALER, cards=c.cards, holders=c.holders, elsewhere=c.elsewhere | {"E9"})
    assert confidence(Evidence(), more)[1] >= confidence(Evidence(), c)[1]


def _bosses(paid: list[str]) -> tuple[list[Member], Evidence]:
    """Two holders abroad who both talk here (so `bosses` called both core members): FIN pays
    the members `paid` from his account abroad."""
    ev = Evidence()
    ev.persons = [{"person_id": "FIN", "phone": FIN_PHONE}, {"person_id": "CORE", "phone": CORE_PHONE},
                  {"person_id": "MULE", "phone": MULE_PHONE}]  # fmt: skip
    ev.persons += [{"person_id": p, "phone": f"+86137{i:08d}"} for i, p in enumerate(paid)]
    ev.end_holders = [{"account_id": "A1", "person_id": "FIN"},
                      {"account_id": "A2", "person_id": "CORE"}]  # fmt: skip
    ev.ends = [{"src": "C1", "dst": "A1", "amount": "6000.00", "first_id": "T1", "last_id": "T1"},
               {"src": "C1", "dst": "A2", "amount": "4000.00", "first_id": "T2", "last_id": "T2"}]  # fmt: skip
    ev.boss_payments = [
        {"payer": "FIN", "src": "A1", "dst": f"B{p}", "holder": p, "n": 1, "amount": "500.00",
         "first_id": f"TP{p}", "last_id": f"TP{p}"}
        for p in paid
    ]  # fmt: skip
    roles = {"DEALER": "card_dealer", "LOG": "logistics", "OP": "operator", "SAL": "core_member"}
    members = [member("account", "A1", "core_member", 0.8, ["received"]),
               member("person", "FIN", "core_member", 0.75, ["holder", "received"]),
               member("account", "A2", "core_member", 0.8, ["received"]),
               member("person", "CORE", "core_member", 0.75, ["holder", "received"]),
               member("person", "MULE", "mule", 0.9, ["holder of C1"])]  # fmt: skip
    members += [member("person", p, roles[p], 0.8, []) for p in paid]
    return members, ev


def _run(paid: list[str], fin_talks: set[str]) -> dict[str, Member]:
    members, ev = _bosses(paid)
    # (FIN's number talks to `fin_talks` and a friend here; CORE's to a mule)
    talks = {FIN_PHONE: fin_talks | {"+8613711111111"}, CORE_PHONE: {MULE_PHONE}}
    funders(members, {"FIN", "CORE"}, ev, talks)
    return {m.id: m for m in members}


def test_the_holder_who_pays_the_dealer_and_the_staff_is_the_financier() -> None:
    named = _run(["DEALER", "LOG", "OP"], set())
    assert named["FIN"].role == "financier" and named["FIN"].confidence >= 0.8
    assert named["A1"].role == "financier"  # his account abroad follows him
    assert "TPDEALER" in named["FIN"].evidence
    assert any("to 3 of the gang's members" in e for e in named["FIN"].evidence)
    # the one who calls the mules stays a core member, at the confidence `bosses` gave
    assert named["CORE"].role == "core_member" and named["CORE"].confidence == 0.75


def test_running_contacts_hold_back_a_funder_and_no_evidence_changes_nothing() -> None:
    runner = _run(["DEALER"], {MULE_PHONE})
    assert runner["FIN"].role == "core_member"
    quiet = _run([], set())
    assert quiet["FIN"].role == "core_member" and quiet["FIN"].confidence == 0.75


@given(st.integers(0, 3))
def test_paying_more_members_never_lowers_the_financier(n: int) -> None:
    staff = ["DEALER", "LOG", "OP", "SAL"]
    fewer, more = _run(staff[:n], set()), _run(staff[: n + 1], set())

    def p(m: Member) -> float:
        return m.confidence if m.role == "financier" else 1.0 - m.confidence

    assert p(more["FIN"]) >= p(fewer["FIN"]) - 1e-9


def test_the_holder_the_other_bosses_pay_and_who_talks_only_to_them_is_the_financier() -> None:
    """Core members pass the profit up: money from another holder abroad counts for the one
    who receives it, not as his funding; a number that talks only to the members abroad
    counts for the financier too."""
    members, ev = _bosses([])
    ev.boss_payments = [{"payer": "CORE", "src": "A2", "dst": "A1", "holder": "FIN", "n": 2,
                         "amount": "3000.00", "first_id": "TUP", "last_id": "TUP"}]  # fmt: skip
    talks = {FIN_PHONE: {CORE_PHONE}, CORE_PHONE: {MULE_PHONE, FIN_PHONE}}
    funders(members, {"FIN", "CORE"}, ev, talks)
    named = {m.id: m for m in members}
    assert named["FIN"].role == "financier" and named["FIN"].confidence >= 0.8
    assert any("paid by CORE" in e for e in named["FIN"].evidence)
    assert any("talks only to the gang's members abroad" in e for e in named["FIN"].evidence)
    assert named["CORE"].role == "core_member"  # paying the boss is no funding
