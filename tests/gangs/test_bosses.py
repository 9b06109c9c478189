"""Financiers and core members from where the money ends (every account abroad the gang's cards
paid, not only the traced exits) and who the holders talk to over all the records; recruiters
judged against the chance of knowing a card holder."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.bosses import bosses, logistics, talkers
from chaincut.gangs.dealers import Candidate, confidence
from chaincut.gangs.ends import abroad_number, home_country

LOGISTICS, LAUNDERER = "+8613900000001", "+8613900000002"
QUIET, BUSY, CORE = "+8562055500009", "+8562055500008", "+8562055500001"


def _paid(src: str, dst: str, amount: str, txn: str) -> dict[str, str | int]:
    return {"src": src, "dst": dst, "n": 1, "amount": amount, "first_id": txn, "last_id": txn}


def _evidence(talking: dict[str, set[str]]) -> Evidence:
    """Two of the gang's cards paying three accounts abroad (none traced there), held by FIN,
    CORE and an exchange; `talking`: person -> the numbers here their phone talks to."""
    ev = Evidence()
    ev.ends = [_paid("C1", "BIG", "9000.00", "T1"), _paid("C2", "BIG", "3000.00", "T2"),
               _paid("C1", "SMALL", "2000.00", "T3"), _paid("C2", "EXCH", "50000.00", "T4"),
               _paid("OTHER", "ELSEWHERE", "7000.00", "T5")]  # fmt: skip
    ev.end_holders = [
        {"account_id": a, "person_id": p}
        for a, p in (("BIG", "FIN"), ("SMALL", "CORE"), ("EXCH", "ORG1"), ("ELSEWHERE", "X"))
    ]
    ev.persons = [
        {"person_id": p, "phone": f"+856205550000{k}"} for k, p in enumerate(("FIN", "CORE", "X"))
    ]
    ev.persons += [{"person_id": "L", "phone": LOGISTICS}, {"person_id": "W", "phone": LAUNDERER}]
    ev.persons += [
        {"person_id": "QUIET", "phone": QUIET},
        {"person_id": "BUSY", "phone": BUSY},
    ]
    phone = {p["person_id"]: p["phone"] for p in ev.persons}
    ev.boss_contacts = [
        {"src": phone[p], "dst": n, "first_id": f"K{p}{n}"} for p, ns in talking.items() for n in ns
    ]
    return ev


def _named(ev: Evidence) -> dict[tuple[str, str], tuple[str, float, list[str]]]:
    out = bosses({"account:C1", "account:C2"}, ev, {}, {}, {})
    out += talkers(ev, out)
    return {(m.kind, m.id): (m.role, m.confidence, m.evidence) for m in out}


def test_the_holder_who_keeps_away_is_the_financier_with_the_transfers_as_evidence() -> None:
    named = _named(_evidence({"CORE": {LOGISTICS}}))
    role, conf, evidence = named["person", "FIN"]
    assert role == "financier" and conf >= 0.8
    assert "T1" in evidence and "T2" in evidence
    assert any("paid across the border by 2 of the gang's cards" in e for e in evidence)
    assert named["person", "CORE"][0] == "core_member"
    assert named["account", "BIG"][0] == "financier"
    # an exchange's account abroad (held by no person) and an account other cards paid: nobody
    assert ("person", "ORG1") not in named and ("account", "EXCH") not in named
    assert ("person", "X") not in named


def test_no_financier_where_every_holder_talks_here() -> None:
    named = _named(_evidence({"FIN": {LAUNDERER}, "CORE": {LOGISTICS}}))
    assert {r for (k, _), (r, _, _) in named.items() if k == "person"} == {"core_member"}


def test_a_number_abroad_that_talks_only_to_the_holders_people_is_a_core_member() -> None:
    many = {f"+86137{i:08d}" for i in range(30)}
    named = _named(
        _evidence(
            {
                "CORE": {LOGISTICS, LAUNDERER},
                "QUIET": {LOGISTICS, LAUNDERER},
                "L": {QUIET, CORE},
                "BUSY": {LOGISTICS} | many,
            }
        )  # fmt: skip
    )
    role, conf, evidence = named["person", "QUIET"]
    assert role == "core_member" and conf >= 0.5
    assert named["phone", QUIET][0] == "core_member"
    assert LOGISTICS in named["phone", QUIET][2]
    assert ("person", "BUSY") not in named  # one of the holders' people among thirty others


def test_numbers_abroad_and_the_home_country() -> None:
    assert abroad_number("+85620123456", "CN") and abroad_number("+639171234567", "CN")
    assert not abroad_number("+8613800138000", "CN")
    assert not abroad_number("not a number", "CN")
    ev = Evidence(holders=[{"account_id": a, "person_id": "P", "country": c}
                           for a, c in (("1", "CN"), ("2", "CN"), ("3", "LA"), ("4", ""))])  # fmt: skip
    assert home_country(ev) == "CN" and home_country(Evidence()) == "CN"


@given(st.integers(2, 12), st.integers(0, 40), st.floats(0.0, 0.9))
def test_knowing_card_holders_counts_only_above_chance(talk: int, more: int, base: float) -> None:
    phone = "+8613800000003"
    ev = Evidence(reach={phone: (talk + more, 0)})
    talks = {f"+86139{i:08d}" for i in range(talk)}

    def conf(b: float) -> float:
        return confidence(ev, Candidate(phone, talks=talks, base=b))[1]

    assert conf(base) <= conf(0.0)
    assert conf(min(base + 0.05, 0.95)) <= conf(base)


def test_a_person_who_knows_as_many_card_holders_as_anyone_is_no_recruiter() -> None:
    phone = "+8613800000003"
    ev = Evidence(reach={phone: (15, 0)})
    friend = Candidate(phone, talks={f"+86139{i:08d}" for i in range(5)}, base=0.3)
    assert confidence(ev, friend)[1] < 0.5
    rare = Candidate(phone, talks=friend.talks, base=0.01)
    assert confidence(ev, rare)[1] > confidence(ev, friend)[1]


def test_a_phone_at_the_box_site_that_talks_to_the_members_abroad_is_logistics() -> None:
    ev = _evidence({"CORE": {LOGISTICS}, "W": {"+8613700000001"}})
    ev.den_visitors = [
        {"phone": LOGISTICS, "cell": "460-00-1-1", "callee": CORE, "n": 2, "first_id": "V0"},
        {"phone": LOGISTICS, "cell": "460-00-1-2", "callee": CORE, "n": 1, "first_id": "V2"},
        {"phone": LAUNDERER, "cell": "460-00-1-1", "callee": "+8613700000001", "n": 1,
         "first_id": "V1"},
    ]  # fmt: skip
    out = bosses({"account:C1", "account:C2"}, ev, {}, {}, {})
    named = {(m.kind, m.id): m for m in logistics(ev, out)}
    assert named["phone", LOGISTICS].role == "logistics"
    assert named["person", "L"].confidence >= 0.5 and "V0" in named["phone", LOGISTICS].evidence
    assert ("phone", LAUNDERER) not in named  # a neighbour at the cell, nobody abroad


def test_one_call_from_the_box_site_to_one_member_abroad_is_no_finding() -> None:
    """A neighbour with a relative abroad calls from the site too: one site and one member
    abroad stay below naming, a second site or member lifts it."""
    ev = _evidence({"CORE": {LOGISTICS}})
    ev.den_visitors = [
        {"phone": LOGISTICS, "cell": "460-00-1-1", "callee": CORE, "n": 3, "first_id": "V0"}
    ]
    out = bosses({"account:C1", "account:C2"}, ev, {}, {}, {})
    once = {(m.kind, m.id): m.confidence for m in logistics(ev, out)}
    assert once.get(("person", "L"), 0.0) < 0.5
    ev.den_visitors.append(
        {"phone": LOGISTICS, "cell": "460-00-1-2", "callee": CORE, "n": 1, "first_id": "V3"}
    )
    twice = {(m.kind, m.id): m.confidence for m in logistics(ev, out)}
    assert twice["person", "L"] >= 0.5 > once.get(("person", "L"), 0.0)
