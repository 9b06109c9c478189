"""A bad option value names its option and what to write, not Python's parser message
(`chaincut restitution --as-of 01/04/2026` said "Invalid isoformat string")."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import chaincut.cli.commands_trace  # noqa: F401  (registers the command)
from chaincut.cli.app import app


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--as-of", "01/04/2026", "--as-of '01/04/2026' is not an ISO-8601 time"),
        ("--min-amount", "1.005", "--min-amount: amount has more than two decimal places"),
        ("--min-amount", "abc", "--min-amount: not a decimal amount: 'abc'"),
    ],
)
def test_a_bad_value_names_its_option(tmp_path: Path, option: str, value: str, said: str) -> None:
    args = ["restitution", "--reports", "R1", option, value, "--home", str(tmp_path)]
    ran = CliRunner().invoke(app, args)
    assert ran.exit_code == 2
    assert said in " ".join(ran.output.split()), ran.output
    assert "Invalid isoformat" not in ran.output
