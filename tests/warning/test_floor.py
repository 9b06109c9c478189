"""A floor on a tiny world the model was not fitted on: most victims on the list in time.

`chaincut warn --replay --evaluate` on the world of conftest.SEED (randomised simulator world
9301, 4,000 transactions, an evaluation seed) is the measurement the `warn` area of `chaincut
evaluate` reads; since round thirteen the floors of both are held here, on one run
(tests/evaluate/test_warn_floor.py checks the area's rows)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import chaincut.cli.commands_warn  # noqa: F401  (registers the command)
from chaincut.cli.app import app
from chaincut.settings import Settings

#: measured on the tiny world of conftest.SEED: 18 of 21 victims in time (0.86), precision 1.00;
#: the plain rule 0.19 (docs/warning.md); 20 of 21 (0.952) at round twelve's end. The floors
#: sit below
SHARE_FLOOR = 0.5
PRECISION_FLOOR = 0.75
#: innocent people on the worklist per victim warned in time (measured 0.0)
INNOCENT_PER_WARNED_CEILING = 0.5


def test_the_worklist_reaches_victims_before_they_pay(world: tuple[Path, Settings]) -> None:
    home = str(world[1].home)
    result = CliRunner().invoke(app, ["warn", "--replay", "--evaluate", "--json", "--home", home])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    model, rule = figures["model"], figures["plain_rule"]
    assert figures["victims"] > 0
    assert model["share_in_time"] >= SHARE_FLOOR, figures
    assert model["precision"] >= PRECISION_FLOOR, figures
    assert model["share_in_time"] >= rule["share_in_time"], figures
    assert model["warned_in_time"] > rule["warned_in_time"], figures
    assert model["innocent_per_warned"] <= INNOCENT_PER_WARNED_CEILING, figures
    assert model["median_lead_h"] is not None and model["bothered_per_warned"] is not None
