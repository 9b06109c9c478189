"""The restitution tables in a narrow terminal (an 80-column window, or less): ids and amounts
fold onto a second line, never cut to an ellipsis that loses digits."""

from __future__ import annotations

from rich.console import Console

from chaincut.trace import (
    AccountInfo,
    MemoryLedger,
    ReportInfo,
    Rule,
    TraceParams,
    Txn,
    allocate_recovered,
    trace_reports,
)
from chaincut.trace.render import restitution_tables
from tests.trace.helpers import at


def test_restitution_tables_keep_every_digit_in_a_narrow_terminal() -> None:
    victim, mule = "VICTIM-ACCOUNT-6222020000000001", "MULE-ACCOUNT-6222020000000002"
    fraud = Txn(at(1), "F0", victim, mule, 123_456_789)
    report = ReportInfo("FR0000000000000001", at(5), victim, (fraud,))
    ledger = MemoryLedger.complete([fraud], [AccountInfo(mule, "bank_card")], [report])
    result = trace_reports(ledger, [report], TraceParams(rule=Rule.fifo))
    plan = allocate_recovered(result, {mule: 123_456_789})
    for width in (60, 80):
        console = Console(width=width, record=True, color_system=None)
        console.print(restitution_tables(result, plan))
        text = console.export_text()
        assert "…" not in text
        # the first column of the victims' table, read down its lines, is the whole report id
        first = "".join(
            line.split("│")[1].strip() for line in text.splitlines() if line.count("│") > 2
        )
        assert "FR0000000000000001" in first
