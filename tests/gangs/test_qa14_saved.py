"""`chaincut gangs --ftm` and `--evaluate` answer from the saved analysis when it is current
for the lake and the analyst's input, as the other forms do (round thirteen's note: both ran
the whole analysis again), and run it again when it is not (an import, a report joined since,
a judgement)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from chaincut.cli import _register, app
from chaincut.gangs import persist
from chaincut.lake.catalog import bump_generation, connect
from chaincut.settings import Settings
from chaincut.store import gang as gang_store
from chaincut.store import open_store
from tests.gangs.test_fast12_saved import Ran, _ran
from tests.gangs.test_fix9_ftm import invalid

_register()
runner = CliRunner()


@pytest.fixture(scope="module")
def analysed(
    foreign_world: tuple[Path, Settings], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str, str]:
    """A copy of the world's home after one `chaincut gangs --json --ftm F --evaluate WORLD`
    that ran the analysis, what it printed and the export it wrote."""
    pytest.importorskip("followthemoney")
    base = tmp_path_factory.mktemp("qa14")
    home, ftm = base / "home", base / "run.ftm.jsonl"
    shutil.copytree(foreign_world[1].home, home)
    # the session's home may hold another module's saved analysis (tests/gangs/test_cli.py
    # runs `chaincut gangs` on it): this copy starts from none, as a new home does
    shutil.rmtree(home / persist.FILE.parent, ignore_errors=True)
    args = ["gangs", "--home", str(home), "--json", "--ftm", str(ftm),
            "--evaluate", str(foreign_world[0])]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "running the analysis" in result.stderr
    return home, result.stdout, ftm.read_text(encoding="utf-8")


def _copy(analysed: tuple[Path, str, str], tmp_path: Path) -> Path:
    home = tmp_path / "home"
    shutil.copytree(analysed[0], home)
    return home


def test_ftm_and_evaluate_answer_from_the_saved_analysis(
    analysed: tuple[Path, str, str],
    foreign_world: tuple[Path, Settings],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = _copy(analysed, tmp_path)
    monkeypatch.setattr("chaincut.cli.commands_gangs._analyse", _ran)
    ftm = tmp_path / "saved.ftm.jsonl"
    args = ["gangs", "--home", str(home), "--json", "--ftm", str(ftm),
            "--evaluate", str(foreign_world[0])]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "from the saved analysis of " in result.stderr and " UTC " in result.stderr
    # the run's very lines: the gangs, the figures and the export
    assert result.stdout == analysed[1]
    assert '"evaluation"' in result.stdout.splitlines()[-1]
    assert ftm.read_text(encoding="utf-8") == analysed[2]
    lines = [json.loads(x) for x in ftm.read_text(encoding="utf-8").splitlines()]
    assert {e["schema"] for e in lines} >= {"Organization", "Membership", "Person"}
    assert invalid(lines) == []


def _alone(
    analysed: tuple[Path, str, str],
    world: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    form: str,
    change: Any = None,
) -> tuple[Any, Path]:
    """`chaincut gangs --json` with `form` alone on a copy of the analysed home (changed by
    `change` first), the analysis replaced by one that raises; and the export's path."""
    home = _copy(analysed, tmp_path)
    if change is not None:
        change(home)
    monkeypatch.setattr("chaincut.cli.commands_gangs._analyse", _ran)
    ftm = tmp_path / "saved.ftm.jsonl"
    value = str(ftm) if form == "--ftm" else str(world)
    return runner.invoke(app, ["gangs", "--home", str(home), "--json", form, value]), ftm


@pytest.mark.parametrize("form", ["--ftm", "--evaluate"])
def test_each_alone_answers_from_the_saved_analysis(
    analysed: tuple[Path, str, str],
    foreign_world: tuple[Path, Settings],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    form: str,
) -> None:
    result, ftm = _alone(analysed, foreign_world[0], tmp_path, monkeypatch, form)
    assert result.exit_code == 0, result.output
    if form == "--ftm":
        assert ftm.read_text(encoding="utf-8") == analysed[2]
    else:
        assert result.stdout == analysed[1]


def _judged(home: Path) -> None:
    with open_store(Settings(home=home).resolved_store_url) as store, store.session() as s:
        gang_store.judge(s, "P-A", "P-B", False, "two people", "analyst")
        s.commit()


def _imported(home: Path) -> None:
    with connect(Settings(home=home)) as con:  # (what an import that changed data does)
        bump_generation(con)


def _joined(home: Path) -> None:
    persist.mark_provisional(home, "R-NEW")  # (a report filed since, joined by the quick path)


def _graph_lost(home: Path) -> None:
    from chaincut.gangs.saved import graph_path

    graph_path(home).write_bytes(b"")  # (no link graph to say which data the gangs read)


@pytest.mark.parametrize("form", ["--ftm", "--evaluate"])
@pytest.mark.parametrize(
    ("change", "why"),
    [
        (_judged, "judged two persons"),
        (_imported, "the lake changed"),
        (_joined, "joined by the quick path"),
        (_graph_lost, "no link graph"),
    ],
)
def test_a_stale_saved_analysis_is_run_again(
    analysed: tuple[Path, str, str],
    foreign_world: tuple[Path, Settings],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    form: str,
    change: Any,
    why: str,
) -> None:
    result, _ = _alone(analysed, foreign_world[0], tmp_path, monkeypatch, form, change)
    assert isinstance(result.exception, Ran), result.output
    assert "not current" in result.stderr and why in result.stderr


def test_the_saved_gangs_come_back_as_the_run_gave_them(
    analysed: tuple[Path, str, str],
) -> None:
    saved = persist.load(analysed[0])
    assert saved
    again = [g.json() for g in persist.as_gangs(saved)]
    assert again == [{k: g[k] for k in again[0]} for g in saved]
