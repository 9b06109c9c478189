"""A count option given a negative number is bad usage (exit 2, naming the option), before any
work (round ten's new-user run: `score accounts --top -1` sliced the list as Python does and
printed every account but the last, under the title "top -1")."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from chaincut.cli import _register, app

_register()
runner = CliRunner()


@pytest.mark.parametrize(
    "args",
    [
        ["score", "accounts", "--top", "-1"],
        ["score", "accounts", "--top", "0"],
        ["score", "numbers", "--top", "-3"],
        ["score", "devices", "--top", "-3"],
        ["import", ".", "--max-rejects", "-1"],
        ["demo", "--port", "0"],
    ],
)
def test_a_negative_count_is_bad_usage(args: list[str], tmp_path: object) -> None:
    result = runner.invoke(app, [*args, "--home", str(tmp_path)])
    assert result.exit_code == 2, result.output
    option = next(a for a in args if a.startswith("--"))
    assert "Invalid value" in result.output and option in result.output
