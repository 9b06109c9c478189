"""`mask_clue` on a whole clue with a den (members, links, SIM boxes, victims): an operator sees
in full the numbers of its own blocks and the holders and handsets of those numbers, nothing
else of anyone's; the number it asked stays readable (masking by need, issue 16 point 7)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from chaincut.services.carriers import holds_number
from chaincut.services.clue import mask_clue

MINE, OTHER, ASKED = "13900009999", "13014821479", "18912345678"  # CMCC, CUCC, CTCC
IMEI_MINE, IMEI_OTHER, IMEI_BOX = "356938035643809", "490154203237518", "352099001761481"


def _clue(victim: str) -> dict[str, Any]:
    """A clue of ASKED (China Telecom's) whose den holds MINE (China Mobile's) and OTHER."""
    holder = {"person_id": "P9", "name": "王五", "id_number": "510106199803031236"}
    return {
        "numbers": [
            {"number": ASKED, "known": True, "holders": [{**holder, "numbers_on_same_id": [MINE]}],
             "devices": [{"imei": IMEI_OTHER, "calls": 3, "sims": 1}],
             "victims": [{"victim": victim, "calls": ["C1"]}]},
        ],
        "dens": [{
            "den_id": "D1", "clues": [ASKED],
            "members": [
                {"number": MINE, "role": "caller", "holders": ["P7"], "joined": {
                    "kind": "shared_device", "number": MINE, "via": ASKED,
                    "detail": f"both called from IMEI {IMEI_MINE}", "evidence": ["C2"]}},
                {"number": OTHER, "role": "caller", "holders": ["P8"], "joined": {
                    "kind": "shared_device", "number": OTHER, "via": ASKED,
                    "detail": f"both called from IMEI {IMEI_OTHER}", "evidence": ["C3"]}},
            ],
            "boxes": [{"sims": [MINE, OTHER], "imeis": [IMEI_BOX], "cells": ["CELL1"]}],
            "victims": [{"victim": victim, "reports": ["R1"], "reached_by": [MINE, OTHER]}],
        }],
    }  # fmt: skip


def _cmcc(number: str) -> bool:
    return holds_number("CMCC", number)


def test_an_operator_sees_its_own_numbers_holders_and_handsets_and_nothing_else() -> None:
    shown = json.dumps(mask_clue(_clue(OTHER), ASKED, holds=_cmcc), ensure_ascii=False)
    for full in (ASKED, MINE, "P7", IMEI_MINE, IMEI_BOX):
        assert full in shown, full
    for hidden in (OTHER, "P8", "P9", "王五", "510106199803031236", IMEI_OTHER):
        assert hidden not in shown, hidden


def test_an_operator_without_blocks_sees_only_the_number_it_asked() -> None:
    shown = json.dumps(mask_clue(_clue(OTHER), ASKED), ensure_ascii=False)
    for hidden in (MINE, OTHER, "P7", "P8", "王五", IMEI_MINE, IMEI_OTHER, IMEI_BOX):
        assert hidden not in shown, hidden
    assert ASKED in shown and "139****9999" in shown and "both called from IMEI 3569" in shown


@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True))
def test_a_victim_is_shown_in_full_exactly_when_the_operator_holds_it(victim: str) -> None:
    masked = mask_clue(_clue(victim), ASKED, holds=_cmcc)
    seen = {masked["numbers"][0]["victims"][0]["victim"], masked["dens"][0]["victims"][0]["victim"]}
    if victim == ASKED or _cmcc(victim):
        assert seen == {victim}
    else:
        assert victim not in seen and all("*" in v for v in seen)
