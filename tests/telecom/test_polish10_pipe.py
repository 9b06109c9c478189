"""`chaincut clue NUMBER | cat`: written to a pipe, the clue's tables keep every column whole
(Rich would squeeze them into 80 columns and cut the local hours short with an ellipsis)."""

from __future__ import annotations

import io
from datetime import datetime

from rich.console import Console

from chaincut.telecom.clue.result import CellUse, ClueResult, DeviceUse, NumberClue
from chaincut.telecom.render import render_clue

WHEN = datetime(2024, 3, 5, 10, 0)


def test_a_clue_to_a_pipe_keeps_the_local_hours_whole() -> None:
    hours = tuple(range(24))
    cell = CellUse("460-00-12345-678901234", 1_234, WHEN, WHEN, 30, hours)
    device = DeviceUse("861234567890123", 1_234, WHEN, WHEN, 64)
    number = NumberClue(
        "+8613800000001", True, first_seen=WHEN, last_seen=WHEN, devices=(device,), cells=(cell,)
    )
    sink = io.StringIO()  # not a terminal, 80 columns: what a pipe gets
    render_clue(Console(file=sink, width=80), ClueResult((number,), (), {}, 1.0), 0.01)
    out = sink.getvalue()
    assert "…" not in out
    row = next(line for line in out.splitlines() if "460-00-12345-678901234" in line)
    assert ",".join(str(h) for h in hours) in row
    assert "861234567890123" in out
