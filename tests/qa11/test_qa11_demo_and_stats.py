"""Round eleven's new-user run: `make demo | tee demo.log` folded the sample report's orders
table into 80 columns (account numbers and amounts split across lines, as `chaincut trace` did
before round ten's fix), and `chaincut stats` called its count of reported problems "rejected
rows" (a file refused whole for a missing column is one problem and all of its rows)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import chaincut.cli.commands_lake  # noqa: F401  (registers the commands)
from chaincut.cli.app import app
from chaincut.cli.commands_demo import show_sample
from chaincut.cli.commands_trace import trace_as_filed
from chaincut.settings import load_settings
from chaincut.trace import ReportInfo, TraceParams, Txn, ensure_index
from tests.ingest.test_foreign_csv import put
from tests.trace.helpers import at, write_lake

VICTIM, MULE, NEXT = "6222020000000000001", "6222020000000000002", "6222020000000000003"


def test_the_demo_prints_its_sample_orders_whole_into_a_pipe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    txns = [
        Txn(at(1), "F1", VICTIM, MULE, 123_456_789, "transfer"),
        Txn(at(2), "T2", MULE, NEXT, 100_000_000, "transfer"),
    ]
    write_lake(tmp_path, txns, [ReportInfo("FR000001", at(6), VICTIM, (txns[0],))])
    settings = load_settings(home=tmp_path)
    result = trace_as_filed(settings, "FR000001", TraceParams(), ensure_index(settings))
    show_sample("FR000001", result)
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.count("│") > 2]
    for account in (MULE, NEXT):
        assert any(account in row for row in rows), out
    assert any("¥1,000,000.00" in row for row in rows), out
    assert "…" not in out


def test_stats_counts_the_rows_a_refused_file_held(tmp_path: Path) -> None:
    put(tmp_path / "in", "accounts.csv", "账号,holder_id\nA1,P1\nA2,P2\nA3,P3\n")
    put(tmp_path / "in", "transactions.csv",
        "txn_id,ts,src_account,dst_account,amount\nT1,2024-01-01,A,B,1.00\nT2,2024-02-30,A,B,2\n")  # fmt: skip
    home = str(tmp_path / "h")
    assert CliRunner().invoke(app, ["import", str(tmp_path / "in"), "--home", home]).exit_code == 2
    ran = CliRunner().invoke(app, ["stats", "--home", home, "--json"])
    stats = json.loads(ran.output)
    assert stats["rejects"] == 2  # the refused header and the impossible date
    assert stats["rejected_rows"] == 4  # three accounts and one transaction
    text = CliRunner().invoke(app, ["stats", "--home", home]).output
    assert "rejected rows so far: 4 (2 problems reported)" in text


def test_gangs_ftm_without_the_package_says_what_to_install_before_the_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    import chaincut.cli.commands_gangs as commands_gangs

    def no_analysis(*_: object) -> None:
        raise AssertionError("the analysis ran before the export was known to fail")

    put(tmp_path / "in", "transactions.csv", "txn_id,ts,src_account,dst_account,amount\n")
    home = str(tmp_path / "h")
    CliRunner().invoke(app, ["import", str(tmp_path / "in"), "--home", home])
    monkeypatch.setitem(sys.modules, "followthemoney", None)  # not installed (make demo)
    monkeypatch.setattr(commands_gangs, "_analyse", no_analysis)
    ran = CliRunner().invoke(app, ["gangs", "--home", home, "--ftm", str(tmp_path / "g.ftm")])
    assert ran.exit_code == 1, ran.output
    assert "--ftm needs the optional followthemoney package" in ran.output
    assert "chaincut[ftm]" in ran.output and not (tmp_path / "g.ftm").exists()


def test_an_error_prints_its_brackets(capsys: pytest.CaptureFixture[str]) -> None:
    """`pip install 'chaincut[spark]'` was printed as `pip install 'chaincut'` (Rich markup)."""
    import typer

    from chaincut.cli.app import fail

    with pytest.raises(typer.Exit):
        fail("spark engine could not start: [spark] missing", hint="pip install 'chaincut[spark]'")
    err = capsys.readouterr().err
    assert "[spark] missing" in err and "pip install 'chaincut[spark]'" in err


def test_the_score_help_names_what_it_scores_today() -> None:
    """`chaincut score --help` said "accounts (and, as they land, numbers and devices)", a
    developer's note from before numbers and devices were scored."""
    import chaincut.cli.commands_score  # noqa: F401  (registers the command)

    ran = CliRunner().invoke(app, ["score", "--help"], terminal_width=200)
    assert "as they land" not in ran.output
    assert "phone numbers and devices" in ran.output


def test_restitution_without_recovered_money_says_how_to_give_it(tmp_path: Path) -> None:
    """`chaincut restitution --reports R` printed an empty "recovered money and its return"
    table and `recovered ¥0.00 · returned ¥0.00`, without saying where recoveries come from."""
    import chaincut.cli.commands_trace  # noqa: F401  (registers the command)

    txns = [Txn(at(1), "F1", VICTIM, MULE, 123_456, "transfer")]
    write_lake(tmp_path, txns, [ReportInfo("FR000001", at(6), VICTIM, (txns[0],))])
    runner = CliRunner()
    bare = runner.invoke(app, ["restitution", "--reports", "FR000001", "--home", str(tmp_path)])
    assert bare.exit_code == 0, bare.output
    assert "recovered money and its return" not in bare.output
    assert "no recovered money given: pass --recovered FILE.csv" in bare.output
    (tmp_path / "got.csv").write_text(f"account_id,amount\n{MULE},100.00\n", encoding="utf-8")
    given = runner.invoke(app, ["restitution", "--reports", "FR000001", "--recovered",
                                str(tmp_path / "got.csv"), "--home", str(tmp_path)])  # fmt: skip
    assert given.exit_code == 0, given.output
    assert "recovered money and its return" in given.output and "no recovered" not in given.output
