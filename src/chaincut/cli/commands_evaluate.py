"""`chaincut evaluate`: every detector's figures on worlds it was not designed on."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

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

#: where the public data sits relative to the working folder (a checkout beside shared/)
DEFAULT_DATA = Path("../shared/data")
MAX_WORLDS = 50


class EvalScale(StrEnum):
    tiny = "tiny"
    small = "small"


@app.command("evaluate")
def evaluate_command(
    worlds: Annotated[
        int, typer.Option("--worlds", help="Randomised simulator worlds to build (0 to 50).")
    ] = 3,
    seed: Annotated[
        int,
        typer.Option("--seed", help="First evaluation seed (1000 or more; training uses less)."),
    ] = 1000,
    scale: Annotated[
        EvalScale, typer.Option("--scale", help="Size of the generated worlds: tiny or small.")
    ] = EvalScale.tiny,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="Folder of public data (default ../shared/data where it exists; none: skipped).",
            show_default=False,
        ),
    ] = None,
    only: Annotated[
        str | None,
        typer.Option(
            "--only",
            help="Detectors to run, comma-separated: trace,accounts,numbers,devices,clue,text,warn.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Also write the figures as JSON to this file.", show_default=False
        ),
    ] = None,
    mule_asof: Annotated[
        str,
        typer.Option(
            "--mule-asof",
            help="The stops' mule scores: of the whole lake, or as of each report's day/week, "
            "or as of the report itself (trace --all --mule-asof).",
        ),
    ] = "lake",
    json_out: JsonOption = False,
    _home: HomeOption = None,
) -> None:
    """Build evaluation worlds, import each into a temporary home and print every detector's
    figures with its shipped default: rows = figures, columns = worlds (docs/evaluation.md).

    `--home` is accepted like on every command but not used: each world gets its own temporary
    home, removed afterwards.
    """
    from chaincut.evaluate import evaluate, evaluation_table, parse_only
    from chaincut.evaluate.report import errors

    try:
        areas = parse_only(only)
    except ValueError as exc:
        fail(
            str(exc),
            code=EXIT_BAD_INPUT,
            hint="--only trace,accounts,numbers,devices,clue,text,warn",
        )
    from chaincut.trace.bystander_model import ASOF

    if mule_asof not in ASOF:
        fail(f"unknown --mule-asof {mule_asof!r}", code=EXIT_BAD_INPUT,
             hint="--mule-asof lake, day, week or report")  # fmt: skip
    if not 0 <= worlds <= MAX_WORLDS:
        fail(f"--worlds {worlds} is out of range", code=EXIT_BAD_INPUT, hint="use 0 to 50")
    if data is not None and not data.is_dir():
        fail(
            f"--data {data}: no such folder", code=EXIT_BAD_INPUT, hint="the folder of public data"
        )
    folder = data if data is not None else (DEFAULT_DATA if DEFAULT_DATA.is_dir() else None)
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
        console=err_console, transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("evaluating", total=None)

        def on_step(world: str, step: str) -> None:
            if not json_out:
                bar.update(task, description=f"{world}: {step}")

        try:
            result = evaluate(
                worlds, seed, scale.value, folder, areas, progress=on_step, mule_asof=mule_asof
            )
        except ValueError as exc:
            fail(str(exc), code=EXIT_BAD_INPUT, hint="--seed 1000 or more")
    body = result.to_json()
    if out is not None:
        try:
            out.write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        except OSError as exc:
            fail(f"cannot write {out}: {exc.strerror or exc}")
    if json_out:
        print_json(body)
        return
    # one column per world: written to a file or a pipe, the table takes the width it needs
    # (Rich would squeeze it into 80 columns); on a terminal it fits the window
    wide = max(console.width, 46 + 20 * len(result.columns))
    out_console = console if console.is_terminal else Console(width=wide, highlight=False)
    out_console.print(evaluation_table(result))
    for line in errors(result):
        err_console.print(f"[yellow]failed[/]: {line}")
    if folder is None:
        err_console.print("no public data (../shared/data or --data): public columns skipped")
