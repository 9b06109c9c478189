"""`chaincut evaluate --mule-asof`: the stops' mule scores as `trace --all --mule-asof` takes
them (default: the whole lake), said in the JSON beside the figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

import chaincut.evaluate.run as run
from chaincut.cli.commands_evaluate import evaluate_command
from chaincut.evaluate import Column


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.callback()(lambda: None)
    app.command("evaluate")(evaluate_command)
    return app


def test_an_unknown_cut_is_refused() -> None:
    result = CliRunner().invoke(_cli(), ["evaluate", "--mule-asof", "month"])
    assert result.exit_code == 2 and "--mule-asof" in result.output


@pytest.mark.parametrize("asked", [None, "lake", "report", "week"])
def test_the_cut_reaches_every_world_and_the_json(
    asked: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def world(w: Any, *args: Any) -> Column:
        seen.append(args[-1])  # `_run_world(world, work, areas, text_limit, report, mule_asof)`
        return Column(w.name, w.kind)

    monkeypatch.setattr(run, "_run_world", world)
    empty = tmp_path / "data"
    empty.mkdir()
    args = ["evaluate", "--worlds", "1", "--only", "trace", "--data", str(empty), "--json"]
    if asked:
        args += ["--mule-asof", asked]
    result = CliRunner().invoke(_cli(), args)
    assert result.exit_code == 0, result.output
    want = asked or "lake"
    assert seen and set(seen) == {want}
    assert json.loads(result.stdout)["mule_asof"] == want
