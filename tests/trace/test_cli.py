"""`chaincut trace` and `chaincut restitution` end to end on small lakes."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

import chaincut.cli.commands_trace  # noqa: F401  (registers the commands)
from chaincut.cli.app import app
from chaincut.settings import Settings
from chaincut.store import freeze_order, open_store
from chaincut.trace import ReportInfo, Txn
from tests.trace.helpers import at, worked_example, write_lake
from tests.trace.world import World

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def example_home(tmp_path: Path) -> Path:
    txns, report = worked_example()
    write_lake(tmp_path, txns, [report])
    return tmp_path


def test_trace_prints_the_money_tree_and_issues_orders(example_home: Path) -> None:
    code, out = invoke("trace", "R1", "--rule", "libr", "--home", str(example_home))
    assert code == 0, out
    assert "report R1" in out and "STOP ¥40.00" in out and "t3" in out
    with open_store(Settings(home=example_home).resolved_store_url) as store, store.session() as s:
        orders = freeze_order.list_orders(s, report_id="R1")
    # each emergency stop holds what may be the victim's money: X got 150 when M held the
    # 100 stolen, Y got 60 when M could still hold 50 of it, M keeps the 40 LIBR leaves there
    assert sorted((o.account_id, str(o.amount)) for o in orders) == [
        ("M", "40.00"),
        ("X", "100.00"),
        ("Y", "50.00"),
    ]
    assert all(o.kind == "emergency_stop" and o.evidence for o in orders)
    # issuing again changes nothing (idempotent per report)
    code, out = invoke("trace", "R1", "--rule", "libr", "--home", str(example_home), "--json")
    assert code == 0 and json.loads(out)["issued"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "closed": 0,
    }


def test_trace_json(example_home: Path) -> None:
    code, out = invoke(
        "trace", "R1", "--rule", "fifo", "--json", "--no-issue", "--home", str(example_home)
    )
    assert code == 0, out
    data = json.loads(out)
    assert data["report_id"] == "R1" and data["issued"] is None
    # FIFO traces the 100 on to X and Y; the stops hold what may be the victim's money,
    # M's 40 included (FIFO traces none of it there)
    assert [(f["account_id"], f["amount"], f["claim"], f["hop"]) for f in data["freeze"]] == [
        ("X", "50.00", "100.00", 2),
        ("Y", "50.00", "50.00", 2),
        ("M", "0.00", "40.00", 1),
    ]
    assert data["freeze"][0]["evidence"] == [["F1", "t3"]]
    assert data["totals"]["loss"] == "100.00" and data["totals"]["frozen"] == "100.00"
    assert data["totals"]["claimed"] == "190.00"
    assert [f["txn_id"] for f in data["flows"]] == ["F1", "t3", "t5"]


def test_trace_all_jsonl_conserves_money(
    world: World, world_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "all.jsonl"
    code, text = invoke(
        "trace", "--all", "--format", "jsonl", "--out", str(out), "--home", str(world_settings.home)
    )
    assert code == 0, text
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [o["report_id"] for o in lines] == sorted(r.report_id for r in world.reports)

    def cents(amount: str) -> int:
        return round(float(amount) * 100)  # test arithmetic on small amounts

    for o in lines:
        assert {"report_id", "freeze", "exits", "hubs"} <= set(o)
        for f in o["freeze"]:
            assert {"account_id", "amount", "hop", "evidence"} <= set(f)
        t = o["totals"]
        # the rule's attribution in the accounts followed: stopped, or verify-with-the-bank
        orders = o["freeze"] + o["verify"]
        assert sum(cents(f["amount"]) for f in orders) == cents(t["frozen"])
        assert sum(cents(f["claim"]) for f in o["freeze"]) == cents(t["claimed"])
        assert sum(cents(f["claim"]) for f in o["verify"]) == cents(t["verify"])
        assert sum(cents(e["amount"]) for e in o["exits"]) == cents(t["exited"])
        assert sum(cents(h["amount"]) for h in o["hubs"]) == cents(t["hubs"])
        parts = ("frozen", "exited", "hubs", "returned", "unaccounted")
        assert sum(cents(t[k]) for k in parts) == cents(t["loss"])


def test_bad_input_exits_2(example_home: Path, tmp_path: Path) -> None:
    assert invoke("trace", "NOPE", "--home", str(example_home))[0] == 2
    assert invoke("trace", "--home", str(example_home))[0] == 2
    assert invoke("trace", "R1", "--home", str(tmp_path / "nothing"))[0] == 2
    assert invoke("trace", "R1", "--min-amount", "1.234", "--home", str(example_home))[0] == 2


def two_victim_home(tmp_path: Path) -> Path:
    txns = [
        Txn(at(1), "FA", "VA", "M", 6000),
        Txn(at(2), "FB", "VB", "M", 4000),
        Txn(at(3), "FC", "VA", "N", 2500),
    ]
    reports = [
        ReportInfo("RA", at(4), "VA", (txns[0], txns[2])),
        ReportInfo("RB", at(4), "VB", (txns[1],)),
    ]
    write_lake(tmp_path, txns, reports)
    return tmp_path


def test_restitution_owner_and_pro_rata(tmp_path: Path) -> None:
    home = two_victim_home(tmp_path)
    recovered = tmp_path / "recovered.csv"
    recovered.write_text("account_id,amount\nM,50.01\nN,30.00\nZ,5\n")
    code, out = invoke(
        "restitution",
        "--reports",
        "RA,RB",
        "--recovered",
        str(recovered),
        "--json",
        "--home",
        str(home),
    )
    assert code == 0, out
    data = json.loads(out)
    alloc = {a["account_id"]: a for a in data["allocations"]}
    assert alloc["M"]["basis"] == "pro rata"
    assert alloc["M"]["returns"] == {"RA": "30.01", "RB": "20.00"}
    assert alloc["N"] == {
        "account_id": "N",
        "recovered": "30.00",
        "basis": "owner",
        "traced": {"RA": "25.00"},
        "returns": {"RA": "25.00"},
        "surplus": "5.00",
    }
    assert alloc["Z"]["basis"] == "untraced" and alloc["Z"]["surplus"] == "5.00"
    victims = {v["report_id"]: v for v in data["victims"]}
    assert victims["RA"]["returned_now"] == "55.01" and victims["RB"]["returned_now"] == "20.00"
    assert data["totals"] == {"recovered": "85.01", "returned": "75.01", "surplus": "10.00"}
    code, out = invoke("restitution", "--reports", "RA,RB", "--home", str(home))
    assert code == 0 and "victims" in out


def test_restitution_needs_reports(tmp_path: Path) -> None:
    home = two_victim_home(tmp_path)
    assert invoke("restitution", "--home", str(home))[0] == 2
    assert invoke("restitution", "--case", "C9", "--home", str(home))[0] == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("account_id,amount\nM,abc\n")
    assert (
        invoke("restitution", "--reports", "RA", "--recovered", str(bad), "--home", str(home))[0]
        == 2
    )


def test_restitution_for_a_case_in_the_store(tmp_path: Path) -> None:
    from chaincut.store import case, report

    home = two_victim_home(tmp_path)
    with open_store(Settings(home=home).resolved_store_url) as store, store.session() as s:
        case.create_case(s, "C1", "two victims")
        for rid, victim, fraud in (("RA", "VA", ["FA", "FC"]), ("RB", "VB", ["FB"])):
            report.ensure_report(
                s,
                report_id=rid,
                filed_at=datetime(2024, 5, 1, 4),
                victim_account=victim,
                fraud_txn_ids=fraud,
            )
            case.attach_report(s, "C1", rid)
    code, out = invoke("restitution", "--case", "C1", "--json", "--home", str(home))
    assert code == 0, out
    assert [v["report_id"] for v in json.loads(out)["victims"]] == ["RA", "RB"]
