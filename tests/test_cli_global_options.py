"""`chaincut --home DIR COMMAND`: the home given before the command, as users type it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chaincut.cli import _register, app, command_of


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["trace", "R1"], "trace"),
        (["--home", "/x", "trace", "R1"], "trace"),
        (["--home=/x", "score", "accounts"], "score"),
        (["--help"], None),
        ([], None),
        (["--home", "/x"], None),
    ],
)
def test_the_command_is_found_past_global_options(args: list[str], command: str | None) -> None:
    assert command_of(args) == command


def test_home_before_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the option sets $CHAINCUT_HOME for the command: monkeypatch restores it afterwards
    monkeypatch.setenv("CHAINCUT_HOME", str(tmp_path / "elsewhere"))
    folder = tmp_path / "world"
    folder.mkdir()
    (folder / "accounts.csv").write_text("account_id\nA\n", encoding="utf-8")
    home = tmp_path / "h"
    _register("import")
    result = CliRunner().invoke(app, ["--home", str(home), "import", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    assert (home / "lake.duckdb").exists() and not (tmp_path / "elsewhere").exists()
    _register("stats")
    result = CliRunner().invoke(app, [f"--home={home}", "stats", "--json"])
    assert json.loads(result.output)["home"] == str(home)
    # the command's own --home still wins
    result = CliRunner().invoke(
        app, ["--home", str(tmp_path / "nowhere"), "stats", "--json", "--home", str(home)]
    )
    assert json.loads(result.output)["home"] == str(home)
