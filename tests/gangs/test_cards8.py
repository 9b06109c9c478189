"""Freeze ahead (round eight): a gang's cards not used yet, found by their holders' contacts
with the gang's numbers (`chaincut.gangs.ahead`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.ahead import AHEAD_CAP, AHEAD_MIN, freeze_ahead, leads
from chaincut.gangs.analyse import Gang
from chaincut.gangs.graph import LinkGraph
from chaincut.gangs.member import member

#: the gang's first report
FIRST = "2026-03-05 10:00:00"
LINES = ("+86100", "+86101", "+86102")
DEALER = "+86200"


def _account(account: str, person: str, kind: str, opened: str, parties: int) -> dict[str, object]:
    inst = "Alipay" if kind == "payment" else "ICBC"
    return {"account_id": account, "person_id": person, "kind": kind, "institution": inst,
            "opened_at": opened, "counterparties": parties}  # fmt: skip


def _contact(a: str, b: str, n: int, first_id: str) -> dict[str, object]:
    return {"src": a, "dst": b, "channel": "call", "n": n, "first_id": first_id,
            "last_id": first_id, "first_ts": FIRST, "last_ts": FIRST}  # fmt: skip


def _gang(gang_id: str = "GANG-R1") -> Gang:
    members = [member("account", "L", "mule", 0.9, ["T1"]),
               member("person", "H", "mule", 0.85, ["L"]),
               member("phone", DEALER, "recruiter", 0.8, ["C0"])]  # fmt: skip
    members += [member("phone", p, "operator", 0.9, ["C1"]) for p in LINES]
    report = gang_id.removeprefix("GANG-")
    return Gang(gang_id, [report], members, {}, [], span=(FIRST, FIRST))


def _world(*accounts: dict[str, object], talks: int = 4, calls: int = 6) -> Evidence:
    """Person Q (number +86900) talks to `talks` of the gang's numbers (its three lines, then
    its recruiter), `calls` times each, and to H (+86902), the holder of its listed card;
    person V (+86901), a reported victim, talks to all of them."""
    numbers = (*LINES, DEALER)[:talks]
    contacts = [_contact(n, "+86900", calls, f"C{i}") for i, n in enumerate(numbers)]
    contacts.append(_contact("+86902", "+86900", calls, "C8"))
    contacts += [_contact(n, "+86901", 1, f"V{i}") for i, n in enumerate((DEALER, *LINES))]
    persons = [{"person_id": "Q", "phone": "+86900"}, {"person_id": "V", "phone": "+86901"},
               {"person_id": "H", "phone": "+86902"}]  # fmt: skip
    return Evidence(
        persons=persons,
        reports=[{"report_id": "R1", "victim_id": "V"}],
        kin=[_account("L", "H", "bank_card", "2026-01-02 09:00:00", 8)],
        ahead_contacts=contacts,
        ahead=list(accounts),
    )


def _added(g: Gang) -> dict[str, float]:
    return {m.id: m.confidence for m in g.members if m.kind == "account" and m.id != "L"}


def _wallets(person: str = "Q", opened: str = "2025-11-01 08:00:00") -> list[dict[str, object]]:
    prefix = "W" if person == "Q" else person
    return [_account(f"{prefix}{i}", person, "payment", opened, 0) for i in range(3)]


def test_new_idle_wallets_of_a_person_who_talks_to_the_gang_are_listed_as_leads() -> None:
    g, ev = _gang(), _world(*_wallets())
    freeze_ahead([g], ev, LinkGraph())
    added = {m.id: m for m in g.members if m.id.startswith("W")}
    assert set(added) == {"W0", "W1", "W2"}
    for m in added.values():
        assert m.role == "mule" and AHEAD_MIN <= m.confidence <= AHEAD_CAP
        codes = [c["code"] for c in m.codes if c]
        assert codes[0] == "freeze_ahead" and "talks_to_dealer" in codes
        assert "unused_wallet" in codes and "idle_wallets" in codes
        assert "C3" in str(m.codes) and m.evidence[-1] == "Q"  # the call, and the holder


def test_the_holders_everyday_card_and_an_old_idle_card_stay_out() -> None:
    everyday = _account("OWN", "Q", "bank_card", "2012-04-01 08:00:00", 40)
    old = _account("OLD", "Q", "bank_card", "2014-04-01 08:00:00", 0)
    g, ev = _gang(), _world(*_wallets(), everyday, old)
    freeze_ahead([g], ev, LinkGraph())
    assert "OWN" not in _added(g) and "OLD" not in _added(g)


def test_one_new_wallet_of_a_person_one_line_called_is_a_target_not_a_lender() -> None:
    g, ev = _gang(), _world(*_wallets()[:1], talks=1, calls=1)
    ev.ahead_contacts = [c for c in ev.ahead_contacts if c["first_id"] != "C8"]
    freeze_ahead([g], ev, LinkGraph())
    assert _added(g) == {}


def test_idle_wallets_of_a_person_only_the_gangs_lines_called_are_no_lead() -> None:
    # a target of the lines (a victim who did not report) holding three new idle wallets
    g, ev = _gang(), _world(*_wallets(), talks=3, calls=6)
    ev.ahead_contacts = [c for c in ev.ahead_contacts if c["first_id"] != "C8"]
    freeze_ahead([g], ev, LinkGraph())
    assert _added(g) == {}
    # the same person also talking to the holder of the gang's listed card is a lead
    g, ev = _gang(), _world(*_wallets(), talks=3, calls=6)
    freeze_ahead([g], ev, LinkGraph())
    assert set(_added(g)) == {"W0", "W1", "W2"}


def test_a_victim_a_listed_cards_holder_and_shared_infrastructure_are_never_leads() -> None:
    victim = _wallets("V")
    holder = [_account("H2", "H", "payment", "2025-12-01 08:00:00", 0)]
    g, ev = _gang(), _world(*victim, *holder, *_wallets())
    ev.contacts = [_contact(LINES[0], "+86902", 9, "C9")]
    graph = LinkGraph()
    graph.infra["account:W0"] = 0.9
    assert {str(lead.row["account_id"]) for lead in leads([g], ev, graph)} == {"W1", "W2"}
    freeze_ahead([g], ev, graph)
    assert set(_added(g)) == {"W1", "W2"}


def test_an_account_ahead_of_two_gangs_is_listed_once() -> None:
    one, two = _gang("GANG-R1"), _gang("GANG-R2")
    ev = _world(*_wallets())
    freeze_ahead([one, two], ev, LinkGraph())
    assert set(_added(one)) == {"W0", "W1", "W2"} and _added(two) == {}


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 40), st.sampled_from(["payment", "bank_card"]), st.integers(0, 4000),
       st.integers(1, 4), st.integers(1, 30))  # fmt: skip
def test_more_counterparties_never_raise_confidence(
    parties: int, kind: str, age: int, talks: int, calls: int
) -> None:
    opened = str(datetime(2026, 3, 5) - timedelta(days=age))
    confs = []
    for n in (parties, parties + 1):
        g = _gang()
        freeze_ahead([g], _world(_account("X", "Q", kind, opened, n), talks=talks, calls=calls),
                     LinkGraph())  # fmt: skip
        confs.append(_added(g).get("X", 0.0))
    assert confs[1] <= confs[0]
    assert all(c == 0.0 or AHEAD_MIN <= c <= AHEAD_CAP for c in confs)


def test_collect_gathers_the_accounts_of_the_people_the_gangs_numbers_talk_to(
    evidence: Evidence,
) -> None:
    # (the foreign world of the fixture: its lines talk to targets and its lenders)
    assert evidence.ahead and evidence.ahead_contacts
    kin = {str(r["person_id"]) for r in evidence.kin}
    assert not kin & {str(r["person_id"]) for r in evidence.ahead}
    assert all(
        str(c["src"]) in evidence.reach or str(c["dst"]) in evidence.reach
        for c in evidence.ahead_contacts
    )
