"""`chaincut score ...` and `chaincut train ...`: explained scores and models trained on your data.

`score_app` and `train_app` are Typer groups; other scorers (numbers, devices) add their own
commands to them: `@score_app.command("numbers")`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
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
    Typer,
    app,
    console,
    err_console,
    fail,
    print_json,
    settings_from,
)
from chaincut.cli.training import labelled_lake

# the lake engine, the models and pyarrow are imported inside the commands that use them:
# every `chaincut` command may import this module (`chaincut clue` does)
if TYPE_CHECKING:
    from chaincut.scoring import AccountModel, AccountScore

#: `TrainParams.rounds`, written out so that the option's default needs no import of the
#: scoring package (tests/test_cli_startup.py checks that they agree)
ROUNDS = 250

score_app = Typer(
    help="Score accounts (mule cards, score-running), phone numbers and devices (SIM boxes) for "
    "fraud, with reasons.",
    no_args_is_help=True,
)
train_app = Typer(help="Train the scoring models on your own labelled data.", no_args_is_help=True)
app.add_typer(score_app, name="score")


@score_app.callback(invoke_without_command=True)
def _score_group(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help="Folder of the lake and store for the command that follows (as its own --home).",
            show_default=False,
        ),
    ] = None,
) -> None:
    # `chaincut score --home H` (a new user's guess, round fourteen) was told "No such option:
    # --home"; it sets the home as `chaincut --home H score ...` does and, without a
    # command, says which there are
    if home is not None:
        os.environ["CHAINCUT_HOME"] = str(home)
    if ctx.invoked_subcommand is None:
        fail("say what to score: accounts, numbers or devices", code=EXIT_BAD_INPUT,
             hint=f"chaincut score accounts --home {home or 'HOME'} (then numbers, devices)")  # fmt: skip


app.add_typer(train_app, name="train")

OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Write every account's score to FILE: .csv, .parquet or .jsonl.",
        show_default=False,
    ),
]
ModelOption = Annotated[
    Path | None,
    typer.Option(
        "--model",
        help="Model file from `chaincut train accounts` (default: the shipped one).",
        show_default=False,
    ),
]


OUT_SUFFIXES = (".csv", ".parquet", ".jsonl", ".json", ".ndjson")


def write_scores(scores: Sequence[AccountScore], path: Path) -> None:
    """Scores to `path` by its extension: flat CSV or Parquet, or full JSON lines."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from chaincut.scoring import scores_table

    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json", ".ndjson"):
        with path.open("w", encoding="utf-8") as handle:
            for s in scores:
                handle.write(json.dumps(s.to_dict(), ensure_ascii=False) + "\n")
    elif suffix == ".parquet":
        pq.write_table(scores_table(scores), path)
    elif suffix == ".csv":
        pacsv.write_csv(scores_table(scores), path)
    else:
        fail(
            f"cannot write {path}: unknown extension",
            code=EXIT_BAD_INPUT,
            hint="use --out FILE.csv, FILE.parquet or FILE.jsonl",
        )


def _load_model(path: Path | None) -> AccountModel:
    from chaincut.scoring import AccountModel, ModelError, default_model

    try:
        return AccountModel.load(path) if path is not None else default_model()
    except ModelError as error:
        fail(str(error), code=EXIT_BAD_INPUT, hint="train one with `chaincut train accounts DIR`")


def _show(scores: Sequence[AccountScore], top: int, model: AccountModel) -> None:
    # a column count when the scores are columns: no AccountScore made per account
    flagged = getattr(scores, "flagged", None)
    flagged = int(flagged.sum()) if flagged is not None else sum(s.flagged for s in scores)
    table = Table(
        title=f"{len(scores):,} accounts scored, {flagged:,} flagged (score >= "
        f"{model.threshold:.3f}); top {min(top, len(scores))}",
        title_justify="left",
    )
    for column in ("account", "score", "guess", "reasons"):
        table.add_column(column, justify="right" if column == "score" else "left")
    for s in scores[:top]:
        table.add_row(
            escape(s.account_id), f"{s.score:.6f}", s.label, escape("\n".join(s.reasons()))
        )
    console.print(table)


@score_app.command("accounts")
def score_accounts_command(
    home: HomeOption = None,
    engine: EngineOption = None,
    out: OutOption = None,
    model: ModelOption = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Accounts shown (or in --json).")] = 20,
    json_output: JsonOption = False,
) -> None:
    """Score every account of the lake for mule-card (断卡) and score-running (跑分) behaviour.

    Each account gets a score in [0, 1], a guess (mule_l1, mule_l2, mule_l3, runner, normal)
    and its reasons: the features that raised the score and the patterns it matched, with
    example transactions.
    """
    from chaincut.lake.engine import EngineError, get_engine
    from chaincut.scoring import score_accounts
    from chaincut.scoring.saved import flags_key, flags_of, save_flags

    if out is not None and out.suffix.lower() not in OUT_SUFFIXES:
        fail(
            f"cannot write {out}: unknown extension",
            code=EXIT_BAD_INPUT,
            hint="use --out FILE.csv, FILE.parquet or FILE.jsonl",
        )
    settings = settings_from(home, engine)
    if not settings.lake_path.exists():
        fail(
            f"no lake at {settings.lake_path}",
            code=EXIT_BAD_INPUT,
            hint="import data first: chaincut import DIR",
        )
    account_model = _load_model(model)
    try:
        with get_engine(settings) as lake_engine:
            key = flags_key(lake_engine, account_model)
            scores = score_accounts(lake_engine, account_model)
            # kept for `chaincut gangs` while the lake and the model stay the same
            save_flags(lake_engine, key, flags_of(scores.ids, scores.values, scores.flagged))
    except EngineError as error:
        fail(str(error))
    if out is not None:
        write_scores(scores, out)
        err_console.print(f"wrote {len(scores):,} scores to {escape(str(out))}")
    if json_output:
        print_json([s.to_dict() for s in scores[:top]])
    else:
        _show(scores, top, account_model)


@train_app.command("accounts")
def train_accounts_command(
    folder: Annotated[Path, typer.Argument(help="Interchange folder with a labels table.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the model file.")],
    home: Annotated[
        Path | None,
        typer.Option(
            "--home", help="Import into this home and keep it (default: a temporary one)."
        ),
    ] = None,
    engine: EngineOption = None,
    rounds: Annotated[
        int, typer.Option("--rounds", min=10, help="Boosting rounds of each model.")
    ] = ROUNDS,
    json_output: JsonOption = False,
) -> None:
    """Train an account model on your own labelled data (the `labels` table of FOLDER).

    Accounts labelled mule_l1, mule_l2, mule_l3, runner (or mule, laundering, ...) are the
    positives; every other account counts as normal. Score with `--model` afterwards.
    """
    from chaincut.scoring import TrainingError, TrainParams, train_accounts

    with labelled_lake(folder, home, engine, "accounts") as lake_engine:
        try:
            model = train_accounts(lake_engine, TrainParams(rounds=rounds))
        except TrainingError as error:
            fail(str(error), code=EXIT_BAD_INPUT, hint="add labels (entity_kind account)")
    model.save(out)
    summary = {"model": str(out), "threshold": round(model.threshold, 6), **model.info}
    if json_output:
        print_json(summary)
    else:
        oof = model.info["out_of_fold_final"]
        console.print(
            f"trained on {model.info['accounts']:,} accounts ({model.info['positives']:,} "
            f"mules); out-of-fold precision {oof['precision']:.3f}, recall {oof['recall']:.3f}, "
            f"PR-AUC {oof['pr_auc']:.3f}; wrote {escape(str(out))}"
        )
