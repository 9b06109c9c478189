"""Round eight's roles: the den's crew abroad named operator (the numbers and the persons they
are registered to), score-running and commission accounts named launderer, and the evaluation
that scores them (operator lines, launderer accounts, the simulator's runner holders)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.analyse import Gang
from chaincut.gangs.bosses import partners
from chaincut.gangs.evaluate import evaluate, read_truth
from chaincut.gangs.lines import crew
from chaincut.gangs.member import member
from chaincut.gangs.roles import MoneyFacts, launderers

BOSS, OTHER_BOSS = "+85510000001", "+85510000002"


def _den(mates: int, home_contacts: int = 0) -> tuple[Evidence, list[str]]:
    """A core member abroad (named) who talks to `mates` numbers abroad that talk among
    themselves, a relative abroad who talks to him alone, and people at home."""
    crew_numbers = [f"+8552000{i:04d}" for i in range(mates)]
    persons = [{"person_id": "BOSS", "phone": BOSS}, {"person_id": "AUNT", "phone": "+85530000001"}]
    persons += [{"person_id": f"OP{i}", "phone": n} for i, n in enumerate(crew_numbers)]
    persons += [{"person_id": f"H{i}", "phone": f"+861380000{i:04d}"} for i in range(8)]
    pairs = [(BOSS, n) for n in crew_numbers] + [(BOSS, "+85530000001")]
    pairs += [(a, b) for a in crew_numbers for b in crew_numbers if a < b]
    pairs += (
        [(crew_numbers[0], f"+861380000{i:04d}") for i in range(home_contacts)] if mates else []
    )
    contacts = [{"src": a, "dst": b, "n": 2, "first_id": f"C{k}", "last_id": f"C{k}"}
                for k, (a, b) in enumerate(pairs)]  # fmt: skip
    ev = Evidence(persons=persons, boss_contacts=contacts, holders=[{"country": "CN"}])
    return ev, crew_numbers


def _named(ev: Evidence, extra: list[str] = ()) -> list:  # type: ignore[type-arg, assignment]
    members = [member("person", "BOSS", "core_member", 0.9, ["holder of account X"])]
    members += [member("person", p, "mule", 0.9, ["holder of Y"]) for p in extra]
    return crew(ev, members, partners(ev))


def test_the_crew_that_talks_to_the_boss_and_to_each_other_is_named_the_relative_is_not() -> None:
    ev, numbers = _den(10)
    found = {(m.kind, m.id): m for m in _named(ev)}
    assert {i for k, i in found if k == "phone"} == set(numbers)
    assert {i for k, i in found if k == "person"} == {f"OP{i}" for i in range(10)}
    assert ("person", "AUNT") not in found and ("person", "BOSS") not in found
    assert all(m.role == "operator" and m.evidence for m in found.values())
    assert _named(_den(1)[0]) == []  # one number abroad alone with the boss: a relative


@given(st.integers(8, 12))
def test_more_crew_mates_raise_it_and_the_gangs_people_at_home_lower_it(mates: int) -> None:
    def conf(ev: Evidence, number: str) -> float:
        return max((m.confidence for m in _named(ev) if m.id == number), default=0.0)

    ev, numbers = _den(mates)
    wider, _ = _den(mates + 1)
    assert conf(wider, numbers[1]) >= conf(ev, numbers[1]) > 0.0
    busy, _ = _den(mates, home_contacts=8)
    named_home = [member("person", f"H{i}", "mule", 0.9, ["x"]) for i in range(8)]
    boss = member("person", "BOSS", "core_member", 0.9, ["x"])
    lower = max((m.confidence for m in crew(busy, [boss, *named_home], partners(busy))
                 if m.id == numbers[0]), default=0.0)  # fmt: skip
    assert lower < conf(ev, numbers[0])


def _facts(**kw: object) -> MoneyFacts:
    f = MoneyFacts(victim_payment=Decimal("10000"))
    for k, v in kw.items():
        setattr(f, k, v)
    return f


def test_score_running_payment_accounts_and_commission_collectors_are_launderers() -> None:
    cards = {a: member("account", a, "mule", 0.9, ["traced"]) for a in ("PAY", "CARD", "FEE")}
    kinds = {"PAY": "payment", "CARD": "bank_card", "FEE": "bank_card"}
    f = _facts(
        paid_by={"PAY": {"R1", "R2"}, "CARD": {"R1", "R3"}},
        paid_in={"FEE": {"C1", "C2", "C3", "C4"}},
        paid_in_sum={"FEE": (4, Decimal("600.00"))},
    )
    launderers(cards, f, kinds, {"PAY": "P1", "CARD": "P2", "FEE": "P3"}, Evidence())
    assert [cards[a].role for a in ("PAY", "CARD", "FEE")] == ["launderer", "mule", "launderer"]
    assert cards["FEE"].evidence[0].startswith("paid by 4 of the gang's cards")
    shop = {"FEE": member("account", "FEE", "mule", 0.9, ["traced"])}
    launderers(shop, f, kinds, {}, Evidence(degrees={"FEE": 200}))  # the public pays it too
    assert shop["FEE"].role == "mule"


@given(st.integers(0, 8), st.booleans(), st.booleans())
def test_money_passed_on_or_whole_payments_keep_a_card_a_mules(
    payers: int, pays_on: bool, whole: bool
) -> None:
    card = member("account", "FEE", "mule", 0.9, ["traced"])
    amount = Decimal("10000") * payers if whole else Decimal("100") * payers
    f = _facts(paid_in={"FEE": {f"C{i}" for i in range(payers)}},
               paid_in_sum={"FEE": (payers, amount)} if payers else {},
               pays={"FEE"} if pays_on else set())  # fmt: skip
    launderers({"FEE": card}, f, {"FEE": "bank_card"}, {}, Evidence())
    if pays_on or whole or payers <= 1:
        assert card.role == "mule"
    elif payers >= 3:  # (two small payments from two cards: weighed, either way)
        assert card.role == "launderer"


def _sim_world(folder: Path) -> Path:
    (folder / "truth").mkdir(parents=True)
    den = {
        "report_ids": ["R1", "R2"],
        "members": {"operator": ["OP"], "launderer": ["LA"], "core": ["CO"]},
        "accounts": {"mule_l1": ["M1"], "runner": ["RUN"], "launderer": ["LACC"]},
        "mobile_phones": ["+8613900000001"],
        "roaming_phones": [],
        "mobile_imeis": ["IMEI1"],
        "simboxes": [{"sims": ["+8613900000002"], "imeis": ["IMEI2"]}],
    }
    (folder / "truth" / "world.json").write_text(json.dumps({"dens": [den]}), encoding="utf-8")
    rows = ["account_id,holder_id", "M1,MULE", "RUN,RUNNER", "LACC,LA"]
    (folder / "accounts.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def test_the_simulators_runner_holders_are_launderers_and_lines_are_scored(tmp_path: Path) -> None:
    (truth,) = read_truth(_sim_world(tmp_path))
    assert truth.persons["launderer"] == {"LA", "RUNNER"} and truth.persons["mule"] == {"MULE"}
    assert truth.lines == {"+8613900000001", "+8613900000002", "IMEI1", "IMEI2"}
    assert truth.laundering == {"RUN", "LACC"}
    named = [
        member("phone", "+8613900000001", "operator", 0.9, ["x"]),
        member("phone", "+8613000000000", "operator", 0.9, ["x"]),  # someone else's
        member("person", "RUNNER", "launderer", 0.9, ["x"]),
        member("account", "RUN", "launderer", 0.9, ["x"]),
    ]
    out = evaluate([Gang("G", ["R1", "R2"], named, {}, [])], [truth])
    assert out["operator_lines"] == {"precision": 0.5, "recall": 0.25, "named": 2, "true": 4}
    assert out["launderer_accounts"]["recall"] == 0.5
    assert out["roles"]["launderer"]["precision"] == 1.0
