"""`chaincut gangs --report R` tells a report the lake does not hold (a typo) from one that is in
no gang (round ten's new-user run: both said "is in no gang" with the hint to check the id with
`chaincut stats`, which lists no report ids)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import chaincut.cli.commands_gangs  # noqa: F401  (registers the command)
from chaincut.cli.app import app
from tests.trace.helpers import worked_example, write_lake

runner = CliRunner()


@pytest.fixture
def example_home(tmp_path: Path) -> Path:
    txns, report = worked_example()
    write_lake(tmp_path, txns, [report])
    return tmp_path


def test_an_unknown_report_is_named_as_missing(
    example_home: Path,
) -> None:
    home = str(example_home)
    unknown = runner.invoke(app, ["gangs", "--report", "R9", "--home", home])
    assert unknown.exit_code == 2
    assert "no report 'R9' in the lake" in unknown.output
    assert "chaincut stats" not in unknown.output
    known = runner.invoke(app, ["gangs", "--report", "R1", "--home", home, "--json"])
    assert known.exit_code == 0, known.output
    assert "no report" not in known.output and '"R1"' in known.output
