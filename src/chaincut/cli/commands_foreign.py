"""`chaincut foreign-world`: write an independently generated world (see docs/foreign-world.md)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from chaincut.cli.app import (
    EXIT_BAD_INPUT,
    HomeOption,
    JsonOption,
    app,
    console,
    err_console,
    fail,
    print_json,
)


class ForeignSize(StrEnum):
    tiny = "tiny"
    small = "small"
    medium = "medium"


@app.command("foreign-world")
def foreign_world_command(
    out_dir: Annotated[
        Path, typer.Argument(help="Folder to write the world into (created if missing).")
    ],
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed: same seed and size, same files.")
    ] = 0,
    size: Annotated[
        ForeignSize,
        typer.Option("--size", help="tiny (~10 k transactions), small (~60 k) or medium (~600 k)."),
    ] = ForeignSize.small,
    json_out: JsonOption = False,
    _home: HomeOption = None,
) -> None:
    """Write the independent "foreign world": the interchange tables with labels, truth.json
    (gangs, members and roles, victims, bystanders, dens, SIM boxes, parameters) and
    truth/holdings.csv. Written apart from `chaincut simulate`, to judge detectors on a world
    they were not designed on (docs/foreign-world.md). `--home` is accepted like on every
    command but not used: the command only writes to OUT_DIR.
    """
    from chaincut.foreign import generate

    if out_dir.exists() and not out_dir.is_dir():
        fail(f"{out_dir} exists and is not a folder", code=EXIT_BAD_INPUT)
    try:
        with err_console.status("generating the foreign world", spinner="dots"):
            truth = generate(out_dir, seed, size.value)
    except OSError as exc:
        fail(
            f"cannot write {out_dir}: {exc.strerror or exc}", hint="check the folder and free space"
        )
    if json_out:
        print_json(truth.summary())
        return
    table = Table(title=f"foreign world of seed {seed}", title_justify="left")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in truth.rows.items():
        table.add_row(name, f"{rows:,}")
    console.print(table)
    console.print(
        f"{truth.gangs} gangs ({truth.members} members), {truth.simboxes} SIM boxes, "
        f"{truth.victims} victims, {truth.targeted} targeted, {truth.reports} reports "
        f"(¥{Decimal(truth.reported_loss):,.2f}), {truth.bystanders} bystander accounts"
    )
    console.print(f"written to {escape(truth.out_dir)} in {truth.seconds:.1f} s")
