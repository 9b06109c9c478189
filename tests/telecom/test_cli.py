"""`chaincut score numbers|devices`, `chaincut train numbers` and `chaincut clue`."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.csv as pacsv
from typer.testing import CliRunner

from chaincut.cli import _register, app
from chaincut.settings import Settings
from tests.telecom.conftest import S1, L, TinyWorld

_register()
runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout


def test_score_numbers_and_devices(tiny: TinyWorld, tmp_path: Path) -> None:
    home = str(tiny.settings.home)
    code, out = run("score", "numbers", "--home", home, "--json", "--top", "3")
    assert code == 0, out
    data = json.loads(out)
    assert (
        data["kind"] == "number" and data["method"] == "model:shipped" and len(data["items"]) == 3
    )
    first = data["items"][0]
    assert set(first) == {"number", "score", "label", "flagged", "reasons"}
    assert first["flagged"] and first["reasons"][0]["evidence"]
    code, _ = run("score", "numbers", "--home", home, "--out", str(tmp_path / "n.csv"))
    assert code == 0
    table = pacsv.read_csv(tmp_path / "n.csv")
    assert table.column_names == ["number", "score", "label", "flagged", "reasons", "evidence"]
    assert table.num_rows == data["scored"]
    code, out = run("score", "devices", "--home", home, "--top", "5")
    assert code == 0 and "devices (IMEIs) scored" in out
    code, _ = run("score", "devices", "--home", home, "--out", str(tmp_path / "d.xlsx"))
    assert code == 2


def test_train_then_score_with_the_model(tiny: TinyWorld, tmp_path: Path) -> None:
    model = tmp_path / "numbers.json"
    code, out = run("train", "numbers", str(tiny.folder), "--out", str(model), "--json")
    assert code == 0, out
    assert json.loads(out)["positives"] > 0 and model.exists()
    home = str(tiny.settings.home)
    code, out = run("score", "numbers", "--home", home, "--model", str(model), "--json")
    assert code == 0 and json.loads(out)["method"].startswith("model:")
    code, _ = run("score", "numbers", "--home", home, "--model", str(tmp_path / "none.json"))
    assert code == 2
    code, _ = run("train", "numbers", str(tmp_path / "missing"), "--out", str(model))
    assert code == 2


def test_clue(mini_settings: Settings, tmp_path: Path) -> None:
    home = str(mini_settings.home)
    code, out = run("clue", S1, L, "--home", home, "--json")
    assert code == 0, out
    data = json.loads(out)
    assert [n["den_id"] for n in data["numbers"]] == ["den-1", "den-1"]
    assert data["dens"][0]["clues"] == [L, S1]
    code, out = run("clue", S1, "--home", home)
    assert code == 0 and "den-1" in out and "C9" in out
    code, _ = run("clue", S1, "--home", str(tmp_path / "nowhere"))
    assert code == 2
