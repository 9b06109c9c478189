"""Parameters, scales and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from chaincut.cli.commands_simulate import simulate_command
from chaincut.simulate import SimParams, Sizes, default_format, resolve_scale
from tests.simulate.conftest import make_world


def test_scales() -> None:
    assert resolve_scale("tiny") == 20_000 and resolve_scale("large") == 20_000_000
    assert resolve_scale("123456") == 123_456 and resolve_scale(100_000_000) == 100_000_000
    for bad in ("huge", "12x", 10, 100_000_001):
        with pytest.raises(ValueError):
            resolve_scale(bad)
    assert default_format(200_000) == "csv" and default_format(2_000_000) == "parquet"
    big = Sizes.for_scale(100_000_000, SimParams())
    assert big.persons > 1_000_000 and big.dens > 100


def test_bad_params_are_refused() -> None:
    for bad in ({"mule_layers": 0}, {"lot_policy": "lifo"}, {"fraud_types": ("nope",)},
                {"exit_mix": (0.5, 0.5, 0.5)}):  # fmt: skip
        with pytest.raises(ValueError):
            SimParams(**bad)


def test_params_shape_the_world(tmp_path: Path) -> None:
    world = make_world(tmp_path, seed=2, scale=4000, mule_layers=2, simbox_slots=(128,),
                       fraud_types=("impersonate_police",), rotating_imei_share=1.0)  # fmt: skip
    labels = {r["label"] for r in world.table("labels")}
    assert "mule_l2" in labels and "mule_l3" not in labels
    boxes = [b for d in world.info["dens"] for b in d["simboxes"]]
    assert boxes and all(b["slots"] == 128 and b["rotating_imei"] for b in boxes)
    assert {r["fraud_type"] for r in world.table("reports")} == {"impersonate_police"}


def test_cli_simulate(tmp_path: Path) -> None:
    # only this command (registering all of them imports every area's dependencies)
    app = typer.Typer()
    app.callback()(lambda: None)
    app.command("simulate")(simulate_command)
    runner = CliRunner()
    result = runner.invoke(
        app, ["simulate", str(tmp_path), "--seed", "3", "--scale", "3000", "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["rows"]["transactions"] > 2500 and summary["format"] == "csv"
    assert (tmp_path / "truth" / "world.json").exists()
    bad = runner.invoke(app, ["simulate", str(tmp_path), "--scale", "huge"])
    assert bad.exit_code == 2


def test_every_knob_is_documented() -> None:
    from dataclasses import fields

    page = (Path(__file__).parents[2] / "docs" / "simulator.md").read_text(encoding="utf-8")
    table = page.split("## Parameters")[1]
    for field in fields(SimParams):
        assert field.name in table, field.name
