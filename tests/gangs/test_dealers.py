"""Card dealers and financiers from weighted evidence: several other people's cards registered
with one phone, a recruiter among its contacts, fees from the gang's cards; the financier
keeps away from the numbers here."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.bosses import bosses
from chaincut.gangs.dealers import Candidate, confidence, dealers
from chaincut.gangs.member import member
from chaincut.gangs.roles import money_facts

DEALER, MULE_PHONE, RECRUITER = "+8613800000001", "+8613800000002", "+8613800000003"


def _evidence(holders: int, fee: bool = True) -> tuple[Evidence, dict[str, str]]:
    """`holders` mules with one card each registered with the dealer's phone, one mule's own
    two cards registered with his own phone, a recruiter talking to every mule."""
    holder = {f"C{i}": f"M{i}" for i in range(holders)} | {"OWN1": "M0", "OWN2": "M0"}
    ev = Evidence()
    ev.persons = [{"person_id": "D", "phone": DEALER}, {"person_id": "M0", "phone": MULE_PHONE},
                  {"person_id": "R", "phone": RECRUITER}]  # fmt: skip
    ev.persons += [{"person_id": f"M{i}", "phone": f"+86139{i:08d}"} for i in range(1, holders)]
    # the rest of the town: the chance that anyone's contact holds one of the cards is small
    ev.persons += [{"person_id": f"N{i}", "phone": f"+86137{i:08d}"} for i in range(200)]
    ev.account_phones = [
        {"account_id": f"C{i}", "phone": DEALER, "holder": f"M{i}"} for i in range(holders)
    ] + [{"account_id": a, "phone": MULE_PHONE, "holder": "M0"} for a in ("OWN1", "OWN2")]
    phones = {p["person_id"]: p["phone"] for p in ev.persons}
    ev.contacts = [
        {"src": RECRUITER, "dst": phones[f"M{i}"], "first_id": f"K{i}"} for i in range(holders)
    ] + [{"src": DEALER, "dst": RECRUITER, "first_id": "KD"}]
    ev.reach = {RECRUITER: (holders, 0), DEALER: (1, 0)}
    ev.holders = [{"account_id": a, "person_id": p} for a, p in holder.items()]
    ev.holders.append({"account_id": "DA", "person_id": "D"})
    if fee:
        ev.transfers_between = [{"src": "C0", "dst": "DA", "n": 1, "amount": "300.00",
                                 "first_id": "TFEE", "last_id": "TFEE"}]  # fmt: skip
    return ev, holder


def _named(holders: int, fee: bool = True) -> dict[tuple[str, str], tuple[str, float, list[str]]]:
    ev, holder = _evidence(holders, fee)
    cards = {a: member("account", a, "mule", 0.9, []) for a in holder}
    phones, people = dealers({f"phone:{RECRUITER}"}, ev, cards, holder)
    return {(m.kind, m.id): (m.role, m.confidence, m.evidence) for m in phones + list(people.values())}  # fmt: skip


def test_a_phone_registering_several_peoples_cards_is_a_dealer_with_its_evidence() -> None:
    named = _named(4)
    role, conf, evidence = named[("phone", DEALER)]
    assert role == "card_dealer" and conf >= 0.9
    assert named[("person", "D")][0] == "card_dealer"
    assert "accounts row C1 reg_phone" in evidence and "TFEE" in evidence
    assert any("held by 4 other people" in e for e in evidence)
    assert any(RECRUITER in e for e in evidence)
    assert named[("phone", RECRUITER)][0] == "recruiter"
    # a mule's own phone registering his own cards is no dealer
    assert ("phone", MULE_PHONE) not in named or named[("phone", MULE_PHONE)][0] != "card_dealer"


def test_two_peoples_cards_alone_do_not_make_a_dealer() -> None:
    bare = Candidate(DEALER, cards=["C0", "C1"], holders={"M0", "M1"})
    assert confidence(Evidence(), bare)[1] < 0.5  # a family phone can do that much
    backed = Candidate(DEALER, cards=["C0", "C1"], holders={"M0", "M1"}, recruiters={RECRUITER},
                       fees=[("C0", "DA", Decimal(300), "TFEE")])  # fmt: skip
    assert confidence(Evidence(), backed) == ("card_dealer", confidence(Evidence(), backed)[1])
    assert confidence(Evidence(), backed)[1] >= 0.8


@given(st.integers(2, 8), st.booleans(), st.booleans())
def test_each_piece_of_evidence_adds_confidence(n: int, recruiter: bool, fee: bool) -> None:
    def conf(holders: int, rec: bool, paid: bool) -> float:
        c = Candidate(DEALER, cards=[f"C{i}" for i in range(holders)],
                      holders={f"M{i}" for i in range(holders)},
                      recruiters={RECRUITER} if rec else set(),
                      fees=[("C0", "DA", Decimal(300), "TFEE")] if paid else [])  # fmt: skip
        return confidence(Evidence(), c)[1]

    base = conf(n, recruiter, fee)
    assert conf(n, True, fee) >= base and conf(n, recruiter, True) >= base
    assert conf(n + 1, recruiter, fee) >= base
    assert (conf(n, True, fee) > base) or recruiter
    assert (conf(n, recruiter, True) > base) or fee


def _exits(talking: set[str]) -> list[tuple[str, str, str, float]]:
    """The end accounts of a gang whose holders in `talking` talk to a number here."""
    ev = Evidence()
    ev.traces = [{"report_id": "R1", "freeze": [], "verify": [], "exits": [
        {"from": "L", "to": to, "channel": "cross_border", "amount": amount, "txn_id": f"T{to}"}
        for to, amount in (("BIG", "9000.00"), ("SMALL", "1000.00"))]}]  # fmt: skip
    ev.persons = [{"person_id": p, "phone": f"+855{p}"} for p in ("FIN", "CORE")]
    ev.contacts = [{"src": f"+855{p}", "dst": "+8613900000009"} for p in sorted(talking)]
    holder = {"BIG": "FIN", "SMALL": "CORE"}
    f = money_facts(ev)
    out = bosses({"account:BIG", "account:SMALL"}, ev, f.exit_in, f.exit_txns, holder)
    return sorted((m.kind, m.id, m.role, m.confidence) for m in out)


def test_the_financier_takes_most_and_keeps_away_from_numbers_here() -> None:
    apart = {(k, i): (role, conf) for k, i, role, conf in _exits({"CORE"})}
    assert apart["person", "FIN"][0] == "financier" and apart["person", "CORE"][0] == "core_member"
    # every holder talking to numbers here: nothing tells the financier from the core
    # members, and none is named financier (a wrong financier is serious harm)
    both = {(k, i): (role, conf) for k, i, role, conf in _exits({"FIN", "CORE"})}
    assert both["person", "FIN"][0] == "core_member"
    assert both["person", "CORE"][0] == "core_member"


def test_a_line_that_reaches_victims_is_no_recruiter() -> None:
    talker = Candidate(RECRUITER, talks={f"+86139{i:08d}" for i in range(6)})
    quiet = Evidence(reach={RECRUITER: (8, 0)})
    calling = Evidence(reach={RECRUITER: (8, 2)})
    assert confidence(quiet, talker) == ("recruiter", confidence(quiet, talker)[1])
    assert confidence(quiet, talker)[1] >= 0.5 > confidence(calling, talker)[1]


def test_cards_sold_to_other_gangs_back_a_dealer() -> None:
    ev, holder = _evidence(2, fee=False)
    ev.account_phones += [
        {"account_id": f"X{i}", "phone": DEALER, "holder": f"OTHER{i}"} for i in range(3)
    ]
    cards = {a: member("account", a, "mule", 0.9, []) for a in holder}
    alone = dealers({f"phone:{RECRUITER}"}, ev, cards, holder)[0]
    backed = dealers({f"phone:{RECRUITER}"}, ev, cards, holder, {"X0", "X1", "X2"})[0]
    conf = {m.id: m.confidence for m in alone}
    sold = {m.id: m for m in backed}
    assert sold[DEALER].confidence > conf.get(DEALER, 0.0)
    assert any("3 more people" in e for e in sold[DEALER].evidence)
