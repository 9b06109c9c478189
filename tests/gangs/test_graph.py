"""Shared infrastructure never links on its own; groups split at thin threads."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chaincut.gangs.community import communities, components
from chaincut.gangs.graph import LinkGraph, account_infra, device_infra, phone_infra


@given(st.sampled_from(["bank_card", "payment", "merchant", "exchange", "cash", ""]),
       st.integers(0, 10**6), st.integers(0, 10**6), st.booleans())  # fmt: skip
def test_infra_is_a_probability_and_grows_with_degree(kind: str, a: int, b: int, hub: bool) -> None:
    low, high = sorted((a, b))
    p_low, _ = account_infra(kind, low, hub, False)
    p_high, _ = account_infra(kind, high, hub, False)
    assert 0.0 < p_low <= p_high < 1.0


def test_infra_weighs_kind_and_degree() -> None:
    assert account_infra("bank_card", 12, False, False)[0] < 0.5  # a rented card
    assert account_infra("merchant", 800, False, False)[0] >= 0.5  # a supermarket
    assert account_infra("payment", 20_000, True, True)[0] >= 0.5  # a platform's pooled account
    assert account_infra("bank_card", 50_000, False, False)[0] >= 0.5  # a payroll hub, by degree


def test_phone_and_device_infra() -> None:
    assert phone_infra("10086", 500, 3)[0] >= 0.5  # a carrier's short code
    assert phone_infra("+8613800000001", 15, 3)[0] < 0.5  # a fraud line: few contacts, victims
    assert phone_infra("+8613800000001", 3000, 2)[0] >= 0.5  # a switchboard
    assert device_infra(60, 4000, 0)[0] >= 0.5  # a company's trunk: many numbers, no victims
    assert device_infra(16, 400, 6)[0] < 0.5  # a SIM box whose numbers reach victims


def _clique(g: LinkGraph, prefix: str, report: str) -> None:
    names = [f"account:{prefix}{k}" for k in range(5)]
    for a in names:
        g.add(f"report:{report}", a, "paid", 3.0, ["t"])
        for b in names:
            if a < b:
                g.add(a, b, "transfer", 1.0, ["t"])


def test_a_hub_between_two_gangs_does_not_merge_them() -> None:
    g = LinkGraph()
    _clique(g, "a", "R1")
    _clique(g, "b", "R2")
    g.add("report:R1", "account:EX", "exit", 2.0, ["x1"])
    g.add("report:R2", "account:EX", "exit", 2.0, ["x2"])
    g.infra["account:EX"] = 0.9  # an exchange
    groups = communities(g.weighted())
    assert len(groups) == 2
    assert all("account:EX" not in grp for grp in groups)
    g.infra["account:EX"] = 0.1  # were it a mule card, it would join them
    assert len(components(g.weighted())) == 1


def test_one_person_between_two_dens_is_a_thin_thread() -> None:
    g = LinkGraph()
    for k, r in enumerate(("R1", "R2", "R3")):
        _clique(g, f"a{k}", r)
    for k in range(3):  # three reports of gang A paid two shared mule cards
        for card in ("account:shared_a1", "account:shared_a2"):
            g.add(f"report:R{k + 1}", card, "paid", 3.0, ["t"])
    for k, r in enumerate(("R4", "R5", "R6")):
        _clique(g, f"b{k}", r)
    for k in range(3):
        for card in ("account:shared_b1", "account:shared_b2"):
            g.add(f"report:R{k + 4}", card, "paid", 3.0, ["t"])
    g.add("account:a00", "phone:dealer", "contact", 0.5, ["c1"])  # a dealer serving both
    g.add("account:b00", "phone:dealer", "contact", 0.5, ["c2"])
    groups = [
        sorted(n for n in grp if n.startswith("report:")) for grp in communities(g.weighted())
    ]
    reports = sorted(r for r in groups if r)
    assert reports == [
        ["report:R1", "report:R2", "report:R3"],
        ["report:R4", "report:R5", "report:R6"],
    ]


def test_groups_are_a_partition_and_repeatable() -> None:
    g = LinkGraph()
    for k in range(4):
        _clique(g, f"c{k}", f"R{k}")
        g.add(f"account:c{k}0", f"account:c{(k + 1) % 4}0", "transfer", 0.2, ["t"])
    first, second = communities(g.weighted(), seed=1), communities(g.weighted(), seed=1)
    assert first == second
    nodes = [n for grp in first for n in grp]
    assert len(nodes) == len(set(nodes)) == len(g.infra)


def test_a_new_report_joins_the_gang_its_money_reached() -> None:
    import time

    from chaincut.gangs.incremental import join

    def member(i: str, c: float) -> dict[str, object]:
        return {"kind": "account", "id": i, "role": "mule", "confidence": c, "evidence": []}

    gangs = [
        {"gang_id": "GANG-R1", "reports": ["R1"], "members": [member("a", 0.9), member("b", 0.6)]},
        {"gang_id": "GANG-R2", "reports": ["R2"], "members": [member("c", 0.95)]},
    ] * 1  # fmt: skip
    started = time.perf_counter()
    joined = join(gangs, "R9", ["b", "x", "a"])
    assert time.perf_counter() - started < 1.0
    assert joined is not None and joined["gang_id"] == "GANG-R1"
    assert joined["joined"] == {"report_id": "R9", "shared_accounts": ["a", "b"]}
    assert join(gangs, "R9", ["x", "y"]) is None  # nothing in common: a gang of its own later
    assert join(gangs, "R2", [])["gang_id"] == "GANG-R2"  # type: ignore[index]


def test_reports_whose_victims_paid_the_same_card_are_one_gang() -> None:
    from chaincut.gangs.community import STRONG_TIE, join_strong

    groups = [["account:a", "report:R1"], ["account:b", "report:R2"], ["account:c", "report:R3"]]
    edges = [("report:R2", "account:a", STRONG_TIE), ("report:R3", "account:a", STRONG_TIE / 4)]
    joined = sorted(join_strong(groups, edges))
    assert joined == [["account:a", "account:b", "report:R1", "report:R2"],
                      ["account:c", "report:R3"]]  # fmt: skip
    assert sorted(join_strong(groups, [])) == sorted(groups)
