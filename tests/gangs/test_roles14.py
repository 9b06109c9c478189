"""Round fourteen: roles (docs/gangs.md, "Round fourteen: roles")."""

from __future__ import annotations

from chaincut.gangs import Evidence
from chaincut.gangs.funders import abroad_payers, funders
from chaincut.gangs.member import Member, member
from chaincut.gangs.running import runners

#: numbers abroad (Cambodia) and here
FIN, CORE, CORE2, PAYER, RUNNER = (f"+85520555000{i}" for i in range(1, 6))
MULES = [f"+861390000000{i}" for i in range(8)]
DEALER = "+8613800000001"


def _holders(*rows: tuple[str, str, str]) -> list[dict[str, str]]:
    """`ev.holders` rows (account, person, country), beside three cards here (the home
    country is that of most of the chain's accounts)."""
    here = [(f"H{i}", f"M{i}", "CN") for i in range(3)]
    return [{"account_id": a, "person_id": p, "kind": "bank_card", "country": c}
            for a, p, c in (*here, *rows)]  # fmt: skip


def _payer_world(country: str, phone: str) -> tuple[list[Member], Evidence, dict[str, set[str]]]:
    """A gang whose core member CM holds its money abroad (A2); PAY, named mule for his card
    PA that sent money to A2, holds PA in `country` and the number `phone`, which talks to
    CM only (fw-971's second financier, who funds the den through its core members)."""
    ev = Evidence()
    ev.persons = [{"person_id": "CM", "phone": CORE}, {"person_id": "PAY", "phone": phone}]
    ev.holders = _holders(("PA", "PAY", country))
    ev.end_holders = [{"account_id": "A2", "person_id": "CM", "country": "KH"}]
    ev.abroad = [{"src": "PA", "dst": "A2", "n": 2, "amount": "10848.00", "first_id": "FX26",
                  "last_id": "FX34"}]  # fmt: skip
    members = [member("person", "CM", "core_member", 0.8, ["holder"]),
               member("account", "A2", "core_member", 0.85, ["received"]),
               member("account", "PA", "mule", 0.85, ["sent abroad"]),
               member("person", "PAY", "mule", 0.8, ["holder of PA"])]  # fmt: skip
    return members, ev, {phone: {CORE}, CORE: {phone, MULES[0]}}


def test_a_holder_abroad_who_funds_the_bosses_accounts_is_the_financier() -> None:
    members, ev, talks = _payer_world("KH", PAYER)
    named = abroad_payers(members, ev, talks)
    assert named == {"PAY"}
    by = {m.id: m for m in members}
    assert by["PAY"].role == by["PA"].role == "financier"
    first = by["PAY"].codes[0]
    assert first is not None and first["code"] == "funds_bosses_abroad"
    assert first["args"]["accounts"] == "A2" and "FX26" in by["PAY"].evidence
    # `funders` weighs him next with his contacts: he talks to the core member only
    funders(members, {"CM", "PAY"}, ev, talks)
    assert by["PAY"].role == "financier" and by["CM"].role == "core_member"


def test_a_card_here_whose_holder_talks_here_stays_a_mule() -> None:
    """A mule's card at home that paid the exits, his number at home talking to the core
    member and to a friend here: the victims' money passed on, not funding."""
    members, ev, talks = _payer_world("CN", MULES[1])
    talks[MULES[1]] = {CORE, MULES[2]}
    assert abroad_payers(members, ev, talks) == set()
    assert {m.id: m.role for m in members}["PAY"] == "mule"


def _running_world(financiers: int) -> tuple[list[Member], Evidence, dict[str, set[str]]]:
    """A gang with its financier (FIN) and core members (CM, CM2) named, eight card holders
    and a dealer here; RUNNER, a number abroad registered to RP, talks to `financiers` of
    the financier's number, to CM and CM2, to the eight card holders and to the dealer."""
    ev = Evidence()
    ev.persons = [{"person_id": "F", "phone": FIN}, {"person_id": "CM", "phone": CORE},
                  {"person_id": "CM2", "phone": CORE2}, {"person_id": "RP", "phone": RUNNER},
                  {"person_id": "D", "phone": DEALER}]  # fmt: skip
    ev.persons += [{"person_id": f"M{i}", "phone": n} for i, n in enumerate(MULES)]
    ev.holders = _holders()
    members = [member("person", "F", "financier", 0.9, ["holder"]),
               member("person", "CM", "core_member", 0.8, ["holder"]),
               member("person", "CM2", "core_member", 0.8, ["holder"]),
               member("person", "D", "card_dealer", 0.9, ["registered"])]  # fmt: skip
    members += [member("person", f"M{i}", "mule", 0.9, ["holder"]) for i in range(8)]
    mine = {CORE, CORE2, DEALER, *MULES} | ({FIN} if financiers else set())
    talks = {RUNNER: mine, CORE: {RUNNER, FIN}, CORE2: {RUNNER}, FIN: {CORE}}
    if financiers:
        talks[FIN] |= {RUNNER}
    return members, ev, talks


def test_a_number_abroad_that_talks_to_the_financier_and_runs_the_card_holders_is_core() -> None:
    """fw-970's FP0000302: a core member with no account the gang's money reached."""
    members, ev, talks = _running_world(financiers=1)
    found = {(m.kind, m.id): m for m in runners(ev, members, talks)}
    assert set(found) == {("phone", RUNNER), ("person", "RP")}
    person = found["person", "RP"]
    assert person.role == "core_member" and person.confidence >= 0.5
    why = [c for c in found["phone", RUNNER].codes if c and c["code"] == "runs_operation"]
    assert why and why[0]["args"]["financiers"] == "1" and why[0]["args"]["home"] == "9"


def test_a_number_that_talks_to_the_core_members_but_not_the_financier_is_not_core() -> None:
    """The den's callers talk to the core members who run them and to some of the gang's
    people here; the financier keeps away from them (the operators of fw-970 and 969)."""
    members, ev, talks = _running_world(financiers=0)
    assert runners(ev, members, talks) == []
    # nor one that reached reported victims, financier or not
    members, ev, talks = _running_world(financiers=1)
    ev.persons.append({"person_id": "V", "phone": "+8613700000001"})
    ev.reports = [{"report_id": "R1", "victim_id": "V"}]
    talks[RUNNER] |= {"+8613700000001"}
    assert runners(ev, members, talks) == []
