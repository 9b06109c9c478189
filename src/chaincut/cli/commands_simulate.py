"""`chaincut simulate`: write a synthetic city with fraud gangs in the interchange format."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
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

# the simulator (numpy, pyarrow, pandas) is imported when it runs: `chaincut --help` imports this
if TYPE_CHECKING:
    from chaincut.simulate import SimParams, SimSummary
    from chaincut.simulate.params import Format

STEPS = {
    "world": "building the city and its fraud dens",
    "transactions": "writing transactions",
    "calls": "writing calls",
    "messages": "writing messages",
}


class SimFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


def run_simulate(
    out_dir: Path,
    seed: int,
    scale: str,
    fmt: Format | None,
    *,
    quiet: bool = False,
    params: SimParams | None = None,
) -> SimSummary:
    """Simulate with a progress bar (shared by `simulate`, `demo` and `evaluate`)."""
    from chaincut.simulate import SCALES, resolve_scale, simulate

    try:
        transactions = resolve_scale(scale)
    except ValueError as exc:
        fail(str(exc), code=EXIT_BAD_INPUT, hint=f"--scale {'|'.join(SCALES)} or a number")
    if out_dir.exists() and not out_dir.is_dir():
        fail(f"{out_dir} exists and is not a folder", code=EXIT_BAD_INPUT)
    with _progress() as bar:
        tasks: dict[str, TaskID] = {}

        def on_step(step: str, done: int, total: int) -> None:
            if quiet:
                return
            if step not in tasks:
                tasks[step] = bar.add_task(STEPS.get(step, step), total=total)
            bar.update(tasks[step], completed=done, total=total)

        try:
            return simulate(out_dir, seed, transactions, fmt, params=params, progress=on_step)
        except OSError as exc:
            fail(
                f"cannot write {out_dir}: {exc.strerror or exc}",
                hint="check the folder and free space",
            )


def show_summary(s: SimSummary) -> None:
    table = Table(title=f"world of seed {s.seed}", title_justify="left")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in s.rows.items():
        table.add_row(name, f"{rows:,}")
    for name, rows in s.truth_rows.items():
        table.add_row(f"truth/{name}", f"{rows:,}")
    console.print(table)
    console.print(
        f"{s.dens} fraud dens, {s.simboxes} SIM boxes, {s.victims} victims, {s.reports} reports, "
        f"reported loss ¥{Decimal(s.reported_loss):,.2f}"
    )
    console.print(
        f"written to {escape(s.out_dir)} as {s.format} in {s.seconds:.1f} s ({s.rows_per_second:,} rows/s)"
    )


@app.command("simulate")
def simulate_command(
    out_dir: Annotated[
        Path, typer.Argument(help="Folder to write the world into (created if missing).")
    ],
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed: same seed and scale, same files.")
    ] = 0,
    scale: Annotated[
        str,
        typer.Option(
            "--scale",
            help="tiny (20 k transactions), small (200 k), medium (2 M), large (20 M) or a count.",
        ),
    ] = "tiny",
    fmt: Annotated[
        SimFormat | None,
        typer.Option(
            "--format",
            help="csv or parquet (default: csv up to small, parquet above).",
            show_default=False,
        ),
    ] = None,
    randomise: Annotated[
        bool,
        typer.Option(
            "--randomise",
            help="Draw the world's assumptions from their documented ranges (by --seed); the "
            "drawn parameters go to OUT_DIR/truth/params.json.",
        ),
    ] = False,
    json_out: JsonOption = False,
    _home: HomeOption = None,
) -> None:
    """Write a synthetic city with fraud gangs, victims and ground truth (see docs/simulator.md).

    Tables go to OUT_DIR/<table>.csv or .parquet in the interchange format; the ground truth of
    where each reported victim's money is goes to OUT_DIR/truth/. `--home` is accepted like on
    every command but not used: simulate only writes to OUT_DIR.
    """
    chosen: Format | None = "csv" if fmt == SimFormat.csv else "parquet" if fmt else None
    params = None
    if randomise:
        from chaincut.simulate import SimParams

        params = SimParams.randomised(seed)
    summary = run_simulate(out_dir, seed, scale, chosen, quiet=json_out, params=params)
    if params is not None:
        from chaincut.simulate.ranges import write_params

        write_params(out_dir, params, seed)
    if json_out:
        print_json(asdict(summary))
    else:
        show_summary(summary)
