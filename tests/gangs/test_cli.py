"""`chaincut gangs`: the issue's JSON shape, one report's gang, FtM lines, bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from chaincut.cli import _register, app
from chaincut.gangs import persist
from chaincut.gangs.summary import with_boxes
from chaincut.settings import Settings

_register()
runner = CliRunner()
#: issue 14's shape, and the related gangs (round seven)
KEYS = {"gang_id", "reports", "cases", "members", "money", "dens", "related", "stability",
        "firmness"}  # fmt: skip


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
    assert gangs and all(set(g) == KEYS | {"boxes"} for g in gangs)  # (`boxes`: round eleven)
    assert "report_pair_f1" in lines[-1]["evaluation"]
    assert [json.loads(x) for x in out.read_text().splitlines()] == gangs
    saved = persist.load(settings.home)
    assert saved is not None
    assert [with_boxes({k: g[k] for k in KEYS}) for g in saved] == gangs
    # the members as they were; an operator line or handset folded under a box says which
    for g, kept in zip(gangs, saved, strict=True):
        assert [{k: v for k, v in m.items() if k != "box"} for m in g["members"]] == kept["members"]
    assert all({"victims", "span"} <= set(g) for g in saved)
    entities = [json.loads(x) for x in ftm.read_text().splitlines()]
    schemata = {e["schema"] for e in entities}
    assert {"Organization", "Person", "Membership", "BankAccount", "Payment"} <= schemata
    # every listed card names its bank, a mule's other flagged cards (listed by holder) too
    banks = [e["properties"].get("bankName") for e in entities if e["schema"] == "BankAccount"]
    assert banks and all(banks)
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


def test_a_card_listed_by_its_holder_names_its_bank_in_the_ftm_export() -> None:
    """A mule's other flagged card (listed through its holder, `Evidence.owned`) is exported with
    its bank like the cards the money reached (`Evidence.holders`)."""
    from decimal import Decimal
    from types import SimpleNamespace

    from chaincut.gangs.analyse import Gang
    from chaincut.gangs.collect import Evidence
    from chaincut.gangs.ftm import entities
    from chaincut.gangs.member import member

    row = {"person_id": "P1", "kind": "bank_card", "country": "CN"}
    ev = Evidence()
    ev.holders = [row | {"account_id": "A1", "institution": "ICBC"}]
    ev.owned = [row | {"account_id": "A2", "institution": "CCB"}]
    cards = [member("account", a, "mule", 0.9, []) for a in ("A1", "A2")]
    gang = Gang("G1", ["R1"], cards, {"reported": Decimal("1.00")}, [])
    out = list(entities(SimpleNamespace(gangs=[gang]), ev))  # type: ignore[arg-type]
    banks = {
        e["properties"]["accountNumber"][0]: e["properties"].get("bankName")
        for e in out
        if e["schema"] == "BankAccount"
    }
    assert banks == {"A1": ["ICBC"], "A2": ["CCB"]}


def test_the_gangs_table_speaks_yuan_and_counts_one_gang() -> None:
    from chaincut.cli.app import console
    from chaincut.cli.commands_gangs import _show

    gang = {"gang_id": "GANG-R1", "reports": ["R1"], "stability": 1.0,
            "members": [{"role": "mule"}, {"role": "mule"}],
            "money": {"reported": "39932.00", "stopped": "42878.57", "exited": "0.00"}}  # fmt: skip
    with console.capture() as captured:
        _show([gang])
    text = captured.get()
    assert "1 gang" in text and "1 gangs" not in text
    assert "¥39,932.00" in text and "¥42,878.57" in text and "stopped: what" in text
