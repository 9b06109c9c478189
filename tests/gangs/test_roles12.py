"""Round twelve: roles. Score-running lenders (跑分) told from mules by the wallets the gang
keeps unused (`lenders`), the people abroad the bosses pay (`funders.paid_bosses`), and a
card dealer's registrant and recruiters (`dealers`)."""

from __future__ import annotations

from decimal import Decimal

from chaincut.gangs import Evidence
from chaincut.gangs.analyse import Gang
from chaincut.gangs.bosses import partners
from chaincut.gangs.dealers import Candidate, confidence, dealers
from chaincut.gangs.funders import funders, paid_bosses
from chaincut.gangs.lenders import lenders
from chaincut.gangs.member import Member, member
from chaincut.gangs.sentences import said

FIRST = "2026-03-05 10:00:00"


def _gang(*members: Member) -> Gang:
    return Gang("GANG-R1", ["R1"], list(members), {}, [], span=(FIRST, FIRST))


def _held(*rows: tuple[str, str, str]) -> Evidence:
    return Evidence(holders=[{"account_id": a, "person_id": p, "kind": k} for a, p, k in rows])


def _used(account: str) -> Member:
    return member("account", account, "mule", 0.9, [said("paid_by", victims="2"), "T1"])


def _idle(account: str, beside: str) -> Member:
    return member("account", account, "mule", 0.8,
                  [said("lends_payment", account=beside), "Q", beside])  # fmt: skip


def _lead(account: str) -> Member:
    return member("account", account, "mule", 0.69, [said("freeze_ahead"), "Q"])


def _roles(g: Gang) -> dict[str, str]:
    return {m.id: m.role for m in g.members}


def test_a_holder_who_lends_a_used_and_an_idle_wallet_is_a_launderer_with_both() -> None:
    g = _gang(_used("W0"), _idle("W1", "W0"), member("person", "Q", "mule", 0.85, ["W0"]))
    lenders([g], _held(("W0", "Q", "payment"), ("W1", "Q", "payment")))
    assert _roles(g) == {"W0": "launderer", "W1": "launderer", "Q": "launderer"}
    q = next(m for m in g.members if m.id == "Q")
    first = q.codes[0]
    assert first is not None and first["code"] == "lends_wallets"
    assert first["args"]["accounts"] == "W0, W1" and first["args"]["idle"] == "1"
    assert "W0, W1" in q.evidence[0]


def test_the_holder_of_a_wallet_not_used_yet_is_named_launderer() -> None:
    g = _gang(_used("C9"), _lead("W5"))
    lenders([g], _held(("C9", "M", "bank_card"), ("W5", "Q", "payment")))
    named = {m.id: m for m in g.members if m.kind == "person"}
    assert set(named) == {"Q"} and named["Q"].role == "launderer"
    assert named["Q"].confidence >= 0.5
    assert _roles(g)["W5"] == "launderer" and _roles(g)["C9"] == "mule"


def test_a_bank_card_beside_the_wallets_is_a_mules_set() -> None:
    g = _gang(_used("W0"), _idle("W1", "W0"), _used("B0"),
              member("person", "Q", "mule", 0.85, ["W0"]))  # fmt: skip
    lenders([g], _held(("W0", "Q", "payment"), ("W1", "Q", "payment"), ("B0", "Q", "bank_card")))
    assert set(_roles(g).values()) == {"mule"}


def test_two_used_wallets_alone_say_nothing() -> None:
    """The simulator's mules sell two payment accounts as often as runners lend them."""
    g = _gang(_used("W0"), _used("W1"), member("person", "Q", "mule", 0.85, ["W0"]))
    lenders([g], _held(("W0", "Q", "payment"), ("W1", "Q", "payment")))
    assert set(_roles(g).values()) == {"mule"}


def test_a_person_named_in_another_role_keeps_it() -> None:
    g = _gang(_used("W0"), _idle("W1", "W0"), member("person", "Q", "card_dealer", 0.9, ["x"]))
    lenders([g], _held(("W0", "Q", "payment"), ("W1", "Q", "payment")))
    assert _roles(g) == {"W0": "mule", "W1": "mule", "Q": "card_dealer"}


BOSS, BOSS_PHONE = "B", "+8562055500001"  # (Laos: the den's country)
UP, UP_PHONE = "F", "+8562055500002"
HOME_FRIENDS = ("+8613900000001", "+8613900000002", "+8613900000003")


def _bosses_world() -> Evidence:
    """Boss B (a core member abroad, who talks to F and to three numbers here) paid F, whose
    number abroad talks to B alone, and L, a logistics man here."""
    ev = Evidence()
    ev.holders = [{"account_id": "C1", "person_id": "M", "country": "CN"}]
    ev.persons = [{"person_id": BOSS, "phone": BOSS_PHONE}, {"person_id": UP, "phone": UP_PHONE},
                  {"person_id": "L", "phone": "+8613700000009"}]  # fmt: skip
    ev.boss_payments = [
        {"payer": BOSS, "src": "LA1", "dst": "LA2", "holder": UP, "n": 2,
         "amount": Decimal("13349.00"), "first_id": "FX26", "last_id": "FX27"},
        {"payer": BOSS, "src": "LA1", "dst": "C7", "holder": "L", "n": 1,
         "amount": Decimal("600.00"), "first_id": "FX09", "last_id": "FX09"},
    ]  # fmt: skip
    ev.boss_contacts = [{"src": BOSS_PHONE, "dst": UP_PHONE}]
    ev.boss_contacts += [{"src": BOSS_PHONE, "dst": n} for n in HOME_FRIENDS]
    return ev


def test_the_person_abroad_the_bosses_pay_is_weighed_as_a_boss_and_found_the_financier() -> None:
    ev = _bosses_world()
    out = [member("person", BOSS, "core_member", 0.8, [said("holder_of_account", account="LA1")])]
    added = paid_bosses(out, ev)
    assert [(m.id, m.role) for m in added] == [(UP, "core_member")]
    first = added[0].codes[0]
    assert first is not None and first["code"] == "paid_abroad_by_bosses"
    assert first["args"]["amount"] == "13349.00" and "FX26" in added[0].evidence
    out += added
    funders(out, {BOSS, UP}, ev, partners(ev))
    roles = {m.id: m.role for m in out}
    assert roles == {BOSS: "core_member", UP: "financier"}


def test_no_one_is_added_without_a_boss_nor_for_a_number_here() -> None:
    ev = _bosses_world()
    assert paid_bosses([member("person", BOSS, "mule", 0.8, ["x"])], ev) == []
    ev.persons[1] = {"person_id": UP, "phone": "+8613700000002"}
    assert paid_bosses([member("person", BOSS, "core_member", 0.8, ["x"])], ev) == []


def test_each_recruiter_a_registering_phone_talks_to_counts() -> None:
    ev = Evidence()
    one = Candidate("+8613800000001", cards=["C0"], holders={"M0"},
                    recruiters={"+8613800000002"}, ties={"+8613800000002"})  # fmt: skip
    two = Candidate("+8613800000001", cards=["C0"], holders={"M0"},
                    recruiters={"+8613800000002", "+8613800000003"},
                    ties={"+8613800000002"})  # fmt: skip
    assert confidence(ev, one)[0] == "recruiter"
    role, conf = confidence(ev, two)
    assert role == "card_dealer" and conf > 0.5


def test_a_card_dealers_registrant_is_named_at_the_phones_confidence() -> None:
    ev = Evidence()
    ev.persons = [{"person_id": "D", "phone": "+8613800000001"}]
    ev.persons += [{"person_id": f"M{i}", "phone": f"+86139{i:08d}"} for i in range(3)]
    ev.account_phones = [{"account_id": f"C{i}", "phone": "+8613800000001", "holder": f"M{i}"}
                         for i in range(3)]  # fmt: skip
    holder = {f"C{i}": f"M{i}" for i in range(3)}
    cards = {a: member("account", a, "mule", 0.9, []) for a in holder}
    phones, people = dealers(set(), ev, cards, holder)
    phone = next(m for m in phones if m.id == "+8613800000001")
    assert phone.role == "card_dealer" and people["D"].role == "card_dealer"
    assert people["D"].confidence == phone.confidence
