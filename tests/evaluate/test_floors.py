"""Floors: each detector's headline figure on a tiny world it was not designed on.

The foreign world (`chaincut.foreign`, branch wt/foreign) was not merged when these were set:
the floors hold on a tiny randomised simulator world (seed 1000, the first evaluation seed),
and on the foreign world once `chaincut.foreign` is importable (its test skips until then).
Each floor sits well below the figure measured when it was set (docs/evaluation.md, "Floors"),
so only a real regression trips it; raise a floor when a detector gets better.
"""

from __future__ import annotations

import importlib.util
from typing import Final

import pytest

from chaincut.evaluate import Column, evaluate, simulator_world
from chaincut.evaluate.worlds import foreign_world

#: figure -> (floor, measured on randomised-1000 tiny when set); "<=" rows are ceilings
FLOORS: Final[dict[str, float]] = {
    "trace.money_covered": 0.90,  # measured 1.000
    "accounts.ap": 0.80,  # measured 0.996
    "numbers.ap": 0.45,  # measured 0.70
    "devices.ap": 0.35,  # measured 0.65
    "clue.den_numbers": 0.10,  # measured 0.29
    "text.recall": 0.45,  # measured 0.7 (simulated messages)
}
#: the foreign world's floors (set when it is merged; until then the randomised ones)
FOREIGN_FLOORS: Final[dict[str, float]] = dict(FLOORS)


def _world(name: str, column: Column) -> dict[str, float | int]:
    assert not column.errors, f"{name}: {column.errors}"
    return column.figures


@pytest.fixture(scope="module")
def randomised() -> dict[str, float | int]:
    result = evaluate(plan=[simulator_world(1000, "tiny", randomised=True)])
    return _world("randomised-1000", result.columns[0])


@pytest.mark.parametrize("figure", sorted(FLOORS))
def test_randomised_world_floor(randomised: dict[str, float | int], figure: str) -> None:
    assert figure in randomised, f"{figure} missing: {sorted(randomised)}"
    assert randomised[figure] >= FLOORS[figure], (figure, randomised[figure])


def test_randomised_world_counts_innocent_stops(randomised: dict[str, float | int]) -> None:
    # the count is reported (harm per person); the world has bystanders to be stopped wrongly
    stopped, innocent = randomised["trace.stopped_accounts"], randomised["trace.innocent_accounts"]
    assert 0 <= innocent <= stopped and stopped > 0
    assert randomised["trace.innocent_account_share"] == pytest.approx(innocent / stopped, abs=1e-9)


@pytest.mark.skipif(
    importlib.util.find_spec("chaincut.foreign") is None,
    reason="chaincut.foreign (branch wt/foreign) is not merged yet",
)
def test_foreign_world_floors() -> None:
    world = foreign_world(1000, "tiny")
    assert world is not None
    figures = _world("foreign", evaluate(plan=[world]).columns[0])
    low = {k: figures.get(k) for k, floor in FOREIGN_FLOORS.items() if figures.get(k, 1.0) < floor}
    assert not low, low
