"""Every form of `chaincut gangs` answers from the saved analysis when it is current for the
lake and the analyst's input (round twelve), runs it again when not or when asked to."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from chaincut.cli import _register, app
from chaincut.gangs import persist
from chaincut.settings import Settings
from chaincut.store import gang as gang_store
from chaincut.store import open_store

_register()
runner = CliRunner()


class Ran(Exception):
    """The analysis was run."""


def _ran(settings: Settings) -> Any:
    raise Ran(str(settings.home))


@pytest.fixture(scope="module")
def analysed(
    foreign_world: tuple[Path, Settings], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str]:
    """A copy of the world's home after one `chaincut gangs --json`, and what it printed."""
    home = tmp_path_factory.mktemp("fast12") / "home"
    shutil.copytree(foreign_world[1].home, home)
    result = runner.invoke(app, ["gangs", "--home", str(home), "--json"])
    assert result.exit_code == 0, result.output
    return home, result.stdout


def _copy(analysed: tuple[Path, str], tmp_path: Path) -> Path:
    home = tmp_path / "home"
    shutil.copytree(analysed[0], home)
    return home


@pytest.mark.parametrize("form", [["--json"], ["--out", "OUT"], []])
def test_a_second_run_answers_from_the_saved_analysis(
    analysed: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: list[str]
) -> None:
    home = _copy(analysed, tmp_path)
    monkeypatch.setattr("chaincut.cli.commands_gangs._analyse", _ran)
    out = tmp_path / "gangs.jsonl"
    args = [str(out) if a == "OUT" else a for a in form]
    result = runner.invoke(app, ["gangs", "--home", str(home), *args])
    assert result.exit_code == 0, result.output
    assert "from the saved analysis" in result.stderr
    if form == ["--json"]:
        assert result.stdout == analysed[1]  # the run's very lines
    if form and form[0] == "--out":
        assert out.read_text(encoding="utf-8") == analysed[1]


def test_rebuild_runs_the_analysis(
    analysed: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = _copy(analysed, tmp_path)
    monkeypatch.setattr("chaincut.cli.commands_gangs._analyse", _ran)
    result = runner.invoke(app, ["gangs", "--home", str(home), "--json", "--rebuild"])
    assert isinstance(result.exception, Ran)


def test_a_judgement_since_makes_it_stale(
    analysed: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = _copy(analysed, tmp_path)
    with open_store(Settings(home=home).resolved_store_url) as store, store.session() as s:
        gang_store.judge(s, "P-A", "P-B", False, "two people", "analyst")
        s.commit()
    monkeypatch.setattr("chaincut.cli.commands_gangs._analyse", _ran)
    result = runner.invoke(app, ["gangs", "--home", str(home), "--json"])
    assert isinstance(result.exception, Ran)
    assert "not current" in result.stderr and "judged two persons" in result.stderr


def test_another_chaincut_makes_it_stale(
    analysed: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an upgrade (other roles, a refitted model) kept answering with the old gangs
    home = _copy(analysed, tmp_path)
    assert persist.load_code(home) == persist.code_key()
    monkeypatch.setattr(persist, "code_key", lambda: "another chaincut")
    monkeypatch.setattr("chaincut.cli.commands_gangs._analyse", _ran)
    result = runner.invoke(app, ["gangs", "--home", str(home), "--json"])
    assert isinstance(result.exception, Ran)
    assert "not current" in result.stderr and "models changed" in result.stderr


def test_the_input_key_is_the_input_not_its_order() -> None:
    one = persist.inputs_key([("P1", "P2", True), ("P3", "P4", False)], {"C1": ["R2", "R1"]})
    two = persist.inputs_key([("P3", "P4", False), ("P1", "P2", True)], {"C1": ["R1", "R2"]})
    assert one == two
    assert one != persist.inputs_key([("P1", "P2", False), ("P3", "P4", False)], {"C1": ["R1"]})
    assert one != persist.inputs_key([("P1", "P2", True), ("P3", "P4", False)], {})
