"""`chaincut gangs`: the issue's JSON shape, one report's gang, FtM lines, bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from chaincut.cli import _register, app
from chaincut.gangs import persist
from chaincut.settings import Settings

_register()
runner = CliRunner()
#: exactly issue 14's shape
KEYS = {"gang_id", "reports", "cases", "members", "money", "dens"}


def test_gangs_json_out_report_and_ftm(
    foreign_world: tuple[Path, Settings], tmp_path: Path
) -> None:
    folder, settings = foreign_world
    out, ftm = tmp_path / "g.jsonl", tmp_path / "g.ftm.jsonl"
    args = ["gangs", "--home", str(settings.home), "--json", "--out", str(out), "--ftm", str(ftm)]
    result = runner.invoke(app, [*args, "--evaluate", str(folder)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    gangs = [x for x in lines if "gang_id" in x]
    assert gangs and all(set(g) == KEYS for g in gangs)
    assert "report_pair_f1" in lines[-1]["evaluation"]
    assert [json.loads(x) for x in out.read_text().splitlines()] == gangs
    saved = persist.load(settings.home)
    assert saved is not None
    assert [{k: g[k] for k in KEYS} for g in saved] == gangs
    assert all({"victims", "span"} <= set(g) for g in saved)
    schemata = {json.loads(x)["schema"] for x in ftm.read_text().splitlines()}
    assert {"Organization", "Person", "Membership", "BankAccount", "Payment"} <= schemata
    one = gangs[0]["reports"][0]
    single = runner.invoke(app, ["gangs", "--home", str(settings.home), "--json", "--report", one])
    assert single.exit_code == 0, single.output
    assert [json.loads(x)["gang_id"] for x in single.stdout.splitlines()] == [gangs[0]["gang_id"]]


def test_bad_input_exits_2(foreign_world: tuple[Path, Settings], tmp_path: Path) -> None:
    home = str(foreign_world[1].home)
    bad = runner.invoke(app, ["gangs", "--home", home, "--out", str(tmp_path / "g.csv")])
    assert bad.exit_code == 2 and "FILE.jsonl" in bad.output
    missing = runner.invoke(app, ["gangs", "--home", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "no lake" in missing.output
