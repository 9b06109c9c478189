"""A number clue's answer for a person at a terminal (the CLI's `chaincut clue`)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Final

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from chaincut.markers import english
from chaincut.telecom.clue.result import ClueResult, Den, NumberClue

#: rows listed per table before "... and N more"
SHOWN: Final = 8


def _t(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def _n(count: int, one: str, many: str = "") -> str:
    return f"{count:,} {english(one, many or one + 's', count)}"


def _more(total: int) -> str:
    return f"[dim]... and {total - SHOWN} more[/]" if total > SHOWN else ""


def _table(console: Console, table: Table, more: str = "") -> None:
    """Print a table: on a terminal, as the terminal allows; written to a pipe or a file, as wide
    as the table needs, where Rich would squeeze it into 80 columns and cut ids and the local
    hours short with an ellipsis (the cure `cli.app.table_console` gives other commands)."""
    if console.is_terminal:
        console.print(table, more)
        return
    needed = console.measure(table, options=console.options.update_width(1000)).maximum
    wide = Console(file=console.file, width=max(console.width, needed), highlight=False)
    wide.print(table, more)


def render_clue(console: Console, result: ClueResult, seconds: float) -> None:
    for facts in result.numbers:
        _number(console, facts)
    for den in result.dens:
        _den(console, den)
    if not result.dens:
        console.print("[dim]no den: none of these numbers shares a device, a place in sync or a "
                      "victim with a suspect number[/]")  # fmt: skip
    console.print(f"[dim]answered in {seconds * 1000:.0f} ms[/]")


def _number(console: Console, n: NumberClue) -> None:
    console.rule(f"[bold]{escape(n.number)}[/]")
    if not n.known:
        console.print("not in the call or message records, and no person holds it")
        return
    holders = ", ".join(f"{h.name} ({h.person_id}, ID {h.id_number})" for h in n.holders)
    console.print(f"holder: {escape(holders) or '[dim]unknown[/]'}")
    for h in n.holders:
        if h.id_numbers:
            more = f" +{len(h.id_numbers) - 3}" if len(h.id_numbers) > 3 else ""
            console.print(
                f"  [yellow]ID {h.id_number} also holds {_n(len(h.id_numbers), 'other number')}:[/] "
                + ", ".join(h.id_numbers[:3])
                + more
            )
    console.print(
        f"active {_t(n.first_seen)} to {_t(n.last_seen)} (UTC); calls out {n.calls_out:,} "
        f"({n.answered_out:,} answered, {_n(n.callees, 'number')}), in {n.calls_in:,}; messages "
        f"out {n.messages_out:,}, in {n.messages_in:,}; in sync with {_n(n.sync_peers, 'number')}"
        + (f"; [bold red]in {n.den_id}[/]" if n.den_id else "")
    )
    if n.devices:
        table = Table("IMEI", "calls", "first", "last", "SIMs on it", title_justify="left")
        for d in n.devices[:SHOWN]:
            table.add_row(d.imei, str(d.calls), _t(d.first), _t(d.last), str(d.sims))
        _table(console, table, _more(len(n.devices)))
    if n.cells:
        table = Table("cell", "calls", "first", "last", "days", "local hours")
        for c in n.cells[:SHOWN]:
            hours = ",".join(str(h) for h in c.hours)
            table.add_row(c.cell_id, str(c.calls), _t(c.first), _t(c.last), str(c.days), hours)
        _table(console, table, _more(len(n.cells)))
    if n.victims:
        table = Table("reached, later reported fraud", "reports", "first contact", "evidence")
        for v in n.victims[:SHOWN]:
            reports = ", ".join(r.report_id for r in v.reports)
            ids = ", ".join((*v.calls[:3], *v.messages[:3]))
            table.add_row(v.victim, reports, _t(v.first_contact), ids)
        _table(console, table, _more(len(n.victims)))


def _den(console: Console, den: Den) -> None:
    roles = Counter(m.role for m in den.members)
    console.rule(f"[bold red]{den.den_id}[/]: clues {', '.join(den.clues)}")
    console.print(
        f"{_n(len(den.members), 'number')} ({_n(roles['simbox'], 'SIM-box SIM')}, "
        f"{_n(roles['fraud_line'], 'fraud line')}, {roles['linked']:,} linked), "
        f"{_n(len(den.boxes), 'box', 'boxes')}, {_n(len(den.victims), 'person', 'people')} "
        "reached who reported fraud"
        + (" [yellow](search stopped at its size limit)[/]" if den.truncated else "")
    )
    if den.boxes:
        table = Table("box", "cells", "SIMs", "IMEIs", "calls", "hours", "active")
        for k, b in enumerate(den.boxes[:SHOWN], 1):
            active = f"{_t(b.first)} to {_t(b.last)}"
            table.add_row(f"#{k}", ", ".join(b.cells), str(len(b.sims)), str(len(b.imeis)),
                          f"{b.calls:,}", str(b.hours), active)  # fmt: skip
        _table(console, table, _more(len(den.boxes)))
    console.print("where: " + ", ".join(f"{c} ({k:,} calls)" for c, k in den.cells[:SHOWN]))
    shown = [m for m in den.members if m.role != "simbox" or m.clue][:SHOWN]
    table = Table("number", "role", "victims", "joined via", "evidence")
    for m in shown:
        via = f"{m.joined.detail} (from {m.joined.via})" if m.joined else "clue"
        evidence = ", ".join(m.joined.evidence) if m.joined else ""
        table.add_row(m.number, m.role, str(m.victims), escape(via), evidence)
    _table(console, table)
    if den.victims:
        table = Table("victim", "reports", "reached by")
        for v in den.victims[:SHOWN]:
            by = ", ".join(v.reached_by[:3]) + (
                f" +{len(v.reached_by) - 3}" if len(v.reached_by) > 3 else ""
            )
            table.add_row(v.victim, ", ".join(v.reports), by)
        _table(console, table, _more(len(den.victims)))
