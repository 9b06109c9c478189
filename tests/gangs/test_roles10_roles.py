"""Round ten's roles: a collector the mule-card model did not flag (`roles.collectors`) and a
den crew-mate who banks where the gang's money ends (`bosses.crew_bosses`)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.bosses import crew_bosses
from chaincut.gangs.member import Member, member
from chaincut.gangs.roles import MoneyFacts, _launder, collectors
from chaincut.gangs.sentences import said


def _money(
    payers: int, others: int, pays_on: bool = False
) -> tuple[dict[str, Member], MoneyFacts, Evidence]:
    """The gang's listed cards C0..C3 of which `payers` paid FEE small sums; FEE also deals with
    `others` counterparties outside the chain, and pays on when `pays_on`."""
    cards = {f"C{i}": member("account", f"C{i}", "mule", 0.9, ["traced"]) for i in range(4)}
    f = MoneyFacts(victim_payment=Decimal("10000"))
    rows = []
    for i in range(payers):
        f.paid_in["FEE"].add(f"C{i}")
        rows.append({"src": f"C{i}", "dst": "FEE", "n": 1, "amount": Decimal("200"),
                     "first_id": f"T{i}", "last_id": f"T{i}"})  # fmt: skip
    f.paid_in_sum["FEE"] = (payers, Decimal(200 * payers))
    if pays_on:
        f.pays.add("FEE")
    person = {"person_id": "P", "name": "", "id_number": "", "birth_date": "", "phone": ""}
    ev = Evidence(transfers_between=rows, degrees={"FEE": payers + others}, persons=[person])
    return cards, f, ev


def test_an_account_only_the_gangs_cards_paid_small_sums_is_a_launderers() -> None:
    cards, f, ev = _money(payers=3, others=0)
    out: list[Member] = list(cards.values())
    _launder(cards, out, f, {}, {"FEE": "P"}, ev)
    assert cards["FEE"].role == "launderer"
    assert {"T0", "T1", "T2"} <= set(cards["FEE"].evidence)  # the payments, for the file
    assert any(m.id == "FEE" for m in out)


def test_a_collector_that_pays_on_or_deals_with_the_public_is_not_listed() -> None:
    for kwargs in ({"payers": 3, "others": 0, "pays_on": True}, {"payers": 3, "others": 40},
                   {"payers": 1, "others": 0}):  # fmt: skip
        cards, f, ev = _money(**kwargs)  # type: ignore[arg-type]
        out: list[Member] = list(cards.values())
        _launder(cards, out, f, {}, {"FEE": "P"}, ev)
        assert "FEE" not in cards and all(m.id != "FEE" for m in out)


@given(st.integers(0, 4), st.integers(0, 30), st.booleans())
def test_collectors_are_only_candidates_never_listed_cards_or_taken_ids(
    payers: int, others: int, pays_on: bool
) -> None:
    cards, f, ev = _money(min(payers, 4), others, pays_on)
    found = collectors(cards, f, ev, {"FEE"}, {"FEE": "P"})
    assert found == {}  # (a member already named is never weighed again)
    # (an account an organisation holds, one the persons table does not know, is shared)
    assert collectors(cards, f, ev, set(), {"FEE": "ORG1"}) == {}
    found = collectors(cards, f, ev, set(), {"FEE": "P"})
    assert set(found) <= {"FEE"} and not set(found) & set(cards)
    if "FEE" in found:
        assert found["FEE"].role == "mule" and min(payers, 4) >= 2 and not pays_on


def _crew(bosses: str, victims: str, bank: str) -> tuple[list[Member], Evidence]:
    crew = said("den_crew", bosses=bosses, crew="7", victims=victims)
    members = [
        member("account", "MM-END", "core_member", 0.8, ["received"]),
        member("person", "BOSS", "core_member", 0.75, ["holder"]),
        member("phone", "+95100", "operator", 0.6, [crew]),
        member("person", "CREW", "operator", 0.57, ["registered +95100", crew]),
    ]
    ev = Evidence(
        end_holders=[{"account_id": "MM-END", "person_id": "BOSS", "kind": "bank_card",
                      "institution": "MM bank", "country": "MM"}],
        holders=[{"account_id": "C1", "person_id": "M", "kind": "bank_card",
                  "institution": "ICBC", "country": "CN"}],
        ahead=[{"account_id": "MM-2", "person_id": "CREW", "kind": "bank_card",
                "institution": bank, "opened_at": "", "counterparties": 1}],
        persons=[{"person_id": "CREW", "name": "", "id_number": "", "birth_date": "",
                  "phone": "+95100"}],
    )  # fmt: skip
    return members, ev


def test_a_crew_mate_banking_where_the_money_ends_is_a_core_member() -> None:
    members, ev = _crew(bosses="3", victims="0", bank="MM bank")
    crew_bosses(members, ev)
    roles = {m.id: m.role for m in members}
    assert roles["CREW"] == "core_member" and roles["+95100"] == "core_member"
    assert "MM-2" in members[3].evidence[0]


def test_a_crew_mate_banking_here_or_reaching_victims_stays_an_operator() -> None:
    for bosses, victims, bank in (("3", "0", "ICBC"), ("1", "2", "MM bank"), ("3", "0", "SG bank")):
        members, ev = _crew(bosses, victims, bank)
        crew_bosses(members, ev)
        assert {m.id: m.role for m in members}["CREW"] == "operator", (bosses, victims, bank)
