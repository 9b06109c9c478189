"""A flag shows as a flag in `--help` (round twelve; routed by round eleven's new-user run):
Typer 0.29's Rich help with Click 8.5 printed `--json <bool>`, `--help <bool>`, as if each
took a value."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from chaincut.cli import COMMANDS, _register, app

SUBCOMMANDS = [["score", "accounts"], ["score", "numbers"], ["users", "add"], ["fraudlist", "add"]]


@pytest.mark.parametrize("args", [[], *([c] for c in sorted(COMMANDS)), *SUBCOMMANDS], ids=str)
def test_no_flag_shows_a_type(args: list[str]) -> None:
    _register(None)
    ran = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "200"})
    assert ran.exit_code == 0, ran.output
    assert "<bool>" not in ran.output
    assert "--help" in ran.output


def test_flags_still_work_and_options_keep_their_types() -> None:
    _register(None)
    ran = CliRunner().invoke(app, ["import", "--help"], env={"COLUMNS": "200"})
    assert "<path>" in ran.output and "<int" in ran.output  # a value's type is still shown
    assert "--index" in ran.output and "--no-index" in ran.output
