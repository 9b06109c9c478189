"""Round twelve's new-user run (foreign world 860, randomised world 861): what a first-time user
read wrong in the summaries the commands print."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from chaincut.cli import _register, app

runner = CliRunner()
#: an amount in yuan as every other summary prints it: thousands separated, two decimals
YUAN = r"¥\d{1,3}(?:,\d{3})*\.\d{2}"


def test_foreign_world_prints_the_reported_loss_as_money(tmp_path: Path) -> None:
    # it printed "41 reports (¥149752.00)" where `simulate` prints "¥1,782,080.77"
    _register("foreign-world")
    out = runner.invoke(app, ["foreign-world", str(tmp_path / "fw"), "--seed", "860",
                              "--size", "tiny"], env={"COLUMNS": "200"})  # fmt: skip
    assert out.exit_code == 0, out.output
    # (the console may fold the line at its width: read it as one line)
    (loss,) = re.findall(r"reports \((¥[^)]*)\)", " ".join(out.stdout.split()))
    assert re.fullmatch(YUAN, loss) and "," in loss, loss


def test_import_says_what_its_time_is(tmp_path: Path) -> None:
    # the import's last line was a bare "9.55 s"
    _register("import")
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "persons.csv").write_text(
        "person_id,name,id_number,phone,region\nP1,张三,,,\n", encoding="utf-8"
    )
    out = runner.invoke(app, ["import", str(folder), "--home", str(tmp_path / "home")])
    assert out.exit_code == 0, out.output
    assert re.search(r"^imported in \d+\.\d\d s$", out.stdout, re.M), out.stdout
