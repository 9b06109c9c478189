"""`chaincut clue NUMBER` finds a number however the user writes it, as the service does: the
lake holds mobiles in E.164 and landlines as the data wrote them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import chaincut.cli.commands_telecom  # noqa: F401  (registers the commands)
from chaincut.cli.app import app
from chaincut.ingest import import_folder
from chaincut.settings import Settings

runner = CliRunner()


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("clue")
    (root / "in").mkdir()
    (root / "in" / "calls.csv").write_text(
        "call_id,ts,caller,callee,duration_s,cell_id,imei\n"
        "C1,2024-01-01T08:00:00,+8613800005678,010 1234 5678,30,CELL1,860000000000001\n"
        "C2,2024-01-01T09:00:00,13800005678,13900001111,40,CELL1,860000000000001\n",
        encoding="utf-8",
    )
    (root / "in" / "persons.csv").write_text("person_id,name,phone\nP1,张三,13800005678\n")
    import_folder(Settings(home=root / "home"), root / "in")
    return root / "home"


@pytest.mark.parametrize(
    ("asked", "held"),
    [
        ("138 0000 5678", "+8613800005678"),
        ("8613800005678", "+8613800005678"),
        ("+86 138-0000-5678", "+8613800005678"),
        ("(010) 1234 5678", "01012345678"),
        ("+86 10 1234 5678", "01012345678"),
    ],
)
def test_a_number_is_found_in_any_written_form(home: Path, asked: str, held: str) -> None:
    ran = runner.invoke(app, ["clue", asked, "--json", "--home", str(home)])
    assert ran.exit_code == 0, ran.output
    (number,) = json.loads(ran.output)["numbers"]
    assert number["number"] == held and number["known"] is True


def test_an_unknown_number_is_answered_as_asked(home: Path) -> None:
    ran = runner.invoke(app, ["clue", "139 0000 9999", "--json", "--home", str(home)])
    assert ran.exit_code == 0, ran.output
    (number,) = json.loads(ran.output)["numbers"]
    assert number["known"] is False
