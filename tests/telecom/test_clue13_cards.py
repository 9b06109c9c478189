"""Round thirteen: a card dealer's phone (卡商). The cards the victims' money reached carry the
phone they were registered with (`accounts.reg_phone`); a number registered on two or more
other people's reached cards ties together the numbers whose victims paid those cards, even
when they share no victim, card, cell or handset. A person's own cards, and one other
person's card (a family's), tie nothing."""

from __future__ import annotations

from typing import Any

import pytest

from chaincut.settings import Settings
from chaincut.telecom import clue
from tests.telecom.paid_victims import carded_victims, lake_of

X, Y = "+8615000000081", "+8615000000082"  # two lines of one gang: nothing else ties them
DEALER = "+8615000000089"
W, FAMILY = "+8615000000091", "+8615000000099"  # a line, and a phone on two family cards
#: victim -> (the line that worked it, the card it paid)
VICTIMS: dict[str, tuple[str, str]] = {
    "+8613900000301": (X, "C1"),
    "+8613900000302": (X, "C1"),
    "+8613900000303": (Y, "C2"),
    "+8613900000304": (Y, "C3"),
    "+8613900000305": (W, "F1"),
    "+8613900000306": (W, "F2"),
}
#: card -> (its holder, the phone it was registered with)
CARDS: dict[str, tuple[str, str]] = {
    "C1": ("pa", DEALER),  # three other people's cards on the dealer's phone
    "C2": ("pb", DEALER),
    "C3": ("pc", DEALER),
    "F1": ("pf", FAMILY),  # the family phone's own holder's card
    "F2": ("pg", FAMILY),  # and one relative's
}


def _rows() -> dict[str, list[tuple[Any, ...]]]:
    people = {"pd": DEALER, "pf": FAMILY, "pa": None, "pb": None, "pc": None, "pg": None}
    return carded_victims(VICTIMS, CARDS, people)


@pytest.fixture(scope="module")
def cards_lake(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return lake_of(tmp_path_factory, "cards", _rows())


def test_the_dealer_as_a_clue_leads_to_the_lines_whose_victims_paid_his_cards(
    cards_lake: Settings,
) -> None:
    [den] = clue(cards_lake, [DEALER]).dens
    members = {m.number: m for m in den.members}
    assert {X, Y} <= set(members)
    joined = members[X].joined
    assert joined is not None and joined.kind == "shared_money" and joined.via == DEALER
    assert f"{DEALER} is the registration phone of 3 cards" in joined.detail
    assert "C1" in joined.detail and "card dealer" in joined.detail
    assert joined.evidence and joined.evidence[0].startswith(X)  # X's call to its victim


def test_a_line_leads_to_the_dealer_but_not_through_him_to_other_dens(
    cards_lake: Settings,
) -> None:
    [den] = clue(cards_lake, [X]).dens
    members = {m.number: m for m in den.members}
    joined = members[DEALER].joined
    assert joined is not None and joined.kind == "shared_money"
    assert Y not in members  # a dealer sells cards to several dens


def test_a_phone_on_its_own_card_and_a_relatives_ties_nothing(cards_lake: Settings) -> None:
    dens = clue(cards_lake, [W]).dens  # no den: W is tied to no one
    assert not any(FAMILY in {m.number for m in d.members} for d in dens)
    assert not clue(cards_lake, [FAMILY]).dens
