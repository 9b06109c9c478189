"""`chaincut score numbers|devices`, `chaincut train numbers` and `chaincut clue`: fraud numbers,
SIM boxes and number-clue verification (涉诈电话, GOIP 猫池, 号码核查).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from chaincut.cli.app import (
    EXIT_BAD_INPUT,
    EngineOption,
    HomeOption,
    JsonOption,
    app,
    console,
    err_console,
    fail,
    print_json,
    settings_from,
)
from chaincut.cli.commands_score import score_app, train_app
from chaincut.cli.training import labelled_lake
from chaincut.settings import Settings

# The engine, the jobs, the models and pyarrow are imported inside the commands that use them:
# every `chaincut` command imports this module, and `chaincut clue` needs none of them.
if TYPE_CHECKING:
    from chaincut.telecom.scorelist import ScoreList

OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Write every score to FILE: .csv or .parquet (flat) or .jsonl (with evidence).",
        show_default=False,
    ),
]
TopOption = Annotated[int, typer.Option("--top", min=1, help="Entries shown (or in --json).")]


def _lake(settings: Settings) -> None:
    if not settings.lake_path.exists():
        fail(
            f"no lake at {settings.lake_path}",
            code=EXIT_BAD_INPUT,
            hint="import data first: chaincut import DIR",
        )


def _check_out(out: Path | None) -> None:
    from chaincut.telecom.scorelist import FORMATS

    if out is not None and out.suffix.lower() not in FORMATS:
        fail(
            f"cannot write {out}: unknown extension",
            code=EXIT_BAD_INPUT,
            hint="use --out FILE.csv, FILE.parquet or FILE.jsonl",
        )


def _show(scores: ScoreList, top: int) -> None:
    noun = "numbers" if scores.kind == "number" else "devices (IMEIs)"
    table = Table(
        title=f"{len(scores.items):,} {noun} scored ({scores.method}), {scores.flagged:,} flagged "
        f"(score >= {scores.threshold:.3f}); top {min(top, len(scores.items))}",
        title_justify="left",
    )
    for column in ("number" if scores.kind == "number" else "imei", "score", "guess", "reasons"):
        table.add_column(column, justify="right" if column == "score" else "left")
    for s in scores.items[:top]:
        reasons = "\n".join(str(r) for r in s.reasons)
        table.add_row(escape(s.id), f"{s.score:.4f}", s.label, escape(reasons))
    console.print(table)


def _finish(scores: ScoreList, out: Path | None, top: int, json_output: bool) -> None:
    from chaincut.telecom.scorelist import write

    if out is not None:
        write(scores, out)
        err_console.print(f"wrote {len(scores.items):,} scores to {escape(str(out))}")
    if json_output:
        print_json(scores.to_dict(top))
    else:
        _show(scores, top)


@score_app.command("numbers")
def score_numbers_command(
    home: HomeOption = None,
    engine: EngineOption = None,
    out: OutOption = None,
    model: Annotated[
        Path | None,
        typer.Option(
            "--model",
            help="Model from `chaincut train numbers` (default: the shipped model).",
            show_default=False,
        ),
    ] = None,
    top: TopOption = 20,
    json_output: JsonOption = False,
) -> None:
    """Score every phone number in the call and message records for fraud (涉诈电话).

    Each number gets a score in [0, 1], a guess (simbox: a SIM of a SIM box; fraud: a fraud
    caller's handset line; normal) and its reasons with example call_ids. Without --model the
    shipped model weighs the indicators (no labels needed); each reason is an indicator and its
    part of the log-odds.
    """
    from chaincut.lake.engine import EngineError, get_engine
    from chaincut.telecom.model import ModelError, TelecomModel
    from chaincut.telecom.scoring import score_numbers

    settings = settings_from(home, engine)
    _lake(settings)
    _check_out(out)
    number_model = None
    if model is not None:
        try:
            number_model = TelecomModel.load(model)
            if number_model.kind != "number":
                raise ModelError(f"{model} is a {number_model.kind} model, not a number model")
        except ModelError as error:
            fail(str(error), code=EXIT_BAD_INPUT, hint="train one: chaincut train numbers DIR")
    try:
        with get_engine(settings) as lake:
            scores = score_numbers(lake, model=number_model, model_name=str(model or ""))
    except EngineError as error:
        fail(str(error))
    _finish(scores, out, top, json_output)


@score_app.command("devices")
def score_devices_command(
    home: HomeOption = None,
    engine: EngineOption = None,
    out: OutOption = None,
    top: TopOption = 20,
    json_output: JsonOption = False,
) -> None:
    """Score every device (IMEI) in the call records for SIM-box behaviour (GOIP, 猫池).

    Many SIMs behind one IMEI, SIMs in sync at one cell, calls out only, to many numbers,
    briefly, rarely answered: each device gets a score, a guess (simbox, fraud, normal) and
    its reasons with example call_ids.
    """
    from chaincut.lake.engine import EngineError, get_engine
    from chaincut.telecom.scoring import score_devices

    settings = settings_from(home, engine)
    _lake(settings)
    _check_out(out)
    try:
        with get_engine(settings) as lake:
            scores = score_devices(lake)
    except EngineError as error:
        fail(str(error))
    _finish(scores, out, top, json_output)


@train_app.command("numbers")
def train_numbers_command(
    folder: Annotated[Path, typer.Argument(help="Interchange folder with a labels table.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the model file.")],
    home: Annotated[
        Path | None,
        typer.Option(
            "--home", help="Import into this home and keep it (default: a temporary one)."
        ),
    ] = None,
    engine: EngineOption = None,
    json_output: JsonOption = False,
) -> None:
    """Train a number model on your own labelled data (the `labels` table of FOLDER).

    Phones labelled fraud or simbox (or goip, scam, ...) are the positives; every other number
    counts as normal. Score with `chaincut score numbers --model MODEL` afterwards.
    """
    from chaincut.telecom.train import TrainingError, train_numbers

    with labelled_lake(folder, home, engine, "numbers") as lake:
        try:
            model = train_numbers(lake)
        except TrainingError as error:
            fail(str(error), code=EXIT_BAD_INPUT, hint="add labels (entity_kind phone)")
    model.save(out)
    summary = {"model": str(out), "threshold": round(model.threshold, 6), **model.info}
    if json_output:
        print_json(summary)
    else:
        oof = model.info["out_of_fold"]
        console.print(
            f"trained on {model.info['rows']:,} numbers ({model.info['positives']:,} fraud); "
            f"out-of-fold precision {oof['precision']:.3f}, recall {oof['recall']:.3f}, "
            f"average precision {oof['average_precision']:.3f}; wrote {escape(str(out))}"
        )


@app.command("clue")
def clue_command(
    numbers: Annotated[list[str], typer.Argument(help="Phone numbers to verify.")],
    home: HomeOption = None,
    json_output: JsonOption = False,
) -> None:
    """Verify number clues (号码核查): holder, where and when used, and the den behind them.

    For each number: who holds it, first and last activity, its devices, the cells where it is
    used and when, and the people it reached who later reported fraud. Then the candidate
    dens: the numbers that share its device, call in sync with it from one place, or talked to
    its victims, grouped, with the SIM boxes among them and the call and message ids as evidence.

    The first call after an import builds the clue index (HOME/index/clue-*); later calls
    answer within a second.
    """
    from chaincut.telecom.render import render_clue
    from chaincut.telecom.verify import ClueUnavailable, clue

    settings = settings_from(home)
    _lake(settings)
    started = time.perf_counter()
    try:
        result = clue(settings, [_as_in_lake(settings, n) for n in numbers])
    except ClueUnavailable as error:
        fail(str(error), hint="retry when the import has finished")
    if json_output:
        print_json(result.to_dict())
    else:
        render_clue(console, result, time.perf_counter() - started)


def _as_in_lake(settings: Settings, number: str) -> str:
    """The form in which the lake holds `number` (`138 0000 5678` may be `+8613800005678`
    there, a landline `01012345678`): the first of its written forms the clue index knows,
    as the service looks numbers up; `number` itself when none is known."""
    from chaincut.model.phone import lake_forms
    from chaincut.telecom.verify import clue

    forms = lake_forms(number, settings.phone_region)
    if len(forms) > 1 or forms[0] != number.strip():
        for form in forms:
            found = clue(settings, [form]).numbers
            if found and found[0].known:
                return form
    return number
