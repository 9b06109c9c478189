"""Round thirteen: roles (docs/gangs.md, "Round thirteen: roles")."""

from __future__ import annotations

from pathlib import Path

from chaincut.gangs import Evidence
from chaincut.gangs.analyse import Gang
from chaincut.gangs.dealers import Candidate, confidence, late_dealers
from chaincut.gangs.evaluate import TruthGang, evaluate, recorded_persons
from chaincut.gangs.funders import funders
from chaincut.gangs.member import Member, member

#: the world's tables: PA holds a paid account; PB and PD call each other; PE and PX call
#: nobody and hold nothing
TABLES = {
    "transactions": "txn_id,src_account,dst_account,amount\nT1,V,A,10.00\n",
    "calls": "call_id,caller,callee\nC1,+861,+862\n",
    "messages": "msg_id,sender,receiver\n",
    "persons": "person_id,name,id_number,birth_date,phone\n"
    "PA,a,1,,+869\nPB,b,2,,+861\nPD,d,4,,+862\nPE,e,5,,+865\nPX,x,6,,+864\n",
    "accounts": "account_id,holder_id,kind,reg_phone\nA,PA,bank_card,\n",
}


def _world(folder: Path) -> None:
    for name, text in TABLES.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")


def test_missed_roles_are_counted_by_why_and_the_unrecorded_apart(tmp_path: Path) -> None:
    _world(tmp_path)
    truth = [
        TruthGang(
            {"R1"},
            {"A"},
            {"A"},
            {"financier": {"PE", "PB", "PA"}, "core_member": {"PD"}, "card_dealer": {"PX"}},
        )
    ]
    named = [
        member("person", "PA", "financier", 0.9, ["T1"]),
        member("person", "PB", "core_member", 0.8, ["C1"]),
        # PD is named financier in one gang and core member in another: right in one
        member("person", "PD", "financier", 0.7, ["C1"]),
    ]
    other = Gang("GANG-R2", ["R2"], [member("person", "PD", "core_member", 0.8, ["C1"])], {}, [])
    out = evaluate(
        [Gang("GANG-R1", ["R1"], named, {}, []), other], truth, recorded_persons(tmp_path)
    )
    # PE is in no row of the world: counted apart; PB is named in another role
    assert out["roles_missed"]["financier"] == {
        "unrecorded": 1,
        "other_role": {"core_member": 1},
        "not_named": 0,
    }
    # PX called nobody and holds nothing: unrecorded too
    assert out["roles_missed"]["card_dealer"]["unrecorded"] == 1
    assert out["roles_missed"]["core_member"] == {
        "unrecorded": 0,
        "other_role": {},
        "not_named": 0,
    }
    # the wrong ones by their true role: PD, a core member, named financier
    assert out["roles_wrong"]["financier"] == {"core_member": 1}
    assert out["roles_wrong"]["core_member"] == {"financier": 1}
    # without the world's rows nobody is unrecorded
    plain = evaluate([Gang("GANG-R1", ["R1"], named, {}, [])], truth)
    assert plain["roles_missed"]["financier"]["unrecorded"] == 0
    assert plain["roles_missed"]["financier"]["not_named"] == 1
    assert plain["roles_missed"]["card_dealer"]["not_named"] == 1


DEALER, MULE_PHONE = "+8613800000001", "+8613900000005"
FIN_PHONE, CORE_PHONE = "+8562055500001", "+8562055500002"


def test_a_hub_counts_with_the_recruiters_for_a_phone_that_registered_a_card() -> None:
    """One other person's card on a number that talks to one of the gang's card holders and
    to a hub (a number here that calls many of its card holders): a dealer (sim-964)."""
    ev = Evidence(reach={DEALER: (20, 0)})
    c = Candidate(DEALER, cards=["C0"], holders={"M0"}, talks={"+8613900000001"},
                  hubs={"+8613900000009"}, ties={"+8613900000001", "+8613900000009"})  # fmt: skip
    role, conf = confidence(ev, c)
    assert role == "card_dealer" and conf > 0.6
    # without the hub the same number is no dealer
    alone = Candidate(DEALER, cards=["C0"], holders={"M0"}, talks={"+8613900000001"},
                      ties={"+8613900000001"})  # fmt: skip
    assert confidence(ev, alone)[0] == "recruiter"
    # nor where it talks to the person whose card it registered (a parent and his son, who
    # may know the son's recruiter)
    c.family = {"+8613900000002"}
    assert confidence(ev, c)[0] == "recruiter"


def _late_world() -> tuple[list[Gang], Evidence]:
    """A gang whose three cards of three people, listed beside their holders' other cards
    after the roles were named, carry one number: D's."""
    ev = Evidence(persons=[{"person_id": "D", "phone": DEALER}])
    ev.persons += [{"person_id": f"M{i}", "phone": f"+861390000000{i}"} for i in range(3)]
    ev.account_phones = [{"account_id": f"K{i}", "phone": DEALER, "holder": f"M{i}"}
                         for i in range(3)]  # fmt: skip
    ev.kin = [{"account_id": f"K{i}", "person_id": f"M{i}", "kind": "bank_card"} for i in range(3)]
    members = [member("account", f"K{i}", "mule", 0.8, ["kin"]) for i in range(3)]
    members += [member("person", f"M{i}", "mule", 0.8, ["holder"]) for i in range(3)]
    return [Gang("GANG-R1", ["R1"], members, {}, [])], ev


def test_the_phone_that_registered_cards_listed_after_the_roles_is_weighed_as_a_dealer() -> None:
    gangs, ev = _late_world()
    late_dealers(gangs, ev)
    named = {(m.kind, m.id): m for m in gangs[0].members}
    assert named["phone", DEALER].role == "card_dealer"
    person = named["person", "D"]
    assert person.role == "card_dealer" and person.confidence >= 0.5
    assert any("held by 3 other people" in e for e in person.evidence)
    # run again (a live join runs it at each join): nothing is added twice
    late_dealers(gangs, ev)
    assert len([m for m in gangs[0].members if m.id in (DEALER, "D")]) == 2


def test_a_late_dealer_named_in_another_role_keeps_it() -> None:
    gangs, ev = _late_world()
    gangs[0].members.append(member("person", "D", "launderer", 0.7, ["x"]))
    late_dealers(gangs, ev)
    roles = [m.role for m in gangs[0].members if m.id == "D"]
    assert roles == ["launderer"]  # (his phone is named; he keeps the role he has)


def _two_financiers(back: bool) -> dict[str, Member]:
    """FIN (silent, the gang's money abroad) and CORE (named core member, whose number talks
    to FIN and a mule here), whom `funders` both finds financier: FIN pays CORE, who pays the
    gang's card dealer (and, with `back`, pays FIN back); fw-963's pair."""
    ev = Evidence()
    ev.persons = [{"person_id": "FIN", "phone": FIN_PHONE}, {"person_id": "CORE", "phone": CORE_PHONE},
                  {"person_id": "DEAL", "phone": DEALER},
                  {"person_id": "MULE", "phone": MULE_PHONE}]  # fmt: skip
    ev.end_holders = [{"account_id": "A1", "person_id": "FIN"},
                      {"account_id": "A2", "person_id": "CORE"}]  # fmt: skip
    ev.boss_payments = [
        {"payer": "FIN", "src": "A1", "dst": "A2", "holder": "CORE", "n": 3,
         "amount": "62506.00", "first_id": "FX1", "last_id": "FX3"},
        {"payer": "FIN", "src": "A1", "dst": "DA", "holder": "DEAL", "n": 1,
         "amount": "900.00", "first_id": "FX4", "last_id": "FX4"},
        {"payer": "CORE", "src": "A2", "dst": "DA", "holder": "DEAL", "n": 1,
         "amount": "8603.00", "first_id": "FX5", "last_id": "FX5"},
    ]  # fmt: skip
    if back:
        ev.boss_payments.append({"payer": "CORE", "src": "A2", "dst": "A1", "holder": "FIN",
                                 "n": 1, "amount": "100.00", "first_id": "FX6", "last_id": "FX6"})  # fmt: skip
    members = [member("person", "FIN", "financier", 0.9, ["holder"]),
               member("account", "A1", "financier", 0.9, ["received"]),
               member("person", "CORE", "core_member", 0.75, ["holder"]),
               member("account", "A2", "core_member", 0.75, ["received"]),
               member("person", "DEAL", "card_dealer", 0.9, ["registered"]),
               member("person", "MULE", "mule", 0.9, ["holder"])]  # fmt: skip
    talks = {FIN_PHONE: {CORE_PHONE}, CORE_PHONE: {FIN_PHONE, MULE_PHONE}}
    funders(members, {"FIN", "CORE"}, ev, talks)
    return {m.id: m for m in members}


def test_the_one_the_surer_financier_pays_is_a_core_member() -> None:
    named = _two_financiers(back=False)
    assert named["FIN"].role == "financier"
    assert named["CORE"].role == "core_member" and named["A2"].role == "core_member"
    first = [c for c in named["CORE"].codes if c and c["code"] == "paid_by_financier"]
    assert first and first[0]["args"]["people"] == "FIN" and "FX1" in named["CORE"].evidence
    # money both ways is no money down: both stay financiers
    both = _two_financiers(back=True)
    assert both["FIN"].role == both["CORE"].role == "financier"
    assert not any(c and c["code"] == "paid_by_financier" for c in both["CORE"].codes)
