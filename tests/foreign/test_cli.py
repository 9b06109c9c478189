"""`chaincut foreign-world`: writes the world, prints JSON, refuses a file as the folder."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from chaincut.cli import _register, app

runner = CliRunner()


def test_writes_the_world_and_prints_its_summary(tmp_path: Path) -> None:
    _register("foreign-world")
    out = tmp_path / "fw"
    result = runner.invoke(
        app, ["foreign-world", str(out), "--seed", "4", "--size", "tiny", "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["rows"]["transactions"] > 2_000
    assert summary["victims"] > 0 and summary["reports"] <= summary["victims"]
    assert (out / "truth.json").exists() and (out / "truth" / "holdings.csv").exists()


def test_a_file_in_the_way_is_bad_input(tmp_path: Path) -> None:
    _register("foreign-world")
    path = tmp_path / "file"
    path.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["foreign-world", str(path), "--size", "tiny"])
    assert result.exit_code == 2
    assert "not a folder" in result.output


def test_an_unknown_size_is_refused(tmp_path: Path) -> None:
    _register("foreign-world")
    result = runner.invoke(app, ["foreign-world", str(tmp_path / "x"), "--size", "huge"])
    assert result.exit_code == 2
