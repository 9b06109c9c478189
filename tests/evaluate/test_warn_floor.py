"""Floors: the `warn` area of `chaincut evaluate` on a small world nobody fitted the warner on.

The world is tests/warning's (randomised simulator world 9301, 4,000 transactions, an evaluation
seed), built through `evaluate(plan=...)` as `chaincut evaluate --only warn` builds a world. Each
floor sits well below the figure measured when it was set (docs/warning.md, "Round twelve"), so
only a real regression trips it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import pytest

from chaincut.evaluate import ROWS, World, evaluate
from chaincut.simulate import SimParams, simulate

SEED: Final = 9301
#: figure -> floor (measured when set: 20 of 21 victims in time, 0.952; precision 1.000)
FLOORS: Final[dict[str, float]] = {"warn.share_in_time": 0.5, "warn.precision": 0.75}
#: innocent people on the worklist per victim warned in time (measured 0.0)
CEILINGS: Final[dict[str, float]] = {"warn.innocent_per_warned": 0.5}


def _write(folder: Path) -> dict[str, Any]:
    summary = simulate(folder, seed=SEED, scale=4000, params=SimParams.randomised(SEED))
    return {"seed": SEED, "victims": summary.victims}


@pytest.fixture(scope="module")
def figures() -> dict[str, float | int]:
    world = World(f"randomised-{SEED}", "randomised", _write, {"seed": SEED})
    column = evaluate(plan=[world], areas=("warn",)).columns[0]
    assert not column.errors, column.errors
    return column.figures


@pytest.mark.parametrize("figure", sorted(FLOORS))
def test_warn_floor(figures: dict[str, float | int], figure: str) -> None:
    assert figures[figure] >= FLOORS[figure], (figure, figures)


@pytest.mark.parametrize("figure", sorted(CEILINGS))
def test_warn_ceiling(figures: dict[str, float | int], figure: str) -> None:
    assert figures[figure] <= CEILINGS[figure], (figure, figures)


def test_warn_beats_the_plain_rule_and_has_a_row_per_figure(
    figures: dict[str, float | int],
) -> None:
    assert figures["warn.victims"] > 0
    assert figures["warn.in_time"] > figures["warn.plain_in_time"], figures
    assert "warn.bothered_per_warned" in figures and "warn.median_lead_h" in figures
    rows = {key for key, _, _ in ROWS}
    assert {k for k in figures if k.startswith("warn.")} <= rows
    assert set(figures) == {k for k in figures if k.startswith("warn.")}  # only the warn area
