"""A wide table printed to a pipe or a log: ids and amounts whole, lines at most PIPE_WIDTH."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

from chaincut.cli.app import PIPE_WIDTH, table_console


def test_a_table_with_long_reasons_folds_them_at_the_pipe_width() -> None:
    table = Table(title="orders")
    for col in ("account", "stop", "why"):
        table.add_column(col, overflow="fold")
    reasons = "; ".join(f"+ reason number {k} with the evidence ids it rests on" for k in range(40))
    table.add_row("6212267879012627022", "¥1,400.00", reasons)
    out = table_console(table)
    assert out.width <= PIPE_WIDTH
    text = io.StringIO()
    Console(file=text, width=out.width, highlight=False).print(table)
    lines = text.getvalue().splitlines()
    assert max(len(line) for line in lines) <= PIPE_WIDTH
    assert any("6212267879012627022" in line and "¥1,400.00" in line for line in lines)
    assert "…" not in text.getvalue()
