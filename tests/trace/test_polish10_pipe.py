"""`chaincut trace REPORT | cat`: written to a pipe, the orders table keeps each account number
and amount on one line (Rich would squeeze it into 80 columns and fold them)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

import chaincut.cli.commands_trace  # noqa: F401  (registers the commands)
from chaincut.cli.app import app
from chaincut.trace import ReportInfo, Txn
from tests.trace.helpers import at, write_lake

VICTIM, MULE, NEXT = "6222020000000000001", "6222020000000000002", "6222020000000000003"


def test_trace_to_a_pipe_keeps_account_numbers_and_amounts_whole(tmp_path: Path) -> None:
    txns = [
        Txn(at(1), "F1", VICTIM, MULE, 123_456_789, "transfer"),
        Txn(at(2), "T2", MULE, NEXT, 100_000_000, "transfer"),
    ]
    write_lake(tmp_path, txns, [ReportInfo("FR000001", at(6), VICTIM, (txns[0],))])
    ran = CliRunner().invoke(app, ["trace", "FR000001", "--no-issue", "--home", str(tmp_path)])
    assert ran.exit_code == 0, ran.output
    rows = [line for line in ran.output.splitlines() if line.count("│") > 2]
    # each order's row holds its whole account number and its whole amounts
    for account in (MULE, NEXT):
        assert any(account in row for row in rows), ran.output
    assert any("¥1,000,000.00" in row for row in rows), ran.output
    assert "…" not in ran.output
