"""The evaluation as one table: rows are the detectors' figures, columns the worlds."""

from __future__ import annotations

from typing import Final

from rich.table import Table

from chaincut.evaluate.run import Evaluation

#: (figure key, what it is, how it is shown): "%" a share, "n" a count, "f" a score, "h" hours,
#: "r" people per person (one decimal, thousands separated)
ROWS: Final = (
    ("trace.money_covered", "stops: victims' money in mules covered", "%"),
    ("trace.stopped_accounts", "stops: accounts stopped", "n"),
    ("trace.innocent_accounts", "stops: innocent accounts stopped", "n"),
    ("trace.innocent_account_share", "stops: innocent share of stopped accounts", "%"),
    ("trace.innocent_money_share", "stops: innocent share of stopped money", "%"),
    ("accounts.ap", "mule accounts: average precision", "f"),
    ("accounts.precision", "mule accounts: precision at threshold", "f"),
    ("accounts.recall", "mule accounts: recall at threshold", "f"),
    ("accounts.innocent_flagged", "mule accounts: innocent flagged", "n"),
    ("numbers.ap", "fraud numbers: average precision", "f"),
    ("numbers.precision", "fraud numbers: precision at threshold", "f"),
    ("numbers.recall", "fraud numbers: recall at threshold", "f"),
    ("numbers.innocent_flagged", "fraud numbers: innocent flagged", "n"),
    ("devices.ap", "SIM-box IMEIs: average precision", "f"),
    ("devices.precision", "SIM-box IMEIs: precision at threshold", "f"),
    ("devices.recall", "SIM-box IMEIs: recall at threshold", "f"),
    ("clue.den_numbers", "clue: share of a den's numbers returned", "%"),
    ("clue.clues", "clue: clues tried", "n"),
    ("clue.site_numbers", "clue: share of a site's numbers returned (foreign)", "%"),
    ("clue.site_numbers_box", "clue: the same, clues from a box's SIM", "%"),
    ("clue.innocent_mean", "clue: innocent numbers per clue (mean)", "f"),
    ("clue.innocent_max", "clue: innocent numbers per clue (most)", "n"),
    ("clue.others_mean", "clue: other dens' numbers per clue (mean)", "f"),
    ("clue.others_max", "clue: other dens' numbers per clue (most)", "n"),
    ("text.texts", "text: texts classified", "n"),
    ("text.precision", "text: precision (fraud)", "f"),
    ("text.recall", "text: recall (fraud)", "f"),
    ("text.f1", "text: F1 (fraud)", "f"),
    ("text.normal_flagged", "text: share of normal texts flagged", "%"),
    ("text.normal_flagged_n", "text: normal texts flagged", "n"),
    ("text.conv_conversations", "text: conversations judged", "n"),
    ("text.conv_precision", "text: precision (fraud conversations)", "f"),
    ("text.conv_recall", "text: recall (fraud conversations)", "f"),
    ("text.conv_f1", "text: F1 (fraud conversations)", "f"),
    ("text.conv_normal_flagged", "text: share of normal conversations flagged", "%"),
    ("text.conv_normal_flagged_n", "text: normal conversations flagged", "n"),
    ("warn.victims", "warnings: victims", "n"),
    ("warn.capacity", "warnings: worklist capacity a day", "n"),
    ("warn.in_time", "warnings: victims on the worklist before paying", "n"),
    ("warn.share_in_time", "warnings: share of victims warned in time", "%"),
    ("warn.median_lead_h", "warnings: median lead before paying", "h"),
    ("warn.precision", "warnings: precision of worklist entries", "f"),
    ("warn.innocent_people", "warnings: innocent people on the worklist", "n"),
    ("warn.innocent_per_warned", "warnings: innocent people per victim warned", "r"),
    ("warn.bothered_per_warned", "warnings: the same at real prevalence (assumed)", "r"),
    ("warn.plain_in_time", "warnings, plain rule: victims warned in time", "n"),
    ("warn.plain_share_in_time", "warnings, plain rule: share warned in time", "%"),
    ("warn.plain_precision", "warnings, plain rule: precision", "f"),
    ("warn.plain_innocent_people", "warnings, plain rule: innocent people", "n"),
    ("warn.plain_innocent_per_warned", "warnings, plain rule: innocent per victim warned", "r"),
    ("warn.plain_bothered_per_warned", "warnings, plain rule: the same at real prevalence", "r"),
)
DASH: Final = "—"


def show(value: float | int | None, how: str) -> str:
    """A figure as the table prints it (a dash where the world cannot give it)."""
    if value is None:
        return DASH
    if how == "%":
        return f"{value:.1%}"
    if how == "n":
        return f"{int(value):,}"
    if how == "h":
        return f"{value:.1f} h"
    if how == "r":
        return f"{value:,.1f}"
    return f"{value:.3f}"


def evaluation_table(e: Evaluation) -> Table:
    """Rows = figures (those of the chosen areas that any column has), columns = worlds."""
    table = Table(title=f"chaincut evaluate (seed {e.seed}, scale {e.scale})", title_justify="left")
    table.add_column("figure", no_wrap=True)
    for col in e.columns:
        table.add_column(f"{col.name}\n({col.kind})", justify="right")
    for key, what, how in ROWS:
        if not any(key in c.figures for c in e.columns):
            continue
        table.add_row(what, *(show(c.figures.get(key), how) for c in e.columns))
    table.add_row("seconds", *(f"{c.seconds:.0f}" for c in e.columns), style="dim")
    return table


def errors(e: Evaluation) -> list[str]:
    """One line per detector that failed on a world."""
    return [f"{c.name}: {area}: {msg}" for c in e.columns for area, msg in c.errors.items()]


def markdown(e: Evaluation) -> str:
    """The same table in Markdown (for docs/evaluation.md)."""
    head = "| figure | " + " | ".join(f"{c.name} ({c.kind})" for c in e.columns) + " |"
    lines = [head, "|---|" + "---|" * len(e.columns)]
    for key, what, how in ROWS:
        if any(key in c.figures for c in e.columns):
            cells = " | ".join(show(c.figures.get(key), how) for c in e.columns)
            lines.append(f"| {what} | {cells} |")
    return "\n".join(lines) + "\n"
