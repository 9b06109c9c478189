"""A card tied to the chain only by the mule-card model and money with a few of the chain's
cards is trusted by the share of its counterparties that are the chain's."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.analyse import Gang, sibling_cards, vet_cards
from chaincut.gangs.graph import LinkGraph
from chaincut.gangs.member import MIN_CONFIDENCE, Member, member
from chaincut.gangs.roles import money_facts
from chaincut.gangs.sentences import said


def _evidence(degree: int, links: int) -> Evidence:
    ev = Evidence(degrees={"C": degree}, scores={"C": 0.9})
    ev.transfers = [{"report_id": "R1", "dst_account": f"M{i}", "txn_id": f"T{i}",
                     "victim_account": ""} for i in range(links)]  # fmt: skip
    ev.transfers_between = [
        {"src": "C", "dst": f"M{i}", "n": 1, "amount": "300.00", "first_id": f"U{i}",
         "last_id": f"U{i}"} for i in range(links)
    ]  # fmt: skip
    return ev


def _members(conf: float) -> list[Member]:
    card = member("account", "C", "mule", conf,
                  [said("model_links", score="0.90", cards="2"), "U0"])  # fmt: skip
    holder = member("person", "P", "mule", conf * 0.95, [said("holder_of", accounts="C")])
    traced = member("account", "M0", "mule", 0.9, [said("paid_by", victims="1"), "T0"])
    return [card, holder, traced]


def test_a_card_paying_a_few_chain_cards_among_many_others_goes_with_its_holder() -> None:
    ev = _evidence(degree=40, links=2)
    out = vet_cards(_members(0.8), ev, money_facts(ev))
    assert [m.id for m in out] == ["M0"]  # the card a victim paid stays


def test_a_card_dealing_mostly_with_the_chain_keeps_its_confidence() -> None:
    ev = _evidence(degree=3, links=2)
    out = {m.id: m.confidence for m in vet_cards(_members(0.8), ev, money_facts(ev))}
    assert out["C"] == 0.8
    assert out["P"] == 0.8 * 0.95


@given(st.integers(1, 200), st.integers(1, 6), st.floats(0.55, 1.0))
def test_vetting_never_raises_confidence_and_drops_below_the_floor(
    degree: int, links: int, conf: float
) -> None:
    ev = _evidence(degree=max(degree, links), links=links)
    out = vet_cards(_members(conf), ev, money_facts(ev))
    assert all(MIN_CONFIDENCE <= m.confidence <= max(conf, 0.9) for m in out)
    ids = [m.id for m in out]
    assert "M0" in ids and ("P" not in ids or "C" in ids)
    wider = _evidence(degree=max(degree, links) + 50, links=links)
    after = {m.id: m.confidence for m in vet_cards(_members(conf), wider, money_facts(wider))}
    assert after.get("C", 0.0) <= {m.id: m.confidence for m in out}.get("C", 0.0)


def _gang(*members: Member) -> Gang:
    return Gang("GANG-R1", ["R1"], list(members), {}, [])


def test_a_listed_cards_holder_brings_the_other_cards_the_model_flags() -> None:
    ev = Evidence(scores={"S": 0.95, "LOW": 0.4, "TAKEN": 0.99})
    ev.persons = [{"person_id": "P", "phone": None}]
    ev.holders = [{"account_id": "C", "person_id": "P", "kind": "bank_card"}]
    ev.owned = [{"account_id": a, "person_id": "P", "kind": "bank_card"}
                for a in ("S", "LOW", "TAKEN")]  # fmt: skip
    card = member("account", "C", "mule", 0.9, [said("paid_by", victims="1"), "T0"])
    other = _gang(member("account", "TAKEN", "mule", 0.8, [said("paid_by", victims="1")]))
    mine = _gang(card)
    sibling_cards([other, mine], ev, LinkGraph())
    added = {m.id: m for m in mine.members}
    assert set(added) == {"C", "S"}  # the model's low score and another gang's card stay out
    assert added["S"].confidence < ev.scores["S"]
    assert added["S"].evidence[1:] == ["P", "C"]  # the holder and the card it also holds
    unflagged = Evidence(persons=ev.persons, holders=ev.holders)
    alone = _gang(card)
    sibling_cards([alone], unflagged, LinkGraph())
    assert [m.id for m in alone.members] == ["C"]
