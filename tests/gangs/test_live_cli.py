"""`chaincut gangs` keeps the link graph beside the gangs, at the lake's generation, so that a
report filed later joins live; its grouping is the one the saved weights give."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from chaincut.cli import _register, app
from chaincut.gangs import persist
from chaincut.gangs.community import communities
from chaincut.gangs.saved import load_graph
from chaincut.lake.engine import get_engine
from chaincut.settings import Settings

_register()


def test_a_run_saves_the_graph_at_the_lakes_generation(
    foreign_world: tuple[Path, Settings], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(foreign_world[1].home, home, ignore=shutil.ignore_patterns("gangs"))
    assert load_graph(home) is None
    result = CliRunner().invoke(app, ["gangs", "--home", str(home), "--json"])
    assert result.exit_code == 0, result.output
    saved, gangs = load_graph(home), persist.load(home)
    assert saved is not None and gangs
    with get_engine(Settings(home=home)) as engine:
        assert saved.generation == engine.generation()
    assert saved.groups == communities(saved.weights)
    grouped = {n for g in saved.groups for n in g}
    assert all(f"report:{r}" in grouped for g in gangs for r in g["reports"])
