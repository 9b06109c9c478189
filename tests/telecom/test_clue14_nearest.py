"""Round fourteen: a card dealer's phone ties a number to him only by the victims whose money
reached his cards no later than any other dealer's. A victim pays the card of the gang that
worked it; launderers further down mix gangs' money, and one transfer on from another gang's
card does not make the number his gang's (foreign 946: 103.6 other gangs' numbers per clue)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from chaincut.settings import Settings
from chaincut.telecom import clue
from chaincut.telecom.clue.facts import ClueIndex
from chaincut.telecom.clue.fresh import ensure_clue_index
from chaincut.telecom.evaluate_clue import clue_quality
from tests.lake.conftest import ts
from tests.telecom.paid_victims import carded_victims, lake_of

X, Y = "+8615000000181", "+8615000000182"  # gang A's lines, tied by its dealer's cards only
Z, Z2 = "+8615000000183", "+8615000000184"  # gang B's lines
DEALER_A, DEALER_B = "+8615000000188", "+8615000000189"
#: victim -> (the line that worked it, the card it paid)
VICTIMS: dict[str, tuple[str, str]] = {
    "+8613900000401": (X, "A1"),
    "+8613900000402": (X, "A1"),
    "+8613900000403": (Y, "A2"),
    "+8613900000404": (Y, "A2"),
    "+8613900000405": (Z, "B1"),
    "+8613900000406": (Z, "B1"),
    "+8613900000407": (Z2, "B2"),
    "+8613900000408": (Z2, "B2"),
}
#: card -> (its holder, the phone it was registered with)
CARDS: dict[str, tuple[str, str]] = {
    "A1": ("qa1", DEALER_A),
    "A2": ("qa2", DEALER_A),
    "A3": ("qa3", DEALER_A),  # gang A's card that gang B's card paid on: a launderer's mix
    "B1": ("qb1", DEALER_B),
    "B2": ("qb2", DEALER_B),
}


def _rows() -> dict[str, list[tuple[Any, ...]]]:
    people: dict[str, str | None] = {"qda": DEALER_A, "qdb": DEALER_B}
    rows = carded_victims(VICTIMS, CARDS, people | {holder: None for holder, _ in CARDS.values()})
    # Z's victims' money moves on from gang B's card to one of gang A's dealer's cards
    moved = ts("2024-03-04 16:30:00")
    rows["transactions"].append(("tb1a3", moved, "B1", "A3", Decimal("5900.00"), "CNY"))
    return rows


@pytest.fixture(scope="module")
def rival_lake(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return lake_of(tmp_path_factory, "rival", _rows())


def test_a_dealer_leads_to_the_lines_whose_victims_paid_his_cards_first(
    rival_lake: Settings,
) -> None:
    [den] = clue(rival_lake, [DEALER_A]).dens
    members = {m.number for m in den.members}
    assert {X, Y} <= members
    # Z's victims paid gang B's dealer's card; their money reached A3 a transfer later
    assert Z not in members and Z2 not in members


def test_the_nearer_dealer_still_ties_the_line(rival_lake: Settings) -> None:
    [den] = clue(rival_lake, [DEALER_B]).dens
    members = {m.number: m for m in den.members}
    assert {Z, Z2} <= set(members) and X not in members
    joined = members[Z].joined
    assert joined is not None and joined.kind == "shared_money" and joined.via == DEALER_B
    assert "B1" in joined.detail and "card dealer" in joined.detail
    assert "at hop 1 of the chain, and no other dealer's cards sooner" in joined.detail


def test_a_line_whose_victims_paid_one_gangs_card_reaches_that_gangs_dealer_only(
    rival_lake: Settings,
) -> None:
    [den] = clue(rival_lake, [Z]).dens
    members = {m.number for m in den.members}
    assert DEALER_B in members and DEALER_A not in members


def test_the_evaluation_counts_another_dens_numbers_apart_from_innocent_ones(
    rival_lake: Settings, tmp_path: Path
) -> None:
    # gang A's dealer filed with its first line, its second line as another den's
    dens = [
        {"den_id": "A", "simboxes": [], "mobile_phones": [DEALER_A, X], "member_phones": []},
        {"den_id": "B", "simboxes": [], "mobile_phones": [Y], "member_phones": []},
    ]
    world = tmp_path / "world.json"
    world.write_text(json.dumps({"dens": dens}), encoding="utf-8")
    ix = ClueIndex(ensure_clue_index(rival_lake))
    quality = clue_quality(ix, world, normal_clues=0)
    others = {r["clue"]: (r["others"], r["innocent"]) for r in quality["clues"]}
    # each line returns the dealer (who never called: no clue himself), den A's
    assert others == {X: (0, 0), Y: (1, 0)}
    assert quality["summary"]["others_max"] == 1
