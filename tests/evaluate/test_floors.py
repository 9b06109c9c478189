"""Floors: each detector's headline figure on tiny worlds it was not designed on.

Two worlds: the foreign world (`chaincut.foreign`, seed 1000, size tiny) and a randomised
simulator world (seed 1000, the first evaluation seed, scale tiny). Each floor sits well below
the figure measured when it was set (docs/evaluation.md, "Floors"), so only a real regression
trips it; raise a floor when a detector gets better. On the foreign world the clue is held per
site (a gang's boxes in each city, its operators abroad: what issue 12 calls a den), not per gang
(6 % of a gang's numbers: nothing in call records ties a gang's cities together).
"""

from __future__ import annotations

from typing import Final

import pytest

#: figure -> (floor, measured on randomised-1000 tiny when set); "<=" rows are ceilings
FLOORS: Final[dict[str, float]] = {
    "trace.money_covered": 0.90,  # measured 1.000
    "accounts.ap": 0.80,  # measured 0.996
    "numbers.ap": 0.70,  # measured 0.981 (0.70 before issue 12's fitted indicators)
    "numbers.precision": 0.80,  # measured 0.966 at the calibrated threshold
    "devices.ap": 0.60,  # measured 0.910
    "clue.den_numbers": 0.15,  # measured 0.357
    "text.recall": 0.45,  # measured 0.76 (simulated messages)
    "warn.share_in_time": 0.5,  # measured 0.833 (20 of 24 victims on the worklist in time)
}
#: ceilings on both worlds: innocent accounts among those stopped (measured 0.026 foreign,
#: 0.0 randomised with wt/trace4's judge; 0.36-0.42 before weighted stops)
CEILINGS: Final[dict[str, float]] = {
    "trace.innocent_account_share": 0.10,
    # innocent people on the warnings' worklist per victim warned in time (measured 0.0 on both)
    "warn.innocent_per_warned": 0.5,
}
#: the foreign world's floors (measured on foreign-1000 tiny when set)
FOREIGN_FLOORS: Final[dict[str, float]] = {
    "trace.money_covered": 0.85,  # measured 0.988 (wt/trace4's judge)
    "accounts.ap": 0.35,  # measured 0.633
    "numbers.ap": 0.70,  # measured 0.978
    "numbers.precision": 0.80,  # measured 0.981 at the calibrated threshold
    "devices.ap": 0.70,  # measured 0.984
    "clue.site_numbers": 0.25,  # measured 0.499 (0.290 before round five's handover and
    # call circle; per site; the gang-wide den_numbers 0.097)
    "clue.site_numbers_box": 0.60,  # measured 0.987
    "text.recall": 0.60,  # measured 0.976 when set, 0.735 at the end of round five (per message;
    # the conversations' recall 0.985, held in tests/evaluate/test_text_floors.py)
    "warn.share_in_time": 0.2,  # measured 0.429 (6 of 14; capacity 2 a day)
}


@pytest.mark.parametrize("figure", sorted(FLOORS))
def test_randomised_world_floor(randomised: dict[str, float | int], figure: str) -> None:
    assert figure in randomised, f"{figure} missing: {sorted(randomised)}"
    assert randomised[figure] >= FLOORS[figure], (figure, randomised[figure])


def test_randomised_world_counts_innocent_stops(randomised: dict[str, float | int]) -> None:
    # the count is reported (harm per person); the world has bystanders to be stopped wrongly
    stopped, innocent = randomised["trace.stopped_accounts"], randomised["trace.innocent_accounts"]
    assert 0 <= innocent <= stopped and stopped > 0
    assert randomised["trace.innocent_account_share"] == pytest.approx(innocent / stopped, abs=1e-9)


@pytest.mark.parametrize("figure", sorted(FOREIGN_FLOORS))
def test_foreign_world_floor(foreign: dict[str, float | int], figure: str) -> None:
    assert figure in foreign, f"{figure} missing: {sorted(foreign)}"
    assert foreign[figure] >= FOREIGN_FLOORS[figure], (figure, foreign[figure])


def test_foreign_world_gives_every_figure(foreign: dict[str, float | int]) -> None:
    wanted = {"trace.innocent_accounts", "accounts.recall", "devices.recall", "clue.den_numbers"}
    assert wanted <= set(foreign), sorted(wanted - set(foreign))


@pytest.mark.parametrize("figure", sorted(CEILINGS))
def test_ceilings(
    randomised: dict[str, float | int], foreign: dict[str, float | int], figure: str
) -> None:
    for name, figures in (("randomised", randomised), ("foreign", foreign)):
        assert figures[figure] <= CEILINGS[figure], (name, figure, figures[figure])
