"""Round eight: a card dealer with one other person's card on his number, told from a family
by his ties to the gang: the gang's other card holders and the hubs (numbers here that call
several of the gang's card holders, a recruiter among them) he talks to."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.dealers import HUB_HOLDERS, Candidate, confidence, dealers
from chaincut.gangs.member import member

DEALER, HUB1, HUB2 = "+8613800000001", "+8613800000002", "+8613800000003"


def _holder_phone(i: int) -> str:
    return f"+86139{i:08d}"


def _world(hubs: int, family: bool = False) -> tuple[Evidence, dict[str, str]]:
    """Eight mules with one card each; the dealer's number registered mule M0's card (and his
    own); `hubs` numbers each call `HUB_HOLDERS` mules and talk to the dealer; with `family`
    the dealer's number talks to M0 alone (a parent who opened his son's card), else to mules
    M5 and M6."""
    holder = {f"C{i}": f"M{i}" for i in range(8)}
    ev = Evidence()
    ev.persons = [{"person_id": "D", "phone": DEALER}, {"person_id": "H1", "phone": HUB1},
                  {"person_id": "H2", "phone": HUB2}]  # fmt: skip
    ev.persons += [{"person_id": f"M{i}", "phone": _holder_phone(i)} for i in range(8)]
    ev.persons += [{"person_id": f"N{i}", "phone": f"+86137{i:08d}"} for i in range(300)]
    ev.account_phones = [{"account_id": "C0", "phone": DEALER, "holder": "M0"},
                         {"account_id": "OWN", "phone": DEALER, "holder": "D"}]  # fmt: skip
    ev.account_phones += [
        {"account_id": f"C{i}", "phone": _holder_phone(i), "holder": f"M{i}"} for i in range(1, 8)
    ]
    for k, hub in enumerate((HUB1, HUB2)[:hubs]):
        ev.contacts += [{"src": hub, "dst": _holder_phone(i), "first_id": f"K{k}{i}"}
                        for i in range(1 + 3 * k, 1 + 3 * k + HUB_HOLDERS)]  # fmt: skip
        ev.contacts.append({"src": DEALER, "dst": hub, "first_id": f"KD{k}"})
    if family:
        ev.contacts.append({"src": DEALER, "dst": _holder_phone(0), "first_id": "KF"})
    else:  # the dealer deals with two more of the gang's card holders himself
        ev.contacts += [{"src": DEALER, "dst": _holder_phone(i), "first_id": f"KH{i}"}
                        for i in (5, 6)]  # fmt: skip
    # (the hubs' other contacts: a few friends each; the dealer's: the hubs and a friend)
    n = hubs + (1 if family else 2)
    ev.reach = {HUB1: (HUB_HOLDERS + 4, 0), HUB2: (HUB_HOLDERS + 4, 0), DEALER: (n + 1, 0)}
    ev.holders = [{"account_id": a, "person_id": p} for a, p in holder.items()]
    return ev, holder


def _named(hubs: int, family: bool = False) -> dict[str, tuple[str, float, list[str]]]:
    ev, holder = _world(hubs, family)
    cards = {a: member("account", a, "mule", 0.9, []) for a in holder}
    phones, people = dealers(set(), ev, cards, holder)
    out = {m.id: (m.role, m.confidence, m.evidence) for m in phones}
    return out | {m.id: (m.role, m.confidence, m.evidence) for m in people.values()}


def test_one_persons_card_two_more_holders_and_hubs_make_a_dealer_with_the_evidence() -> None:
    named = _named(2)
    role, conf, evidence = named[DEALER]
    assert role == "card_dealer" and conf >= 0.5
    assert named["D"][0] == "card_dealer"
    assert "accounts row C0 reg_phone" in evidence
    assert any(f"each call {HUB_HOLDERS} or more of the gang's card holders" in e
               and HUB1 in e and HUB2 in e for e in evidence)  # fmt: skip


def test_one_persons_card_with_the_family_tie_only_is_no_dealer() -> None:
    """A parent who opened his son's card and talks to him: the son is no tie (his card is
    the one on the number), nor are hubs beyond the first."""
    for hubs, family in ((0, True), (1, True), (2, True)):
        named = _named(hubs, family)
        assert named.get(DEALER, ("", 0.0, []))[0] != "card_dealer", (hubs, family)


def test_a_mule_who_talks_to_his_recruiter_is_no_dealer() -> None:
    """A mule's own card on his own number is nobody else's: no hub makes him a dealer."""
    named = _named(2)
    assert all(named.get(p, ("", 0.0, []))[0] != "card_dealer" for p in ("M1", "M4"))


@given(st.integers(0, 5), st.integers(0, 5), st.integers(1, 4))
def test_more_ties_never_lower_a_dealer(ties: int, talks: int, holders: int) -> None:
    def conf(n: int) -> float:
        c = Candidate(DEALER, cards=[f"C{i}" for i in range(holders)],
                      holders={f"M{i}" for i in range(holders)},
                      talks={_holder_phone(i) for i in range(talks)},
                      ties={f"+86136{i:08d}" for i in range(n)})  # fmt: skip
        role, p = confidence(Evidence(), c)
        return p if role == "card_dealer" else 0.0

    assert conf(ties + 1) >= conf(ties)
