"""`chaincut gangs` keeps every amount whole in 80 columns when a gang has SIM boxes (round
thirteen's new-user run on a small foreign world: a box's line, "box 860239971152775: 24 SIMs,
176 handsets", was the table's widest, and Rich cut the money column to "reported ¥26,9")."""

from __future__ import annotations

import copy

import pytest
from rich.console import Console

from chaincut.cli import commands_gangs
from chaincut.gangs.summary import boxes
from tests.service.test_case11_cases_and_gang_pages import BOXED


@pytest.mark.parametrize("width", [80, 120])
def test_amounts_stay_whole_beside_a_gangs_boxes(
    monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    gang = copy.deepcopy(BOXED)
    gang |= {"gang_id": "GANG-FR000002", "stability": 0.23,
             "money": {"reported": "1239932.00", "stopped": "15778.23", "exited": "2822.07"}}  # fmt: skip
    gang["boxes"] = boxes(gang)  # as the saved analysis holds them
    # a fresh console: setting the shared one's width would pin it for later tests
    shown = Console(width=width, record=True, highlight=False)
    monkeypatch.setattr(commands_gangs, "console", shown)
    with shown.capture() as captured:
        commands_gangs._show([gang])
    text = captured.get()
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= width
    for said in ("reported ¥1,239,932.00", "stopped     ¥15,778.23", "exited       ¥2,822.07"):
        assert said in text
    assert "box 860000000000000" in text and "5 SIMs, 3 handsets" in text
    assert "phones 860000000000003" in text and "1 SIM" in text
