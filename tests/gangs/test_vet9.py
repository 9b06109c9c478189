"""Round nine b: a card tied to the chain only by the mule-card model and a few of the chain's
cards, but opened weeks before the gang's first report (a rented card, 断卡), wins back in
log-odds what its low share of chain counterparties took."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.analyse import vet_cards
from chaincut.gangs.member import MIN_CONFIDENCE, Member, member
from chaincut.gangs.roles import money_facts
from chaincut.gangs.sentences import said

FIRST = "2026-03-02 10:00:00"


def _evidence(degree: int, links: int, opened: str) -> Evidence:
    ev = Evidence(degrees={"C": degree}, scores={"C": 0.99})
    ev.transfers = [{"report_id": "R1", "dst_account": f"M{i}", "txn_id": f"T{i}",
                     "victim_account": ""} for i in range(links)]  # fmt: skip
    ev.transfers_between = [
        {"src": "C", "dst": f"M{i}", "n": 1, "amount": "300.00", "first_id": f"U{i}",
         "last_id": f"U{i}"} for i in range(links)
    ]  # fmt: skip
    ev.kin = [{"account_id": "C", "person_id": "P", "kind": "payment", "institution": "Alipay",
               "opened_at": opened, "counterparties": degree}]  # fmt: skip
    return ev


def _members(conf: float) -> list[Member]:
    card = member("account", "C", "mule", conf,
                  [said("model_links", score="0.99", cards="1"), "U0"])  # fmt: skip
    holder = member("person", "P", "mule", conf * 0.95, [said("holder_of", accounts="C")])
    traced = member("account", "M0", "mule", 0.9, [said("paid_by", victims="1"), "T0"])
    return [card, holder, traced]


def _vet(ev: Evidence, conf: float, first: str = FIRST) -> dict[str, Member]:
    return {m.id: m for m in vet_cards(_members(conf), ev, money_facts(ev), first=first)}


def test_a_card_opened_weeks_before_the_first_report_stays_with_its_holder() -> None:
    ev = _evidence(degree=34, links=1, opened="2026-02-12 09:00:00")
    out = _vet(ev, 0.75)
    assert "C" in out and "P" in out
    assert out["C"].confidence <= 0.75
    assert out["C"].codes[1] is not None and out["C"].codes[1]["code"] == "opened_before"
    assert "18 days before" in out["C"].evidence[1]


def test_an_old_card_with_the_same_money_is_still_left_out() -> None:
    ev = _evidence(degree=34, links=1, opened="2018-08-08 09:00:00")
    assert set(_vet(ev, 0.75)) == {"M0"}


def test_without_the_gangs_first_report_the_opening_day_does_not_count() -> None:
    ev = _evidence(degree=34, links=1, opened="2026-02-12 09:00:00")
    assert set(_vet(ev, 0.75, first="")) == {"M0"}


def test_a_card_opened_after_the_first_report_is_not_opened_for_the_gang() -> None:
    ev = _evidence(degree=34, links=1, opened="2026-03-20 09:00:00")
    assert set(_vet(ev, 0.75)) == {"M0"}


@given(st.integers(1, 200), st.integers(1, 6), st.floats(0.55, 1.0), st.integers(0, 4000))
def test_the_opening_day_never_lowers_nor_lifts_above_the_models_confidence(
    degree: int, links: int, conf: float, days_before: int
) -> None:
    day = (
        f"{2026 - days_before // 365 - 1}-12-01 00:00:00"
        if days_before > 60
        else (f"2026-02-{max(1, 28 - days_before % 28):02d} 00:00:00")
    )
    ev = _evidence(degree=max(degree, links), links=links, opened=day)
    with_day = _vet(ev, conf)
    without = _vet(ev, conf, first="")
    assert all(MIN_CONFIDENCE <= m.confidence <= max(conf, 0.9) for m in with_day.values())
    assert with_day.get("C", member("account", "C", "mule", 0.0, [])).confidence >= (
        without.get("C", member("account", "C", "mule", 0.0, [])).confidence
    )
    assert with_day.get("C") is None or with_day["C"].confidence <= conf
