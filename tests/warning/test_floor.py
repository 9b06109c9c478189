"""A floor on a tiny world the model was not fitted on: most victims on the list in time."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import chaincut.cli.commands_warn  # noqa: F401  (registers the command)
from chaincut.cli.app import app
from chaincut.settings import Settings

#: measured on the tiny world of conftest.SEED: 18 of 21 victims in time (0.86), precision 1.00;
#: the plain rule 0.19 (docs/warning.md). The floors sit below
SHARE_FLOOR = 0.5
PRECISION_FLOOR = 0.75


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
