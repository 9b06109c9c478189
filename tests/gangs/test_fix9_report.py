"""`chaincut gangs --report R` answers from the saved analysis when it is current for the lake
(no import since, no judgement since), and runs the analysis, saying why, when it is not."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from chaincut.cli import _register, app
from chaincut.gangs import persist
from chaincut.gangs.saved import VERSION, graph_path
from chaincut.lake.engine import get_engine
from chaincut.settings import Settings

_register()
runner = CliRunner()


class Ran(Exception):
    """The analysis was run."""


def _ran(settings: Settings) -> Any:
    raise Ran(str(settings.home))


def _home(foreign_world: tuple[Path, Settings], tmp_path: Path, lag: int) -> tuple[Path, str]:
    """A copy of the world's home whose saved analysis is one gang of one of its reports, its
    graph saved `lag` lake generations ago."""
    home = tmp_path / "home"
    shutil.copytree(foreign_world[1].home, home)
    with get_engine(Settings(home=home)) as lake:
        generation = lake.generation()
        report = min(lake.execute(lake.table("reports")).column("report_id").to_pylist())
    gang = {"gang_id": f"GANG-{report}", "reports": [report], "cases": [], "members": [],
            "money": {"reported": "1.00", "stopped": "0.00", "exited": "0.00"}, "dens": [],
            "related": [], "stability": 1.0, "firmness": {}, "victims": [],
            "span": {"first": "", "last": ""}}  # fmt: skip
    persist.save(home, [gang])
    (home / "gangs" / "graph.journal.jsonl").unlink(missing_ok=True)
    with gzip.open(graph_path(home), "wt", encoding="utf-8") as fh:
        json.dump({"version": VERSION, "generation": generation - lag, "seed": 0}, fh)
    return home, str(report)


def test_the_saved_analysis_answers_when_current(
    foreign_world: tuple[Path, Settings], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, report = _home(foreign_world, tmp_path, lag=0)
    monkeypatch.setattr("chaincut.cli.commands_gangs._analyse", _ran)
    result = runner.invoke(app, ["gangs", "--home", str(home), "--json", "--report", report])
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    got = json.loads(line)
    assert got["gang_id"] == f"GANG-{report}" and "victims" not in got and "span" not in got
    assert "saved analysis" in result.stderr


def test_a_stale_analysis_is_run_again_and_says_so(
    foreign_world: tuple[Path, Settings], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, report = _home(foreign_world, tmp_path, lag=1)
    monkeypatch.setattr("chaincut.cli.commands_gangs._analyse", _ran)
    result = runner.invoke(app, ["gangs", "--home", str(home), "--json", "--report", report])
    assert isinstance(result.exception, Ran)
    assert "not current" in result.stderr and "lake changed" in result.stderr
