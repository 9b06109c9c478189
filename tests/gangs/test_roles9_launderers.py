"""Round nine's launderers: a payment account victims paid directly is a score-runner's
(跑分) unless its holder sold the gang a set of cards (bank cards on his name, or cards the
gang's cards paid further down the chain): then it is a mule's card."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.member import Member, member
from chaincut.gangs.roles import MoneyFacts, launderers


def _roles(victims: int, bank_cards: int, deeper: int = 0) -> dict[str, str]:
    """The roles `launderers` gives a payment account PAY that `victims` victims paid, whose
    holder holds `bank_cards` of the gang's bank cards and `deeper` payment accounts the
    gang's cards paid."""
    banks = [f"BANK{i}" for i in range(bank_cards)]
    down = [f"DOWN{i}" for i in range(deeper)]
    cards: dict[str, Member] = {
        a: member("account", a, "mule", 0.9, ["traced"]) for a in ("PAY", *banks, *down)
    }
    kinds = {
        "PAY": "payment",
        **dict.fromkeys(banks, "bank_card"),
        **dict.fromkeys(down, "payment"),
    }
    f = MoneyFacts(victim_payment=Decimal("10000"))
    f.paid_by["PAY"] = {f"R{i}" for i in range(victims)}
    for a in down:  # (paid the whole victims' payments on: a chain card, not a fee)
        f.paid_in[a] = {"PAY"}
        f.paid_in_sum[a] = (1, Decimal("10000"))
        f.pays.add(a)
    for a in banks:
        f.pays.add(a)
    launderers(cards, f, kinds, dict.fromkeys(cards, "HOLDER"), Evidence())
    return {a: m.role for a, m in cards.items()}


def test_a_payment_account_victims_paid_is_a_runners_unless_its_holder_sold_the_gang_cards() -> (
    None
):
    assert _roles(victims=2, bank_cards=0)["PAY"] == "launderer"
    assert _roles(victims=2, bank_cards=1)["PAY"] == "mule"
    assert _roles(victims=2, bank_cards=0, deeper=1)["PAY"] == "mule"
    # the bank cards themselves stay mules' cards either way
    assert _roles(victims=2, bank_cards=2)["BANK0"] == "mule"


def test_the_evidence_of_a_runner_says_how_many_victims_paid() -> None:
    cards = {"PAY": member("account", "PAY", "mule", 0.9, ["traced"])}
    f = MoneyFacts(victim_payment=Decimal("10000"))
    f.paid_by["PAY"] = {"R1", "R2", "R3"}
    launderers(cards, f, {"PAY": "payment"}, {"PAY": "HOLDER"}, Evidence())
    assert cards["PAY"].evidence[0].startswith("a payment account that 3 victims paid directly")


@given(st.integers(1, 12), st.integers(0, 3), st.integers(0, 2))
def test_more_cards_sold_never_make_a_launderer_of_a_mule(
    victims: int, bank_cards: int, deeper: int
) -> None:
    role = _roles(victims, bank_cards, deeper)["PAY"]
    if role == "launderer":
        assert _roles(victims, max(0, bank_cards - 1), deeper)["PAY"] == "launderer"
    more = _roles(victims, bank_cards + 1, deeper)["PAY"]
    assert role == "launderer" or more == "mule"


def _fee_card(degree: int) -> str:
    """The role of a bank card one of the gang's cards paid a fee (a tenth of a victim's
    payment) and that paid nothing on, with `degree` counterparties in the ledger."""
    card = member("account", "FEE", "mule", 0.9, ["traced"])
    f = MoneyFacts(victim_payment=Decimal("10000"))
    f.paid_in["FEE"] = {"C1"}
    f.paid_in_sum["FEE"] = (1, Decimal("500"))
    ev = Evidence(degrees={"FEE": degree} if degree else {})
    launderers({"FEE": card}, f, {"FEE": "bank_card"}, {"FEE": "HOLDER"}, ev)
    return card.role


def test_a_card_only_the_gangs_cards_ever_paid_collects_commission() -> None:
    assert _fee_card(1) == "launderer"
    assert _fee_card(0) == "mule"  # (its counterparties unknown: nothing to weigh)
    assert _fee_card(12) == "mule"  # a shop or a landlord the mule paid: the public pays it too
